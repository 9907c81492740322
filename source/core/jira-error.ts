// The one error type every Jira call throws. It carries what the engine needs to decide
// (retry or not, and when) and what the user needs to act (a message that says what to do).

/** A failed Jira call: HTTP status (0 for a network failure), retry advice and Jira's messages. */
export class JiraError extends Error {
  /** HTTP status, or 0 when no answer came (connection refused, timeout, TLS). */
  readonly status: number;
  /** Whether trying again later may succeed (docs/architecture.md#pacing-retries-the-pause-and-the-gate). */
  readonly retryable: boolean;
  /** Retry-After in milliseconds, when Jira sent one. */
  readonly retryAfterMs: number | null;
  /** A 429's RateLimit-Reason (jira-burst-based, jira-per-issue-on-write, a quota): the scope to pace. */
  readonly rateLimitReason: string | null;
  /** Jira's errorMessages (or a summary of a non-JSON body). */
  readonly messages: string[];
  /** Jira's errors: field id → message. */
  readonly fieldErrors: Record<string, string>;
  /**
   * A short machine-readable cause: 'http', 'network' (the connection failed, perhaps after the
   * request was written), 'unreached' (no request was written: refused, unknown host), 'timeout',
   * 'tls', 'no-transition', 'stopped' (jiraline stopped before sending it).
   */
  readonly cause_: string;

  constructor(init: {
    status: number;
    message: string;
    retryable?: boolean;
    retryAfterMs?: number | null;
    rateLimitReason?: string | null;
    messages?: string[];
    fieldErrors?: Record<string, string>;
    cause?: string;
  }) {
    super(init.message);
    this.name = 'JiraError';
    this.status = init.status;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.rateLimitReason = init.rateLimitReason ?? null;
    this.messages = init.messages ?? [];
    this.fieldErrors = init.fieldErrors ?? {};
    this.cause_ = init.cause ?? (init.status === 0 ? 'network' : 'http');
  }

  /** 401/403: not the command's fault; the queue pauses until the credentials change. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** Jira's messages and field errors in one line, for the log's Error Message column. */
  detail(): string {
    const parts = [...this.messages];
    for (const [field, msg] of Object.entries(this.fieldErrors)) parts.push(`${field}: ${msg}`);
    return parts.length > 0 ? parts.join('; ') : this.message;
  }
}

/** The passing failures, retried later: connection errors (status 0), 429, 500, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Whether a failed request may still have made its change (a ticket, a comment, a transition),
 * so it must be looked up before it is sent again: no answer after the request was written (a
 * timeout, a connection lost), a gateway's 502/504 (it may have forwarded the request), or a
 * 2xx we could not read. A refusal
 * Jira answered (4xx, 429, 500, 503) or a request never written (connection refused) made nothing:
 * it is sent again without a lookup.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof JiraError)) return true;
  const s = error.status;
  // 'stopped' may have cut a request short after it was written: unknown, to be safe.
  if (s === 0) return error.cause_ !== 'unreached' && error.cause_ !== 'tls';
  return s === 502 || s === 504 || (s >= 200 && s < 300);
}
