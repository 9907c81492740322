// Rate limiting as Jira does it, so that the engine's pacer, the tests and the benchmark meet
// the real thing's shapes:
//   - Data Center: one token bucket per user; every answer carries its state in
//     X-RateLimit-Limit (capacity), -Remaining, -FillRate (tokens added per interval) and
//     -Interval-Seconds; an empty bucket answers 429 with Retry-After (whole seconds, 0 allowed,
//     as Data Center's gateways send).
//   - Cloud: a burst limit per endpoint and method, a per-issue write limit, each answered with
//     429, RateLimit-Reason (jira-burst-based / jira-per-issue-on-write), Retry-After and
//     X-RateLimit-Reset (ISO time); X-RateLimit-NearLimit: true once less than a fifth of a
//     budget is left.
//   - A concurrency limit: more requests at once than allowed are answered 429.
// Cheap per request (a few map look-ups), so benchmarks are not skewed.
import type { Reply } from './reply.js';

/** The simulated limits; every one optional. */
export interface SimulatorRateLimits {
  /** Data Center's token bucket: `capacity` tokens, `fillRate` added every `intervalSeconds`. */
  dataCenter?: { capacity: number; fillRate: number; intervalSeconds: number };
  /** Cloud's burst limit: requests per second per endpoint and method (a bucket of a second's worth). */
  burstPerSecond?: number;
  /** Cloud's per-issue write limit: writes per second to one issue (edit, comment, transition). */
  issueWritesPerSecond?: number;
  /** Requests being answered at once; one more is refused with 429. */
  maxConcurrent?: number;
}

/** A token bucket on wall-clock milliseconds. */
class Bucket {
  private tokens: number;
  private last: number;

  constructor(readonly capacity: number, private readonly perMs: number, now: number) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = Math.max(this.last, now);
  }

  /** Takes a token; false when none is left. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Milliseconds until a token is back. */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }
}

/** `POST /issue/{key}/comment`: the endpoint of a path, issue keys and ids taken out. */
export function endpointOf(method: string, path: string): string {
  const route = path.replace(/^\/rest\/api\/(2|3|latest)/, '').replace(/\/([A-Za-z][A-Za-z0-9_]*-\d+|\d+)(?=\/|$)/g, '/{key}');
  return `${method} ${route}`;
}

/** The issue a write goes to (PUT /issue/KEY, POST /issue/KEY/comment|transitions), or null. */
export function writtenIssue(method: string, path: string): string | null {
  if (method === 'GET') return null;
  const m = /^\/rest\/api\/(?:2|3|latest)\/issue\/([^/?]+)(?:\/(comment|transitions))?$/.exec(path);
  return m ? m[1] : null;
}

/** What the limiter says about one request: a refusal, and headers every answer carries. */
export interface RateVerdict {
  refusal: Reply | null;
  headers: Record<string, string>;
}

const refused = (headers: Record<string, string>, message: string): Reply =>
  ({ status: 429, body: { errorMessages: [message], errors: {} }, headers });

/** Applies SimulatorRateLimits to each request; see the file comment. */
export class RateLimiter {
  private dc: Bucket | null = null;
  private readonly burst = new Map<string, Bucket>();
  private readonly issues = new Map<string, Bucket>();
  private active = 0;

  constructor(private limits: SimulatorRateLimits = {}) {}

  /** Replaces the limits (and empties every bucket's history). */
  set(limits: SimulatorRateLimits): void {
    this.limits = { ...limits };
    this.dc = null;
    this.burst.clear();
    this.issues.clear();
  }

  get any(): boolean {
    const l = this.limits;
    return l.dataCenter !== undefined || l.burstPerSecond !== undefined || l.issueWritesPerSecond !== undefined || l.maxConcurrent !== undefined;
  }

  /** A request came in (before its latency): it counts toward the concurrency limit until `done`. */
  begin(): void {
    this.active += 1;
  }

  done(): void {
    this.active = Math.max(0, this.active - 1);
  }

  /** The verdict on a request about to be served. */
  check(method: string, path: string, now: number): RateVerdict {
    const l = this.limits;
    const headers: Record<string, string> = {};
    if (l.maxConcurrent !== undefined && this.active > l.maxConcurrent) {
      return { refusal: refused({ 'Retry-After': '1' }, 'Too many concurrent requests.'), headers };
    }
    if (l.dataCenter) {
      const { capacity, fillRate, intervalSeconds } = l.dataCenter;
      this.dc ??= new Bucket(capacity, fillRate / (intervalSeconds * 1000), now);
      const ok = this.dc.take(now);
      Object.assign(headers, {
        'X-RateLimit-Limit': String(capacity), 'X-RateLimit-Remaining': String(this.dc.remaining(now)),
        'X-RateLimit-FillRate': String(fillRate), 'X-RateLimit-Interval-Seconds': String(intervalSeconds),
      });
      if (!ok) {
        // Whole seconds, rounded down as Data Center does: a token due in 400 ms says 0.
        const retry = Math.floor(this.dc.msUntilToken(now) / 1000);
        return { refusal: refused({ ...headers, 'Retry-After': String(retry) }, 'Rate limit exceeded.'), headers };
      }
    }
    let near = false;
    if (l.burstPerSecond !== undefined) {
      const key = endpointOf(method, path);
      let bucket = this.burst.get(key);
      if (!bucket) this.burst.set(key, bucket = new Bucket(l.burstPerSecond, l.burstPerSecond / 1000, now));
      if (!bucket.take(now)) return { refusal: this.cloudRefusal('jira-burst-based', bucket.msUntilToken(now), now), headers };
      near ||= bucket.remaining(now) < bucket.capacity / 5;
    }
    const issue = l.issueWritesPerSecond !== undefined ? writtenIssue(method, path) : null;
    if (issue !== null && l.issueWritesPerSecond !== undefined) {
      let bucket = this.issues.get(issue);
      if (!bucket) this.issues.set(issue, bucket = new Bucket(l.issueWritesPerSecond, l.issueWritesPerSecond / 1000, now));
      if (!bucket.take(now)) return { refusal: this.cloudRefusal('jira-per-issue-on-write', bucket.msUntilToken(now), now), headers };
    }
    if (near) headers['X-RateLimit-NearLimit'] = 'true';
    return { refusal: null, headers };
  }

  private cloudRefusal(reason: string, waitMs: number, now: number): Reply {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return refused({
      'Retry-After': String(seconds), 'RateLimit-Reason': reason,
      'X-RateLimit-Reset': new Date(now + seconds * 1000).toISOString(), 'X-RateLimit-NearLimit': 'true',
    }, 'Rate limit exceeded.');
  }
}
