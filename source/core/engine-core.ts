// The state the engine's parts share: the ports, the configuration, the open-command
// index, what is known about Jira, and the small helpers every part needs (patch a command
// in memory and in the store together, the shaping context, the field catalogue).
import { setMaxListeners } from 'node:events';
import type { AllowedValues } from './allowed-values.js';
import type { Config } from './config.js';
import type { ConnectionState } from './engine-api.js';
import { EngineSignals } from './engine-events.js';
import { ClockTimer, sleep } from './clock-timer.js';
import { JiraGate, stoppedError, WatchedJira } from './engine-gate.js';
import { CommandQueue } from './engine-queue.js';
import { FieldCatalogue, shapeContextFor, type ShapeContext } from './fields.js';
import { Pacer, type PaceLimits } from './pacer.js';
import { ResponseRecorder } from './engine-responses.js';
import type { UnitMemory } from './unit-memory.js';
import type { Clock, CredentialSource, FieldDef, JiraPort, QueuedCommand, ServerInfo, StorePort } from './ports.js';

/** Store meta keys the engine owns. */
export const META = {
  catalogue: 'catalogue',
  serverInfo: 'serverInfo',
  throttle: 'throttleStarts',
  lastPrune: 'lastPrune',
} as const;

/** The longest a commitLater waits for a commit to ride along with. */
export const LAZY_COMMIT_MS = 50;

/** The meta keys of the units' memories: `unit:c12` (a CREATE's command id), `unit:l7` (an update's log row). */
const UNIT_PREFIX = 'unit:';

export type { UnitMemory } from './unit-memory.js';

/** The engine's shared state. */
export class EngineCore {
  readonly queue = new CommandQueue();
  readonly signals = new EngineSignals();
  connection: ConnectionState = { state: 'unknown' };
  catalogue: FieldCatalogue | null = null;
  catalogueDefs: FieldDef[] | null = null;
  serverInfo: ServerInfo | null = null;
  /** The values Jira allows for the template's project and issue type (engine-allowed.ts), or null. */
  allowed: AllowedValues | null = null;
  allowedFetch: Promise<void> | null = null;
  allowedTriedAt: number | null = null;
  /** 401/403 holds the queue (docs/architecture.md#pacing-retries-the-pause-and-the-gate). */
  paused = false;
  /** stop() finished (its last commit made): whenIdle answers at once from then on. */
  stopped = false;
  /** Moments automatic updates started, within the throttle window. */
  throttleStarts: number[] = [];
  private readonly memory = new Map<string, UnitMemory>();
  /**
   * The units that have a stored memory (a `unit:` meta row): read once at start, then kept
   * with every save and forget. A unit not here has none, and most units (a CREATE sent at
   * once) are not: they spare a lookup each.
   */
  private readonly storedUnits = new Set<string>();
  /** Async work under way (sends, commits, accepts, checks): whenIdle and stop wait for it. */
  private busyCount = 0;
  /** Resolvers of settled() calls: run when busyCount drops to 0. */
  private settledWaiters: Array<() => void> = [];
  private pruneQueued = false;
  private catalogueFetch: Promise<FieldCatalogue> | null = null;
  private readonly lazyCommit: ClockTimer;
  /** GUIDs whose CREATE is settling: its answer was lost and it is looked up before it is sent again (engine-settle.ts). */
  readonly settling = new Set<string>();
  /** Asks for a duplicate check of the GUID at `at` (engine-repair.ts; the engine wires it). */
  scheduleRepair: (guid: string, at: number) => void = () => undefined;
  /** Called whenever a piece of tracked work settles (the engine checks for idleness). */
  afterActivity: () => void = () => undefined;
  /** Closed while Jira is not taking requests: one probe at a time (engine-gate.ts). */
  readonly gate: JiraGate;
  /** One pace for every request to Jira (pacer.ts). */
  readonly pacer: Pacer;
  /** Jira's answers on their way to the store (engine-responses.ts). */
  readonly responses = new ResponseRecorder(this);
  /** Jira as the engine reaches it: every call paced; its outcome opens or closes the gate. */
  readonly jira: JiraPort;
  private readonly watched: WatchedJira;
  /**
   * The one stop: aborted (its reason a `stopped` JiraError) when the engine stops. It goes with
   * every call to Jira (WatchedJira, and through the port to the request itself), into every
   * wait and timer (ClockTimer, sleep) and to the pacer, so work under way at the stop ends
   * because what it awaits rejects — nothing needs a "stopping?" flag after an await.
   */
  private readonly stopController = new AbortController();
  /** Where the credentials in use come from (the runtime knows): a refusal's hint names it. */
  credentialSource: () => CredentialSource | null = () => null;
  /** A unit's request (by its first command's id) began or ended waiting for the pacer: the scheduler's `paced`. */
  onPaced: (id: number, waiting: boolean) => void = () => undefined;

  constructor(
    jira: JiraPort,
    readonly store: StorePort,
    readonly clock: Clock,
    readonly random: () => number,
    public config: Config,
  ) {
    // Every call to Jira under way listens to the stop signal: up to the engine's cap at once.
    setMaxListeners(0, this.stopController.signal);
    this.gate = new JiraGate(clock, random, this.stopSignal);
    this.pacer = new Pacer(clock, paceLimits(config), {
      changed: (state, why) => {
        this.signals.emit({ type: 'pacing', perSecond: state.perSecond, limitedByJira: state.limitedByJira, waiting: state.waiting, reason: why });
      },
      queued: () => this.afterActivity(),
    });
    // Requests waiting for the pacer are not sent once stopped: their units stay open for the next start.
    this.stopSignal.addEventListener('abort', () => this.pacer.stop(this.stopSignal.reason), { once: true });
    this.lazyCommit = this.timer(() => void this.commitQuietly());
    this.watched = new WatchedJira(jira, this.gate, this.pacer, this.stopSignal, (id, waiting) => this.onPaced(id, waiting));
    jira.observeResponses?.((response) => this.responses.record(response));
    this.jira = this.watched;
    this.loadMeta();
  }

  private loadMeta(): void {
    const defs = parseJson<FieldDef[]>(this.store.getMeta(META.catalogue));
    if (Array.isArray(defs)) this.setCatalogue(defs, false);
    const info = parseJson<ServerInfo>(this.store.getMeta(META.serverInfo));
    if (info && typeof info === 'object') this.serverInfo = info;
    const starts = parseJson<number[]>(this.store.getMeta(META.throttle));
    if (Array.isArray(starts)) this.throttleStarts = starts.filter((n) => typeof n === 'number');
    for (const key of this.store.metaKeys(UNIT_PREFIX)) this.storedUnits.add(key.slice(UNIT_PREFIX.length));
  }

  /** Aborts when the engine stops, with a `stopped` JiraError as its reason. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  /** No new work is taken: the stop signal has aborted. */
  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /**
   * The engine stops: every call to Jira under way is ended and rejects as `stopped`, any later
   * one at once; the pacer refuses its waiting requests; every wait rejects; every timer clears.
   */
  beginStop(): void {
    this.stopController.abort(stoppedError());
  }

  /** A timer on the Clock that the stop clears (and that cannot be armed after it). */
  timer(fire: () => void): ClockTimer {
    return new ClockTimer(this.clock, fire, this.stopSignal);
  }

  /** A unit's call to Jira, queued at the pacer behind older commands only (`id`: its first command's). */
  sendFor<T>(id: number, send: (jira: JiraPort) => Promise<T>): Promise<T> {
    return this.watched.withPriority(id, () => send(this.jira));
  }

  /**
   * A lookup a unit makes (a label search, the ownership check, our account): it goes ahead of
   * the units' sends at the pacer (priority 0), but while it waits for its permit the unit
   * (`id`: its first command's) is `paced`, as for its own requests.
   */
  lookupFor<T>(id: number, send: (jira: JiraPort) => Promise<T>): Promise<T> {
    return this.watched.withPriority(0, () => send(this.jira), id);
  }

  /** Keeps Jira's field catalogue (and, when `persist`, stores it for the next start). */
  setCatalogue(defs: FieldDef[], persist = true): void {
    this.catalogueDefs = defs;
    this.catalogue = FieldCatalogue.fromJira(defs);
    if (persist) this.store.setMeta(META.catalogue, JSON.stringify(defs));
    this.signals.changed(); // the Creation pane shapes its rows again
  }

  /** Fetches Jira's field catalogue again and keeps it; Jira down keeps the one there is. */
  async refreshCatalogue(): Promise<void> {
    try {
      // Once stopping, the call is refused at once (the stop signal): no answer comes after the stop.
      const defs = await this.jira.fields();
      this.setCatalogue(defs);
      await this.commitQuietly();
    } catch {
      // Jira down: the kept catalogue (or none: lines accepted unchecked) serves until it answers.
    }
  }

  /** Keeps the allowed values (memory only: an old list must not refuse lines after a restart). */
  setAllowed(allowed: AllowedValues | null): void {
    this.allowed = allowed;
    this.signals.changed(); // the Creation pane's pick lists
  }

  /** Keeps what serverInfo said (the deployment type decides how users are shaped). */
  setServerInfo(info: ServerInfo): void {
    this.serverInfo = info;
    this.store.setMeta(META.serverInfo, JSON.stringify(info));
  }

  /** How values are shaped for this Jira (Cloud or Server, API 2 or 3). */
  shapeContext(): ShapeContext {
    return shapeContextFor(this.serverInfo?.deploymentType, this.jira.apiVersion);
  }

  /**
   * The catalogue to send with: the kept one, or Jira's (fetched now) if none was ever kept.
   * One fetch serves every unit that asks meanwhile: at a first start hundreds of CREATEs
   * start at once, and each fetching (and storing) the whole catalogue stalled the engine.
   */
  sendingCatalogue(): Promise<FieldCatalogue> {
    if (this.serverInfo && this.catalogue) return Promise.resolve(this.catalogue);
    this.catalogueFetch ??= this.fetchCatalogue().finally(() => {
      this.catalogueFetch = null;
    });
    return this.catalogueFetch;
  }

  private async fetchCatalogue(): Promise<FieldCatalogue> {
    if (!this.serverInfo) this.setServerInfo(await this.jira.serverInfo());
    if (!this.catalogue) this.setCatalogue(await this.jira.fields());
    return this.catalogue as FieldCatalogue;
  }

  /** Changes a command in memory and in the store alike. */
  patchCommand(cmd: QueuedCommand, patch: Partial<Omit<QueuedCommand, 'id'>>): void {
    Object.assign(cmd, patch);
    this.store.updateCommand(cmd.id, patch);
  }

  /** The memory of a unit of work: what an earlier run stored, else fresh. */
  unit(key: string): UnitMemory {
    let m = this.memory.get(key);
    if (!m) {
      const stored = this.storedUnits.has(key) ? storedUnit(this.store.getMeta(`${UNIT_PREFIX}${key}`)) : {};
      m = { serverErrors: 0, edited: false, commentsDone: 0, transitioned: false, ...stored };
      this.memory.set(key, m);
    }
    return m;
  }

  /** Records a step a unit has done, in the store as well (it goes with the next commit). */
  saveUnit(key: string): void {
    const m = this.memory.get(key);
    if (!m) return;
    this.store.setMeta(`${UNIT_PREFIX}${key}`, JSON.stringify(m));
    this.storedUnits.add(key);
    this.commitLater();
  }

  /** Forgets a finished unit. */
  forgetUnit(key: string): void {
    this.memory.delete(key);
    // Only a unit that stored a step has a meta row; most finish without one.
    if (this.storedUnits.delete(key)) this.store.deleteMeta(`${UNIT_PREFIX}${key}`);
  }

  /** Applies the row cap (log.maxEntries) after an insert; Pending rows stay (the store keeps them). */
  pruneToCount(): void {
    const rows = this.store.pruneLogToCount(this.config.log.maxEntries);
    if (rows > 0) this.signals.emit({ type: 'pruned', rows });
    // The alarms are bounded the same way; one with work pending stays (the store keeps it).
    if (this.store.pruneAlarmsToCount(this.config.alarms.maxEntries) > 0) this.signals.changed();
  }

  /**
   * The row cap after a burst of inserts: once, at the end of the current turn — still before
   * the commit that holds the rows is written, so the file never holds more than the cap.
   * (Pruning after each of thousands of lines arriving together cost half the accept time.)
   */
  pruneSoon(): void {
    if (this.pruneQueued) return;
    this.pruneQueued = true;
    queueMicrotask(() => {
      this.pruneQueued = false;
      try {
        this.pruneToCount();
      } catch {
        // The store is failing; the next insert tries again.
      }
    });
  }

  /**
   * A command is finished: it leaves the queue, in memory and in the store. Nothing reads a
   * done command again (its log row tells its story, STATUS reads the log), and kept it
   * would go into every snapshot with its line (up to 64 KiB).
   */
  finishCommand(cmd: QueuedCommand, state: 'done' | 'failed'): void {
    cmd.state = state;
    this.queue.remove(cmd.id);
    // A failed one is kept (out of the queue) with its line: the operator may retry its row.
    // Pruning its row removes it (the store does).
    if (state === 'failed') this.store.updateCommand(cmd.id, { state });
    else this.store.deleteCommand(cmd.id);
  }

  /** Resolves after `ms` on the Clock; rejects as `stopped` when the engine stops (at once if it has). */
  wait(ms: number): Promise<void> {
    return sleep(this.clock, ms, this.stopSignal);
  }

  /**
   * Whether tracked work is under way that does not merely wait for the pacer: a unit waiting
   * for its permit waits for time to pass, as a sleeping one does (whenIdle on a fake clock).
   */
  get busy(): boolean {
    return this.busyCount > this.pacer.waiting;
  }

  /** Counts the promise as work under way until it settles. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.busyCount++;
    const done = () => {
      this.busyCount--;
      if (this.busyCount === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
      this.afterActivity();
    };
    promise.then(done, done);
    return promise;
  }

  /** Resolves when no tracked work is under way (the stop waits for this, bounded by its grace). */
  settled(): Promise<void> {
    if (this.busyCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * A commit nobody waits for and whose loss a restart repairs (a CREATE's ticket and Ok row:
   * an open CREATE is looked up by its label at start). It rides along with the next commit
   * that someone waits for — every accepted line makes one — or goes after LAZY_COMMIT_MS.
   * Each such commit used to start a whole-file write of its own: at a busy socket most
   * writes were for finished sends, and every write exports the whole database.
   */
  commitLater(): void {
    // Once stopped the timer is not armed: stop() makes the last commit itself.
    if (this.lazyCommit.armedAt === null) this.lazyCommit.armIn(LAZY_COMMIT_MS);
  }

  /** Commits, swallowing a failure (the next commit writes the same changes again; a closed store writes nothing). */
  commitQuietly(): Promise<void> {
    return this.track(this.store.commit().catch(() => {
      // Not lost: the changes are in the in-memory database and go with the next commit.
    }));
  }
}

/** The pacer's ceilings from the configuration. */
export function paceLimits(config: Config): PaceLimits {
  return { maxRequestsPerSecond: config.jira.maxRequestsPerSecond, maxConcurrent: config.jira.maxConcurrent };
}

function parseJson<T>(text: string | undefined): T | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** A unit's stored marks, or nothing when absent or unreadable (a fresh start is the safe default). */
function storedUnit(text: string | undefined): Partial<UnitMemory> {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Partial<UnitMemory>;
  } catch {
    return {};
  }
}

/** The unit key of a CREATE (one command) or of an update (its log row). */
export function unitKey(cmds: readonly QueuedCommand[]): string {
  const first = cmds[0];
  return first.kind === 'create' ? `c${first.id}` : `l${first.logId}`;
}

/** A one-line message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Attempts made by a unit (its commands travel together; a loop, not a spread: a merge may hold thousands). */
export function attemptsOf(cmds: readonly QueuedCommand[]): number {
  let n = 0;
  for (const c of cmds) if (c.attempts > n) n = c.attempts;
  return n;
}
