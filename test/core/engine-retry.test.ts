// Retries on fake time: the back-off schedule with its jitter, Retry-After, the
// cap on 500s, giving up after retryForHours, the 401/403 pause, and final 4xx answers.
// See docs/architecture.md#pacing-retries-the-pause-and-the-gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor, type Harness } from './engine-harness.js';
import { httpError, networkError } from '../helpers/fake-jira.js';

async function ticketFor(h: Harness, guid: string): Promise<void> {
  await h.send(`${guid}|CREATE|summary;alarm|`);
  await h.engine.whenIdle();
}

/** Asserts that the n-th call of editIssue happens exactly at `at` (not a millisecond before). */
async function expectEditAt(h: Harness, n: number, at: number): Promise<void> {
  await h.clock.advanceTo(at - 1);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, n - 1, `call ${n} came before ${at}`);
  await h.clock.advanceTo(at);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, n, `call ${n} did not come at ${at}`);
}

test('back-off 1 s, 2 s, 4 s, 8 s, each stretched by the random share of 25 %', async (t) => {
  const h = await harness(t, { random: () => 0.5 });
  await ticketFor(h, 'B1');
  h.jira.script('editIssue', httpError(503), httpError(502), networkError('timeout'), httpError(504));
  const t0 = h.clock.now();
  await h.send('B1|UPDATE|summary;retry me|comment;retry me|');
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 1);
  const row = () => h.store.queryLog({ guid: 'B1' })[0];
  assert.equal(row().status, 'Pending');
  assert.equal(row().attempts, 1);
  assert.equal(row().nextAttemptAt, t0 + 1125);
  assert.match(row().error ?? '', /503/);
  let at = t0;
  for (const [n, delay] of [[2, 1125], [3, 2250], [4, 4500], [5, 9000]]) {
    at += delay;
    await expectEditAt(h, n, at);
  }
  assert.equal(row().status, 'Ok');
  assert.equal(row().attempts, 5);
  assert.equal(row().error, null);
  assert.equal(row().lines, 1, 'retries add no rows');
  assert.equal(h.store.queryLog({ guid: 'B1' }).length, 2);
  assert.deepEqual(h.jira.created()[0].comments, ['retry me'], 'the comment is added once');
  const retries = h.events.filter((e) => e.type === 'retry');
  assert.deepEqual(retries.map((e) => e.type === 'retry' && e.delayMs), [1125, 2250, 4500, 9000]);
});

test('jitter never shortens a step and stretches it by at most 25 %', async (t) => {
  const h = await harness(t, { random: () => 0.9999 });
  await ticketFor(h, 'J1');
  h.jira.script('editIssue', httpError(503));
  const t0 = h.clock.now();
  await h.send('J1|UPDATE|summary;x|comment;x|');
  await h.engine.whenIdle();
  const next = h.store.queryLog({ guid: 'J1' })[0].nextAttemptAt! - t0;
  assert.ok(next >= 1000 && next <= 1250, `${next}`);
  await expectEditAt(h, 2, t0 + next);
});

test('a Retry-After is honoured instead of the back-off', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'RA');
  h.jira.script('editIssue', httpError(429, { retryAfterMs: 30_000 }), httpError(503, { retryAfterMs: 90_000 }));
  const t0 = h.clock.now();
  await h.send('RA|UPDATE|summary;x|comment;x|');
  await expectEditAt(h, 2, t0 + 30_000);
  await expectEditAt(h, 3, t0 + 120_000);
  assert.equal(h.store.queryLog({ guid: 'RA' })[0].status, 'Ok');
});

test('a 500 is retried at most 5 times, then Failed', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'S5');
  h.jira.script('editIssue', ...Array.from({ length: 7 }, () => httpError(500, { messages: ['NullPointerException'] })));
  await h.send('S5|UPDATE|summary;x|comment;x|');
  await runFor(h, 120_000, 1000);
  assert.equal(h.jira.callsOf('editIssue').length, 6, 'the first try and 5 retries');
  const row = h.store.queryLog({ guid: 'S5' })[0];
  assert.equal(row.status, 'Failed');
  assert.equal(row.error, 'gave up after 6 attempts: NullPointerException');
  assert.equal(h.engine.pendingCount(), 0);
});

test('a command still failing after retryForHours ends Failed ("gave up after N attempts")', async (t) => {
  const h = await harness(t, { config: { updates: { retryForHours: 1 } } });
  await ticketFor(h, 'GU');
  h.jira.script('editIssue', ...Array.from({ length: 100 }, () => httpError(503, { messages: ['Service Unavailable'] })));
  const t0 = h.clock.now();
  await h.send('GU|UPDATE|summary;x|comment;x|');
  await runFor(h, 2 * 3_600_000, 60_000);
  const calls = h.jira.callsOf('editIssue');
  const row = h.store.queryLog({ guid: 'GU' })[0];
  assert.equal(row.status, 'Failed');
  assert.equal(row.error, `gave up after ${calls.length} attempts: Service Unavailable`);
  const last = calls[calls.length - 1].at - t0;
  assert.ok(last >= 3_600_000 && last < 3_600_000 + 5 * 60_000, `last try at ${last} ms`);
  // 1+2+4+…+256 s, then every 5 minutes up to the hour.
  assert.equal(calls.length, 10 + Math.ceil((3_600_000 - 511_000) / 300_000));
});

test('401 pauses the whole queue with everything Pending; new credentials resume it', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'P1');
  await ticketFor(h, 'P2');
  h.jira.script('editIssue', httpError(401));
  await h.send('P1|UPDATE|summary;a|comment;a|');
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().paused, true);
  assert.ok(h.events.some((e) => e.type === 'paused' && /credentials/.test(e.reason)));
  await h.send('P2|UPDATE|summary;b|comment;b|', 'P3|CREATE|summary;new|');
  await runFor(h, 60_000, 10_000);
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'nothing is sent while paused');
  assert.equal(h.jira.callsOf('createIssue').length, 2);
  assert.equal(h.store.countLog({ status: 'Pending' }), 3);
  assert.match(h.store.queryLog({ guid: 'P1' })[0].error ?? '', /refused the credentials \(401\)/);
  h.engine.setCredentialsChanged();
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().paused, false);
  assert.equal(h.store.countLog({ status: 'Pending' }), 0);
  assert.deepEqual(h.jira.created().map((i) => i.comments), [['a'], ['b'], []]);
  assert.ok(h.events.some((e) => e.type === 'resumed'));
});

test('while paused, the credentials are checked every 5 minutes; sending resumes when they pass', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'Q1');
  h.jira.script('editIssue', httpError(403));
  h.jira.script('myself', httpError(401));
  const t0 = h.clock.now();
  await h.send('Q1|UPDATE|summary;a|comment;a|');
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().paused, true);
  await h.clock.advanceTo(t0 + 5 * 60_000);
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().connection.state, 'auth-refused');
  assert.equal(h.engine.getSnapshot().paused, true);
  assert.equal(h.jira.callsOf('editIssue').length, 1);
  await h.clock.advanceTo(t0 + 10 * 60_000);
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().paused, false);
  assert.equal(h.jira.callsOf('editIssue').length, 2);
  assert.equal(h.store.queryLog({ guid: 'Q1' })[0].status, 'Ok');
});

test('any other 4xx is final: Failed with Jira\'s errorMessages and errors', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'E1');
  h.jira.script('editIssue', httpError(400, { messages: ['Bad things'], fieldErrors: { customfield_10011: 'Number value expected' } }));
  await h.send('E1|UPDATE|Story Points;4|');
  await runFor(h, 10_000);
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'never retried');
  const row = h.store.queryLog({ guid: 'E1' })[0];
  assert.equal(row.status, 'Failed');
  assert.equal(row.error, 'Bad things; customfield_10011: Number value expected');
  assert.ok(h.events.some((e) => e.type === 'failed' && e.guid === 'E1'));
});

test('a status no transition leads to fails, listing the available ones', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'X1');
  await h.send('X1|UPDATE|status;Teleported|');
  await h.engine.whenIdle();
  const row = h.store.queryLog({ guid: 'X1' })[0];
  assert.equal(row.status, 'Failed');
  assert.match(row.error ?? '', /Teleported.*available: In Progress, Done/);
});

test('a CREATE refused for good fails the UPDATEs waiting on it, with a clear reason', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(400, { fieldErrors: { summary: 'Summary is required' } }));
  await h.send('CF|CREATE|summary;x|', 'CF|UPDATE|summary;a|comment;a|', 'CF|UPDATE|summary;b|comment;b|');
  await h.engine.whenIdle();
  const rows = h.store.queryLog({ guid: 'CF' }).reverse();
  assert.deepEqual(rows.map((r) => [r.action, r.status, r.lines]), [['Create', 'Failed', 1], ['Update', 'Failed', 2]]);
  assert.equal(rows[0].error, 'summary: Summary is required');
  assert.match(rows[1].error ?? '', /the CREATE of CF failed/);
  assert.equal(h.jira.callsOf('editIssue').length, 0);
  assert.equal(h.engine.pendingCount(), 0);
});

test('while paused, a recheck that is refused again tells nothing new: one auth-refused for the whole pause', async (t) => {
  const h = await harness(t);
  await ticketFor(h, 'Q2');
  h.jira.script('editIssue', httpError(401));
  h.jira.script('myself', httpError(401), httpError(401), httpError(401));
  const t0 = h.clock.now();
  await h.send('Q2|UPDATE|summary;a|comment;a|');
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().paused, true);
  const before = h.events.filter((e) => e.type === 'connection-changed').length;
  for (let i = 1; i <= 3; i++) {
    await h.clock.advanceTo(t0 + i * 5 * 60_000);
    await h.engine.whenIdle();
  }
  assert.equal(h.jira.callsOf('myself').length >= 3, true, 'the rechecks ran');
  const changes = h.events.filter((e) => e.type === 'connection-changed').slice(before)
    .map((e) => (e.type === 'connection-changed' ? e.connection.state : ''));
  assert.deepEqual(changes.filter((s) => s === 'checking'), [], 'a recheck does not announce itself');
  assert.ok(changes.filter((s) => s === 'auth-refused').length <= 1, `one refusal told, got ${changes.join(', ')}`);
  assert.equal(h.engine.getSnapshot().connection.state, 'auth-refused');
  // The fourth recheck passes: that change is told, and the queue resumes.
  await h.clock.advanceTo(t0 + 4 * 5 * 60_000);
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().connection.state, 'ok');
  assert.equal(h.engine.getSnapshot().paused, false);
});
