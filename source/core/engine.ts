// The engine: accept → store → throttle → send → log and statistics, with
// retries, one GUID in order, and recovery after a crash. This file only coordinates; the
// parts live beside it: engine-accept (lines in), engine-worker (scheduling and the
// throttle), engine-send / engine-outcome (Jira calls and their results), engine-recovery
// (what a crash left), engine-manual (Execute), engine-gate (one probe at a time while Jira
// is not taking requests), engine-auth-pause (refused credentials hold the queue),
// engine-day-timers (the daily prune, the midnight redraw). It reaches the world through ports only.
// See docs/architecture.md#the-life-of-one-line.
import type { Config } from './config.js';
import { acceptLine } from './engine-accept.js';
import { allowedAfterConfig, refreshAllowed } from './engine-allowed.js';
import type {
  ConnectionState, EngineApi, EngineEvent, EngineSnapshot, ExecuteResult, GuidStatus, RowActionResult, StatsReset,
} from './engine-api.js';
import { cancelRow, retryRow, type RowActionHooks } from './engine-row-actions.js';
import { EngineCore, messageOf, paceLimits } from './engine-core.js';
import { FillWatch, queueFill } from './engine-ceiling.js';
import { executeManual } from './engine-manual.js';
import { guidStatus, linkAlarm, queryAlarms, unlinkAlarm, type AlarmPage, type AlarmQuery, type LinkResult } from './engine-alarms.js';
import { noteRefused } from './engine-refused.js';
import { authMessage } from './engine-outcome.js';
import { loadOpenCommands } from './engine-recovery.js';
import { AuthPause } from './engine-auth-pause.js';
import { DayTimers } from './engine-day-timers.js';
import { RepairChecks } from './engine-repair.js';
import { Worker } from './engine-worker.js';
import type { UnitState } from './unit-states.js';
import { JiraError } from './jira-error.js';
import type { Clock, CredentialSource, FieldDef, IssuePayload, JiraIssue, JiraPort, LogQuery, LogRow, ResponseQuery, ResponseRow, SearchResult, StorePort,
  TimerHandle } from './ports.js';
import { buildStats, statsFromStore } from './stats.js';
import { usedSlots } from './throttle.js';

export { statsFromStore } from './stats.js';
export { AUTH_RECHECK_MS } from './engine-auth-pause.js';

/** What the engine is built from: the ports, the configuration, and (for tests) the jitter source. */
export interface EngineDeps {
  jira: JiraPort;
  store: StorePort;
  clock: Clock;
  config: Config;
  /** 0 ≤ r < 1, stretches retry delays (default Math.random). */
  random?: () => number;
  /** Where the credentials in use come from, for the hint when Jira refuses them. */
  credentialSource?: () => CredentialSource;
}

/** stop()'s default bound on the units winding up once their requests were ended. */
export const DEFAULT_GRACE_MS = 5000;

/** The engine both faces run; see the file comment. */
export class Engine implements EngineApi {
  private readonly core: EngineCore;
  private readonly worker: Worker;
  /** Duplicate checks of CREATEs sent again after an unknown outcome (engine-repair.ts). */
  private readonly repairs: RepairChecks;
  private snapshot: EngineSnapshot | null = null;
  private logVersion = 0;
  private idleWaiters: Array<() => void> = [];
  private idleCheckQueued = false;
  private readonly authPause: AuthPause;
  private readonly dayTimers: DayTimers;
  private started = false;
  private stopPromise: Promise<void> | null = null;
  /** The last good connection check: restored when the gate opens again. */
  private lastOk: Extract<ConnectionState, { state: 'ok' }> | null = null;
  /** checkConnection() calls under way: the gate opening does not start one more. */
  private checks = 0;
  private readonly fillWatch: FillWatch;
  private readonly rowHooks: RowActionHooks = { kick: (guid) => this.worker.kick(guid), execute: (body) => this.execute(body),
    sending: (guid) => this.worker.stateOf(guid) === 'sending' };

  constructor(deps: EngineDeps) {
    this.core = new EngineCore(deps.jira, deps.store, deps.clock, deps.random ?? Math.random, deps.config);
    if (deps.credentialSource) this.core.credentialSource = deps.credentialSource;
    this.authPause = new AuthPause(this.core, { recheck: () => this.checkConnection(true), resumed: () => this.worker.rescan() });
    this.dayTimers = new DayTimers(this.core);
    this.worker = new Worker(this.core, { pause: (reason) => this.authPause.pause(reason) });
    this.repairs = new RepairChecks(this.core);
    this.core.scheduleRepair = (guid, at) => this.repairs.schedule(guid, at);
    this.core.afterActivity = () => this.checkIdle();
    this.core.gate.hooks = {
      closed: (error) => {
        if (this.core.connection.state === 'ok') this.lastOk = this.core.connection;
        this.setConnection({ state: 'down', error: error.detail(), checkedAt: this.core.clock.now() });
      },
      opened: () => {
        this.worker.release();
        // Jira answered: who we are to it has not changed since the last good check, so the faces
        // learn it is back from that — a flapping gateway does not cost a check per reopening.
        // Only when no check ever succeeded is one made now.
        if (this.lastOk) this.setConnection({ ...this.lastOk, checkedAt: this.core.clock.now() });
        else if (this.checks === 0) void this.core.track(this.checkConnection());
      },
      due: () => this.worker.probeDue(),
    };
    // Loaded now, not in start(): a line accepted before start must see the pending CREATEs.
    loadOpenCommands(this.core);
    this.fillWatch = new FillWatch(this.core, this.core.signals);
    this.core.queue.onChange = () => this.fillWatch.check();
  }

  /** Recovery marks committed, log pruned by age, Jira checked in the background, worker running. */
  async start(): Promise<void> {
    // A stopped engine is not started again (its stop signal has aborted for good).
    if (this.started || this.core.stopping) return;
    this.started = true;
    // A queue loaded over 80 % full is said now, when the faces listen.
    this.fillWatch.start();
    this.dayTimers.start();
    await this.core.commitQuietly();
    void this.core.track(this.background());
    this.worker.start();
    this.repairs.start();
  }

  // Accepting never waits for this: lines are checked against the catalogue kept from the last run.
  private async background(): Promise<void> {
    await this.checkConnection();
    await this.core.refreshCatalogue();
    // The values Jira allows for the template's target (pick lists, the socket's check); never rejects.
    await refreshAllowed(this.core);
  }

  /** For tests: what breaks the scheduler's invariants now (empty when sound), and GUIDs open but in no state. */
  schedulerViolations(): string[] {
    const out = this.worker.violations();
    if (this.isIdle() && !this.core.paused && this.worker.scheduling) {
      for (const guid of this.core.queue.guids()) {
        if (this.worker.stateOf(guid) === undefined) out.push(`${guid} has open commands but no state: it would never be sent`);
      }
    }
    return out;
  }

  /** For tests: how many GUIDs are in each scheduler state (unit-states.ts). */
  schedulerCounts(): Record<UnitState, number> {
    return this.worker.counts();
  }

  getSnapshot(): EngineSnapshot {
    // Once stopped the store may be closed: the faces keep the last snapshot.
    if (this.snapshot && (!this.core.signals.dirty || this.core.stopped)) return this.snapshot;
    const { core } = this;
    const now = core.clock.now();
    const updates = core.config.updates;
    let stats = this.snapshot?.stats ?? buildStats([], { created: 0, updated: 0 }, now);
    let logCount = this.snapshot?.logCount ?? 0;
    try {
      stats = statsFromStore(core.store, now);
      logCount = core.store.countLog();
    } catch {
      // A closed or failing store: the panes keep the last figures rather than crash.
    }
    core.signals.dirty = false;
    this.snapshot = {
      connection: core.connection,
      paused: core.paused,
      queueDepth: core.queue.size,
      queueFill: queueFill(core),
      throttle: { used: usedSlots(core.throttleStarts, now, updates.intervalSeconds * 1000), max: updates.maxUpdates,
        intervalSeconds: updates.intervalSeconds },
      pacing: { ...core.pacer.state(), paced: this.worker.pacedUnits },
      stats,
      logCount,
      // Bumped on every rebuild: a rebuild follows a change, and most changes touch the log.
      logVersion: ++this.logVersion,
      catalogue: core.catalogueDefs,
      exactlyOnce: { settling: core.settling.size, repairChecks: this.repairs.waiting, duplicatesRepaired: this.repairs.repaired },
      allowed: core.allowed,
    };
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    return this.core.signals.subscribe(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.core.signals.onEvent(listener);
  }

  submitLine(line: string): Promise<string> {
    const reply = acceptLine(this.core, { kick: (guid) => this.worker.kick(guid) }, line)
      .catch((error: unknown) => `ERR - ${messageOf(error)}`)
      .then((answer) => {
        if (answer.startsWith('ERR ')) this.noteRefused(answer);
        return answer;
      });
    return this.core.track(reply);
  }

  noteRefused(reply: string): void {
    noteRefused(this.core, reply);
  }

  status(guid: string): GuidStatus | null {
    return guidStatus(this.core, guid);
  }

  execute(body: IssuePayload): Promise<ExecuteResult> {
    // No new Execute once stopping: its request would be refused unsent anyway, and the caller is told why.
    if (this.core.stopping) {
      const error = 'jiraline is stopping; execute again once it runs';
      return Promise.resolve({ ok: false, logId: -1, error, messages: [error], fieldErrors: {} });
    }
    return this.core.track(executeManual(this.core, body, (reason) => this.authPause.pause(reason)));
  }

  queryLog(query: LogQuery): LogRow[] {
    return this.core.store.queryLog(query);
  }

  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number {
    return this.core.store.countLog(query);
  }

  getLogRow(id: number): LogRow | undefined {
    return this.core.store.getLog(id);
  }

  // Jira's recorded answers; retry and cancel of a log row (engine-row-actions.ts).
  responses = (query: ResponseQuery): Promise<ResponseRow[]> => Promise.resolve(this.core.responses.flush()).then(() => this.core.store.queryResponses(query));
  retryRow = (logId: number): Promise<RowActionResult> => this.core.track(retryRow(this.core, this.rowHooks, logId));
  cancelRow = (logId: number): Promise<RowActionResult> => this.core.track(cancelRow(this.core, this.rowHooks, logId));

  async resetStats(which: StatsReset): Promise<void> {
    if (which !== 'totals') this.core.store.resetStatsDaily();
    if (which !== 'daily') this.core.store.resetStatsTotals();
    this.core.signals.changed();
    await this.core.store.commit();
  }

  /** `recheck`: the timed check while paused, which tells only a change (not "checking", not the same refusal again). */
  async checkConnection(recheck = false): Promise<ConnectionState> {
    this.checks++;
    try {
      return await this.checkOnce(recheck);
    } finally {
      this.checks--;
    }
  }

  private async checkOnce(recheck: boolean): Promise<ConnectionState> {
    const { core } = this;
    // A check while Jira is down is not news: it stays "down" until one succeeds. Nor is the
    // timed recheck of refused credentials: only its outcome, when it differs, is told.
    if (core.connection.state !== 'down' && !recheck) this.setConnection({ state: 'checking' });
    let next: ConnectionState;
    try {
      const serverInfo = await core.jira.serverInfo();
      const user = await core.jira.myself();
      core.setServerInfo(serverInfo);
      next = { state: 'ok', serverInfo, user, checkedAt: core.clock.now() };
    } catch (error) {
      const checkedAt = core.clock.now();
      if (error instanceof JiraError && error.isAuth) next = { state: 'auth-refused', error: authMessage(error, core.credentialSource()), checkedAt };
      else next = { state: 'down', error: error instanceof JiraError ? error.detail() : messageOf(error), checkedAt };
    }
    const was = core.connection;
    // Still refused for the same reason: the state stands as it was told, refused since its first check.
    if (recheck && next.state === 'auth-refused' && was.state === 'auth-refused' && was.error === next.error) return was;
    this.setConnection(next);
    if (next.state === 'ok') this.authPause.resume();
    return next;
  }

  private setConnection(connection: ConnectionState): void {
    const was = this.core.connection;
    // Still down (a failed check and the gate it closes, or a probe): one outage is told once,
    // and it is down since its first failure. The latest reason is kept for the snapshot.
    if (connection.state === 'down' && was.state === 'down') {
      this.core.connection = { ...connection, checkedAt: was.checkedAt };
      return;
    }
    this.core.connection = connection;
    this.core.signals.emit({ type: 'connection-changed', connection });
  }

  /** The credentials changed (auth set, the Configuration pane): resume a paused queue and check again. */
  setCredentialsChanged(): void {
    this.authPause.resume();
    // Once stopping, no check: it would be refused unsent and show Jira "down" for it.
    if (!this.core.stopping) void this.core.track(this.checkConnection());
  }

  catalogue(): FieldDef[] | null {
    return this.core.catalogueDefs;
  }

  search(jql: string, options?: { maxResults?: number; nextPageToken?: string; startAt?: number }): Promise<SearchResult> {
    return this.core.jira.search(jql, options);
  }

  getIssue(key: string): Promise<JiraIssue> {
    return this.core.jira.getIssue(key);
  }

  queryAlarms(query: AlarmQuery): Promise<AlarmPage> {
    return Promise.resolve(queryAlarms(this.core, query));
  }

  linkAlarm(guid: string, ticketKey: string): Promise<LinkResult> {
    return this.core.track(linkAlarm(this.core, guid, ticketKey));
  }

  unlinkAlarm(guid: string): Promise<LinkResult> {
    return this.core.track(unlinkAlarm(this.core, guid));
  }

  setConfig(config: Config): void {
    this.core.config = config;
    this.core.pacer.setLimits(paceLimits(config));
    allowedAfterConfig(this.core);
    this.core.pruneToCount();
    this.core.signals.changed();
    this.worker.rescan();
  }

  pendingCount(): number {
    return this.core.queue.size;
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  private isIdle(): boolean {
    return !this.core.busy && this.core.queue.staged === 0 && !this.worker.hasDueWork;
  }

  private checkIdle(): void {
    if (this.idleCheckQueued || this.idleWaiters.length === 0) return;
    this.idleCheckQueued = true;
    // After the current turn: a settling promise often starts the next piece of work.
    queueMicrotask(() => {
      this.idleCheckQueued = false;
      // A stopped engine does nothing more: whoever waits for idleness is answered.
      if (!this.isIdle() && !this.core.stopped) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    });
  }

  stop(graceMs = DEFAULT_GRACE_MS): Promise<void> {
    this.stopPromise ??= this.shutdown(graceMs);
    return this.stopPromise;
  }

  private async shutdown(graceMs: number): Promise<void> {
    const { core } = this;
    // Requests under way are ended now, not waited for (their sockets closed): each unit's call
    // rejects as `stopped` and the unit stays as it is — an update's step in flight, a CREATE
    // open, both looked up at the next start; a Manual Execute stays in flight ("outcome unknown").
    // The stop signal also ends every wait, clears every timer (the scheduler's, the gate's, the
    // pacer's, the repairs', the lazy commit, the auth recheck, the day timers) and makes the
    // pacer refuse the requests waiting for it: their units stay open for the next start.
    core.beginStop();
    // The scheduler starts no more units (its own state, asked by every pass and every ending unit).
    this.worker.stop();
    // Everything under way winds up (no Jira call or wait can hold it now); `graceMs` bounds it all the same.
    let graceTimer: TimerHandle | null = null;
    const grace = new Promise<void>((resolve) => { graceTimer = core.clock.setTimeout(resolve, graceMs); });
    await Promise.race([core.settled(), grace]);
    if (graceTimer) core.clock.clearTimeout(graceTimer);
    // What did not finish stays in flight in the store: the next start looks it up.
    core.responses.flush();
    await core.store.commit().catch(() => undefined);
    core.stopped = true;
    this.checkIdle();
  }
}
