// Recovery of open CREATEs (one ticket per GUID across crashes). A CREATE's request
// leaves without a commit after its acknowledgement, so the file a SIGKILL leaves may say
// "queued" for a CREATE that Jira already made: at start every open CREATE is looked up by
// its label before anything is sent, and adopted only on a real label match.
// See docs/architecture.md#recovery-after-a-crash-and-stopping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, databaseFileName } from '../../source/store/index.js';
import { harness, type Harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeJira, httpError } from '../helpers/fake-jira.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

/** The data directory as a SIGKILL would leave it now: copies of the database file and its journal.
 * The harness restarted on the copy removes it, after its engine has stopped writing there. */
async function crashCopy(h: Harness): Promise<TempDir> {
  const copy = await makeTempDir();
  for (const name of [databaseFileName, 'jiraline.journal']) await copyFile(join(h.temp.dir, name), join(copy.dir, name));
  return copy;
}

/** Opens the copied files on their own to read what the crash left for a GUID's latest command. */
async function stateInFile(dir: string, guid: string): Promise<string | undefined> {
  const store = await openStore({ dir });
  try {
    return store.latestCommandFor(guid)?.state;
  } finally {
    await store.close();
  }
}

test('a CREATE that reached Jira while the file still said "queued" is found by its label at restart, not sent again', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  assert.equal(await first.engine.submitLine('Q1|CREATE|summary;disk full|comment;paged|'), 'OK Q1 queued');
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  const crashed = await crashCopy(first);
  assert.equal(await stateInFile(crashed.dir, 'Q1'), 'queued', 'no in-flight mark was committed before the request');
  release(); // Jira makes the ticket; the crashed process never hears of it
  await first.close();
  await flush(10);
  assert.equal(jira.created().length, 1);
  const createsBefore = jira.callsOf('createIssue').length;

  const second = await harness(t, { clock, jira, temp: crashed });
  t.after(() => second.close());
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('createIssue').length, createsBefore, 'not sent again');
  assert.equal(jira.created().length, 1, 'one ticket for the GUID');
  assert.ok(jira.callsOf('search').some((c) => /labels = "jiraline-Q1"/.test(String(c.args[0]))));
  assert.equal(second.engine.status('Q1')?.status, 'Ok');
  assert.equal(second.engine.status('Q1')?.ticketKey, jira.created()[0].key);
  assert.ok(second.events.some((e) => e.type === 'adopted' && e.guid === 'Q1'));
  assert.equal(second.engine.getSnapshot().stats.created.total, 1, 'counted once, by the adoption');
});

test('an open CREATE that never left is looked up, found nowhere, and sent exactly once', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira, noStart: true });
  assert.equal(await first.engine.submitLine('Q2|CREATE|summary;never sent|'), 'OK Q2 queued');
  await first.close();
  assert.equal(jira.callsOf('createIssue').length, 0);

  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.deepEqual(jira.calls.filter((c) => c.method === 'search' || c.method === 'createIssue').map((c) => c.method),
    ['search', 'createIssue'], 'the lookup comes before the send');
  assert.equal(jira.created().length, 1);
  assert.equal(second.engine.status('Q2')?.status, 'Ok');
});

test('when the lookup itself fails at restart, the CREATE waits and looks again — it is never sent blind', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  await first.engine.submitLine('Q3|CREATE|summary;flapping|');
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  const crashed = await crashCopy(first);
  release();
  await first.close();
  await flush(10);
  assert.equal(jira.created().length, 1);
  const createsBefore = jira.callsOf('createIssue').length;

  jira.script('search', httpError(503)); // Jira is busy when the engine comes back
  const second = await harness(t, { clock, jira, temp: crashed });
  t.after(() => second.close());
  await second.engine.whenIdle();
  assert.equal(second.engine.status('Q3')?.status, 'Pending', 'waiting for its retry');
  await clock.advance(2000);
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('search').length, 2, 'looked up again');
  assert.equal(jira.callsOf('createIssue').length, createsBefore, 'never sent again');
  assert.equal(jira.created().length, 1);
  assert.equal(second.engine.status('Q3')?.status, 'Ok');
});
