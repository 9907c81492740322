// Jira's rate-limit headers, read from every answer for the engine's pacer (source/core/pacer.ts):
// Data Center's token bucket (X-RateLimit-Limit, -Remaining, -FillRate, -Interval-Seconds) and
// Cloud's X-RateLimit-NearLimit; a 429's RateLimit-Reason goes on its JiraError (errors.ts).
// Header values are Jira's: a number that does not parse is ignored, never trusted.
import type { RateHeaders } from '../core/pacer.js';

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function count(value: string | string[] | undefined): number | null {
  const text = first(value)?.trim();
  if (!text || !/^\d{1,9}(\.\d{1,6})?$/.test(text)) return null;
  return Number(text);
}

/** The rate-limit state an answer carries, or null when it carries none (most Jiras, most answers). */
export function rateHeaders(headers: Headers): RateHeaders | null {
  const near = first(headers['x-ratelimit-nearlimit'] ?? headers['x-beta-ratelimit-nearlimit'])?.trim().toLowerCase() === 'true';
  const fillRate = count(headers['x-ratelimit-fillrate']);
  const interval = count(headers['x-ratelimit-interval-seconds']);
  const limit = count(headers['x-ratelimit-limit']);
  const remaining = count(headers['x-ratelimit-remaining']);
  const bucket = fillRate !== null && interval !== null && limit !== null && remaining !== null && interval > 0
    ? { limit, remaining, fillRate, intervalSeconds: interval } : null;
  return near || bucket ? { nearLimit: near, bucket } : null;
}

/** A 429's RateLimit-Reason (jira-burst-based, jira-per-issue-on-write, a quota), or null. */
export function rateLimitReason(headers: Headers): string | null {
  const text = first(headers['ratelimit-reason'] ?? headers['x-ratelimit-reason'] ?? headers['x-beta-ratelimit-reason'])?.trim();
  return text && /^[A-Za-z0-9._-]{1,64}$/.test(text) ? text : null;
}

/** X-RateLimit-Reset (an ISO time) as milliseconds from `now`, or null. */
export function resetAfterMs(headers: Headers, now: number): number | null {
  const text = first(headers['x-ratelimit-reset'])?.trim();
  if (!text || text.length > 40 || !/^\d{4}-\d\d-\d\dT/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
