// The throttle window for automatic updates and the merging of waiting updates,
// on fake time with the real store.
// See docs/protocol.md#update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callTimes, harness, runFor, type Harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { httpError } from '../helpers/fake-jira.js';

/** Makes tickets for the GUIDs (CREATEs are not throttled) and returns the moment after. */
async function withTickets(h: Harness, guids: string[]): Promise<number> {
  await h.send(...guids.map((g) => `${g}|CREATE|summary;alarm ${g}|`));
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, guids.length);
  return h.clock.now();
}

test('3 updates per 60 s: seven updates start at 0,0,0, 60,60,60 and 120 s', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 3, intervalSeconds: 60 } } });
  const guids = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'];
  await withTickets(h, guids);
  const t0 = h.clock.now();
  const replies = await h.send(...guids.map((g) => `${g}|UPDATE|summary;tick|comment;tick|`));
  assert.ok(replies.every((r) => r.startsWith('OK')));
  await h.engine.whenIdle();
  assert.deepEqual(callTimes(h, 'editIssue', t0), [0, 0, 0]);
  assert.equal(h.engine.getSnapshot().throttle.used, 3);
  await h.clock.advance(59_999);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 3, 'nothing before the window frees');
  await runFor(h, 61_000);
  assert.deepEqual(callTimes(h, 'editIssue', t0), [0, 0, 0, 60, 60, 60, 120]);
  // Order kept: the updates went in the order accepted.
  assert.deepEqual(h.jira.callsOf('editIssue').map((c) => c.args[0]), ['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5', 'OPS-6', 'OPS-7']);
  assert.equal(h.engine.getSnapshot().throttle.used, 1);
  await h.clock.advance(60_000);
  assert.equal(h.engine.getSnapshot().throttle.used, 0);
  assert.equal(h.engine.getSnapshot().stats.updated.today, 7);
});

test('CREATEs are never throttled, and do not use up the window', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1, intervalSeconds: 60 } } });
  const t0 = h.clock.now();
  await h.send(...Array.from({ length: 10 }, (_, i) => `C${i}|CREATE|summary;s${i}|status;In Progress|`));
  await h.engine.whenIdle();
  assert.deepEqual(callTimes(h, 'createIssue', t0), Array(10).fill(0));
  assert.equal(h.jira.callsOf('transitionTo').length, 10, 'a CREATE\'s transition is part of the CREATE');
  assert.equal(h.engine.getSnapshot().throttle.used, 0);
  await h.send('C0|UPDATE|summary;one|comment;one|');
  await h.engine.whenIdle();
  assert.deepEqual(callTimes(h, 'editIssue', t0), [0]);
});

test('a retried update does not take a second slot of the window', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 2, intervalSeconds: 60 } } });
  await withTickets(h, ['U1', 'U2', 'U3']);
  const t0 = h.clock.now();
  h.jira.script('editIssue', httpError(503));
  await h.send('U1|UPDATE|summary;a|comment;a|', 'U2|UPDATE|summary;b|comment;b|', 'U3|UPDATE|summary;c|comment;c|');
  await runFor(h, 2_000, 500);
  // U1 failed at 0 and went again at 1 s within its slot; U3 still waits for the window.
  assert.deepEqual(h.jira.callsOf('editIssue').map((c) => [c.args[0], (c.at - t0) / 1000]),
    [['OPS-1', 0], ['OPS-2', 0], ['OPS-1', 1]]);
  await runFor(h, 60_000);
  assert.deepEqual(h.jira.callsOf('editIssue').map((c) => [c.args[0], (c.at - t0) / 1000]),
    [['OPS-1', 0], ['OPS-2', 0], ['OPS-1', 1], ['OPS-3', 60]]);
});

test('a CREATE resent for a GUID with a ticket is an update and waits for the window', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1, intervalSeconds: 60 } } });
  await withTickets(h, ['W1']);
  const t0 = h.clock.now();
  await h.send('W1|UPDATE|summary;first|comment;first|');
  await h.engine.whenIdle();
  await h.send('W1|CREATE|summary;resent|');
  await runFor(h, 59_000);
  assert.deepEqual(callTimes(h, 'editIssue', t0), [0]);
  await runFor(h, 1_000);
  assert.deepEqual(callTimes(h, 'editIssue', t0), [0, 60]);
  assert.equal(h.jira.created()[0].fields.summary, 'resent');
});

test('updates waiting together merge: later fields win, comments kept, label ops in order, last status', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1, intervalSeconds: 60 } } });
  await withTickets(h, ['M1']);
  const t0 = h.clock.now();
  await h.send('M1|UPDATE|summary;sent at once|comment;sent at once|');
  await h.engine.whenIdle();
  const statsBefore = h.engine.getSnapshot().stats.updated.today;
  // These wait for the window, so they travel together.
  for (const line of [
    'M1|UPDATE|summary;first|priority;Low|labels;+alpha,+beta|comment;one|status;In Progress|',
    'M1|UPDATE|summary;second|labels;-alpha|comment;two|',
    'M1|UPDATE|Story Points;5|labels;+gamma|comment;three|status;Done|',
  ]) assert.equal(await h.engine.submitLine(line), 'OK M1 queued');
  const rows = h.store.queryLog({ guid: 'M1' });
  assert.equal(rows.length, 3, 'create, the first update, and ONE row for the three waiting lines');
  assert.equal(rows[0].lines, 3);
  assert.equal(rows[0].status, 'Pending');
  await runFor(h, 60_000);
  const edits = h.jira.callsOf('editIssue');
  assert.equal(edits.length, 2);
  assert.equal((edits[1].at - t0) / 1000, 60);
  const body = edits[1].args[1] as { fields: Record<string, unknown>; update: Record<string, unknown[]> };
  assert.equal(body.fields.summary, 'second');
  assert.deepEqual(body.fields.priority, { name: 'Low' });
  assert.equal(body.fields.customfield_10011, 5);
  assert.equal(body.update.comment, undefined, 'the comments are not in the edit: each is added on its own');
  const issue = h.jira.created()[0];
  assert.deepEqual(issue.comments, ['sent at once', 'one', 'two', 'three'], 'every comment kept, in order, once');
  assert.deepEqual(issue.fields.labels, ['jiraline-M1', 'beta', 'gamma']);
  assert.deepEqual(h.jira.callsOf('transitionTo').map((c) => c.args[1]), ['Done'], 'only the last status is applied');
  assert.equal(issue.status, 'Done');
  const merged = h.store.queryLog({ guid: 'M1' })[0];
  assert.equal(merged.status, 'Ok');
  assert.equal(merged.lines, 3);
  assert.equal(merged.ticketKey, 'OPS-1');
  assert.equal(h.engine.getSnapshot().stats.updated.today, statsBefore + 1, 'a merged update counts once');
  const sent = h.events.filter((e) => e.type === 'sent' && e.action === 'Update');
  assert.deepEqual(sent.map((e) => e.type === 'sent' && e.lines), [1, 3]);
});

test('an update sent while another waits starts a new row (a sent update is never joined)', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 5, intervalSeconds: 60 } } });
  await withTickets(h, ['J1']);
  const release = h.jira.hold('editIssue');
  await h.send('J1|UPDATE|summary;in flight|comment;in flight|');
  await waitUntil(() => h.jira.callsOf('editIssue').length === 1, 'the first update is with Jira');
  await h.send('J1|UPDATE|summary;later 1|comment;later 1|', 'J1|UPDATE|summary;later 2|comment;later 2|');
  release();
  await h.engine.whenIdle();
  const rows = h.store.queryLog({ guid: 'J1' }).map((r) => r.lines);
  assert.deepEqual(rows, [2, 1, 1]);
  assert.deepEqual(h.jira.created()[0].comments, ['in flight', 'later 1', 'later 2']);
});
