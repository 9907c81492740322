// A stand-in for the engine, for screen tests that only check what is drawn from a given
// snapshot (tab bar, status line, stacking, help, windowing of many rows). Tests of
// behaviour — Execute, log rows appearing, counting, search — use the real engine.
import type { EngineApi, EngineEvent, EngineSnapshot, ExecuteResult, GuidStatus, RowActionResult, StatsReset, ConnectionState } from '../../source/core/engine-api.js';
import type { Config } from '../../source/core/config.js';
import type { AlarmPage, AlarmQuery, AlarmRow } from '../../source/core/alarms.js';
import type { LinkResult } from '../../source/core/engine-alarms.js';
import type { FieldDef, IssuePayload, JiraIssue, LogQuery, LogRow, ResponseQuery, ResponseRow, SearchResult } from '../../source/core/ports.js';

/** An empty snapshot: nothing sent, connection not checked. */
export function emptySnapshot(): EngineSnapshot {
  const zero = { total: 0, today: 0, yesterday: 0 };
  return {
    connection: { state: 'unknown' },
    paused: false,
    queueDepth: 0,
    queueFill: { commands: 0, bytes: 0, maxCommands: 50_000, maxBytes: 64 * 1024 * 1024, fill: 0 },
    throttle: { used: 0, max: 10, intervalSeconds: 60 },
    pacing: { perSecond: 10, concurrent: 10, limitedByJira: false, waiting: 0, inFlight: 0, refusals: 0, pausedUntil: null, endpoints: {}, issues: 0, paced: 0 },
    stats: { created: { ...zero }, updated: { ...zero }, total: { ...zero }, refused: { ...zero }, days: [] },
    logCount: 0,
    logVersion: 0,
    catalogue: null,
    exactlyOnce: { settling: 0, repairChecks: 0, duplicatesRepaired: 0 },
  };
}

/** A log row with defaults. */
export function logRow(id: number, patch: Partial<LogRow> = {}): LogRow {
  return {
    id, type: 'Automatic', action: 'Update', time: Date.parse('2026-11-28T10:00:00') - id * 1000, guid: `alarm-${id}`,
    status: 'Ok', ticketId: String(10000 + id), ticketKey: `OPS-${id}`, ticketUrl: `http://jira.test/browse/OPS-${id}`,
    error: null, lines: 1, request: '{"fields":{}}', response: '201 {}', attempts: 1, nextAttemptAt: null, ...patch,
  };
}

/** The double: a snapshot the test sets, rows it supplies (ids descending = newest first). */
export class EngineDouble implements EngineApi {
  snapshot: EngineSnapshot = emptySnapshot();
  rows: LogRow[] = [];
  lines: string[] = [];
  pending = 0;
  queries: LogQuery[] = [];
  private listeners = new Set<() => void>();

  /** Replaces part of the snapshot and notifies subscribers. */
  update(patch: Partial<EngineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }

  /** n rows, newest first (id n … 1). */
  fillLog(n: number, make: (id: number) => LogRow = (id) => logRow(id)): void {
    this.rows = [];
    for (let id = n; id >= 1; id--) this.rows.push(make(id));
    this.update({ logCount: n, logVersion: this.snapshot.logVersion + 1 });
  }

  getSnapshot(): EngineSnapshot { return this.snapshot; }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
  onEvent(_listener: (event: EngineEvent) => void): () => void { return () => undefined; }
  async submitLine(line: string): Promise<string> {
    this.lines.push(line);
    return `OK ${line.split('|')[0]} queued`;
  }
  status(_guid: string): GuidStatus | null { return null; }
  async execute(_body: IssuePayload): Promise<ExecuteResult> { throw new Error('not in the double'); }
  private filtered(q: Omit<LogQuery, 'offset' | 'limit'>): LogRow[] {
    if (!q.status && !q.guid && !q.ticketKey && !q.text) return this.rows;
    return this.rows.filter((r) => (!q.status || r.status === q.status) && (!q.guid || r.guid === q.guid)
      && (!q.ticketKey || r.ticketKey === q.ticketKey)
      && (!q.text || [r.guid, r.ticketKey, r.error, r.action].some((v) => v?.includes(q.text as string))));
  }
  queryLog(query: LogQuery): LogRow[] {
    this.queries.push(query);
    const offset = query.offset ?? 0;
    return this.filtered(query).slice(offset, offset + (query.limit ?? 100));
  }
  countLog(query: Omit<LogQuery, 'offset' | 'limit'> = {}): number { return this.filtered(query).length; }
  getLogRow(id: number): LogRow | undefined { return this.rows.find((r) => r.id === id); }
  alarms: AlarmRow[] = [];
  links: Array<[string, string | null]> = [];
  async queryAlarms(query: AlarmQuery): Promise<AlarmPage> {
    const rows = this.alarms.filter((a) => (!query.state || a.state === query.state) && (!query.text || a.guid.includes(query.text)));
    const offset = query.offset ?? 0;
    return { rows: rows.slice(offset, offset + (query.limit ?? 100)), total: rows.length };
  }
  async linkAlarm(guid: string, ticketKey: string): Promise<LinkResult> {
    this.links.push([guid, ticketKey]);
    return { ok: true, guid, ticketKey, ticketUrl: null, ticketStatus: null };
  }
  async unlinkAlarm(guid: string): Promise<LinkResult> {
    this.links.push([guid, null]);
    return { ok: true, guid, ticketKey: null, ticketUrl: null, ticketStatus: null };
  }
  /** The recorded answers the double serves (newest first). */
  responseRows: ResponseRow[] = [];
  async responses(query: ResponseQuery): Promise<ResponseRow[]> {
    return this.responseRows.filter((r) => (query.logId === undefined || r.logId === query.logId) && (query.guid === undefined || r.guid === query.guid))
      .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100));
  }
  /** Row actions asked of the double, in order ('retry 7', 'cancel 3'). */
  rowActions: string[] = [];
  async retryRow(logId: number): Promise<RowActionResult> {
    this.rowActions.push(`retry ${logId}`);
    return { ok: true, message: `log row ${logId} retried as row ${logId + 1000}`, logId: logId + 1000 };
  }
  async cancelRow(logId: number): Promise<RowActionResult> {
    this.rowActions.push(`cancel ${logId}`);
    return { ok: true, message: `log row ${logId} cancelled`, logId };
  }
  async resetStats(_which: StatsReset): Promise<void> { /* rendering-only double */ }
  async checkConnection(): Promise<ConnectionState> { return this.snapshot.connection; }
  catalogue(): FieldDef[] | null { return this.snapshot.catalogue; }
  async search(_jql: string): Promise<SearchResult> { return { issues: [] }; }
  async getIssue(key: string): Promise<JiraIssue> { throw new Error(`no ${key} in the double`); }
  setConfig(_config: Config): void { /* rendering-only double */ }
  pendingCount(): number { return this.pending; }
  async whenIdle(): Promise<void> { /* nothing runs */ }
  async stop(): Promise<void> { /* nothing runs */ }
}
