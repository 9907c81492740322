// Ordering: commands of one GUID go in accept order — an UPDATE waits for its
// GUID's CREATE — while other GUIDs go on in parallel.
// See docs/protocol.md#update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { httpError } from '../helpers/fake-jira.js';

test('an UPDATE waits for its GUID\'s CREATE; another GUID is not held up meanwhile', async (t) => {
  const h = await harness(t);
  const release = h.jira.hold('createIssue');
  await h.send('A|CREATE|summary;first|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 1, 'A\'s CREATE is with Jira');
  // Arrives while A's CREATE is in flight: it must wait, and must not send the CREATE twice.
  assert.equal(await h.engine.submitLine('A|UPDATE|summary;needs the ticket|comment;needs the ticket|'), 'OK A queued');
  // B's CREATE is sent although A's is still in flight (held at the same gate, so released together).
  await h.send('B|CREATE|summary;second|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 2, 'B\'s CREATE is with Jira too');
  assert.equal(h.jira.callsOf('editIssue').length, 0, 'A\'s UPDATE waits');
  assert.equal(h.engine.status('A')?.status, 'Pending');
  release();
  await h.engine.whenIdle();
  const order = h.jira.calls.filter((c) => c.method === 'createIssue' || c.method === 'editIssue')
    .map((c) => (c.method === 'createIssue' ? `create:${(c.args[0] as { fields: { summary: string } }).fields.summary}` : `edit:${c.args[0]}`));
  assert.deepEqual(order, ['create:first', 'create:second', 'edit:OPS-1']);
  assert.deepEqual(h.jira.issues.get('OPS-1')?.comments, ['needs the ticket']);
});

test('updates of one GUID reach Jira in the order accepted, also when one of them is retried', async (t) => {
  const h = await harness(t);
  await h.send('O|CREATE|summary;x|');
  await h.engine.whenIdle();
  h.jira.script('editIssue', httpError(503));
  await h.send('O|UPDATE|summary;one|comment;1|');
  await h.engine.whenIdle();
  // The first update waits for its retry: later lines queue behind it (a new row, merged together).
  await h.send('O|UPDATE|summary;two|comment;2|', 'O|UPDATE|summary;three|comment;3|');
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 1);
  await h.clock.advance(1000);
  await h.engine.whenIdle();
  const issue = h.jira.issues.get('OPS-1')!;
  assert.deepEqual(issue.comments, ['1', '2', '3']);
  assert.equal(issue.fields.summary, 'three', 'the last line accepted wins');
  assert.deepEqual(h.store.queryLog({ guid: 'O' }).map((r) => [r.lines, r.status]), [[2, 'Ok'], [1, 'Ok'], [1, 'Ok']]);
});

test('many GUIDs go to Jira in parallel, each in its own order', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1000 } } });
  const guids = Array.from({ length: 40 }, (_, i) => `P${i}`);
  const lines = guids.flatMap((g) => [`${g}|CREATE|summary;${g}|`, `${g}|UPDATE|summary;a|comment;a|`, `${g}|UPDATE|status;Done|`]);
  const replies = await h.send(...lines);
  assert.ok(replies.every((r) => r.startsWith('OK')));
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 40);
  for (const issue of h.jira.created()) {
    assert.deepEqual(issue.comments, ['a']);
    assert.equal(issue.status, 'Done');
  }
  for (const g of guids) {
    const key = h.engine.status(g)?.ticketKey;
    const seq = h.jira.calls.filter((c) => c.args[0] === key || (c.method === 'createIssue' && (c.args[0] as { fields: { summary: string } }).fields.summary === g))
      .map((c) => c.method);
    assert.deepEqual(seq, ['createIssue', 'editIssue', 'addComment', 'transitionTo'], g);
  }
  assert.equal(h.engine.pendingCount(), 0);
});
