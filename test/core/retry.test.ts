import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffMs, decideRetry, retryDelayMs, MAX_DELAY_MS, MAX_RETRY_AFTER_MS } from '../../source/core/retry.js';
import { JiraError } from '../../source/core/jira-error.js';

const H = 3_600_000;
const err = (status: number, retryAfterMs: number | null = null) =>
  new JiraError({ status, message: `HTTP ${status}`, retryAfterMs, messages: status === 400 ? ['Field summary is required'] : [],
    fieldErrors: status === 400 ? { summary: 'You must specify a summary' } : {} });

test('back-off doubles from 1 s and stops at 5 minutes', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 8, 9, 10, 50].map(backoffMs), [1000, 2000, 4000, 8000, 16000, 128000, 256000, 300000, 300000]);
});

test('jitter stretches each step by 0–25 %, never shortens it', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (n, r) => {
    const d = retryDelayMs(n, null, () => r);
    assert.ok(d >= backoffMs(n), `${d} < ${backoffMs(n)}`);
    assert.ok(d <= Math.ceil(backoffMs(n) * 1.25));
  }));
  assert.equal(retryDelayMs(1, null, () => 0), 1000);
  assert.equal(retryDelayMs(1, null, () => 0.5), 1125);
  assert.equal(retryDelayMs(20, null, () => 0.999999), Math.ceil(MAX_DELAY_MS * 1.2499998));
});

test('a Retry-After replaces the back-off and is never undercut', () => {
  assert.equal(retryDelayMs(1, 30_000, () => 0), 30_000);
  assert.equal(retryDelayMs(7, 2_000, () => 0), 2_000);
  fc.assert(fc.property(fc.integer({ min: 1, max: MAX_RETRY_AFTER_MS }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (ra, r) => {
    const d = retryDelayMs(3, ra, () => r);
    assert.ok(d >= ra && d <= Math.ceil(ra * 1.25));
  }));
});

test('a huge Retry-After is capped (a timer cannot hold it); Retry-After 0 falls back to the back-off, at least 1 s', () => {
  for (const ra of [MAX_RETRY_AFTER_MS + 1, 86_400_000, 2 ** 31, 1e15]) {
    const d = retryDelayMs(1, ra, () => 0);
    assert.equal(d, MAX_RETRY_AFTER_MS, String(ra));
    assert.ok(d < 2 ** 31 - 1, 'fits a timer');
  }
  assert.equal(retryDelayMs(1, 0, () => 0), 1000);
});

test('decideRetry: 401/403 pause, other 4xx fail with Jira\'s messages, passing errors retry', () => {
  const h = { attempts: 1, serverErrors: 0, acceptedAt: 0 };
  assert.deepEqual(decideRetry(err(401), h, 0, 24, () => 0), { kind: 'pause' });
  assert.deepEqual(decideRetry(err(403), h, 0, 24, () => 0), { kind: 'pause' });
  assert.deepEqual(decideRetry(err(400), h, 0, 24, () => 0),
    { kind: 'fail', reason: 'Field summary is required; summary: You must specify a summary' });
  for (const status of [0, 429, 502, 503, 504]) {
    assert.deepEqual(decideRetry(err(status), { ...h, attempts: 3 }, 0, 24, () => 0), { kind: 'retry', delayMs: 4000 });
  }
  assert.deepEqual(decideRetry(err(429, 45_000), h, 0, 24, () => 0), { kind: 'retry', delayMs: 45_000 });
});

test('a 500 is retried at most 5 times', () => {
  for (let n = 1; n <= 5; n++) assert.equal(decideRetry(err(500), { attempts: n, serverErrors: n, acceptedAt: 0 }, 0, 24, () => 0).kind, 'retry');
  assert.deepEqual(decideRetry(err(500), { attempts: 6, serverErrors: 6, acceptedAt: 0 }, 0, 24, () => 0),
    { kind: 'fail', reason: 'gave up after 6 attempts: HTTP 500' });
});

test('gives up once the command is older than retryForHours', () => {
  const h = { attempts: 9, serverErrors: 0, acceptedAt: 0 };
  assert.equal(decideRetry(err(503), h, 24 * H - 1, 24, () => 0).kind, 'retry');
  assert.deepEqual(decideRetry(err(503), h, 24 * H, 24, () => 0), { kind: 'fail', reason: 'gave up after 9 attempts: HTTP 503' });
  assert.equal(decideRetry(err(503), h, 2 * H, 2, () => 0).kind, 'fail');
});
