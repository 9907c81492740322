// What the two faces (the Ink app and the daemon's socket) may ask of the engine.
// The panes read snapshots through useSyncExternalStore(subscribe, getSnapshot) and never
// call Jira or the store themselves.
import type { AllowedValues } from './allowed-values.js';
import type { PacingState } from './pacer.js';
import type { Config } from './config.js';
import type { DayCount, FieldDef, IssuePayload, JiraIssue, JiraUser, LogQuery, LogRow, SearchResult, ServerInfo } from './ports.js';

/** What the last check of Jira (serverInfo + myself) found. */
export type ConnectionState =
  | { state: 'unknown' }
  | { state: 'checking' }
  | { state: 'ok'; serverInfo: ServerInfo; user: JiraUser; checkedAt: number }
  | { state: 'down'; error: string; checkedAt: number }
  | { state: 'auth-refused'; error: string; checkedAt: number };

/** One counter as total, today and yesterday (local calendar days). */
export interface Counter {
  total: number;
  today: number;
  yesterday: number;
}

/** The statistics plus the last 14 days, oldest first, missing days as zeros. */
export interface StatsSnapshot {
  created: Counter;
  updated: Counter;
  total: Counter;
  /** Lines refused with ERR (by the engine or the socket); not tickets, so not in total. */
  refused: Counter;
  days: DayCount[];
}

/** How full the queue of waiting work is, against its configured ceiling (queue.maxCommands, queue.maxBytes). */
export interface QueueFill {
  commands: number;
  bytes: number;
  maxCommands: number;
  maxBytes: number;
  /** The larger of the two ratios, 0…1 (1: lines are refused with `queue full`). */
  fill: number;
}

/** Everything the status line and the panes draw from; a new object only when something changed. */
export interface EngineSnapshot {
  connection: ConnectionState;
  /** True while 401/403 holds the queue (docs/architecture.md#pacing-retries-the-pause-and-the-gate). */
  paused: boolean;
  /** Commands accepted and not finished. */
  queueDepth: number;
  /** The waiting work against its ceiling (also for /metrics). */
  queueFill: QueueFill;
  /** Automatic updates started within the current window, of the allowed maximum. */
  throttle: { used: number; max: number; intervalSeconds: number };
  /**
   * The pace of requests to Jira: requests a second, whether Jira's rate limit (not the
   * configured ceiling) sets it, requests waiting for the pacer, 429s met since the start.
   */
  pacing: PacingState;
  stats: StatsSnapshot;
  logCount: number;
  /** Bumps whenever a log row is added, changed or pruned; the Log pane re-queries on change. */
  logVersion: number;
  /** Jira's field catalogue as last fetched (a new array when it changes), or null if never. */
  catalogue: FieldDef[] | null;
  /** The values Jira allows for the template's project and issue type (pick lists), or null/absent when not known. */
  allowed?: AllowedValues | null;
}

/** A typed event, for the daemon's JSON-lines log and the app's notices. */
export type EngineEvent =
  | { type: 'accepted'; guid: string; action: 'Create' | 'Update'; commandId: number }
  | { type: 'sent'; guid: string | null; action: 'Create' | 'Update'; ticketKey: string; logId: number; lines: number }
  | { type: 'retry'; guid: string | null; attempt: number; delayMs: number; reason: string }
  | { type: 'failed'; guid: string | null; action: 'Create' | 'Update'; error: string; logId: number }
  | { type: 'adopted'; guid: string; ticketKey: string }
  | { type: 'pruned'; rows: number }
  /** A line answered ERR: the GUID it named (or null) and the reason, cut to a bounded length. */
  | { type: 'refused'; guid: string | null; reason: string }
  /** A mapped ticket that lacks the GUID's label was not written (the command ends Failed). */
  | { type: 'not-ours'; guid: string; ticketKey: string }
  | { type: 'paused'; reason: string }
  | { type: 'resumed' }
  | { type: 'connection-changed'; connection: ConnectionState }
  /** The waiting work crossed 80 % of its ceiling (said once), or fell back below 70 %. */
  | { type: 'queue-filling'; fill: QueueFill }
  | { type: 'queue-eased'; fill: QueueFill }
  /** The pace changed because of Jira's rate limit (or is back at the configured ceiling). */
  | { type: 'pacing'; perSecond: number; limitedByJira: boolean; waiting: number; reason: string };

/** The outcome of a Manual Execute. */
export type ExecuteResult =
  | { ok: true; logId: number; ticketId: string; ticketKey: string; ticketUrl: string }
  | { ok: false; logId: number; error: string; messages: string[]; fieldErrors: Record<string, string> };

/** The state of a GUID's latest command and the ticket it has (the socket's STATUS). */
export interface GuidStatus {
  guid: string;
  status: 'Pending' | 'Ok' | 'Failed';
  ticketKey: string | null;
  ticketUrl: string | null;
  /** Why a Failed command failed (its log row's Error Message); absent otherwise. */
  error?: string | null;
}

/** Which statistics a reset clears. */
export type StatsReset = 'daily' | 'totals' | 'both';

/** The engine as the faces see it (source/core/engine.ts implements it). */
export interface EngineApi {
  getSnapshot(): EngineSnapshot;
  subscribe(listener: () => void): () => void;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** One Advanced line in; the reply line out (`OK <GUID> queued` / `ERR <GUID|-> <reason>`),
   *  resolved only after the command is durably stored. Never rejects for bad input. */
  submitLine(line: string): Promise<string>;
  /**
   * Counts a line the face itself refused (the socket: too long, not UTF-8, bad token) and
   * reports it as a `refused` event, as submitLine does for the lines it answers ERR.
   * Optional: an engine in another process may count them on its side.
   */
  noteRefused?(reply: string): void;
  status(guid: string): GuidStatus | null;
  /** Manual Execute of a create body: never throttled, logged as Manual. */
  execute(body: IssuePayload): Promise<ExecuteResult>;
  queryLog(query: LogQuery): LogRow[];
  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number;
  getLogRow(id: number): LogRow | undefined;
  resetStats(which: StatsReset): Promise<void>;
  /** serverInfo + myself; updates the connection state. */
  checkConnection(): Promise<ConnectionState>;
  /** The field catalogue last fetched from Jira (kept in the store), or null if never. */
  catalogue(): FieldDef[] | null;
  /** For the Jira pane. */
  search(jql: string, options?: { maxResults?: number; nextPageToken?: string; startAt?: number }): Promise<SearchResult>;
  getIssue(key: string): Promise<JiraIssue>;
  /** Settings that take effect without a restart: updates, log, template. */
  setConfig(config: Config): void;
  /** Commands accepted and not finished. */
  pendingCount(): number;
  /** Resolves when no command is due now (waiting ones with a future time do not count). */
  whenIdle(): Promise<void>;
  /** Stops taking work, lets in-flight requests finish (up to graceMs), commits. */
  stop(graceMs?: number): Promise<void>;
}
