// The simulator's public types (re-exported by index.ts): the agreed contract between
// the simulator and the engineers who run the client, daemon, app and benchmarks on it.
import type { HostileFault } from './hostile.js';

export type { HostileFault, HostileMode } from './hostile.js';

/** Faults injected on every request, for tests and benchmarks of the retry paths. */
export interface SimulatorFaults {
  /** Share of requests (0..1) answered with failureStatus instead of being served. */
  failureRate?: number;
  /** Status of an injected failure; default 503. */
  failureStatus?: 503 | 429 | 500 | 502 | 504;
  /** Retry-After (seconds) sent with injected 429/503 failures and with rate limiting; default 1. */
  retryAfterSeconds?: number;
  /** Requests allowed per wall-clock second; the excess is answered 429 with Retry-After. */
  maxRequestsPerSecond?: number;
  /** Added delay before each answer, in milliseconds. */
  latencyMs?: number;
  /** Injected failures (and rate-limit 429s) come as an HTML page, as a Data Center or a proxy sends. */
  htmlErrors?: boolean;
  /** A hostile Jira: answers that drip, are huge, HTML, cut short, forge keys or echo credentials (hostile.ts). */
  hostile?: HostileFault;
}

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
}

/** An issue as the simulator holds it (field values normalised the way Jira stores them). */
export interface SimIssue {
  id: string;
  key: string;
  /** Field id → value: summary string, labels string[], priority {id,name,…}, custom fields … */
  fields: Record<string, unknown>;
  comments: Array<{ id: string; body: unknown; created: string }>;
  /** Status name: 'To Do', 'In Progress' or 'Done'. */
  status: string;
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
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
