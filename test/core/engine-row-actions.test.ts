// Retry of a Failed row and cancel of a Pending one (the Log pane's R and C, `jiraline retry`
// and `cancel`): what reaches Jira, what the log says, and that both hold across a restart.
// See docs/architecture.md#retry-and-cancel-from-the-log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor, type Harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { httpError } from '../helpers/fake-jira.js';

async function failedUpdate(h: Harness, guid: string): Promise<number> {
  await h.send(`${guid}|CREATE|summary;link down|`);
  await h.engine.whenIdle();
  h.jira.script('editIssue', httpError(400, { messages: ['Field is locked'] }));
  assert.deepEqual(await h.send(`${guid}|UPDATE|priority;High|comment;still down|`), [`OK ${guid} queued`]);
  await h.engine.whenIdle();
  const [row] = h.store.queryLog({ guid, limit: 1 });
  assert.equal(row.status, 'Failed');
  return row.id;
}

test('a Failed update retried goes to Jira again on a new row; the old row says so and cannot be retried twice', async (t) => {
  const h = await harness(t);
  const failedId = await failedUpdate(h, 'R1');
  assert.equal(h.jira.callsOf('editIssue').length, 1);

  const result = await h.engine.retryRow(failedId);
  assert.equal(result.ok, true, result.message);
  assert.ok(result.ok && result.logId > failedId);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 2, 'the retry reached Jira');
  const rows = h.store.queryLog({ guid: 'R1' });
  assert.equal(rows.length, 3, 'CREATE, the failed update, its retry');
  assert.equal(rows[0].status, 'Ok');
  assert.equal(rows[0].action, 'Update');
  assert.equal(rows[1].status, 'Failed');
  assert.match(rows[1].error ?? '', new RegExp(`retried as log row ${rows[0].id}`));
  assert.deepEqual(h.jira.created()[0].comments, ['still down']);
  assert.ok(h.events.some((e) => e.type === 'retried' && e.logId === failedId));

  const again = await h.engine.retryRow(failedId);
  assert.equal(again.ok, false);
  assert.match(again.message, /retried already/);
  assert.equal((await h.engine.retryRow(rows[0].id)).ok, false, 'an Ok row is not retried');
  assert.equal((await h.engine.retryRow(99_999)).ok, false, 'nor a row that does not exist');
});

test('a retry is stored before it is answered: after a restart it is still sent', async (t) => {
  const h = await harness(t);
  const failedId = await failedUpdate(h, 'R2');
  h.jira.script('editIssue', httpError(503), httpError(503), httpError(503));
  const result = await h.engine.retryRow(failedId);
  assert.equal(result.ok, true, result.message);
  await h.engine.whenIdle();
  assert.equal(h.store.queryLog({ guid: 'R2', limit: 1 })[0].status, 'Pending');
  await h.close();

  h.jira.unscript();
  const again = await harness(t, { temp: h.temp, jira: h.jira, clock: h.clock });
  await runFor(again, 120_000);
  const rows = again.store.queryLog({ guid: 'R2' });
  assert.equal(rows[0].status, 'Ok', 'the retry went after the restart');
  assert.equal(rows[1].status, 'Failed');
  assert.equal((await again.engine.retryRow(failedId)).ok, false, 'the old row gave its lines to the retry');
});

test('a Pending update cancelled is never sent, and stays Cancelled after a restart', async (t) => {
  const h = await harness(t);
  await h.send('C1|CREATE|summary;disk full|');
  await h.engine.whenIdle();
  h.jira.script('editIssue', httpError(503));
  await h.send('C1|UPDATE|summary;cleanup running|comment;cleanup running|');
  await h.engine.whenIdle();
  const [row] = h.store.queryLog({ guid: 'C1', limit: 1 });
  assert.equal(row.status, 'Pending', 'waiting for its retry after the 503');
  assert.equal(h.jira.callsOf('editIssue').length, 1);

  const result = await h.engine.cancelRow(row.id);
  assert.equal(result.ok, true, result.message);
  assert.equal(h.store.getLog(row.id)?.status, 'Cancelled');
  assert.equal(h.engine.status('C1')?.status, 'Cancelled');
  await runFor(h, 60_000);
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'nothing more was sent');
  assert.equal(h.engine.pendingCount(), 0);
  assert.equal((await h.engine.cancelRow(row.id)).ok, false, 'a row is cancelled once');
  await h.close();

  const again = await harness(t, { temp: h.temp, jira: h.jira, clock: h.clock });
  await runFor(again, 60_000);
  assert.equal(again.store.getLog(row.id)?.status, 'Cancelled');
  assert.equal(again.engine.pendingCount(), 0);
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'not sent after the restart either');
  // Not a dead end: the GUID takes new lines as before.
  assert.deepEqual(await again.send('C1|UPDATE|summary;done|comment;done|'), ['OK C1 queued']);
  await again.engine.whenIdle();
  assert.equal(again.store.queryLog({ guid: 'C1', limit: 1 })[0].status, 'Ok');
});

test('a pending CREATE cancelled takes the updates waiting on it along; a new CREATE starts afresh', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(400, { messages: ['first try refused'] }));
  await h.send('C2|CREATE|summary;a|');
  await h.engine.whenIdle();
  h.jira.script('createIssue', httpError(503));
  await h.send('C2|CREATE|summary;b|');
  await h.engine.whenIdle();
  await h.send('C2|UPDATE|summary;x|comment;x|');
  const [update, create] = h.store.queryLog({ guid: 'C2', limit: 2 });
  assert.equal(create.action, 'Create');
  assert.equal(create.status, 'Pending');
  const result = await h.engine.cancelRow(create.id);
  assert.equal(result.ok, true, result.message);
  assert.equal(h.store.getLog(update.id)?.status, 'Cancelled');
  assert.match(h.store.getLog(update.id)?.error ?? '', /cancelled with the CREATE of C2/);
  await runFor(h, 60_000);
  assert.equal(h.jira.created().length, 0);
  assert.deepEqual(await h.send('C2|CREATE|summary;c|'), ['OK C2 queued']);
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 1);
});

test('retry and cancel refuse what they cannot do, saying why', async (t) => {
  const h = await harness(t);
  await h.send('X1|CREATE|summary;a|');
  await h.engine.whenIdle();
  const [ok] = h.store.queryLog({ guid: 'X1' });
  const cancel = await h.engine.cancelRow(ok.id);
  assert.equal(cancel.ok, false);
  assert.match(cancel.message, /is Ok: only a Pending row can be cancelled/);
  const retry = await h.engine.retryRow(ok.id);
  assert.match(retry.message, /is Ok: only a Failed row can be retried/);

  const release = h.jira.hold('editIssue');
  await h.send('X1|UPDATE|summary;slow|comment;slow|');
  await waitUntil(() => h.jira.callsOf('editIssue').length >= 1, 'the update is with Jira');
  const [sending] = h.store.queryLog({ guid: 'X1', limit: 1 });
  const busy = await h.engine.cancelRow(sending.id);
  assert.equal(busy.ok, false);
  assert.match(busy.message, /with Jira right now/);
  release();
  await h.engine.whenIdle();
  assert.equal(h.store.getLog(sending.id)?.status, 'Ok');
});

test('the lines kept for a retry go when their row is pruned', async (t) => {
  const h = await harness(t, { config: { log: { maxEntries: 3 } } });
  const failedId = await failedUpdate(h, 'P1');
  assert.equal(h.store.failedCommandsOf(failedId).length, 1);
  for (let i = 0; i < 4; i++) await h.send(`P${i + 2}|CREATE|summary;s|`);
  await h.engine.whenIdle();
  assert.equal(h.store.getLog(failedId), undefined, 'pruned');
  assert.equal(h.store.failedCommandsOf(failedId).length, 0, 'its kept line went with it');
});
