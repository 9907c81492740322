// When to try again. Jira's Retry-After wins; otherwise exponential back-off
// 1 s, 2 s, 4 s … capped at 5 minutes. Every delay is stretched by a random 0–25 % so
// that many commands refused together do not come back together — never shortened,
// so a Retry-After is always honoured.
// See docs/architecture.md#pacing-retries-the-pause-and-the-gate.
import type { JiraError } from './jira-error.js';

/** First back-off step. */
export const BASE_DELAY_MS = 1000;
/** Longest back-off step before jitter. */
export const MAX_DELAY_MS = 5 * 60 * 1000;
/** How much a delay may be stretched (0.25 = up to +25 %). */
export const JITTER = 0.25;
/** The longest Retry-After honoured as sent (15 minutes). */
export const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;
/** A 500 is retried at most this many times. */
export const MAX_500_RETRIES = 5;

/** The un-stretched back-off after the n-th failed attempt (n ≥ 1): 1 s, 2 s, 4 s … 5 min. */
export function backoffMs(failures: number): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^19 s is far beyond the cap; avoid Infinity for absurd counts.
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(n - 1, 20));
}

/**
 * The delay before the next try after `failures` failed attempts. A positive Retry-After
 * replaces the back-off step; `random` (0 ≤ r < 1) stretches the delay by r × 25 %.
 */
export function retryDelayMs(failures: number, retryAfterMs: number | null, random: () => number): number {
  // A huge Retry-After is cut to the longest back-off step: a timer cannot hold more than
  // 2^31 ms (it would fire at once), and a day's wait is a misconfigured gateway.
  const base = retryAfterMs !== null && retryAfterMs > 0 ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) : backoffMs(failures);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.ceil(base * (1 + JITTER * r));
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'pause' }
  | { kind: 'fail'; reason: string };

/** The facts a retry decision needs about the command that failed. */
export interface AttemptHistory {
  /** Attempts made so far, the failed one included. */
  attempts: number;
  /** How many of them Jira answered with 500, the failed one included. */
  serverErrors: number;
  acceptedAt: number;
}

/**
 * The retry rules in one place: 401/403 pause the queue; a passing failure is retried unless a
 * 500 came back more than 5 times or the command is older than retryForHours; any other
 * failure is final with Jira's messages.
 */
export function decideRetry(error: JiraError, history: AttemptHistory, now: number, retryForHours: number,
  random: () => number): RetryDecision {
  if (error.isAuth) return { kind: 'pause' };
  if (!error.retryable) return { kind: 'fail', reason: error.detail() };
  const gaveUp = gaveUpReason(history.attempts, error.detail());
  if (error.status === 500 && history.serverErrors > MAX_500_RETRIES) return { kind: 'fail', reason: gaveUp };
  if (retryTimeIsUp(history.acceptedAt, now, retryForHours)) return { kind: 'fail', reason: gaveUp };
  return { kind: 'retry', delayMs: retryDelayMs(history.attempts, error.retryAfterMs, random) };
}

/** Whether a command accepted at `acceptedAt` has been retried for `retryForHours`. */
export function retryTimeIsUp(acceptedAt: number, now: number, retryForHours: number): boolean {
  return now - acceptedAt >= retryForHours * 3_600_000;
}

/** The Error Message of a command that stopped being retried. */
export function gaveUpReason(attempts: number, detail: string): string {
  return `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}`;
}
