// The scheduler's "paced" state (unit-states.ts): a unit whose request waits for the pacer's
// permit is not "sending" — Jira's rate limit holds it, not Jira — and the snapshot counts it;
// so is a unit whose label lookup or ownership check waits for its permit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './engine-harness.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeJira } from '../helpers/fake-jira.js';
import { waitUntil } from '../helpers/wait-until.js';

test('a unit whose request waits for the pacer is paced, not sending: counted in the snapshot until its permit comes', async (t) => {
  const h = await harness(t, { config: { jira: { maxRequestsPerSecond: 100, maxConcurrent: 1 } } });
  const release = h.jira.hold('createIssue');
  await h.send('P1|CREATE|summary;a|', 'P2|CREATE|summary;b|', 'P3|CREATE|summary;c|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 1 && h.engine.getSnapshot().pacing.paced === 2, 'one CREATE with Jira, two waiting for the pacer');
  assert.deepEqual(h.engine.schedulerViolations(), []);
  assert.equal(h.engine.getSnapshot().pacing.waiting, 2, 'the pacer holds their two requests');
  release();
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 3);
  assert.equal(h.engine.getSnapshot().pacing.paced, 0);
  assert.deepEqual(h.engine.schedulerViolations(), []);
});

/** A data directory, restarted with one request to Jira at a time, after `prepare` ran on the first engine (never started). */
async function restarted(t: Parameters<typeof harness>[0], prepare: (first: Harness) => Promise<void>): Promise<Harness> {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira, noStart: true });
  await prepare(first);
  await first.close();
  return harness(t, { clock, jira, temp: first.temp, noStart: true, config: { jira: { maxRequestsPerSecond: 100, maxConcurrent: 1 } } });
}

test('a unit whose label lookup waits for the pacer is paced, not sending', async (t) => {
  // Two CREATEs left open by a stopped engine: each is looked up by its label before it is sent.
  const h = await restarted(t, async (first) => {
    assert.deepEqual(await first.send('L1|CREATE|summary;a|', 'L2|CREATE|summary;b|'), ['OK L1 queued', 'OK L2 queued']);
  });
  const release = h.jira.hold('search');
  void h.engine.start();
  await waitUntil(() => h.jira.callsOf('search').length === 1 && h.engine.getSnapshot().pacing.paced === 1,
    () => `one lookup with Jira, the other unit paced (searches ${h.jira.callsOf('search').length}, paced ${h.engine.getSnapshot().pacing.paced})`);
  assert.deepEqual(h.engine.schedulerViolations(), []);
  release();
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 2);
  assert.equal(h.engine.getSnapshot().pacing.paced, 0);
  assert.deepEqual(h.engine.schedulerViolations(), []);
});

test('a unit whose ownership check waits for the pacer is paced, not sending', async (t) => {
  // Tickets the map names from an earlier run: each is checked for its GUID's label before it is written.
  const h = await restarted(t, async (first) => {
    for (const [guid, n] of [['V1', 50], ['V2', 51]] as const) {
      first.jira.issues.set(`OPS-${n}`, { id: `100${n}`, key: `OPS-${n}`, fields: { summary: 'x', labels: [`jiraline-${guid}`] }, comments: [], status: 'To Do' });
      first.store.setTicket({ guid, ticketId: `100${n}`, ticketKey: `OPS-${n}`, ticketUrl: first.jira.browseUrl(`OPS-${n}`) });
    }
    await first.store.commit();
  });
  await h.engine.start();
  await h.engine.whenIdle();
  const release = h.jira.hold('getIssue');
  await h.send('V1|UPDATE|comment;one|', 'V2|UPDATE|comment;two|');
  await waitUntil(() => h.jira.callsOf('getIssue').length === 1 && h.engine.getSnapshot().pacing.paced === 1,
    () => `one check with Jira, the other unit paced (checks ${h.jira.callsOf('getIssue').length}, paced ${h.engine.getSnapshot().pacing.paced})`);
  assert.deepEqual(h.engine.schedulerViolations(), []);
  release();
  await h.engine.whenIdle();
  assert.deepEqual(h.jira.issues.get('OPS-50')!.comments, ['one']);
  assert.deepEqual(h.jira.issues.get('OPS-51')!.comments, ['two']);
  assert.equal(h.engine.getSnapshot().pacing.paced, 0);
});
