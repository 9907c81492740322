// The gate (engine-gate.ts) on fake time: while Jira is not answering (no answer, a gateway's
// 502 or 504; a 429 is the pacer's, see pacer.test.ts) one unit at a time probes on the back-off schedule and the rest wait
// untouched; any answer from Jira sends them all. Without the gate each of these would see
// every queued unit retrying on its own (the retry storm).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { JiraPort } from '../../source/core/ports.js';
import { harness, runFor, type Harness, type HarnessOptions } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeJira, httpError, networkError } from '../helpers/fake-jira.js';

/** A Jira that can be switched off: while down, every call fails as a refused connection does. */
interface Outage {
  down: boolean;
  /** Calls made while down: method and the moment (ms since the epoch). */
  refused: Array<{ method: string; at: number }>;
}

/** A harness whose engine reaches the FakeJira through an on/off switch. */
async function withOutage(t: TestContext, options: HarnessOptions = {}): Promise<Harness & { net: Outage }> {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const net: Outage = { down: false, refused: [] };
  const port = new Proxy(jira, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'browseUrl' || prop === 'close') return value;
      return (...args: unknown[]) => {
        if (!net.down) return (value as (...a: unknown[]) => unknown).apply(target, args);
        net.refused.push({ method: String(prop), at: clock.now() });
        return Promise.reject(networkError('network'));
      };
    },
  }) as JiraPort;
  const h = await harness(t, { ...options, clock, jira, port });
  return Object.assign(h, { net });
}

/** Advances fake time by `ms` and lets everything due run. */
async function step(h: Harness, ms: number): Promise<void> {
  await h.clock.advance(ms);
  await h.engine.whenIdle();
}

const createLines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}|CREATE|summary;alarm ${prefix}${i}|`);

test('Jira down: one probe per back-off step (1 s, 2 s, 4 s …), the other units held untouched', async (t) => {
  const h = await withOutage(t);
  h.net.down = true;
  await h.send('G0|CREATE|summary;first|');
  await h.engine.whenIdle();
  assert.equal(h.net.refused.length, 1, 'the first failure');
  assert.equal(h.engine.getSnapshot().connection.state, 'down');
  const replies = await h.send(...createLines('H', 50));
  assert.ok(replies.every((r) => r.startsWith('OK')));
  await h.engine.whenIdle();
  assert.equal(h.net.refused.length, 1, 'lines accepted while the gate is closed are held');
  let seen = 1;
  for (const delay of [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]) {
    await step(h, delay - 1);
    assert.equal(h.net.refused.length, seen, `no probe before the ${delay} ms step is over`);
    await step(h, 1);
    assert.equal(h.net.refused.length, seen + 1, `exactly one probe after ${delay} ms`);
    seen++;
  }
  const rows = h.store.queryLog({ limit: 100 });
  assert.equal(rows.length, 51);
  assert.ok(rows.every((r) => r.status === 'Pending'), 'everything stays Pending');
  // Each probe is a different held unit (held longest first), so no unit was tried twice, and
  // the units never probed were not touched: no attempt, no error, no retry time.
  const tried = rows.filter((r) => r.attempts > 0);
  assert.equal(tried.length, seen);
  assert.ok(rows.every((r) => r.attempts <= 1));
  for (const r of rows.filter((x) => x.attempts === 0)) assert.deepEqual([r.error, r.nextAttemptAt], [null, null]);
  assert.equal(h.events.filter((e) => e.type === 'retry').length, seen);
  await h.close();
  assert.equal(h.clock.pendingTimers, 0, 'stop() leaves no timer behind (the gate\'s included)');
});

test('Jira back: the probe succeeds, then every held unit goes at once, one ticket per GUID, in order', async (t) => {
  const h = await withOutage(t, { config: { updates: { maxUpdates: 1000 } } });
  h.net.down = true;
  await h.send('B0|CREATE|summary;first|');
  await h.engine.whenIdle();
  const guids = Array.from({ length: 20 }, (_, i) => `B${i + 1}`);
  // Each GUID: its CREATE, then two UPDATEs that must follow it (the second one merges in).
  for (const g of guids) await h.send(`${g}|CREATE|summary;${g}|`, `${g}|UPDATE|summary;a|comment;a|`);
  await h.send(...guids.map((g) => `${g}|UPDATE|status;Done|`));
  await step(h, 1000);
  assert.equal(h.net.refused.length, 2, 'the first failure and one probe');
  h.net.down = false;
  await step(h, 2000);
  // The probe's answer opened the gate: everything went without waiting for its own retry time.
  assert.equal(h.net.refused.length, 2);
  assert.equal(h.store.countLog({ status: 'Pending' }), 0);
  assert.equal(h.store.countLog({ status: 'Failed' }), 0);
  assert.equal(h.jira.created().length, 21);
  for (const g of ['B0', ...guids]) {
    const issues = h.jira.created().filter((i) => (i.fields.labels as string[]).includes(`jiraline-${g}`));
    assert.equal(issues.length, 1, `one ticket for ${g}`);
    if (g === 'B0') continue;
    assert.deepEqual(issues[0].comments, ['a']);
    assert.equal(issues[0].status, 'Done');
    const seq = h.jira.calls.filter((c) => c.args[0] === issues[0].key
      || (c.method === 'createIssue' && (c.args[0] as { fields: { summary: string } }).fields.summary === g)).map((c) => c.method);
    assert.deepEqual(seq, ['createIssue', 'editIssue', 'addComment', 'transitionTo'], g);
  }
  // The faces saw Jira go down, then come back — from the last good check, without a new one.
  const states = h.events.flatMap((e) => (e.type === 'connection-changed' ? [e.connection.state] : []));
  assert.deepEqual(states.slice(-3), ['ok', 'down', 'ok']);
  assert.equal(h.engine.getSnapshot().connection.state, 'ok');
  assert.equal(h.jira.callsOf('serverInfo').length, 1, 'the start\'s check only: none at the reopening');
});

test('a 429 with Retry-After 30 s is not for the gate: the pacer holds everything 30 s, Jira is not shown down, no check runs', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(429, { retryAfterMs: 30_000, messages: ['Rate limit exceeded'] }));
  const t0 = h.clock.now();
  await h.send('R0|CREATE|summary;limited|');
  await h.engine.whenIdle();
  const checks = h.jira.callsOf('serverInfo').length;
  await step(h, 10_000);
  await h.send(...createLines('R', 6).slice(1)); // accepted while the limit runs
  await h.engine.whenIdle();
  await h.clock.advanceTo(t0 + 29_999);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('createIssue').length, 1, 'nothing sent before Retry-After is over');
  assert.notEqual(h.engine.getSnapshot().connection.state, 'down', 'Jira answered: it is not down');
  assert.equal(h.engine.getSnapshot().pacing.waiting, 5, 'the five new CREATEs wait for the pacer');
  await h.clock.advanceTo(t0 + 30_000);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('createIssue').length, 7, 'then all, R0 once more — without a label search');
  assert.equal(h.jira.callsOf('search').length, 0);
  assert.equal(h.jira.callsOf('serverInfo').length, checks, 'no connection check at the reopening');
  assert.equal(h.store.countLog({ status: 'Ok' }), 6);
  assert.equal(h.jira.created().length, 6);
  assert.equal(h.store.queryLog({ guid: 'R0' })[0].attempts, 1, 'the refusal was not an attempt');
  assert.ok(!h.events.some((e) => e.type === 'retry'), 'and no retry');
});

test('a 500 does not close the gate, and as an answer it opens a closed one', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(502), httpError(500, { messages: ['NullPointerException'] }));
  await h.send('S0|CREATE|summary;x|');
  await h.engine.whenIdle();
  await h.send('S1|CREATE|summary;x|', 'S2|CREATE|summary;x|');
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('createIssue').length, 1, 'the 502 closed the gate: S1 and S2 are held');
  await step(h, 1000);
  // S1 probed and got a 500: Jira answered, so S2 and S0 went at once; S1 is retried as a 500 is.
  assert.equal(h.jira.callsOf('createIssue').length, 4);
  assert.deepEqual(['S0', 'S1', 'S2'].map((g) => h.engine.status(g)?.status), ['Ok', 'Pending', 'Ok']);
  assert.equal(h.engine.getSnapshot().connection.state, 'ok');
  // With the gate open, a 500 on one unit holds up no other.
  h.jira.script('createIssue', httpError(500));
  await h.send('S3|CREATE|summary;x|');
  await h.engine.whenIdle();
  await h.send('S4|CREATE|summary;x|');
  await h.engine.whenIdle();
  assert.equal(h.engine.status('S4')?.status, 'Ok', 'S4 went at once');
  assert.equal(h.engine.status('S3')?.status, 'Pending');
  assert.equal(h.engine.getSnapshot().connection.state, 'ok');
  await runFor(h, 5000);
  assert.equal(h.store.countLog({ status: 'Ok' }), 5);
  assert.equal(h.jira.created().length, 5);
});

test('retryForHours: held units still refused after their time end Failed ("gave up after N attempts")', async (t) => {
  const h = await withOutage(t, { config: { updates: { retryForHours: 1 } } });
  h.net.down = true;
  const t0 = h.clock.now();
  await h.send(...createLines('Y', 30));
  await runFor(h, 2 * 3_600_000, 60_000);
  const rows = h.store.queryLog({ limit: 100 });
  assert.equal(rows.length, 30);
  for (const r of rows) {
    assert.equal(r.status, 'Failed', r.guid ?? '');
    assert.equal(r.error, `gave up after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: request failed: network`);
  }
  assert.equal(h.engine.pendingCount(), 0);
  // They were sent at first together (the gate closes on the first failure); after that, one
  // probe per back-off step until the hour was up — not 30 units each retrying for an hour.
  const probes = h.net.refused.filter((c) => c.at > t0).length;
  assert.ok(probes <= 22, `${probes} probes`);
  // (A CREATE refused without an answer is looked up by its label before it is sent again:
  // its later attempts are searches.)
  assert.equal(rows.reduce((n, r) => n + r.attempts, 0), h.net.refused.length, 'an attempt is counted only for a request sent');
  const last = Math.max(...h.net.refused.map((c) => c.at)) - t0;
  assert.ok(last >= 3_600_000 && last < 3_600_000 + 6 * 60_000, `last probe at ${last} ms`);
});

test('an answer to checkConnection() or to a Manual Execute opens the gate', async (t) => {
  for (const opener of ['checkConnection', 'execute'] as const) {
    await t.test(opener, async (tt) => {
      const h = await withOutage(tt);
      h.net.down = true;
      await h.send('C0|CREATE|summary;x|');
      await h.engine.whenIdle();
      await h.send(...createLines('D', 5));
      await h.engine.whenIdle();
      assert.equal(h.net.refused.length, 1, 'the other lines are held');
      h.net.down = false;
      if (opener === 'checkConnection') {
        assert.equal((await h.engine.checkConnection()).state, 'ok');
      } else {
        const result = await h.engine.execute({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'by hand' } });
        assert.equal(result.ok, true);
      }
      await h.engine.whenIdle();
      // No time passed: the answer itself opened the gate (C0 waits for its own retry time).
      assert.deepEqual(['D0', 'D1', 'D2', 'D3', 'D4'].map((g) => h.engine.status(g)?.status), Array(5).fill('Ok'));
      assert.equal(h.engine.status('C0')?.status, 'Pending');
      await step(h, 1000);
      assert.equal(h.engine.status('C0')?.status, 'Ok');
      assert.equal(h.engine.getSnapshot().connection.state, 'ok');
    });
  }
});

test('a held update takes no throttle slot; the probe takes one when it starts', async (t) => {
  const h = await withOutage(t, { config: { updates: { maxUpdates: 2, intervalSeconds: 60 } } });
  await h.send(...['U1', 'U2', 'U3'].map((g) => `${g}|CREATE|summary;${g}|`));
  await h.engine.whenIdle();
  h.net.down = true;
  await h.send('U1|UPDATE|summary;a|comment;a|');
  await h.engine.whenIdle();
  await h.send('U2|UPDATE|summary;b|comment;b|', 'U3|UPDATE|summary;c|comment;c|');
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().throttle.used, 1, 'only U1, which was sent');
  assert.equal(h.net.refused.length, 1);
  h.net.down = false;
  await step(h, 1000);
  // U2 probed (a slot), the gate opened, U1's retry reused its slot, U3 waits for the window.
  assert.equal(h.engine.getSnapshot().throttle.used, 2);
  assert.deepEqual(['U1', 'U2', 'U3'].map((g) => h.engine.status(g)?.status), ['Ok', 'Ok', 'Pending']);
  await runFor(h, 60_000, 10_000);
  assert.equal(h.engine.status('U3')?.status, 'Ok');
});

test('a refusal of a unit that was with Jira before the gate closed does not hold the next probe back', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  // X: an update with 9 failed attempts behind it (its next retry is 5 minutes off), stored
  // by an earlier run, its ticket made.
  const first = await harness(t, { clock, jira, noStart: true });
  const made = { id: '10900', key: 'OPS-900' };
  // Made by jiraline, so it carries the GUID's label (an update checks it before writing).
  jira.issues.set(made.key, { ...made, fields: { summary: 'x', labels: ['jiraline-X'] }, comments: [], status: 'To Do' });
  const ticket = { guid: 'X', ticketId: made.id, ticketKey: made.key, ticketUrl: jira.browseUrl(made.key) };
  first.store.setTicket(ticket);
  const now = clock.now();
  const logId = first.store.insertLog({ type: 'Automatic', action: 'Update', time: now, guid: 'X', status: 'Pending', ticketId: made.id,
    ticketKey: made.key, ticketUrl: ticket.ticketUrl, error: null, lines: 1, request: null, response: null, attempts: 9, nextAttemptAt: now });
  first.store.insertCommand({ type: 'Automatic', kind: 'update', guid: 'X', line: 'X|UPDATE|summary;y|', payload: null, state: 'queued',
    attempts: 9, nextAttemptAt: now, acceptedAt: now, firstSentAt: now, logId, throttleCounted: true });
  await first.close();

  const h = await harness(t, { clock, jira, temp: first.temp, noStart: true });
  const releaseEdit = jira.hold('editIssue');
  jira.script('editIssue', httpError(502));
  await h.engine.start();
  await waitUntil(() => jira.callsOf('editIssue').length === 1, 'X is with Jira');
  jira.script('createIssue', httpError(502), httpError(502), httpError(502));
  await h.send('Y|CREATE|summary;y|');
  await waitUntil(() => h.engine.getSnapshot().connection.state === 'down', 'Y\'s 502 closes the gate');
  const releaseProbe = jira.hold('createIssue');
  await clock.advance(1000);
  await waitUntil(() => jira.callsOf('createIssue').length === 2, 'the probe is with Jira');
  releaseEdit(); // X's 502 comes back during the probe: X retries in 5 minutes
  await waitUntil(() => h.store.queryLog({ guid: 'X' })[0].attempts === 10, 'X refused');
  releaseProbe(); // the probe is refused too: the gate waits 2 s
  await waitUntil(() => h.events.filter((e) => e.type === 'retry' && e.guid === 'Y').length === 2, 'the probe refused');
  await clock.advance(2000);
  await waitUntil(() => jira.callsOf('createIssue').length === 3, 'the next probe, 2 s later');
  assert.equal(jira.callsOf('editIssue').length, 1, 'X itself waits for its own 5 minutes');
});

test('one outage is one "down": the check that fails and the gate it closes do not each report it', async (t) => {
  const h = await harness(t, { noStart: true });
  const unreached = Array.from({ length: 50 }, () => networkError('unreached'));
  for (const method of ['serverInfo', 'myself', 'createIssue', 'search'] as const) h.jira.script(method, ...unreached);
  await h.engine.start();
  await h.engine.whenIdle();
  const states = h.events.flatMap((e) => (e.type === 'connection-changed' ? [e.connection] : []));
  assert.deepEqual(states.map((c) => c.state), ['checking', 'down']);
  const since = h.engine.getSnapshot().connection;
  // Still down at the next failures: the faces (and the daemon's log) are not told again, and "since" stays.
  await h.engine.checkConnection();
  await h.send('D1|CREATE|summary;x|');
  await h.engine.whenIdle();
  const downs = h.events.flatMap((e) => (e.type === 'connection-changed' && e.connection.state !== 'checking' ? [e.connection.state] : []));
  assert.deepEqual(downs, ['down'], 'one outage, one down');
  const now = h.engine.getSnapshot().connection;
  assert.equal(now.state, 'down');
  if (now.state === 'down' && since.state === 'down') assert.equal(now.checkedAt, since.checkedAt, 'down since the first failure');
});
