// The simulator's public types (re-exported by index.ts): the agreed contract between
// the simulator and the engineers who run the client, daemon, app and benchmarks on it.
import type { SimulatorRateLimits } from './rate-limits.js';

export type { SimulatorRateLimits } from './rate-limits.js';
import type { HostileFault } from './hostile.js';

export type { HostileFault, HostileMode } from './hostile.js';

/** Faults injected on every request, for tests and benchmarks of the retry paths. */
export interface SimulatorFaults {
  /** Share of requests (0..1) answered with failureStatus instead of being served. */
  failureRate?: number;
  /** Status of an injected failure; default 503. A list: each failure picks one at random. */
  failureStatus?: FailureStatus | FailureStatus[];
  /**
   * Inject failures only into writes (POST/PUT/DELETE), as a Jira whose writes are refused now
   * and then. An injected 429 then names Cloud's per-issue write limit (RateLimit-Reason
   * jira-per-issue-on-write): a refusal of that one write, not of the whole site.
   */
  failureWritesOnly?: boolean;
  /** Retry-After (seconds) sent with injected 429/503 failures and with rate limiting; default 1. */
  retryAfterSeconds?: number;
  /** Requests allowed per wall-clock second; the excess is answered 429 with Retry-After. */
  maxRequestsPerSecond?: number;
  /** Added delay before each answer, in milliseconds. */
  latencyMs?: number;
  /** Injected failures (and rate-limit 429s) come as an HTML page, as a Data Center or a proxy sends. */
  htmlErrors?: boolean;
  /** Writes (POST/PUT/DELETE other than searches) are performed at once and answered this many ms later. */
  lateWriteMs?: number;
  /**
   * Share of writes (0..1) performed only after the client gave up: the request is held until
   * the client closes the connection (its timeout), then performed, as behind a gateway that
   * answers 504 while Jira goes on. Held at most 120 s.
   */
  writeAfterTimeoutRate?: number;
  /**
   * How long after the client gave up a held write (writeAfterTimeoutRate) is made: a Jira that
   * goes on working for this long after the gateway answered. Default 0 (at once).
   */
  writeAfterTimeoutDelayMs?: number;
  /** Comment properties sent with a new comment are not kept (a Jira that ignores them). */
  dropCommentProperties?: boolean;
  /** Jira's own rate limiting (rate-limits.ts): Data Center's bucket, Cloud's burst and per-issue limits, concurrency. */
  rateLimits?: SimulatorRateLimits;
  /** A hostile Jira: answers that drip, are huge, HTML, cut short, forge keys or echo credentials (hostile.ts). */
  hostile?: HostileFault;
}

/** A status an injected failure may have. */
export type FailureStatus = 503 | 429 | 500 | 502 | 504;

/** How to start a simulator. */
export interface SimulatorOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Which Jira to behave as; default datacenter. */
  mode?: 'cloud' | 'datacenter';
  /** Credentials every request must carry; null or absent: anything goes (demo). */
  auth?: { user: string; password: string } | { token: string } | null;
  /** Faults from the start (setFaults changes them later). */
  faults?: SimulatorFaults;
  /** The clock its rate limits and timestamps read (ms epoch); default the wall clock. A test
   *  that counts on a bucket not refilling between requests holds it still. */
  now?: () => number;
}

/** An issue as the simulator holds it (field values normalised the way Jira stores them). */
export interface SimIssue {
  id: string;
  key: string;
  /** Field id → value: summary string, labels string[], priority {id,name,…}, custom fields … */
  fields: Record<string, unknown>;
  comments: SimComment[];
  /** Status name: 'To Do', 'In Progress' or 'Done'. */
  status: string;
  /** Users watching it (POST …/watchers), by the id sent. */
  watchers?: string[];
  /** Work logged on it (POST …/worklog). */
  worklogs?: Array<Record<string, unknown>>;
}

/** A comment as the simulator holds it. */
export interface SimComment {
  id: string;
  body: unknown;
  created: string;
  /** Who wrote it (rendered as Jira's author); absent: the user who asks. */
  author?: Record<string, unknown>;
  /** Entity properties set with the comment (`properties` of the create body). */
  properties?: Array<{ key: string; value: unknown }>;
}

/** A write the simulator made only after the client gave up on it. */
export interface LateWrite {
  /** `POST /issue/{key}/comment`, as requestsByEndpoint names it. */
  endpoint: string;
  status: number;
  /** The id of what it made (an issue, a comment), when its answer names one. */
  id: string | null;
}

/** A running simulator. */
export interface Simulator {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  mode: 'cloud' | 'datacenter';
  /** Every issue, in creation order (live objects: read, don't change). */
  issues(): SimIssue[];
  /** One issue by key (or id). */
  issue(key: string): SimIssue | undefined;
  /** Replaces the injected faults. */
  setFaults(f: SimulatorFaults): void;
  /** Requests received so far, failed and refused ones included. */
  requestCount(): number;
  /** Requests served so far by endpoint and method (`POST /issue`, `GET /search`), refused ones included. */
  requestsByEndpoint(): Record<string, number>;
  /** Answers with status 429 so far (rate limits and injected ones). */
  rateLimitedCount(): number;
  /** Writes held until the client gives up (writeAfterTimeoutRate) and not made yet. */
  heldWrites(): number;
  /** Writes held until the client gave up and made then (writeAfterTimeoutRate), in the order made. */
  lateWrites(): LateWrite[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
