// What the two faces (the Ink app and the daemon's socket) may ask of the engine.
// The panes read snapshots through useSyncExternalStore(subscribe, getSnapshot) and never
// call Jira or the store themselves.
import type { AllowedValues } from './allowed-values.js';
import type { PacingState } from './pacer.js';
import type { Config } from './config.js';
import type { AlarmPage, AlarmQuery } from './alarms.js';
import type { LinkResult } from './engine-alarms.js';
import type { DayCount, FieldDef, IssuePayload, JiraIssue, JiraUser, LogQuery, LogRow, ResponseQuery, ResponseRow, SearchResult, ServerInfo } from './ports.js';

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
   * configured ceiling) sets it, requests waiting for the pacer, 429s met since the start —
   * and `paced`, the commands (units of work) whose request waits for the pacer now.
   */
  pacing: PacingState & { paced: number };
  stats: StatsSnapshot;
  logCount: number;
  /** Bumps whenever a log row is added, changed or pruned; the Log pane re-queries on change. */
  logVersion: number;
  /** Jira's field catalogue as last fetched (a new array when it changes), or null if never. */
  catalogue: FieldDef[] | null;
  /**
   * One ticket per GUID: CREATEs settling now (their answer was lost; looked up before they are
   * sent again), duplicate checks waiting, and duplicates repaired ever (engine-repair.ts).
   */
  exactlyOnce: { settling: number; repairChecks: number; duplicatesRepaired: number };
  /** The values Jira allows for the template's project and issue type (pick lists), or null/absent when not known. */
  allowed?: AllowedValues | null;
}

/** A typed event, for the daemon's JSON-lines log and the app's notices. */
export type EngineEvent =
  | { type: 'accepted'; guid: string; action: 'Create' | 'Update' | 'Call'; commandId: number }
  | { type: 'sent'; guid: string | null; action: LogRow['action']; ticketKey: string; logId: number; lines: number }
  | { type: 'retry'; guid: string | null; attempt: number; delayMs: number; reason: string }
  | { type: 'failed'; guid: string | null; action: 'Create' | 'Update' | 'Call'; error: string; logId: number }
  | { type: 'adopted'; guid: string; ticketKey: string }
  /** A CREATE's answer was lost: it is looked up until `until` before it is sent again. */
  | { type: 'settling'; guid: string; until: number }
  /** A second ticket of the GUID was repaired as alarms.onDuplicate says; `keptKey` is the one kept. */
  | { type: 'repaired'; guid: string; ticketKey: string; keptKey: string; how: 'close' | 'label' | 'leave' }
  /** A GUID was linked by hand to a ticket (Get Eligible Ticket, `jiraline link`), or unlinked (ticketKey null). */
  | { type: 'linked'; guid: string; ticketKey: string | null }
  /** An operator retried a Failed row: its lines were accepted again, on row newLogId. */
  | { type: 'retried'; guid: string | null; logId: number; newLogId: number }
  /** An operator cancelled a Pending row (or it went with its GUID's cancelled CREATE). */
  | { type: 'cancelled'; guid: string | null; logId: number; reason: string }
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
  status: LogRow['status'];
  ticketKey: string | null;
  ticketUrl: string | null;
  /** A Pending CREATE whose answer was lost, looked up before it is sent again (engine-settle.ts). */
  settling?: boolean;
  /** Why a Failed command failed (its log row's Error Message); absent otherwise. */
  error?: string | null;
}

/** What retrying or cancelling a log row did (`logId`: the row that carries a retry). */
export type RowActionResult = { ok: true; message: string; logId: number } | { ok: false; message: string };

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
  /** Jira's recorded answers, newest first (of a GUID, or of a log row). */
  responses(query: ResponseQuery): Promise<ResponseRow[]>;
  /** Retries a Failed row as a new attempt (a new row); stored before it resolves. */
  retryRow(logId: number): Promise<RowActionResult>;
  /** Cancels a Pending row that is not with Jira right now; stored before it resolves. */
  cancelRow(logId: number): Promise<RowActionResult>;
  resetStats(which: StatsReset): Promise<void>;
  /** serverInfo + myself; updates the connection state. */
  checkConnection(): Promise<ConnectionState>;
  /** The field catalogue last fetched from Jira (kept in the store), or null if never. */
  catalogue(): FieldDef[] | null;
  /** For the Jira pane. */
  search(jql: string, options?: { maxResults?: number; nextPageToken?: string; startAt?: number }): Promise<SearchResult>;
  getIssue(key: string): Promise<JiraIssue>;
  /** One window of the alarms (every GUID seen), newest seen first, and how many match. */
  queryAlarms(query: AlarmQuery): Promise<AlarmPage>;
  /** Links a GUID to an existing ticket (its later UPDATEs go there); never rejects. */
  linkAlarm(guid: string, ticketKey: string): Promise<LinkResult>;
  /** Unlinks a GUID from its ticket; never rejects. */
  unlinkAlarm(guid: string): Promise<LinkResult>;
  /** Settings that take effect without a restart: updates, log, template. */
  setConfig(config: Config): void;
  /** Commands accepted and not finished. */
  pendingCount(): number;
  /** Resolves when no command is due now (waiting ones with a future time do not count). */
  whenIdle(): Promise<void>;
  /** Stops taking work, ends the requests under way at once, lets the units wind up (up to graceMs), commits. */
  stop(graceMs?: number): Promise<void>;
}
