// The engine as the app sees it while the real one is still starting. Loading the store,
// sql.js's wasm, undici and (in demo mode) the simulator takes a second or more; the app
// is drawn and takes keys long before that. Until the engine is there this stand-in
// answers the panes' reads with an empty state (no log rows, no catalogue) and holds every
// request (a line sent from the command line, an Execute, a search) in order; once the
// engine is handed over (`ready`) the held requests go to it in the order they were made,
// the panes are told that everything changed, and from then on each call goes straight
// through. Nothing asked of it before the engine came is dropped.
import type { Config } from '../core/config.js';
import type { AlarmPage, AlarmQuery } from '../core/alarms.js';
import type { LinkResult } from '../core/engine-alarms.js';
import type {
  ConnectionState, EngineApi, EngineEvent, EngineSnapshot, ExecuteResult, GuidStatus, RowActionResult, StatsReset,
} from '../core/engine-api.js';
import type { FieldDef, IssuePayload, JiraIssue, LogQuery, LogRow, ResponseQuery, ResponseRow, SearchResult } from '../core/ports.js';
import { buildStats } from '../core/stats.js';

/**
 * The log version shown before the engine is there: one no engine has (an engine counts
 * from 1), so the Log and Alarms panes read again when the real one comes.
 */
export const STARTING_LOG_VERSION = -2;

/** What the panes draw before the engine is there: nothing queued, nothing logged, nothing known of Jira yet. */
export function startingSnapshot(config: Config, now: number): EngineSnapshot {
  const { maxCommands, maxBytes } = config.queue;
  return {
    connection: { state: 'unknown' },
    paused: false,
    queueDepth: 0,
    queueFill: { commands: 0, bytes: 0, maxCommands, maxBytes, fill: 0 },
    throttle: { used: 0, max: config.updates.maxUpdates, intervalSeconds: config.updates.intervalSeconds },
    pacing: { perSecond: 0, concurrent: 0, limitedByJira: false, waiting: 0, inFlight: 0, refusals: 0, pausedUntil: null, endpoints: {}, issues: 0, paced: 0 },
    stats: buildStats([], { created: 0, updated: 0 }, now),
    logCount: 0,
    logVersion: STARTING_LOG_VERSION,
    catalogue: null,
    exactlyOnce: { settling: 0, repairChecks: 0, duplicatesRepaired: 0 },
    allowed: null,
  };
}

/** An EngineApi that holds requests until the engine is handed over, then passes everything through. */
export class StartingEngine implements EngineApi {
  private real: EngineApi | null = null;
  private readonly initial: EngineSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  /** Requests made before the engine came, in the order they were made. */
  private readonly held: Array<{ run(engine: EngineApi): void; fail(error: unknown): void }> = [];
  private failure: { error: unknown } | null = null;
  private configWanted: Config | null = null;

  constructor(config: Config, now = Date.now()) {
    this.initial = startingSnapshot(config, now);
  }

  /** True once the engine was handed over. */
  get started(): boolean {
    return this.real !== null;
  }

  /**
   * Hands over the engine: the held requests go to it in order, then every listener hears
   * of a change (the panes read the real state). Only the first call counts.
   */
  ready(engine: EngineApi): void {
    if (this.real || this.failure) return;
    if (this.configWanted) engine.setConfig(this.configWanted);
    this.real = engine;
    engine.subscribe(() => this.notify());
    engine.onEvent((event) => {
      for (const listener of [...this.eventListeners]) listener(event);
    });
    // In order, and before anything asked from now on (which goes straight through).
    for (const request of this.held.splice(0)) request.run(engine);
    this.notify();
  }

  /** The engine will not come: held requests (and later ones) reject with `error`. */
  fail(error: unknown): void {
    if (this.real || this.failure) return;
    this.failure = { error };
    for (const request of this.held.splice(0)) request.fail(error);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Runs `call` on the engine now, or once it is there (after every request made before it). */
  private later<T>(call: (engine: EngineApi) => Promise<T>): Promise<T> {
    if (this.real) return call(this.real);
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<T>((resolve, reject) => {
      this.held.push({
        run: (engine) => {
          // A call that throws at once rejects, as an async one would.
          try {
            call(engine).then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        },
        fail: reject,
      });
    });
  }

  getSnapshot(): EngineSnapshot {
    return this.real ? this.real.getSnapshot() : this.initial;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => {
      this.eventListeners.delete(listener);
    };
  }

  submitLine(line: string): Promise<string> {
    return this.later((engine) => engine.submitLine(line));
  }

  noteRefused(reply: string): void {
    this.real?.noteRefused?.(reply);
  }

  status(guid: string): GuidStatus | null {
    return this.real ? this.real.status(guid) : null;
  }

  execute(body: IssuePayload): Promise<ExecuteResult> {
    return this.later((engine) => engine.execute(body));
  }

  queryLog(query: LogQuery): LogRow[] {
    return this.real ? this.real.queryLog(query) : [];
  }

  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number {
    return this.real ? this.real.countLog(query) : 0;
  }

  getLogRow(id: number): LogRow | undefined {
    return this.real?.getLogRow(id);
  }

  responses(query: ResponseQuery): Promise<ResponseRow[]> {
    return this.later((engine) => engine.responses(query));
  }

  retryRow(logId: number): Promise<RowActionResult> {
    return this.later((engine) => engine.retryRow(logId));
  }

  cancelRow(logId: number): Promise<RowActionResult> {
    return this.later((engine) => engine.cancelRow(logId));
  }

  resetStats(which: StatsReset): Promise<void> {
    return this.later((engine) => engine.resetStats(which));
  }

  checkConnection(): Promise<ConnectionState> {
    return this.later((engine) => engine.checkConnection());
  }

  catalogue(): FieldDef[] | null {
    return this.real ? this.real.catalogue() : null;
  }

  search(jql: string, options?: { maxResults?: number; nextPageToken?: string; startAt?: number }): Promise<SearchResult> {
    return this.later((engine) => engine.search(jql, options));
  }

  getIssue(key: string): Promise<JiraIssue> {
    return this.later((engine) => engine.getIssue(key));
  }

  queryAlarms(query: AlarmQuery): Promise<AlarmPage> {
    return this.later((engine) => engine.queryAlarms(query));
  }

  linkAlarm(guid: string, ticketKey: string): Promise<LinkResult> {
    return this.later((engine) => engine.linkAlarm(guid, ticketKey));
  }

  unlinkAlarm(guid: string): Promise<LinkResult> {
    return this.later((engine) => engine.unlinkAlarm(guid));
  }

  setConfig(config: Config): void {
    if (this.real) this.real.setConfig(config);
    else this.configWanted = config;
  }

  pendingCount(): number {
    return this.real ? this.real.pendingCount() : this.held.length;
  }

  whenIdle(): Promise<void> {
    return this.later((engine) => engine.whenIdle());
  }

  stop(graceMs?: number): Promise<void> {
    return this.later((engine) => engine.stop(graceMs));
  }
}
