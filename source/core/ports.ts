// The ports: the small interfaces through which the engine reaches the outside world.
// source/core imports no I/O; source/jira, source/store, source/secrets and the clock
// implementations in source/daemon implement these, and tests pass fakes that behave alike.
import type { RateHeaders } from './pacer.js';
import type { AlarmPage, AlarmQuery, AlarmRow } from './alarms.js';
import type { JiraResponse, ResponseQuery, ResponseRow } from './response-types.js';

/** Milliseconds since the epoch and timers; injected so tests run on fake time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Runs fn once the event loop has turned (I/O first): a yield of the thread, not a wait. */
  nextTurn(fn: () => void): void;
}

/** An opaque timer handle returned by Clock.setTimeout. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** What GET /rest/api/2/serverInfo says about the Jira we talk to. */
export interface ServerInfo {
  deploymentType: 'Cloud' | 'Server' | 'DataCenter';
  version: string;
  baseUrl: string;
  serverTitle?: string;
}

/** The user the credentials belong to (GET /myself). */
export interface JiraUser {
  accountId?: string;
  name?: string;
  displayName: string;
  emailAddress?: string;
}

/** One entry of Jira's field catalogue (GET /rest/api/2/field), as Jira sends it. */
export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  schema?: {
    type: string;
    items?: string;
    system?: string;
    custom?: string;
    customId?: number;
  };
}

/** A field as createmeta reports it for one project and issue type. */
export interface CreateMetaField {
  fieldId: string;
  name: string;
  required: boolean;
  schema?: FieldDef['schema'];
  allowedValues?: Array<Record<string, unknown>>;
}

/** An issue type as createmeta lists it for a project. */
export interface CreateMetaIssueType {
  id: string;
  name: string;
  subtask?: boolean;
}

/** The JSON body of a create or an edit: `fields` and optional `update` verbs. */
export interface IssuePayload {
  fields?: Record<string, unknown>;
  update?: Record<string, Array<Record<string, unknown>>>;
  [key: string]: unknown;
}

/** Jira's answer to a create (201). */
export interface CreatedIssue {
  id: string;
  key: string;
  self: string;
}

/** One transition of an issue, with the status it leads to. */
export interface Transition {
  id: string;
  name: string;
  /** The status it leads to; `statusCategory` is its category's key (`new`, `indeterminate`, `done`) when Jira says. */
  to: { id: string; name: string; statusCategory?: string };
}

/** An issue as GET /issue/{key} or a search returns it. */
export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields: Record<string, unknown>;
}

/** A search: the issues and whether more pages exist. */
export interface SearchResult {
  issues: JiraIssue[];
  /** Cloud /search/jql token for the next page, if any. */
  nextPageToken?: string;
  /** Server/DC total, when Jira reports it. */
  total?: number;
}

/** A comment as Jira lists it, reduced to what tells whether jiraline added it. */
export interface JiraComment {
  id: string;
  /** The body as plain text (ADF on API 3 is read back as text). */
  text: string;
  /** The author's accountId (Cloud) or name (Server/DC); null when Jira did not say. */
  author: string | null;
  /** When Jira made it (ms epoch); null when unreadable. */
  created: number | null;
  /** The value of its `jiraline` entity property, when Jira kept and returned it. */
  marker?: unknown;
}

/** One page of an issue's comments. */
export interface CommentPage {
  comments: JiraComment[];
  /** How many the issue has, when Jira says. */
  total?: number;
}

/**
 * What a caller may give any JiraPort call: a signal that ends it. When the signal aborts, the
 * request under way is ended at once (its answer is not waited for) and the call rejects with a
 * JiraError of cause `stopped`; a call made after it aborted rejects before anything is sent.
 * The engine passes its stop signal with every call (docs/architecture.md, stopping).
 */
export interface CallOptions {
  signal?: AbortSignal;
  /** The command the requests are made for (its id): their answers say it (the Responses view). */
  tag?: number;
}

/**
 * The Jira REST client as the engine sees it. Every method throws a JiraError
 * (source/core/jira-error.ts) on failure, which says whether to retry. Every request method
 * takes CallOptions last.
 */
export interface JiraPort {
  /** Base URL of Jira without a trailing slash, e.g. https://acme.atlassian.net. */
  readonly baseUrl: string;
  /** 3 when the Ticket Location URL names API 3 (rich text as ADF), else 2. */
  readonly apiVersion: 2 | 3;
  serverInfo(call?: CallOptions): Promise<ServerInfo>;
  myself(call?: CallOptions): Promise<JiraUser>;
  fields(call?: CallOptions): Promise<FieldDef[]>;
  createMetaIssueTypes(project: string, call?: CallOptions): Promise<CreateMetaIssueType[]>;
  createMetaFields(project: string, issueTypeId: string, call?: CallOptions): Promise<CreateMetaField[]>;
  /** The names of the statuses the project's workflows have, for every issue type (optional: a port
   *  without it leaves every `status;NAME` to Jira). */
  projectStatuses?(project: string, call?: CallOptions): Promise<string[]>;
  createIssue(body: IssuePayload, call?: CallOptions): Promise<CreatedIssue>;
  editIssue(key: string, body: IssuePayload, call?: CallOptions): Promise<void>;
  transitions(key: string, call?: CallOptions): Promise<Transition[]>;
  /** Applies the transition whose target status has this name (case-insensitive).
   *  Throws a final JiraError listing the available target statuses when none matches. */
  transitionTo(key: string, statusName: string, call?: CallOptions): Promise<Transition>;
  /** Adds a comment; the text is sent as ADF on API 3, as a string otherwise. A marker goes
   *  with it as the comment's `jiraline` entity property (read back by `comments`). */
  addComment(key: string, text: string, marker?: Record<string, unknown>, call?: CallOptions): Promise<void>;
  /** One page of an issue's comments, newest first, with their `jiraline` property. */
  comments(key: string, options: { startAt: number; maxResults: number }, call?: CallOptions): Promise<CommentPage>;
  getIssue(key: string, fields?: string[], call?: CallOptions): Promise<JiraIssue>;
  /** Links two issues (POST /issueLink) with the link type of this name, e.g. `Relates`. */
  linkIssues(type: string, inwardKey: string, outwardKey: string, call?: CallOptions): Promise<void>;
  /** One page of a JQL search (Cloud /search/jql or Server/DC /search, chosen by deployment). */
  search(jql: string, options?: { fields?: string[]; maxResults?: number; nextPageToken?: string; startAt?: number }, call?: CallOptions): Promise<SearchResult>;
  /** `{baseUrl}/browse/{key}` */
  browseUrl(key: string): string;
  /**
   * Hears Jira's rate-limit headers on every answer that carries them (Data Center's bucket,
   * Cloud's near-limit warning), for the engine's pacer. Optional: a port without it is paced
   * on its 429s alone.
   */
  observeRate?(listener: ((headers: RateHeaders) => void) | null): void;
  /** Hears every answer (the Responses view). Optional: a port without it records nothing. */
  observeResponses?(listener: ((response: JiraResponse) => void) | null): void;
  /**
   * A custom endpoint's request (a CALL line): method, a path relative to the Jira URL, an
   * optional JSON body; resolves with the status on a 2xx. Optional: a port without it fails CALLs.
   */
  request?(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, call?: CallOptions): Promise<{ status: number }>;
  /** Releases sockets. */
  close(): Promise<void>;
}

export type { JiraResponse, ResponseQuery, ResponseRow };

/** A credential as stored: Basic (username + password/API token) or an Authorization Key. */
export type Credentials =
  | { method: 'basic'; username: string; password: Secret }
  | { method: 'key'; key: Secret };

/** Where the credentials in use came from. */
export type CredentialSource = 'environment' | 'keychain' | 'file' | 'none';

/** A string that never prints: String(), JSON and util.inspect all show `<secret>`. */
export interface Secret {
  reveal(): string;
  toString(): string;
  toJSON(): string;
}

/** Storage of credentials: env → keychain → 0600 file (source/secrets). */
export interface SecretStore {
  load(): Promise<{ credentials: Credentials | null; source: CredentialSource; warning?: string }>;
  save(credentials: Credentials): Promise<{ source: CredentialSource; warning?: string }>;
  clear(): Promise<void>;
}

// ---------------------------------------------------------------------------------
// Store: the durable state. Mutations are synchronous (sql.js runs in memory);
// durability is asynchronous: commit() resolves once every mutation made before the
// call is on disk (group commit). A socket reply waits for that promise.

/** A command accepted and kept until it is done. */
export interface QueuedCommand {
  /** Accept order; commands of one GUID are sent in this order. */
  id: number;
  type: 'Manual' | 'Automatic';
  /** create = make a ticket; update = change the GUID's ticket (also a CREATE resent for a GUID that has one);
   *  call = a custom endpoint (a CALL line), sent as an update is, never merged. */
  kind: 'create' | 'update' | 'call';
  guid: string | null;
  /** The Advanced line as received (Automatic), parsed again when sent. */
  line: string | null;
  /** The JSON body (Manual Execute). */
  payload: string | null;
  /** queued: waiting; inflight: a request may have reached Jira; done/failed: finished. */
  state: 'queued' | 'inflight' | 'done' | 'failed';
  attempts: number;
  /** When the next attempt may start (ms epoch). */
  nextAttemptAt: number;
  acceptedAt: number;
  /** When it was first sent (ms epoch), null before. */
  firstSentAt: number | null;
  /** The log row that carries it (merged updates share one). */
  logId: number | null;
  /** Whether this update already took a slot in the throttle window (retries don't count again). */
  throttleCounted: boolean;
}

/** One row of the log, plus the detail the Log pane opens. */
export interface LogRow {
  id: number;
  type: 'Manual' | 'Automatic';
  /** Repair: a duplicate ticket of the GUID repaired (engine-repair.ts). Reopen: a recurring
   *  CREATE moved the GUID's resolved ticket back and updated it. */
  action: 'Create' | 'Update' | 'Repair' | 'Reopen' | 'Call';
  /** When first sent, or accepted while it waits (ms epoch). */
  time: number;
  guid: string | null;
  /** Cancelled: an operator cancelled it while it was Pending (nothing more is sent). */
  status: 'Pending' | 'Ok' | 'Failed' | 'Cancelled';
  ticketId: string | null;
  ticketKey: string | null;
  ticketUrl: string | null;
  error: string | null;
  /** How many Advanced lines the row carries (merged updates > 1). */
  lines: number;
  /** The JSON last sent to Jira. */
  request: string | null;
  /** Jira's last answer (status and body, redacted, first 2 KB). */
  response: string | null;
  attempts: number;
  nextAttemptAt: number | null;
  /** The Jira the row's command was for (jira-identity.ts); the store fills it in on insert. */
  jira?: string;
}

/** A filter for the log table; every part optional. */
export interface LogQuery {
  offset?: number;
  limit?: number;
  status?: LogRow['status'];
  guid?: string;
  ticketKey?: string;
  /** Only the rows of this Jira (its identity, jira-identity.ts). */
  jira?: string;
  /** Free text: matched against GUID, key, error and action. */
  text?: string;
  /** Rows for a list: `request` and `response` come back null (they are most of a row's bytes; a list shows neither). */
  brief?: boolean;
}

/** The ticket a GUID names. */
export interface TicketRef {
  guid: string;
  ticketId: string;
  ticketKey: string;
  ticketUrl: string;
}

/** Daily counters of one local calendar day ('YYYY-MM-DD'). */
export interface DayCount {
  day: string;
  created: number;
  updated: number;
}

/** Lines refused with ERR (kept beside the ticket counters): in total, and per local day. */
export interface RefusedCounts {
  total: number;
  /** Days with refusals, oldest first. */
  days: Array<{ day: string; refused: number }>;
}

/** The durable store (source/store implements it with sql.js). */
export interface StorePort {
  /**
   * The Jira the store is bound to (jira-identity.ts): the GUID → ticket map, the open
   * commands and new log rows are this Jira's; another Jira's stay as they are, unused.
   */
  readonly jira: string;

  // queue
  insertCommand(command: Omit<QueuedCommand, 'id'>): number;
  updateCommand(id: number, patch: Partial<Omit<QueuedCommand, 'id'>>): void;
  getCommand(id: number): QueuedCommand | undefined;
  /** Commands in state queued or inflight, in accept order. */
  openCommands(): QueuedCommand[];
  /** The latest command of a GUID, any state. */
  latestCommandFor(guid: string): QueuedCommand | undefined;
  /** Removes one command, once it is finished (its log row tells its story). */
  deleteCommand(id: number): void;
  /** The commands a Failed log row carries (kept for a retry; gone once retried or pruned). */
  failedCommandsOf(logId: number): QueuedCommand[];
  /** Removes finished commands older than this (ms epoch); their log rows stay. */
  purgeFinishedCommands(before: number): number;

  // GUID → ticket (on the store's Jira)
  getTicket(guid: string): TicketRef | undefined;
  /** Links a GUID to a ticket; the alarm's ticket follows (its status is forgotten when the key changes). */
  setTicket(ref: TicketRef): void;
  /** Unlinks a GUID: its later UPDATEs are refused until a CREATE or a link gives it a ticket again. */
  deleteTicket(guid: string): void;

  // alarms (on the store's Jira; alarms.ts)
  /** An Advanced line was accepted for the GUID: seen now, one more line, work pending (`ticket`: its ticket, for a new alarm row). */
  noteAlarmLine(guid: string, action: 'Create' | 'Update', now: number, ticket?: TicketRef): void;
  /** Changes an alarm that exists (nothing when it does not). */
  updateAlarm(guid: string, patch: Partial<Omit<AlarmRow, 'guid' | 'jira'>>): void;
  /** Its work is done: the alarm is failed, or resolved / open as its ticket's last known status says (one statement: it runs per unit). */
  settleAlarm(guid: string, outcome: 'ok' | 'failed'): void;
  /** Makes the alarm exist (a link for a GUID never seen), seen now. */
  ensureAlarm(guid: string, action: AlarmRow['lastAction'], now: number): void;
  getAlarm(guid: string): AlarmRow | undefined;
  /** Newest lastSeen first, with the count matching the filter. */
  queryAlarms(query: AlarmQuery): AlarmPage;
  /** Deletes the least recently seen alarms beyond maxEntries, never a pending one; returns how many went. */
  pruneAlarmsToCount(maxEntries: number): number;

  // log
  insertLog(row: Omit<LogRow, 'id'>): number;
  updateLog(id: number, patch: Partial<Omit<LogRow, 'id'>>): void;
  getLog(id: number): LogRow | undefined;
  /** Newest first. */
  queryLog(query: LogQuery): LogRow[];
  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number;
  /** Deletes the oldest non-Pending rows beyond maxEntries; returns how many went. */
  pruneLogToCount(maxEntries: number): number;
  /** Deletes non-Pending rows with time before this (ms epoch); returns how many went. */
  pruneLogOlderThan(before: number): number;

  // Jira's answers (the Responses view)
  insertResponse(row: Omit<ResponseRow, 'id'>): number;
  /** Adds answers together, in order (ids as insertResponse would give them, one after another). */
  insertResponses(rows: ReadonlyArray<Omit<ResponseRow, 'id'>>): void;
  /** Newest first. */
  queryResponses(query: ResponseQuery): ResponseRow[];
  countResponses(query?: Omit<ResponseQuery, 'offset' | 'limit'>): number;
  /** Deletes the oldest beyond maxEntries; returns how many went. */
  pruneResponses(maxEntries: number): number;

  // statistics
  /** Adds to a day's counters and to the totals. */
  addStats(day: string, created: number, updated: number, refused?: number): void;
  /** Counters of the given days (missing days are absent). */
  statsDays(fromDay: string, toDay: string): DayCount[];
  statsTotals(): { created: number; updated: number };
  /** Lines refused with ERR: the total and the days from..to (as addStats' `refused` counted them). */
  statsRefused(fromDay: string, toDay: string): RefusedCounts;
  resetStatsDaily(): void;
  resetStatsTotals(): void;

  // small values: the field catalogue, serverInfo, last prune time …
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  deleteMeta(key: string): void;
  /** The meta keys that start with a prefix. */
  metaKeys(prefix: string): string[];

  /** Resolves when every mutation made before this call is durably on disk. */
  commit(): Promise<void>;
  /** Commits what is left, releases the lock. */
  close(): Promise<void>;
}
