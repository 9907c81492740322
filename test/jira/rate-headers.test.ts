// The client hands Jira's rate-limit headers to the pacer: Data Center's bucket on every answer
// (observeRate), a 429's RateLimit-Reason and Retry-After on its JiraError — against the
// simulator's rate limits, over real HTTP on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JiraError } from '../../source/core/jira-error.js';
import type { RateHeaders } from '../../source/core/pacer.js';
import { createJiraClient } from '../../source/jira/index.js';
import { rateHeaders, resetAfterMs } from '../../source/jira/rate-headers.js';
import { startSimulator } from '../../source/simulator/index.js';

const body = { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'paced' } };

test('Data Center: every answer\'s bucket reaches the listener; the 429 when it is empty carries Retry-After 0', async () => {
  // The simulator's clock holds still: no token comes back between the requests, however slow the machine.
  const sim = await startSimulator({ faults: { rateLimits: { dataCenter: { capacity: 2, fillRate: 4, intervalSeconds: 1 } } }, now: () => 1_800_000_000_000 });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, env: {} });
  const heard: RateHeaders[] = [];
  client.observeRate?.((h) => heard.push(h));
  try {
    await client.createIssue(body);
    await client.createIssue(body);
    await assert.rejects(client.createIssue(body), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, 0, 'Data Center says 0; the pacer waits at least a second');
      assert.equal(e.rateLimitReason, null);
      return true;
    });
    assert.deepEqual(heard.map((h) => h.bucket?.remaining), [1, 0, 0]);
    assert.deepEqual(heard[0].bucket, { limit: 2, remaining: 1, fillRate: 4, intervalSeconds: 1 });
  } finally {
    await client.close();
    await sim.close();
  }
});

test('Cloud: a burst 429 names its reason; the near-limit warning reaches the listener', async () => {
  const sim = await startSimulator({ mode: 'cloud', faults: { rateLimits: { burstPerSecond: 3 } }, now: () => 1_800_000_000_000 });
  const client = createJiraClient({ baseUrl: sim.url, ticketLocation: 'rest/api/3/issue', credentials: null, env: {} });
  const heard: RateHeaders[] = [];
  client.observeRate?.((h) => heard.push(h));
  try {
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await client.createIssue(body).then(() => 'ok', (e: JiraError) => `${e.status} ${e.rateLimitReason} ${e.retryAfterMs}`));
    assert.deepEqual(outcomes, ['ok', 'ok', 'ok', '429 jira-burst-based 1000']);
    assert.ok(heard.some((h) => h.nearLimit), 'NearLimit once under a fifth was left');
  } finally {
    await client.close();
    await sim.close();
  }
});

test('headers from Jira are checked before they are believed', () => {
  assert.equal(rateHeaders({}), null);
  assert.equal(rateHeaders({ 'x-ratelimit-fillrate': 'lots', 'x-ratelimit-interval-seconds': '1', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '1' }), null);
  assert.equal(rateHeaders({ 'x-ratelimit-fillrate': '5', 'x-ratelimit-interval-seconds': '0', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '1' }), null);
  assert.deepEqual(rateHeaders({ 'x-ratelimit-nearlimit': 'TRUE' }), { nearLimit: true, bucket: null });
  assert.equal(resetAfterMs({ 'x-ratelimit-reset': '2026-12-07T10:00:05Z' }, Date.parse('2026-12-07T10:00:00Z')), 5000);
  assert.equal(resetAfterMs({ 'x-ratelimit-reset': '1711843260' }, 0), null, 'not an ISO time');
});
