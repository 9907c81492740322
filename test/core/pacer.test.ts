// The pacer (pacer.ts) on fake time: one rate and one concurrency limit for every request,
// bursts of a second's worth, AIMD on Jira's answers, Retry-After pausing the scope a 429's
// RateLimit-Reason names, Data Center's bucket headers, the ceilings, and stopping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PAUSE_MS, Pacer, pauseFor, type PaceScope, type Permit } from '../../source/core/pacer.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { harness, runFor } from './engine-harness.js';
import { httpError } from '../helpers/fake-jira.js';

const create: PaceScope = { endpoint: 'createIssue', issue: null };
const edit = (issue: string): PaceScope => ({ endpoint: 'editIssue', issue });

/** Acquires n permits; returns the moments (ms after t0) each was granted. */
function grantTimes(pacer: Pacer, clock: FakeClock, n: number, scope = create, hold = false): { at: number[]; permits: Permit[] } {
  const t0 = clock.now();
  const at: number[] = [];
  const permits: Permit[] = [];
  for (let i = 0; i < n; i++) {
    void pacer.acquire(scope).then((p) => {
      at.push(clock.now() - t0);
      permits.push(p);
      if (!hold) pacer.release(p, { kind: 'other' });
    });
  }
  return { at, permits };
}

test('a second\'s worth goes at once, the rest at the rate: 25 requests at 10/s take 1.5 s', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 10, maxConcurrent: 100 });
  const { at } = grantTimes(pacer, clock, 25);
  await flush();
  assert.equal(at.length, 10);
  await clock.advance(1500);
  assert.equal(at.length, 25);
  assert.deepEqual(at.slice(10), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500]);
});

test('the concurrency limit: the third waits until one of two ends', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 100, maxConcurrent: 2 });
  const { at, permits } = grantTimes(pacer, clock, 3, create, true);
  await flush();
  assert.equal(at.length, 2);
  assert.equal(pacer.state().waiting, 1);
  pacer.release(permits[0], { kind: 'answered' });
  await flush();
  assert.equal(at.length, 3);
});

test('Retry-After pauses the scope its reason names: endpoint, issue, or the whole site', async () => {
  for (const [reason, blocked, free] of [
    ['jira-burst-based', [create], [edit('OPS-1')]],
    ['jira-per-issue-on-write', [edit('OPS-1')], [create, edit('OPS-2')]],
    [null, [create, edit('OPS-1'), edit('OPS-2')], []],
    ['jira-quota-tenant-based', [create, edit('OPS-2')], []],
  ] as const) {
    const clock = new FakeClock();
    const pacer = new Pacer(clock, { maxRequestsPerSecond: 100, maxConcurrent: 100 });
    const p = await pacer.acquire(reason === 'jira-per-issue-on-write' ? edit('OPS-1') : create);
    pacer.release(p, { kind: 'rate-limited', retryAfterMs: 5000, reason });
    const got: string[] = [];
    for (const scope of [...blocked, ...free]) void pacer.acquire(scope).then(() => got.push(`${scope.endpoint}:${scope.issue}`));
    await flush();
    assert.deepEqual(got, free.map((s) => `${s.endpoint}:${s.issue}`), `${reason}: only the others go`);
    await clock.advance(4999);
    assert.equal(got.length, free.length, `${reason}: nothing of the scope before 5 s`);
    await clock.advance(1);
    assert.equal(got.length, blocked.length + free.length, `${reason}: the scope goes after 5 s`);
  }
});

test('Retry-After: 0 still waits 1 s; a huge one is capped (and said so)', () => {
  assert.deepEqual(pauseFor(0), { ms: 1000, capped: false });
  assert.deepEqual(pauseFor(null), { ms: 1000, capped: false });
  assert.deepEqual(pauseFor(30_000), { ms: 30_000, capped: false });
  assert.deepEqual(pauseFor(365 * 86_400_000), { ms: MAX_PAUSE_MS, capped: true });
  assert.ok(MAX_PAUSE_MS < 2 ** 31 - 1);
});

test('AIMD: a 429 slows the pace, good answers bring it back to the ceiling and never past it', async () => {
  const clock = new FakeClock();
  const changes: string[] = [];
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 20, maxConcurrent: 10 }, { changed: (s, why) => changes.push(`${s.perSecond} ${why}`) });
  const p = await pacer.acquire(create);
  pacer.release(p, { kind: 'rate-limited', retryAfterMs: 1000, reason: 'jira-quota-tenant-based' });
  assert.equal(pacer.state().perSecond, 14);
  assert.equal(pacer.state().limitedByJira, true);
  assert.match(changes[0], /^14 Jira answered 429 \(jira-quota-tenant-based\)/);
  await clock.advance(1000);
  for (let i = 0; i < 200; i++) {
    const q = await pacer.acquire(create);
    pacer.release(q, { kind: 'answered' });
    await clock.advance(50);
  }
  assert.equal(pacer.state().perSecond, 20, 'back at the ceiling');
  assert.equal(pacer.state().limitedByJira, false);
  // A 429 for requests sent before the last decrease does not slow the pace again.
  const old = await pacer.acquire(create);
  const fresh = await pacer.acquire(create);
  pacer.release(fresh, { kind: 'rate-limited', retryAfterMs: 1000, reason: null });
  pacer.release(old, { kind: 'rate-limited', retryAfterMs: 1000, reason: null });
  assert.equal(pacer.state().perSecond, 14);
});

test('a burst 429 slows its endpoint only, a per-issue 429 its issue only; good answers bring each back to the site\'s pace', async () => {
  const clock = new FakeClock();
  const changes: string[] = [];
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 20, maxConcurrent: 100 }, { changed: (_s, why) => changes.push(why) });
  const p = await pacer.acquire(create);
  pacer.release(p, { kind: 'rate-limited', retryAfterMs: 1000, reason: 'jira-burst-based' });
  assert.deepEqual(pacer.state().endpoints, { createIssue: 14 }, 'POST /issue has a rate of its own');
  assert.equal(pacer.state().perSecond, 14, 'the pace shown is the slowest endpoint\'s');
  assert.equal(pacer.state().limitedByJira, true);
  assert.match(changes.at(-1) ?? '', /429 \(jira-burst-based\) for ep:createIssue/);
  await clock.advance(1000); // the endpoint's Retry-After
  // Measured in the second second of a long run (past the first second's burst): edits go at the
  // site's 20/s, CREATEs at their endpoint's 14/s.
  const inSecondSecond = (at: number[]) => at.filter((t) => t >= 1000 && t < 2000).length;
  const edits = grantTimes(pacer, clock, 80, edit('OPS-9'));
  await clock.advance(5000);
  assert.ok(inSecondSecond(edits.at) >= 19, `edits are not slowed by the CREATEs' limit (${inSecondSecond(edits.at)} a second)`);
  const creates = grantTimes(pacer, clock, 80, create);
  await clock.advance(7000);
  assert.ok(inSecondSecond(creates.at) <= 15, `CREATEs go at their endpoint's pace (${inSecondSecond(creates.at)} a second)`);
  // A per-issue 429 slows that issue, neither the site nor other issues.
  const q = await pacer.acquire(edit('OPS-1'));
  pacer.release(q, { kind: 'rate-limited', retryAfterMs: 1000, reason: 'jira-per-issue-on-write' });
  assert.equal(pacer.state().issues, 1);
  await clock.advance(1000);
  const one = grantTimes(pacer, clock, 10, edit('OPS-1'));
  const other = grantTimes(pacer, clock, 10, edit('OPS-2'));
  await clock.advance(500);
  assert.equal(other.at.length, 10, 'another issue goes at the site\'s pace');
  assert.ok(one.at.length <= 2, `the issue Jira limited is written about once a second (${one.at.length} of 10 in 0.5 s)`);
  // Jira's near-limit warning (whose limit, it does not say) slows the endpoint with its own rate too.
  const before = pacer.state().endpoints.createIssue;
  pacer.observe({ nearLimit: true, bucket: null });
  assert.ok(pacer.state().endpoints.createIssue < before, `a near-limit warning slows the endpoint (${before} → ${pacer.state().endpoints.createIssue})`);
  // Good answers: the endpoint's rate grows back to the site's and it has none of its own any more.
  for (let i = 0; i < 300 && Object.keys(pacer.state().endpoints).length > 0; i++) {
    const r = await pacer.acquire(create);
    pacer.release(r, { kind: 'answered' });
    await clock.advance(100);
  }
  assert.deepEqual(pacer.state().endpoints, {});
  assert.equal(pacer.state().perSecond, 20);
});

test('X-RateLimit-NearLimit slows the pace at most once a second; a per-issue 429 does not slow it', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 10, maxConcurrent: 10 });
  pacer.observe({ nearLimit: true, bucket: null });
  pacer.observe({ nearLimit: true, bucket: null });
  assert.equal(pacer.state().perSecond, 7);
  await clock.advance(1000);
  pacer.observe({ nearLimit: true, bucket: null });
  assert.equal(pacer.state().perSecond, 4.9);
  const p = await pacer.acquire(edit('OPS-1'));
  pacer.release(p, { kind: 'rate-limited', retryAfterMs: 1000, reason: 'jira-per-issue-on-write' });
  assert.equal(pacer.state().perSecond, 4.9);
});

test('Data Center\'s bucket headers set the pace (under the ceiling) and its remaining tokens', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 50, maxConcurrent: 100 });
  pacer.observe({ nearLimit: false, bucket: { limit: 20, remaining: 0, fillRate: 40, intervalSeconds: 2 } });
  assert.equal(pacer.state().perSecond, 20);
  assert.equal(pacer.state().limitedByJira, true);
  const { at } = grantTimes(pacer, clock, 3);
  await flush();
  assert.equal(at.length, 0, 'Jira said no token is left');
  await clock.advance(150);
  assert.deepEqual(at, [50, 100, 150]);
  const low = new Pacer(clock, { maxRequestsPerSecond: 5, maxConcurrent: 100 });
  low.observe({ nearLimit: false, bucket: { limit: 20, remaining: 20, fillRate: 40, intervalSeconds: 2 } });
  assert.equal(low.state().perSecond, 5, 'never above the configured ceiling');
});

test('stop rejects every waiting request, and any later one', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer(clock, { maxRequestsPerSecond: 1, maxConcurrent: 1 });
  await pacer.acquire(create);
  const waiting = pacer.acquire(create);
  pacer.stop(new Error('stopping'));
  await assert.rejects(waiting, /stopping/);
  await assert.rejects(pacer.acquire(create), /stopping/);
  assert.equal(clock.pendingTimers, 0);
});

test('property: never more requests at once than the limit, never more in any second than rate + a second\'s burst', () => {
  fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 60 }),
    async (rate, concurrent, durations) => {
      const clock = new FakeClock();
      const pacer = new Pacer(clock, { maxRequestsPerSecond: rate, maxConcurrent: concurrent });
      const starts: number[] = [];
      let inFlight = 0;
      let most = 0;
      for (const d of durations) {
        void pacer.acquire(create).then((p) => {
          starts.push(clock.now());
          most = Math.max(most, ++inFlight);
          clock.setTimeout(() => {
            inFlight--;
            pacer.release(p, { kind: 'other' });
          }, d);
        });
      }
      await clock.advance(100_000);
      assert.equal(starts.length, durations.length, 'every request went');
      assert.ok(most <= concurrent, `${most} at once`);
      for (const s of starts) assert.ok(starts.filter((x) => x >= s && x < s + 1000).length <= 2 * rate + 1);
    }), { numRuns: 40 });
});

test('engine: a command refused 429 again and again is never given up on nor backed off: it goes when Jira lets it', async (t) => {
  const h = await harness(t, { config: { updates: { retryForHours: 0.001 } } });
  const refusals = Array.from({ length: 8 }, () => httpError(429, { retryAfterMs: 2000 }));
  h.jira.script('createIssue', ...refusals);
  const t0 = h.clock.now();
  await h.send('P1|CREATE|summary;x|');
  await runFor(h, 20_000, 500);
  assert.equal(h.engine.status('P1')?.status, 'Ok', 'not Failed although retryForHours (3.6 s) passed');
  const times = h.jira.callsOf('createIssue').map((c) => c.at - t0);
  assert.deepEqual(times, [0, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000], 'each Retry-After, no growing back-off');
  const row = h.store.queryLog({ guid: 'P1' })[0];
  assert.equal(row.attempts, 1);
  assert.equal(row.error, null, 'refusals for rate are no error');
  assert.match(row.response ?? '', /met 8 refusal\(s\) for Jira's rate limit on the way \(not attempts\)/, 'the row view shows them');
});

test('engine: updates of an issue in its per-issue pause keep merging, and go as one request (one row, one slot) after it', async (t) => {
  const h = await harness(t);
  await h.send('M1|CREATE|summary;x|');
  await h.engine.whenIdle();
  h.jira.script('editIssue', httpError(429, { retryAfterMs: 5000, rateLimitReason: 'jira-per-issue-on-write' }));
  const t0 = h.clock.now();
  await h.send('M1|UPDATE|summary;first|comment;first|');
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'refused: the issue is in its pause');
  await h.clock.advance(2000);
  await h.send('M1|UPDATE|summary;second|comment;second|', 'M1|UPDATE|labels;+late|');
  await h.engine.whenIdle();
  await h.clock.advanceTo(t0 + 4999);
  await h.engine.whenIdle();
  assert.equal(h.jira.callsOf('editIssue').length, 1, 'nothing for the issue during its pause');
  await runFor(h, 2000, 500);
  assert.equal(h.jira.callsOf('editIssue').length, 2, 'one request carries all three lines');
  const issue = h.jira.created()[0];
  assert.deepEqual(issue.comments, ['first', 'second']);
  assert.ok((issue.fields.labels as string[]).includes('late'));
  const rows = h.store.queryLog({ guid: 'M1' });
  assert.equal(rows.length, 2, 'the CREATE row and one update row');
  assert.equal(rows[0].lines, 3);
  assert.equal(rows[0].status, 'Ok');
  assert.equal(h.engine.getSnapshot().throttle.used, 1, 'one throttle slot');
});
