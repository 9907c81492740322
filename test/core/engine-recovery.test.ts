// Exactly one ticket per GUID across crashes and lost answers: a CREATE whose
// outcome is unknown is looked up by its label and adopted only on a real label match.
// See docs/architecture.md#recovery-after-a-crash-and-stopping.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeJira, httpError, networkError } from '../helpers/fake-jira.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';

test('a CREATE in flight when the engine died is found by its label and adopted: one ticket', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  assert.equal(await first.engine.submitLine('K1|CREATE|summary;db01 down|comment;paged|'), 'OK K1 queued');
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  await first.close(); // the "crash": the store still says in flight
  release(); // Jira made the ticket, but nobody heard the answer
  await flush(10);
  assert.equal(jira.created().length, 1);

  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('createIssue').length, 1, 'not sent again');
  assert.equal(jira.callsOf('search').length, 1);
  assert.match(String(jira.callsOf('search')[0].args[0]), /labels = "jiraline-K1"/);
  assert.deepEqual(second.engine.status('K1'), { guid: 'K1', status: 'Ok', ticketKey: 'OPS-1', ticketUrl: 'https://jira.example.test/browse/OPS-1' });
  assert.ok(second.events.some((e) => e.type === 'adopted' && e.ticketKey === 'OPS-1'));
  assert.deepEqual(jira.created()[0].comments, ['paged'], 'the CREATE\'s comment still follows');
  assert.equal(second.engine.getSnapshot().stats.created.total, 1);
  const rows = second.store.queryLog({});
  assert.equal(rows.length, 1);
  assert.equal(rows[0].status, 'Ok');
  assert.equal(rows[0].ticketKey, 'OPS-1');
});

test('a search hit that does not really carry the label is never adopted: the CREATE is sent', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  await first.engine.submitLine('K2|CREATE|summary;fan failure|');
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  await first.close();
  jira.script('createIssue', networkError('network')); // the request never got there
  release();
  await flush(10);
  assert.equal(jira.created().length, 0);
  // A search that answers with other issues (a fuzzy match, another GUID's, a bad field).
  jira.decoys = [
    { id: '20001', key: 'OPS-901', fields: { labels: ['jiraline-K2x'] } },
    { id: '20002', key: 'OPS-902', fields: { labels: 'jiraline-K2' } },
    { id: '20003', key: 'OPS-903', fields: {} },
  ];
  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('search').length, 1);
  assert.equal(jira.callsOf('createIssue').length, 2);
  assert.equal(jira.created().length, 1);
  assert.equal(second.engine.status('K2')?.ticketKey, 'OPS-1');
  assert.ok(!second.events.some((e) => e.type === 'adopted'));
});

test('a CREATE whose answer was lost (timeout) is looked up before it is retried', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', { after: networkError('timeout') });
  await h.send('K3|CREATE|summary;x|status;Done|');
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 1, 'Jira made it');
  assert.equal(h.engine.status('K3')?.status, 'Pending');
  await runFor(h, 2000, 500);
  assert.equal(h.jira.callsOf('createIssue').length, 1);
  assert.equal(h.jira.created().length, 1);
  assert.equal(h.engine.status('K3')?.status, 'Ok');
  assert.equal(h.jira.created()[0].status, 'Done');
});

// Only an unknown outcome is looked up: a refusal Jira answered made nothing, so a label search
// before the resend would only add load (and on a rate-limited Jira be refused itself).
for (const [what, error, lookedUp] of [
  ['a 503', httpError(503), false],
  ['a 429', httpError(429, { retryAfterMs: 1000 }), false],
  ['a 500', httpError(500), false],
  ['a refused connection (nothing written)', networkError('unreached'), false],
  ['a 502 (a gateway may have forwarded it)', httpError(502), true],
  ['a 504 (a gateway may have forwarded it)', httpError(504), true],
  ['a timeout after the request was written', networkError('timeout'), true],
  ['a connection lost after the request was written', networkError('network'), true],
] as const) {
  test(`a CREATE refused with ${what} is sent again ${lookedUp ? 'after' : 'without'} a lookup`, async (t) => {
    const h = await harness(t);
    h.jira.script('createIssue', error);
    await h.send('K4|CREATE|summary;x|');
    await runFor(h, 3000, 500);
    assert.deepEqual(h.jira.calls.filter((c) => c.method === 'createIssue' || c.method === 'search').map((c) => c.method),
      lookedUp ? ['createIssue', 'search', 'createIssue'] : ['createIssue', 'createIssue']);
    assert.equal(h.jira.created().length, 1);
    assert.equal(h.engine.status('K4')?.status, 'Ok');
  });
}

test('open commands survive a restart and go in accept order: the CREATE, then its UPDATE', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira, noStart: true });
  await first.send('O1|CREATE|summary;x|');
  await first.send('O1|UPDATE|summary;after create|comment;after create|');
  await first.close();
  const second = await harness(t, { clock, jira, temp: first.temp, noStart: true });
  assert.equal(second.engine.pendingCount(), 2);
  // Accepted before start: the pending CREATE is known, so this is an update, not a refusal.
  assert.equal(await second.engine.submitLine('O1|UPDATE|summary;third|comment;third|'), 'OK O1 queued');
  await second.engine.start();
  await second.engine.whenIdle();
  assert.deepEqual(jira.calls.filter((c) => c.method === 'createIssue' || c.method === 'editIssue').map((c) => c.method),
    ['createIssue', 'editIssue']);
  assert.deepEqual(jira.created()[0].comments, ['after create', 'third']);
});

test('an update in flight at the crash is sent again after the restart', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  await first.send('U9|CREATE|summary;x|');
  await first.engine.whenIdle();
  const release = jira.hold('editIssue');
  await first.send('U9|UPDATE|priority;High|');
  await waitUntil(() => jira.callsOf('editIssue').length === 1, 'the edit is with Jira');
  await first.close();
  jira.script('editIssue', networkError('network'));
  release();
  await flush(10);
  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.deepEqual(jira.created()[0].fields.priority, { name: 'High' });
  assert.equal(second.store.queryLog({ guid: 'U9' })[0].status, 'Ok');
});

test('a Manual Execute in flight at the crash ends Failed as "outcome unknown", never Pending forever', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  void first.engine.execute({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'manual' } });
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  await first.close();
  release();
  const second = await harness(t, { clock, jira, temp: first.temp });
  const [row] = second.store.queryLog({});
  assert.equal(row.type, 'Manual');
  assert.equal(row.status, 'Failed');
  assert.match(row.error ?? '', /outcome unknown/);
  assert.equal(second.engine.pendingCount(), 0);
});

/**
 * A Jira Cloud whose search finds a new issue only `lagMs` after it was made: a CREATE is made
 * there, the engine dies before hearing the answer, and a second engine starts on the same
 * directory (by hand: the harness would wait for an idle engine, and this one waits on the
 * fake clock) and has made its first lookup.
 */
async function cloudCrashAfterCreate(t: TestContext, guid: string, lagMs: number) {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  jira.deploymentType = 'Cloud';
  jira.searchLagMs = lagMs;
  const first = await harness(t, { clock, jira });
  first.store.setMeta('serverInfo', JSON.stringify({ deploymentType: 'Cloud', version: '1001.0.0', baseUrl: jira.baseUrl }));
  const release = jira.hold('createIssue');
  await first.engine.submitLine(`${guid}|CREATE|summary;made just before the crash|`);
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  await first.close();
  release(); // Jira made the ticket; the answer was lost with the process
  await flush(10);
  const second = await harness(t, { clock, jira, temp: first.temp, noStart: true });
  await second.engine.start();
  await waitUntil(() => jira.callsOf('search').length === 1, 'the first lookup');
  return { clock, jira, second };
}

test('on Jira Cloud a lookup that finds nothing is made once more before the CREATE is sent again (the search index trails)', async (t) => {
  const { clock, jira, second } = await cloudCrashAfterCreate(t, 'C1', 5_000);
  await flush(10);
  assert.equal(jira.callsOf('createIssue').length, 1, 'not sent again while the index may trail');
  await clock.advance(14_000);
  await flush(10);
  assert.equal(jira.callsOf('search').length, 1, 'the second lookup waits its time');
  await clock.advance(1_000);
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('search').length, 2, 'looked up once more');
  assert.equal(jira.callsOf('createIssue').length, 1, 'found the second time: still one ticket');
  assert.equal(jira.created().length, 1);
  assert.equal(second.engine.status('C1')?.ticketKey, 'OPS-1');
  assert.ok(second.events.some((e) => e.type === 'adopted'));
});

test('stopping during that second lookup\'s wait ends at once and leaves the CREATE to the next start', async (t) => {
  const { clock, jira, second } = await cloudCrashAfterCreate(t, 'C2', 60_000);
  await second.engine.stop(60_000); // the fake clock never reaches the grace: only the wait's end lets this resolve
  assert.equal(clock.pendingTimers, 0, 'the wait\'s timer is cleared with it');
  assert.equal(jira.callsOf('search').length, 1, 'no second lookup');
  assert.equal(jira.callsOf('createIssue').length, 1, 'no POST while stopping');
  assert.equal(second.store.openCommands().length, 1, 'the CREATE is still open for the next start');
});
