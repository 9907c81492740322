// The log and its retention, the statistics across midnight, Manual
// Execute, the snapshot the panes read, and stop().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { FakeJira, httpError } from '../helpers/fake-jira.js';

const at = (s: string) => new Date(s).getTime();

test('a row shows the accept time while it waits, then the first-send time, the ticket and its URL', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1, intervalSeconds: 60 } } });
  await h.send('L1|CREATE|summary;x|');
  await h.engine.whenIdle();
  await h.send('L1|UPDATE|comment;one|');
  await h.clock.advance(5000);
  const accepted = h.clock.now();
  await h.send('L1|UPDATE|comment;two|');
  await h.engine.whenIdle();
  let row = h.store.queryLog({ guid: 'L1' })[0];
  assert.equal(row.status, 'Pending');
  assert.equal(row.time, accepted);
  assert.equal(row.type, 'Automatic');
  assert.equal(row.action, 'Update');
  await runFor(h, 60_000, 5000);
  row = h.store.queryLog({ guid: 'L1' })[0];
  assert.equal(row.status, 'Ok');
  assert.equal(row.time, accepted + 55_000, 'first sent when the window freed');
  assert.equal(row.ticketKey, 'OPS-1');
  assert.equal(row.ticketId, '10001');
  assert.equal(row.ticketUrl, 'https://jira.example.test/browse/OPS-1');
  assert.ok(row.request?.includes('"two"'));
  const create = h.store.queryLog({ guid: 'L1' })[2];
  assert.equal(create.action, 'Create');
  assert.deepEqual(JSON.parse(create.request ?? 'null').fields.labels, ['jiraline-L1']);
  assert.deepEqual(JSON.parse(create.response ?? 'null'), { status: 201, id: '10001', key: 'OPS-1' });
});

test('maxEntries: each insert drops the oldest finished rows; Pending rows are never pruned', async (t) => {
  const h = await harness(t, { config: { log: { maxEntries: 3 } } });
  for (let i = 1; i <= 5; i++) {
    await h.send(`P${i}|CREATE|summary;s${i}|`);
    await h.engine.whenIdle();
  }
  assert.deepEqual(h.store.queryLog({}).map((r) => r.guid), ['P5', 'P4', 'P3']);
  assert.ok(h.events.some((e) => e.type === 'pruned'));
  // Five Pending rows (Jira refuses the credentials): all kept, above the cap.
  h.jira.script('createIssue', ...Array.from({ length: 5 }, () => httpError(401)));
  await h.send(...['Q1', 'Q2', 'Q3', 'Q4', 'Q5'].map((g) => `${g}|CREATE|summary;x|`));
  await h.engine.whenIdle();
  assert.equal(h.store.countLog({ status: 'Pending' }), 5);
  assert.equal(h.store.countLog(), 5);
  h.engine.setCredentialsChanged();
  await h.engine.whenIdle();
  await h.send('Q6|CREATE|summary;x|');
  await h.engine.whenIdle();
  assert.deepEqual(h.store.queryLog({}).map((r) => r.guid), ['Q6', 'Q5', 'Q4']);
});

test('removeOlderThanDays: old finished rows go every 24 hours; Pending rows stay', async (t) => {
  const h = await harness(t, { config: { log: { removeOlderThanDays: 1 } } });
  await h.send('A1|CREATE|summary;old|');
  await h.engine.whenIdle();
  // Refused credentials hold A2 (and A3 later) Pending for the whole test.
  h.jira.script('createIssue', httpError(403));
  h.jira.script('myself', ...Array.from({ length: 1000 }, () => httpError(401)));
  await h.send('A2|CREATE|summary;held|');
  await h.engine.whenIdle();
  await h.clock.advance(24 * 3_600_000);
  await h.engine.whenIdle();
  assert.equal(h.store.countLog(), 2, 'exactly one day old is not older than a day');
  await h.clock.advance(12 * 3_600_000);
  await h.send('A3|CREATE|summary;new|');
  await h.engine.whenIdle();
  await h.clock.advance(12 * 3_600_000);
  await h.engine.whenIdle();
  // The second daily prune: A1 (48 h old) goes; A2 is still Pending; A3 is 12 h old.
  assert.deepEqual(h.store.queryLog({}).map((r) => `${r.guid}:${r.status}`).sort(), ['A2:Pending', 'A3:Pending']);
  assert.ok(h.events.some((e) => e.type === 'pruned' && e.rows === 1));
});

test('rows older than removeOlderThanDays are pruned at start', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira, config: { log: { removeOlderThanDays: 2 } } });
  await first.send('S1|CREATE|summary;x|');
  await first.engine.whenIdle();
  await first.close();
  clock.advanceTo(clock.now() + 3 * 24 * 3_600_000);
  const second = await harness(t, { clock, jira, temp: first.temp, config: { log: { removeOlderThanDays: 2 } } });
  assert.equal(second.store.countLog(), 0);
  assert.ok(second.events.some((e) => e.type === 'pruned' && e.rows === 1));
});

test('statistics roll over at local midnight: today becomes yesterday without any other change', async (t) => {
  const clock = new FakeClock(at('2026-11-28T22:00:00'));
  const h = await harness(t, { clock, config: { updates: { maxUpdates: 100 } } });
  await h.send('D1|CREATE|summary;a|', 'D2|CREATE|summary;b|');
  await h.engine.whenIdle();
  await h.send('D1|UPDATE|comment;x|');
  await h.engine.whenIdle();
  let s = h.engine.getSnapshot().stats;
  assert.deepEqual([s.created, s.updated, s.total], [
    { total: 2, today: 2, yesterday: 0 }, { total: 1, today: 1, yesterday: 0 }, { total: 3, today: 3, yesterday: 0 }]);
  await clock.advanceTo(at('2026-11-28T23:59:59'));
  assert.equal(h.engine.getSnapshot().stats.created.today, 2);
  let told = 0;
  h.engine.subscribe(() => told++);
  await clock.advanceTo(at('2026-11-29T00:00:00'));
  assert.ok(told > 0, 'the panes are told at midnight');
  s = h.engine.getSnapshot().stats;
  assert.deepEqual(s.created, { total: 2, today: 0, yesterday: 2 });
  assert.deepEqual(s.total, { total: 3, today: 0, yesterday: 3 });
  await h.send('D3|CREATE|summary;c|');
  await h.engine.whenIdle();
  s = h.engine.getSnapshot().stats;
  assert.deepEqual(s.created, { total: 3, today: 1, yesterday: 2 });
  assert.equal(s.days.length, 14);
  assert.deepEqual(s.days.slice(-2), [{ day: '2026-11-28', created: 2, updated: 1 }, { day: '2026-11-29', created: 1, updated: 0 }]);
});

test('resetStats clears the daily counters, the totals, or both', async (t) => {
  const h = await harness(t);
  await h.send('Z1|CREATE|summary;a|');
  await h.engine.whenIdle();
  await h.engine.resetStats('daily');
  let s = h.engine.getSnapshot().stats;
  assert.deepEqual(s.created, { total: 1, today: 0, yesterday: 0 });
  await h.send('Z2|CREATE|summary;b|');
  await h.engine.whenIdle();
  await h.engine.resetStats('totals');
  s = h.engine.getSnapshot().stats;
  assert.deepEqual(s.created, { total: 0, today: 1, yesterday: 0 });
  await h.engine.resetStats('both');
  s = h.engine.getSnapshot().stats;
  assert.deepEqual(s.total, { total: 0, today: 0, yesterday: 0 });
});

test('Manual Execute sends at once, past a full throttle and busy queue, and is logged as Manual', async (t) => {
  const h = await harness(t, { config: { updates: { maxUpdates: 1, intervalSeconds: 3600 } } });
  await h.send('B1|CREATE|summary;x|', 'B2|CREATE|summary;y|');
  await h.engine.whenIdle();
  await h.send('B1|UPDATE|comment;takes the slot|', 'B2|UPDATE|comment;waits an hour|');
  await h.engine.whenIdle();
  const result = await h.engine.execute({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'by hand' } });
  assert.deepEqual(result, { ok: true, logId: result.logId, ticketId: '10003', ticketKey: 'OPS-3', ticketUrl: 'https://jira.example.test/browse/OPS-3' });
  const row = h.engine.getLogRow(result.logId)!;
  assert.deepEqual([row.type, row.action, row.status, row.guid, row.ticketKey], ['Manual', 'Create', 'Ok', null, 'OPS-3']);
  assert.equal(h.engine.getSnapshot().stats.created.today, 3);
  assert.equal(h.engine.getSnapshot().throttle.used, 1);

  h.jira.script('createIssue', httpError(400, { messages: ['Bad request'], fieldErrors: { summary: 'You must specify a summary of the issue.' } }));
  const bad = await h.engine.execute({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' } } });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.deepEqual(bad.fieldErrors, { summary: 'You must specify a summary of the issue.' });
    assert.deepEqual(bad.messages, ['Bad request']);
    assert.equal(bad.error, 'Bad request; summary: You must specify a summary of the issue.');
    const failed = h.engine.getLogRow(bad.logId)!;
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.error, bad.error);
  }
});

test('the snapshot is the same object until something changes, and subscribers are told', async (t) => {
  const h = await harness(t);
  const a = h.engine.getSnapshot();
  assert.equal(h.engine.getSnapshot(), a);
  let told = 0;
  const off = h.engine.subscribe(() => told++);
  await h.send('V1|CREATE|summary;x|');
  await flush();
  assert.ok(told > 0);
  const b = h.engine.getSnapshot();
  assert.notEqual(b, a);
  assert.ok(b.logVersion > a.logVersion);
  await h.engine.whenIdle();
  const c = h.engine.getSnapshot();
  assert.equal(c.queueDepth, 0);
  assert.equal(c.logCount, 1);
  assert.equal(h.engine.getSnapshot(), c);
  off();
  const before = told;
  await h.send('V1|UPDATE|comment;x|');
  await flush();
  assert.equal(told, before, 'unsubscribed');
});

test('stop(): lines are refused, a request under way is ended at once (not waited for), its CREATE kept open', async (t) => {
  const h = await harness(t);
  const release = h.jira.hold('createIssue');
  await h.send('ST|CREATE|summary;x|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 1, 'the create is with Jira');
  const signal = (h.jira.callsOf('createIssue')[0].call as { signal?: AbortSignal } | undefined)?.signal;
  assert.ok(signal instanceof AbortSignal && !signal.aborted, 'the stop signal goes with the request into the port');
  const stopped = h.engine.stop(10_000);
  assert.match(await h.engine.submitLine('ST2|CREATE|summary;y|'), /^ERR ST2 .*stopping/);
  // Jira never answers and the fake clock never reaches the 10 s: only ending the request at once lets stop() resolve.
  await stopped;
  assert.equal(signal.aborted, true, 'the port was told to end the request');
  assert.equal(h.store.queryLog({ guid: 'ST' })[0].status, 'Pending');
  assert.deepEqual(h.store.openCommands().map((c) => c.guid), ['ST'], 'kept for the next start (which looks it up by its label)');
  release();
});

test('connection: start checks serverInfo and myself and keeps the field catalogue', async (t) => {
  const h = await harness(t, { catalogue: false });
  const c = h.engine.getSnapshot().connection;
  assert.equal(c.state, 'ok');
  if (c.state === 'ok') assert.equal(c.user.displayName, 'Ops Bot');
  assert.ok(h.engine.catalogue()?.some((f) => f.id === 'customfield_10010'));
  assert.ok(h.store.getMeta('catalogue')?.includes('Story Points'));
  h.jira.script('serverInfo', httpError(503));
  const down = await h.engine.checkConnection();
  assert.equal(down.state, 'down');
  assert.ok(h.events.some((e) => e.type === 'connection-changed' && e.connection.state === 'down'));
});

test('finished commands leave the queue table at once; STATUS answers from the log and the ticket', async (t) => {
  const h = await harness(t, { config: { log: { maxEntries: 1 } } });
  h.jira.script('createIssue', httpError(400, { messages: ['No such project'] }));
  await h.send('F1|CREATE|summary;x|');
  await h.engine.whenIdle();
  const hold = h.jira.hold('createIssue');
  await h.send('F2|CREATE|summary;y|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 2, 'F2 is with Jira');
  // Open in the store (its in-flight mark waits for the outcome: a restart looks every open CREATE up).
  assert.ok(['queued', 'inflight'].includes(h.store.latestCommandFor('F2')?.state ?? 'gone'), 'an open command is kept');
  assert.deepEqual(h.engine.status('F2'), { guid: 'F2', status: 'Pending', ticketKey: null, ticketUrl: null });
  hold();
  await h.engine.whenIdle();
  assert.equal(h.store.latestCommandFor('F1'), undefined);
  assert.equal(h.store.latestCommandFor('F2'), undefined);
  // F1's row was pruned by the cap of 1 and it has no ticket: unknown now. F2 has its ticket.
  assert.equal(h.engine.status('F1'), null);
  assert.deepEqual(h.engine.status('F2'), { guid: 'F2', status: 'Ok', ticketKey: 'OPS-1', ticketUrl: 'https://jira.example.test/browse/OPS-1' });
});

test('STATUS of a Failed command carries its reason (the log row\'s Error Message); Ok and Pending carry none', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(400, { fieldErrors: { priority: 'Option value \'Urgent\' is not valid' } }));
  await h.send('S1|CREATE|summary;x|priority;Urgent|');
  await h.send('S2|CREATE|summary;y|');
  await h.engine.whenIdle();
  const failed = h.engine.status('S1');
  assert.equal(failed?.status, 'Failed');
  assert.equal(failed?.error, h.store.queryLog({ guid: 'S1' })[0].error);
  assert.match(failed?.error ?? '', /Option value 'Urgent' is not valid/);
  assert.deepEqual(h.engine.status('S2'), { guid: 'S2', status: 'Ok', ticketKey: 'OPS-1', ticketUrl: 'https://jira.example.test/browse/OPS-1' });
});

test('refused credentials from the environment: the pause and the connection name the environment, which outranks auth set', async (t) => {
  const h = await harness(t, { credentialSource: 'environment', noStart: true });
  h.jira.script('serverInfo', httpError(401));
  await h.engine.start();
  await h.engine.whenIdle();
  const c = h.engine.getSnapshot().connection;
  assert.equal(c.state, 'auth-refused');
  if (c.state === 'auth-refused') {
    assert.match(c.error, /^Jira refused the credentials \(401\): correct or unset JIRALINE_USER\/JIRALINE_PASSWORD or JIRALINE_AUTH_KEY where jiraline is started, and restart it \(they were taken from the environment, which outranks jiraline auth set\)/);
  }
  h.jira.script('createIssue', httpError(401));
  await h.send('E1|CREATE|summary;x|');
  await h.engine.whenIdle();
  assert.match(h.store.queryLog({ guid: 'E1' })[0].error ?? '', /taken from the environment/);
  const paused = h.events.find((e) => e.type === 'paused');
  assert.match(paused?.type === 'paused' ? paused.reason : '', /JIRALINE_PASSWORD/);
});
