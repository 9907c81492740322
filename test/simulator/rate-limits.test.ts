// The simulator rate-limits as Jira does (rate-limits.ts), on a fixed clock: Data Center's token
// bucket and its headers, Cloud's burst limit per endpoint and method, its per-issue write
// limit and near-limit warning, and a concurrency limit; and the flags that turn them on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointOf, RateLimiter } from '../../source/simulator/rate-limits.js';
import { simulatorOptions } from '../../source/simulator/run-simulator.js';
import { startSimulator } from '../../source/simulator/index.js';
import { call, createBody } from './sim-client.js';

const T0 = 1_800_000_000_000;

test('Data Center: a bucket of N tokens refilled N a second; its state on every answer; 429 with Retry-After once empty', () => {
  const limiter = new RateLimiter({ dataCenter: { capacity: 3, fillRate: 3, intervalSeconds: 1 } });
  const verdicts = [0, 1, 2, 3].map(() => limiter.check('POST', '/rest/api/2/issue', T0));
  assert.deepEqual(verdicts.map((v) => v.refusal?.status ?? 200), [200, 200, 200, 429]);
  assert.deepEqual(verdicts[0].headers, { 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '2', 'X-RateLimit-FillRate': '3',
    'X-RateLimit-Interval-Seconds': '1' });
  // A token is back in 334 ms: Data Center says 0 whole seconds (clients must still wait).
  assert.equal(verdicts[3].refusal?.headers?.['Retry-After'], '0');
  assert.equal(limiter.check('GET', '/rest/api/2/search', T0 + 334).refusal, null, 'refilled a third of a second later');
});

test('Cloud burst: per endpoint and method, with NearLimit under a fifth left and RateLimit-Reason on the 429', () => {
  const limiter = new RateLimiter({ burstPerSecond: 5 });
  const posts = [0, 1, 2, 3, 4, 5].map(() => limiter.check('POST', '/rest/api/3/issue', T0));
  assert.deepEqual(posts.map((v) => v.refusal?.status ?? 200), [200, 200, 200, 200, 200, 429]);
  assert.equal(posts[3].headers['X-RateLimit-NearLimit'], undefined, '1 of 5 left is not under a fifth');
  assert.equal(posts[4].headers['X-RateLimit-NearLimit'], 'true');
  const h = posts[5].refusal?.headers ?? {};
  assert.equal(h['RateLimit-Reason'], 'jira-burst-based');
  assert.equal(h['Retry-After'], '1');
  assert.equal(h['X-RateLimit-Reset'], new Date(T0 + 1000).toISOString());
  // Another endpoint, or another method on the same path, has its own budget.
  assert.equal(limiter.check('GET', '/rest/api/3/issue/OPS-1', T0).refusal, null);
  assert.equal(limiter.check('POST', '/rest/api/3/issue/OPS-1/comment', T0).refusal, null);
  assert.equal(endpointOf('POST', '/rest/api/2/issue/OPS-12/comment'), endpointOf('POST', '/rest/api/2/issue/DEMO-3/comment'));
});

test('Cloud per-issue write limit: writes to one issue are refused beyond it, other issues and reads go on', () => {
  const limiter = new RateLimiter({ issueWritesPerSecond: 2 });
  const writes = ['PUT /rest/api/3/issue/OPS-1', 'POST /rest/api/3/issue/OPS-1/comment', 'POST /rest/api/3/issue/OPS-1/transitions']
    .map((w) => limiter.check(w.split(' ')[0], w.split(' ')[1], T0));
  assert.deepEqual(writes.map((v) => v.refusal?.status ?? 200), [200, 200, 429]);
  assert.equal(writes[2].refusal?.headers?.['RateLimit-Reason'], 'jira-per-issue-on-write');
  assert.equal(limiter.check('PUT', '/rest/api/3/issue/OPS-2', T0).refusal, null);
  assert.equal(limiter.check('GET', '/rest/api/3/issue/OPS-1', T0).refusal, null);
  assert.equal(limiter.check('POST', '/rest/api/3/issue', T0).refusal, null, 'a create writes no existing issue');
});

test('a concurrency limit refuses the request beyond it while the others are being answered', () => {
  const limiter = new RateLimiter({ maxConcurrent: 2 });
  limiter.begin();
  limiter.begin();
  assert.equal(limiter.check('GET', '/rest/api/2/myself', T0).refusal, null);
  limiter.begin();
  assert.equal(limiter.check('GET', '/rest/api/2/myself', T0).refusal?.status, 429);
  limiter.done();
  assert.equal(limiter.check('GET', '/rest/api/2/myself', T0).refusal, null);
});

test('the simulator answers with the headers and refusals over HTTP; the flags turn the limits on', async () => {
  const opts = simulatorOptions(['--dc-rate-limit', '2', '--burst-limit', '10', '--issue-write-limit', '1', '--max-concurrent', '8',
    '--failure-status', '503,429', '--failure-writes-only']);
  assert.ok(opts !== 'help');
  assert.deepEqual(opts.faults?.rateLimits, { dataCenter: { capacity: 2, fillRate: 2, intervalSeconds: 1 }, burstPerSecond: 10,
    issueWritesPerSecond: 1, maxConcurrent: 8 });
  assert.deepEqual(opts.faults?.failureStatus, [503, 429]);
  assert.equal(opts.faults?.failureWritesOnly, true);
  assert.throws(() => simulatorOptions(['--dc-rate-limit', '2,x,1']), /--dc-rate-limit/);
  const sim = await startSimulator({ faults: { rateLimits: { dataCenter: { capacity: 2, fillRate: 1, intervalSeconds: 60 } } } });
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(sim.url, 'POST', '/rest/api/2/issue', createBody())).status);
    assert.deepEqual(statuses, [201, 201, 429]);
    assert.equal(sim.issues().length, 2, 'the refused create made nothing');
  } finally {
    await sim.close();
  }
});
