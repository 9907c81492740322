// The engine of another process, as the app's panes see it: the same EngineApi as an engine
// in this process, over the control socket. Snapshots come pushed (batched by the engine);
// log rows come a window at a time through LogWindowCache; actions are requests.
//
// When the engine goes away (stopped, restarted, crashed) the app is told at once
// (`attachment` turns 'lost'), keeps what it last showed, and reattaches as soon as an
// engine answers on that data directory again. It never starts an engine of its own: that
// is the user's choice (`waitedLong` says when to offer it).
import type {
  ConnectionState, EngineApi, EngineEvent, EngineSnapshot, ExecuteResult, GuidStatus, RowActionResult, StatsReset,
} from '../core/engine-api.js';
import type { Config } from '../core/config.js';
import type { CredentialSource, Credentials, FieldDef, IssuePayload, JiraIssue, LogQuery, LogRow, ResponseQuery, ResponseRow, SearchResult } from '../core/ports.js';
import type { SettingsState } from '../daemon/shared-settings.js';
import { createValueStore, type ValueStore } from '../value-cell.js';
import { lockHolder, readControlRecord } from './control-address.js';
import { connectControl, type ControlConnection, type ControlUpdate } from './control-client.js';
import type { EngineInfo, HelloState, WireSnapshot } from './control-protocol.js';
import { LogWindowCache } from './log-window-cache.js';
import type { AlarmPage, AlarmQuery } from '../core/alarms.js';
import type { LinkResult } from '../core/engine-alarms.js';

/** How an attached app stands with the engine it shows. */
export type AttachmentState =
  | { state: 'attached'; pid: number }
  /** The engine went away; the app keeps the screen and tries to reattach. */
  | { state: 'lost'; pid: number; since: number; reason: string; waitedLong: boolean };

/** Options of attachEngine. */
export interface AttachOptions {
  /** How often to look for the engine again once it went away. */
  retryMs?: number;
  /** After this long without an engine, `waitedLong` turns true (the app offers to start one). */
  offerAfterMs?: number;
  client?: string;
}

/** Why no engine could be attached to (none runs, or it does not answer). */
export class NoEngineError extends Error {}

/** Connects to the engine running on dataDir (its control record names the socket). */
export async function connectToDataDir(dataDir: string, client?: string, options: { events?: boolean } = {}): Promise<ControlConnection> {
  const record = await readControlRecord(dataDir);
  const holder = await lockHolder(dataDir);
  if (record === null || holder === null || record.pid !== holder) {
    throw new NoEngineError(holder === null ? `no engine runs on ${dataDir}` : `the engine (pid ${holder}) on ${dataDir} has no control socket (an older jiraline, or still starting)`);
  }
  return connectControl(record.socket, { client, events: options.events });
}

/** Connects as the app: without events (its panes listen to none; onEvent asks for them). */
function connectApp(dataDir: string, client?: string): Promise<ControlConnection> {
  return connectToDataDir(dataDir, client, { events: false });
}

/** The remote engine plus what the app needs beside it. */
export class RemoteEngine implements EngineApi {
  readonly attachment: ValueStore<AttachmentState>;
  readonly settings: ValueStore<SettingsState>;
  /** The engine as it said hello (the latest one, after a reattach). */
  info: EngineInfo;
  readonly state: HelloState;
  private connection: ControlConnection;
  private wire: WireSnapshot;
  private catalogueDefs: FieldDef[] | null;
  private snapshot: EngineSnapshot;
  private localVersion = 0;
  private engineLogVersion: number;
  private readonly log: LogWindowCache;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private ownSaves = 0;
  private laterSettings: SettingsState | null = null;
  private retry: ReturnType<typeof setInterval> | null = null;
  private detached = false;

  constructor(connection: ControlConnection, private readonly dataDir: string, private readonly options: AttachOptions = {}) {
    this.connection = connection;
    this.info = connection.engine;
    this.state = connection.state;
    this.wire = connection.state.snapshot;
    this.catalogueDefs = connection.state.catalogue;
    this.engineLogVersion = this.wire.logVersion;
    this.snapshot = this.compose();
    this.attachment = createValueStore<AttachmentState>({ state: 'attached', pid: connection.engine.pid });
    this.settings = createValueStore<SettingsState>(connection.state.settings);
    this.log = new LogWindowCache(() => (this.connection.closed ? null : {
      // Rows for the list: brief (no request, no Jira answer); an opened row comes whole from getLogRow.
      queryLog: (query) => this.connection.request<LogRow[]>('queryLog', { ...query, brief: true }),
      countLog: (filter) => this.connection.request<number>('countLog', filter),
      getLogRow: (id) => this.connection.request<LogRow | null>('getLogRow', { id }),
    }), () => this.bump());
    this.adopt(connection);
  }

  private compose(): EngineSnapshot {
    return { ...this.wire, catalogue: this.catalogueDefs, logVersion: this.localVersion };
  }

  private notify(): void {
    this.snapshot = this.compose();
    for (const listener of [...this.listeners]) listener();
  }

  /** Something the log pane shows changed (the engine's log, or rows that arrived). */
  private bump(): void {
    this.localVersion += 1;
    this.notify();
  }

  private adopt(connection: ControlConnection): void {
    this.connection = connection;
    this.info = connection.engine;
    connection.onUpdate((update) => this.onUpdate(update));
    connection.onClose((reason) => this.onLost(reason));
  }

  private onUpdate(update: ControlUpdate): void {
    if (update.snapshot) {
      this.wire = update.snapshot;
      if (update.snapshot.logVersion !== this.engineLogVersion) {
        this.engineLogVersion = update.snapshot.logVersion;
        this.localVersion += 1;
        this.log.setVersion(this.localVersion);
      }
    }
    // Rows of the window this app last asked, at the new log version: the redraw asks nothing.
    // Rows it no longer reads are not worth their bytes: the engine is asked to stop (a read
    // of the log asks for them again).
    if (update.log && !this.log.offer(update.log.query, update.log.rows)) void this.connection.request('unwatchLog').catch(() => undefined);
    if (update.catalogue !== undefined) this.catalogueDefs = update.catalogue;
    if (update.settings) {
      // While our own saves are out, an older echo of them must not undo a newer edit.
      if (this.ownSaves > 0) this.laterSettings = update.settings;
      else this.settings.set(update.settings);
    }
    this.notify();
    for (const event of update.events ?? []) for (const listener of [...this.eventListeners]) listener(event);
  }

  private onLost(reason: string): void {
    if (this.detached) return;
    const since = Date.now();
    this.attachment.set({ state: 'lost', pid: this.info.pid, since, reason, waitedLong: false });
    const retryMs = this.options.retryMs ?? 300;
    const offerAfterMs = this.options.offerAfterMs ?? 10_000;
    let trying = false;
    this.retry = setInterval(() => {
      if (trying) return;
      trying = true;
      connectApp(this.dataDir, this.options.client).then((connection) => {
        if (this.detached) return connection.close();
        this.stopRetry();
        this.adopt(connection);
        this.wire = connection.state.snapshot;
        this.catalogueDefs = connection.state.catalogue;
        this.engineLogVersion = this.wire.logVersion;
        this.log.clear();
        this.settings.set(connection.state.settings);
        this.attachment.set({ state: 'attached', pid: connection.engine.pid });
        if (this.eventListeners.size > 0) this.watchEvents(true);
        this.bump();
      }, () => {
        const current = this.attachment.get();
        if (current.state === 'lost' && !current.waitedLong && Date.now() - since >= offerAfterMs) {
          this.attachment.set({ ...current, waitedLong: true });
        }
      }).finally(() => {
        trying = false;
      });
    }, retryMs);
  }

  private stopRetry(): void {
    if (this.retry !== null) clearInterval(this.retry);
    this.retry = null;
  }

  private request<T>(method: string, params?: unknown): Promise<T> {
    const current = this.attachment.get();
    if (current.state === 'lost') {
      return Promise.reject(new Error(`the engine (pid ${current.pid}) went away; waiting for it to come back`));
    }
    return this.connection.request<T>(method, params);
  }

  getSnapshot(): EngineSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * The engine sends events only to an app that listens for them (attachEngine says hello
   * without): the first listener asks for them, the last one leaving stops them.
   */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    if (this.eventListeners.size === 1) this.watchEvents(true);
    return () => {
      if (this.eventListeners.delete(listener) && this.eventListeners.size === 0) this.watchEvents(false);
    };
  }

  private watchEvents(on: boolean): void {
    // While the engine is away there is nothing to ask: the reattach's hello says it.
    if (this.attachment.get().state === 'attached') void this.connection.request('watchEvents', { on }).catch(() => undefined);
  }

  submitLine(line: string): Promise<string> {
    return this.request<string>('submitLine', { line }).catch((error: unknown) => `ERR - ${(error as Error).message}`);
  }

  /** Only the socket's STATUS asks this, never a pane; an attached app has no answer at hand. */
  status(_guid: string): GuidStatus | null {
    return null;
  }

  execute(body: IssuePayload): Promise<ExecuteResult> {
    return this.request<ExecuteResult>('execute', { body });
  }

  queryLog(query: LogQuery): LogRow[] {
    return this.log.queryLog(query);
  }

  /** Whether queryLog answers these rows from what is held, exactly (not the nearest rows while fetching). */
  holdsLog(query: LogQuery): boolean {
    return this.log.holds(query);
  }

  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number {
    // The whole log's count comes with every update: no round trip (and no query in the
    // engine) for it on each redraw.
    const q = query ?? {};
    const unfiltered = q.status === undefined && q.guid === undefined && q.ticketKey === undefined && q.jira === undefined && !q.text;
    return unfiltered ? this.wire.logCount : this.log.countLog(query);
  }

  getLogRow(id: number): LogRow | undefined {
    return this.log.getLogRow(id);
  }

  responses(query: ResponseQuery): Promise<ResponseRow[]> {
    return this.request<ResponseRow[]>('responses', query);
  }

  retryRow(logId: number): Promise<RowActionResult> {
    return this.request<RowActionResult>('retryRow', { logId });
  }

  cancelRow(logId: number): Promise<RowActionResult> {
    return this.request<RowActionResult>('cancelRow', { logId });
  }

  async resetStats(which: StatsReset): Promise<void> {
    await this.request('resetStats', { which });
  }

  checkConnection(): Promise<ConnectionState> {
    return this.request<ConnectionState>('checkConnection');
  }

  catalogue(): FieldDef[] | null {
    return this.catalogueDefs;
  }

  search(jql: string, options?: { maxResults?: number; nextPageToken?: string; startAt?: number }): Promise<SearchResult> {
    return this.request<SearchResult>('search', { jql, options });
  }

  getIssue(key: string): Promise<JiraIssue> {
    return this.request<JiraIssue>('getIssue', { key });
  }

  queryAlarms(query: AlarmQuery): Promise<AlarmPage> {
    return this.request<AlarmPage>('queryAlarms', query);
  }

  linkAlarm(guid: string, ticketKey: string): Promise<LinkResult> {
    return this.request<LinkResult>('linkAlarm', { guid, ticketKey }).catch((error: unknown) => ({ ok: false as const, guid, error: (error as Error).message }));
  }

  unlinkAlarm(guid: string): Promise<LinkResult> {
    return this.request<LinkResult>('unlinkAlarm', { guid }).catch((error: unknown) => ({ ok: false as const, guid, error: (error as Error).message }));
  }

  /** The engine applies and writes the config (saveConfig); this only says so locally. */
  setConfig(config: Config): void {
    void this.saveConfig(config).catch(() => undefined);
  }

  /** The engine writes the config and applies it live; every attached app sees it. */
  async saveConfig(config: Config): Promise<void> {
    this.settings.set((s) => ({ ...s, config }));
    this.ownSaves += 1;
    try {
      await this.request('saveConfig', { config });
    } finally {
      this.ownSaves -= 1;
      if (this.ownSaves === 0 && this.laterSettings) {
        this.settings.set(this.laterSettings);
        this.laterSettings = null;
      }
    }
  }

  /** The engine stores the credentials and reloads them (the secret travels only over the 0600 socket). */
  async saveCredentials(credentials: Credentials): Promise<{ source: CredentialSource; warning?: string }> {
    const wire = credentials.method === 'basic'
      ? { method: 'basic', username: credentials.username, password: credentials.password.reveal() }
      : { method: 'key', key: credentials.key.reveal() };
    return this.request('saveCredentials', { credentials: wire });
  }

  pendingCount(): number {
    return this.wire.queueDepth;
  }

  async whenIdle(): Promise<void> {
    await this.request('whenIdle');
  }

  /** Detaches: the engine keeps running (an attached app never stops it). */
  async stop(): Promise<void> {
    this.detached = true;
    this.stopRetry();
    this.connection.close();
  }
}

/** Attaches to the engine running on dataDir; throws NoEngineError when none answers. */
export async function attachEngine(dataDir: string, options: AttachOptions = {}): Promise<RemoteEngine> {
  const connection = await connectApp(dataDir, options.client);
  return new RemoteEngine(connection, dataDir, options);
}
