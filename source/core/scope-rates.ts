// Rates of their own for the scopes Jira Cloud limits apart from the site: an endpoint and
// method (RateLimit-Reason jira-burst-based) and an issue (jira-per-issue-on-write). A 429
// that names such a scope slows that scope only — the rest of the site goes on at its pace —
// and good answers in the scope bring its rate back up; once it is back at the site's rate
// it has no rate of its own any more. Each scope is a token bucket of a second's worth, as
// the site's (pacer.ts). Pure: time is passed in.

/** How much a decrease keeps (as the site's). */
const DECREASE = 0.7;
/** The slowest a scope goes. */
const MIN_RATE = 0.5;
/**
 * An issue Jira first refuses for its write limit is written at most once a second from then on
 * (its updates merge meanwhile, engine-outcome.ts): a second's worth of one issue's writes is what
 * the limit is about, not the site's rate.
 */
const ISSUE_START_RATE = 1;
/** At most this many scopes keep a rate (issues come and go): the oldest is dropped first. */
const MAX_SCOPES = 1000;

interface ScopeRate {
  rate: number;
  tokens: number;
  at: number;
  /** A 429 for a request started before this does not slow the scope again. */
  lastDecreaseAt: number;
}

/** The scopes' own rates; see the file comment. */
export class ScopeRates {
  private readonly scopes = new Map<string, ScopeRate>();

  /** True when no scope has a rate of its own (the usual case: nothing to check). */
  get empty(): boolean {
    return this.scopes.size === 0;
  }

  /** The endpoints with a rate of their own, and that rate (requests a second). */
  endpointRates(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, s] of this.scopes) if (key.startsWith('ep:')) out[key.slice(3)] = Math.round(s.rate * 10) / 10;
    return out;
  }

  /** How many issues have a rate of their own (Jira's per-issue write limit met). */
  issueCount(): number {
    let n = 0;
    for (const key of this.scopes.keys()) if (key.startsWith('issue:')) n++;
    return n;
  }

  /** The slowest endpoint's own rate, or null when none has one (an issue's rate says nothing of throughput). */
  slowestEndpoint(): number | null {
    let slowest: number | null = null;
    for (const [key, s] of this.scopes) if (key.startsWith('ep:') && (slowest === null || s.rate < slowest)) slowest = s.rate;
    return slowest;
  }

  /** When the keys' scopes allow one more request of this cost: `now` when they do already. */
  readyAt(keys: readonly string[], cost: number, now: number): number {
    let at = now;
    for (const key of keys) {
      const s = this.scopes.get(key);
      if (!s) continue;
      this.refill(s, now);
      const need = Math.min(cost, this.capacity(s)) - s.tokens;
      if (need > 0) at = Math.max(at, now + Math.ceil((need * 1000) / s.rate));
    }
    return at;
  }

  /** A request of the keys' scopes goes now. */
  take(keys: readonly string[], cost: number): void {
    for (const key of keys) {
      const s = this.scopes.get(key);
      if (s) s.tokens -= cost;
    }
  }

  /**
   * Jira refused a request of this scope for its rate: the scope slows — an endpoint to 0.7 × the
   * site's rate the first time, an issue to one write a second; then × 0.7 — once for the
   * requests started before the last decrease.
   */
  slow(key: string, siteRate: number, startedAt: number, now: number): boolean {
    const s = this.scopes.get(key);
    if (s && startedAt <= s.lastDecreaseAt) return false;
    if (!s) {
      if (this.scopes.size >= MAX_SCOPES) this.scopes.delete(this.scopes.keys().next().value as string);
      const rate = key.startsWith('issue:') ? Math.min(ISSUE_START_RATE, siteRate) : Math.max(MIN_RATE, siteRate * DECREASE);
      this.scopes.set(key, { rate, tokens: 0, at: now, lastDecreaseAt: now });
      return true;
    }
    this.refill(s, now);
    s.rate = Math.max(MIN_RATE, s.rate * DECREASE);
    s.tokens = Math.min(s.tokens, this.capacity(s));
    s.lastDecreaseAt = now;
    return true;
  }

  /**
   * Jira warned that a limit is near (X-RateLimit-NearLimit, which does not say whose): every
   * endpoint with a rate of its own slows too — it is the one a storm of its requests goes at.
   */
  slowEndpoints(now: number): void {
    for (const [key, s] of this.scopes) {
      if (!key.startsWith('ep:')) continue;
      this.refill(s, now);
      s.rate = Math.max(MIN_RATE, s.rate * DECREASE);
      s.tokens = Math.min(s.tokens, this.capacity(s));
      s.lastDecreaseAt = now;
    }
  }

  /** A good answer in these scopes: each speeds up (about +1 a second per second); back at the site's rate, it is dropped. */
  answered(keys: readonly string[], siteRate: number): boolean {
    let dropped = false;
    for (const key of keys) {
      const s = this.scopes.get(key);
      if (!s) continue;
      s.rate += 1 / s.rate;
      if (s.rate >= siteRate) {
        this.scopes.delete(key);
        dropped = true;
      }
    }
    return dropped;
  }

  private capacity(s: ScopeRate): number {
    return Math.max(1, s.rate);
  }

  private refill(s: ScopeRate, now: number): void {
    if (now > s.at) s.tokens = Math.min(this.capacity(s), s.tokens + ((now - s.at) * s.rate) / 1000);
    s.at = Math.max(s.at, now);
  }
}

/** The scope keys of a request: its endpoint and method, and its issue when it writes one. */
export function scopeKeys(endpoint: string, issue: string | null): string[] {
  return issue !== null ? [`ep:${endpoint}`, `issue:${issue}`] : [`ep:${endpoint}`];
}
