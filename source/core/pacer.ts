// The pacer: every request jiraline sends to Jira (CREATEs, edits, comments, transitions,
// lookups, checks, Manual Execute, the app's searches) takes a permit here first. Jira
// rate-limits its clients exactly when jiraline matters most — an incident storm — and a
// client that lets every unit retry on its own turns a burst into a storm of refusals. So
// one request rate and one concurrency limit hold for everything, and they adapt (AIMD):
//   - additive increase while answers are good, up to the configured ceilings;
//   - multiplicative decrease on a 429 for our rate, or on X-RateLimit-NearLimit: true;
//   - Data Center's own bucket (X-RateLimit-FillRate / -Interval-Seconds / -Remaining),
//     when Jira sends it, sets the rate outright: no need to guess what Jira told us;
//   - a Retry-After on a 429 pauses the scope its RateLimit-Reason names (the endpoint and
//     method for jira-burst-based, the issue for jira-per-issue-on-write, the whole site
//     otherwise) until then, not just the request that met it;
//   - and such a 429 slows that scope's own rate (scope-rates.ts), not the site's: one
//     endpoint or one issue over its limit does not hold back the rest.
// Pure: time comes from the Clock, one timer at a time.
import { ClockTimer } from './clock-timer.js';
import { ScopeRates, scopeKeys } from './scope-rates.js';
import type { Clock } from './ports.js';
import { MAX_RETRY_AFTER_MS } from './retry.js';

/** What a request is, for the scopes Jira limits by. */
export interface PaceScope {
  /** The endpoint and method, e.g. `createIssue` (a JiraPort method names one). */
  endpoint: string;
  /** The issue a write goes to (edit, comment, transition), else null. */
  issue: string | null;
  /** Requests the call makes (a transition reads the transitions, then posts one). */
  cost?: number;
  /**
   * Lower goes first among the waiting: a unit's command id, so a retry (an older command)
   * does not queue behind hundreds accepted after it; 0 (the default) for what a person or a
   * check waits on (Manual Execute, the Jira pane, checkConnection).
   */
  priority?: number;
}

/** Data Center's bucket as its headers describe it. */
export interface RateBucket {
  limit: number;
  remaining: number;
  fillRate: number;
  intervalSeconds: number;
}

/** The rate-limit headers of one answer (any status), as the client reads them. */
export interface RateHeaders {
  nearLimit: boolean;
  bucket: RateBucket | null;
}

/** How a permit's request ended. */
export type PaceOutcome =
  | { kind: 'answered' }
  | { kind: 'rate-limited'; retryAfterMs: number | null; reason: string | null }
  /** Anything else (an error answer, no answer): it neither speeds up nor slows down the pace. */
  | { kind: 'other' };

/** The ceilings (config jira.maxRequestsPerSecond, jira.maxConcurrent). */
export interface PaceLimits {
  maxRequestsPerSecond: number;
  maxConcurrent: number;
}

/** A request allowed to go. */
export interface Permit {
  readonly scope: PaceScope;
  readonly startedAt: number;
}

/** What the faces show: the rate in use and how many requests wait for the pacer. */
export interface PacingState {
  /** Requests a second allowed now. */
  perSecond: number;
  /** Requests allowed at once now. */
  concurrent: number;
  /** True while Jira's rate limit, not the configured ceiling, sets the pace. */
  limitedByJira: boolean;
  /** Requests waiting for a permit. */
  waiting: number;
  /** Requests at Jira now. */
  inFlight: number;
  /** 429s met since the start. */
  refusals: number;
  /** The whole site is paused until then (a Retry-After), else null. */
  pausedUntil: number | null;
  /** Endpoints Jira limited apart from the site (its burst limit), with their own rate (requests a second). */
  endpoints: Record<string, number>;
  /** Issues with a write rate of their own (Jira's per-issue write limit met). */
  issues: number;
}

/** Retry-After: 0 (Data Center sends it) still waits this long: an immediate retry is refused again. */
export const MIN_PAUSE_MS = 1000;
/** A longer Retry-After is cut to this (a timer cannot hold more than 2^31 ms; a day's pause is a misconfigured gateway). */
export const MAX_PAUSE_MS = MAX_RETRY_AFTER_MS;
/** The slowest pace the decrease goes down to. */
export const MIN_RATE = 0.5;
/** A near-limit warning lowers the rate at most once in this long (Cloud's budgets refill by the second). */
const NEAR_LIMIT_HOLD_MS = 1000;
/** How much a decrease keeps (0.7: the rate comes back within seconds, as CUBIC does). */
const DECREASE = 0.7;

/** A Retry-After as the pacer honours it: at least MIN_PAUSE_MS, at most MAX_PAUSE_MS; whether it was cut. */
export function pauseFor(retryAfterMs: number | null): { ms: number; capped: boolean } {
  const ms = retryAfterMs ?? MIN_PAUSE_MS;
  if (ms > MAX_PAUSE_MS) return { ms: MAX_PAUSE_MS, capped: true };
  return { ms: Math.max(MIN_PAUSE_MS, ms), capped: false };
}

/** The scope a 429's RateLimit-Reason names, as a pause key. */
export function pauseKey(reason: string | null, scope: PaceScope): string | null {
  if (reason === 'jira-burst-based') return `ep:${scope.endpoint}`;
  if (reason === 'jira-per-issue-on-write') return scope.issue !== null ? `issue:${scope.issue}` : null;
  return 'site';
}

interface Waiter {
  scope: PaceScope;
  resolve: (permit: Permit) => void;
  reject: (error: unknown) => void;
}

/** What the pacer tells the engine (a line for the daemon log, a redraw). */
export interface PacerHooks {
  changed(state: PacingState, why: string): void;
  /** A request began to wait: with fake time the engine may now be idle (whenIdle). */
  queued?(): void;
}

/** The pacer; see the file comment. */
export class Pacer {
  private rate: number;
  private concurrency: number;
  /** The rate of the last decrease: growth is quick below most of it, careful above. */
  private rateAtDecrease = Infinity;
  private tokens: number;
  private tokensAt: number;
  private inFlight = 0;
  private readonly pauses = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private readonly timer: ClockTimer;
  private lastDecreaseAt = -Infinity;
  private lastNearLimitAt = -Infinity;
  /** Data Center's refill rate, once its headers told it. */
  private serverRate: number | null = null;
  private refusals = 0;
  private stopError: unknown = null;
  private limitedByJira = false;
  private readonly scopeRates = new ScopeRates();

  constructor(private readonly clock: Clock, private limits: PaceLimits, private readonly hooks: PacerHooks = { changed: () => undefined }) {
    this.rate = limits.maxRequestsPerSecond;
    this.concurrency = limits.maxConcurrent;
    this.tokens = this.capacity();
    this.tokensAt = clock.now();
    this.timer = new ClockTimer(clock, () => this.pump());
  }

  /** New ceilings (the configuration changed): the pace never exceeds them. */
  setLimits(limits: PaceLimits): void {
    const raised = limits.maxRequestsPerSecond > this.limits.maxRequestsPerSecond;
    this.limits = limits;
    this.rate = raised && !this.limitedByJira ? limits.maxRequestsPerSecond : Math.min(this.rate, limits.maxRequestsPerSecond);
    this.concurrency = Math.min(Math.max(this.concurrency, raised ? limits.maxConcurrent : 1), limits.maxConcurrent);
    this.pump();
  }

  /** Requests waiting for a permit. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** The state the faces show. */
  state(): PacingState {
    const until = this.pauses.get('site');
    // The pace shown is the slowest endpoint's when one has its own (a storm of CREATEs goes at that).
    const endpoint = this.scopeRates.slowestEndpoint();
    return {
      perSecond: round(Math.min(this.rate, endpoint ?? Infinity)), concurrent: Math.floor(this.concurrency),
      limitedByJira: this.limitedByJira || endpoint !== null,
      waiting: this.waiters.length, inFlight: this.inFlight, refusals: this.refusals,
      pausedUntil: until !== undefined && until > this.clock.now() ? until : null,
      endpoints: this.scopeRates.endpointRates(), issues: this.scopeRates.issueCount(),
    };
  }

  /** A permit at once when the pace allows it and nobody waits before it, else null (then acquire). */
  tryAcquire(scope: PaceScope): Permit | null {
    if (this.stopError !== null || this.waiters.length > 0) return null;
    return this.tryGrant(scope, this.clock.now());
  }

  /** A permit for one request: at once when the pace allows, else when it does. Rejects once stopped. */
  acquire(scope: PaceScope): Promise<Permit> {
    if (this.stopError !== null) return Promise.reject(this.stopError);
    if (this.waiters.length === 0) {
      const permit = this.tryGrant(scope, this.clock.now());
      if (permit) return Promise.resolve(permit);
    }
    return new Promise<Permit>((resolve, reject) => {
      const waiter = { scope, resolve, reject };
      const priority = scope.priority ?? 0;
      // Kept in priority order (arrival order among equals); a binary search for the place.
      let lo = 0;
      let hi = this.waiters.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((this.waiters[mid].scope.priority ?? 0) <= priority) lo = mid + 1;
        else hi = mid;
      }
      this.waiters.splice(lo, 0, waiter);
      this.pump();
      if (this.waiters.length > 0) this.hooks.queued?.();
    });
  }

  /** The request of a permit ended: the pace learns from how. */
  release(permit: Permit, outcome: PaceOutcome): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.clock.now();
    if (outcome.kind === 'rate-limited') this.rateLimited(permit, outcome, now);
    else if (outcome.kind === 'answered') {
      this.increase();
      if (!this.scopeRates.empty && this.scopeRates.answered(scopeKeys(permit.scope.endpoint, permit.scope.issue), this.rate)) {
        this.hooks.changed(this.state(), 'answers are good again');
      }
    }
    this.pump();
  }

  /** The rate-limit headers of an answer (the client reports every one). */
  observe(headers: RateHeaders): void {
    const now = this.clock.now();
    const b = headers.bucket;
    if (b && b.fillRate > 0 && b.intervalSeconds > 0) {
      const server = b.fillRate / b.intervalSeconds;
      if (this.serverRate !== server) {
        this.serverRate = server;
        const was = this.rate;
        this.rate = Math.min(this.limits.maxRequestsPerSecond, server);
        this.setLimited(this.rate < this.limits.maxRequestsPerSecond, was !== this.rate ? `Jira's bucket refills ${round(server)} a second` : null);
      }
      // Requests still on their way will take tokens Jira has not counted yet.
      this.refill(now);
      this.tokens = Math.min(this.tokens, Math.max(0, b.remaining - this.inFlight));
    }
    if (headers.nearLimit && now - this.lastNearLimitAt >= NEAR_LIMIT_HOLD_MS) {
      this.lastNearLimitAt = now;
      if (!this.scopeRates.empty) this.scopeRates.slowEndpoints(now);
      this.decrease(now, 'Jira says the rate limit is near');
    }
  }

  /** Rejects every waiting request (the engine stops); later acquires reject at once. */
  stop(error: unknown): void {
    this.stopError = error;
    for (const w of this.waiters.splice(0)) w.reject(error);
    this.clearTimer();
  }

  private capacity(): number {
    // A second's worth, at least one request: short bursts go at once, a long one at the pace.
    return Math.max(1, this.rate);
  }

  private refill(now: number): void {
    if (now > this.tokensAt) this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.tokensAt) * this.rate) / 1000);
    this.tokensAt = Math.max(this.tokensAt, now);
  }

  private pausedUntil(scope: PaceScope, now: number): number {
    let until = 0;
    for (const key of ['site', `ep:${scope.endpoint}`, scope.issue !== null ? `issue:${scope.issue}` : '']) {
      const at = this.pauses.get(key);
      if (at === undefined) continue;
      if (at <= now) this.pauses.delete(key);
      else if (at > until) until = at;
    }
    return until;
  }

  /** When the request's own scopes (scope-rates.ts) let it go: `now` when they do, or have no rate. */
  private scopeReadyAt(scope: PaceScope, now: number): number {
    return this.scopeRates.empty ? now : this.scopeRates.readyAt(scopeKeys(scope.endpoint, scope.issue), scope.cost ?? 1, now);
  }

  private tryGrant(scope: PaceScope, now: number): Permit | null {
    if (this.inFlight >= Math.floor(this.concurrency)) return null;
    if (this.pausedUntil(scope, now) > now) return null;
    if (this.scopeReadyAt(scope, now) > now) return null;
    this.refill(now);
    if (this.tokens < 1) return null;
    if (!this.scopeRates.empty) this.scopeRates.take(scopeKeys(scope.endpoint, scope.issue), scope.cost ?? 1);
    this.tokens -= scope.cost ?? 1;
    this.inFlight++;
    return { scope, startedAt: now };
  }

  /** Grants what may go now, in priority order; a waiter whose scope is paused lets the others by. */
  private pump(): void {
    if (this.stopError !== null) return;
    const now = this.clock.now();
    let wakeAt = Infinity;
    for (let i = 0; i < this.waiters.length;) {
      const w = this.waiters[i];
      // A waiter whose scope is paused, or whose own scope's rate has no token yet, lets the others by.
      const paused = Math.max(this.pausedUntil(w.scope, now), this.scopeReadyAt(w.scope, now));
      if (paused > now) {
        wakeAt = Math.min(wakeAt, paused);
        i++;
        continue;
      }
      const permit = this.tryGrant(w.scope, now);
      if (!permit) {
        // Out of tokens: the next one is due in (1 - tokens) / rate; out of slots: a release pumps.
        if (this.inFlight < Math.floor(this.concurrency)) wakeAt = Math.min(wakeAt, now + Math.ceil(((1 - this.tokens) * 1000) / this.rate));
        break;
      }
      this.waiters.splice(i, 1);
      w.resolve(permit);
    }
    this.arm(wakeAt);
  }

  private arm(at: number): void {
    if (at === Infinity) this.timer.clear();
    else this.timer.armNoLaterThan(at);
  }

  private clearTimer(): void {
    this.timer.clear();
  }

  private rateLimited(permit: Permit, outcome: { retryAfterMs: number | null; reason: string | null }, now: number): void {
    this.refusals++;
    const key = pauseKey(outcome.reason, permit.scope);
    if (key !== null) {
      const until = now + pauseFor(outcome.retryAfterMs).ms;
      if ((this.pauses.get(key) ?? 0) < until) this.pauses.set(key, until);
    }
    // A scope's own limit (one endpoint's burst, one issue's writes) slows that scope only;
    // every other 429 slows the site — once for the requests sent before the last decrease
    // (they were paced at the old rate).
    const scoped = outcome.reason === 'jira-burst-based' || outcome.reason === 'jira-per-issue-on-write' ? key : null;
    if (scoped !== null) {
      if (this.scopeRates.slow(scoped, this.rate, permit.startedAt, now)) {
        // Fewer at once as well: the requests already sent when an endpoint's budget runs out
        // are what turn one 429 into many (measured: three times the 429s without this).
        if (scoped.startsWith('ep:')) this.concurrency = Math.max(1, this.concurrency * DECREASE);
        this.hooks.changed(this.state(), `Jira answered 429 (${outcome.reason}) for ${scoped}`);
      }
    } else if (outcome.reason !== 'jira-per-issue-on-write' && permit.startedAt > this.lastDecreaseAt) {
      this.concurrency = Math.max(1, this.concurrency * DECREASE);
      this.decrease(now, `Jira answered 429${outcome.reason ? ` (${outcome.reason})` : ''}`);
    }
  }

  private decrease(now: number, why: string): void {
    this.lastDecreaseAt = now;
    this.rateAtDecrease = this.rate;
    this.refill(now);
    this.rate = Math.max(MIN_RATE, this.rate * DECREASE);
    this.tokens = Math.min(this.tokens, this.capacity());
    this.setLimited(true, why);
  }

  /** Additive increase: about +1 request a second per second of good answers (+4 well below the last decrease). */
  private increase(): void {
    const ceiling = Math.min(this.limits.maxRequestsPerSecond, this.serverRate ?? Infinity);
    if (this.rate < ceiling) {
      const step = this.rate < 0.85 * this.rateAtDecrease ? 4 : 1;
      this.rate = Math.min(ceiling, this.rate + step / this.rate);
      if (this.rate >= this.limits.maxRequestsPerSecond) this.setLimited(false, 'answers are good again');
    }
    if (this.concurrency < this.limits.maxConcurrent) this.concurrency = Math.min(this.limits.maxConcurrent, this.concurrency + 1 / this.concurrency);
  }

  private setLimited(limited: boolean, why: string | null): void {
    const changed = limited !== this.limitedByJira;
    this.limitedByJira = limited;
    if (changed || (limited && why !== null)) this.hooks.changed(this.state(), why ?? '');
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
