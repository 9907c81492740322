// The scheduler: which unit of work goes to Jira next. Commands of one GUID go strictly in
// accept order (one unit of a GUID at a time); different GUIDs go in parallel up to a cap.
// Each GUID the scheduler knows is in exactly one state — waiting, throttled, held, sleeping,
// paced, sending (unit-states.ts) — changed only through move(), which refuses a transition
// the design does not allow. One held unit at a time goes as the probe, longest held first.
// A GUID with nothing to do has no state. A started unit (paced or sending) counts toward
// MAX_IN_FLIGHT either way. Automatic updates take a slot of the throttle
// window when they start (once, however many attempts); CREATEs never wait for it. A held
// unit is held before it could take a throttle slot. Everything waits on the injected Clock.
import type { EngineCore } from './engine-core.js';
import { attemptsOf } from './engine-core.js';
import { finishFailed, type FailureHooks } from './engine-outcome.js';
import { sendUnit } from './engine-send.js';
import type { ClockTimer } from './clock-timer.js';
import type { QueuedCommand } from './ports.js';
import { gaveUpReason, retryTimeIsUp } from './retry.js';
import { canStart, nextExpiryAt, nextStartAt, recordStart, type ThrottleWindow } from './throttle.js';
import { META } from './engine-core.js';
import { UnitStates, type UnitState } from './unit-states.js';

export type { UnitState } from './unit-states.js';

/**
 * At most this many units are started at once. A CREATE spends much of its turn waiting for
 * its in-flight mark to be committed (a whole-file write), so this is far above the client's
 * 16 connections, which are what bound the load on Jira: with 16 here, commit latency alone
 * capped CREATEs at 16 per write (draining 2,000 CREATEs took about 4× longer than with 64,
 * and 256 was faster again while making fewer writes); the surplus waits in the pool's queue.
 */
export const MAX_IN_FLIGHT = 256;

/**
 * Units started per turn of the event loop. Starting one runs its compose and request
 * synchronously (no commit stands before the POST any more), so starting hundreds in one
 * turn held up everything else that turn — the socket's reads and replies, and the timer
 * that starts the next commit — for tens of milliseconds. Between batches the loop turns.
 */
export const STARTS_PER_TURN = 32;

/** Picks and starts units of work; see the file comment. */
export class Worker {
  /** The one state of each GUID the scheduler knows (unit-states.ts). */
  private readonly units = new UnitStates();
  private readonly ready = this.units.ready;
  private readonly throttled = this.units.throttled;
  private readonly held = this.units.held;
  private readonly sleeping = this.units.sleeping;
  /** The GUID of each started unit, by its first command's id (the id its requests are paced under). */
  private readonly unitGuids = new Map<number, string>();
  /** No held unit was accepted before this (it may be earlier than the oldest left): the sweep's shortcut. */
  private heldSince = Infinity;
  private readonly wakeTimer: ClockTimer;
  private readonly throttleTimer: ClockTimer;
  private readonly expiryTimer: ClockTimer;
  private pumpQueued = false;
  /** Units started in the current pass (see STARTS_PER_TURN). */
  private startedThisTurn = 0;
  private started = false;

  constructor(private readonly core: EngineCore, private readonly hooks: FailureHooks) {
    this.wakeTimer = core.timer(() => this.wake());
    this.throttleTimer = core.timer(() => this.schedulePump());
    this.expiryTimer = core.timer(() => {
      this.core.signals.changed();
      this.armExpiry();
    });
    core.onPaced = (id, waiting) => this.paced(id, waiting);
  }

  /** A started unit's request began (or ended) waiting for the pacer's permit. */
  private paced(id: number, waiting: boolean): void {
    const guid = this.unitGuids.get(id);
    if (guid === undefined) return;
    const state = this.units.get(guid);
    if (waiting && state === 'sending') this.move(guid, 'paced');
    else if (!waiting && state === 'paced') this.move(guid, 'sending');
    else return;
    this.core.signals.changed();
  }

  /** Units started and not ended (paced or sending). */
  get inFlight(): number {
    return this.units.startedCount;
  }

  /** Units whose request waits for the pacer's permit. */
  get pacedUnits(): number {
    return this.units.paced;
  }

  /** The state of a GUID (undefined: nothing to do). */
  stateOf(guid: string): UnitState | undefined {
    return this.units.get(guid);
  }

  /** How many GUIDs are in each state. */
  counts(): Record<UnitState, number> {
    return this.units.counts();
  }

  /** What breaks the scheduler's invariants now (empty when sound): for tests. */
  violations(): string[] {
    const out = this.units.violations();
    const started = this.units.startedCount;
    if (started > MAX_IN_FLIGHT) out.push(`${started} units started, more than ${MAX_IN_FLIGHT}`);
    if (this.unitGuids.size !== started) out.push(`${this.unitGuids.size} units known by id for ${started} started`);
    return out;
  }

  /** Changes a GUID's state (unit-states.ts: a transition the design does not allow throws). */
  private move(guid: string, next: UnitState | 'idle', at = 0): void {
    this.units.move(guid, next, at);
  }

  /** A nudge: the GUID may have something to send. Sending, held and throttled GUIDs are looked at anyway. */
  private nudge(guid: string): void {
    const state = this.units.get(guid);
    if (state === undefined || state === 'sleeping') this.move(guid, 'waiting');
  }

  /** Whether something could be sent right now (or a scheduling pass is about to run). */
  get hasDueWork(): boolean {
    return this.pumpQueued || (!this.core.paused && this.ready.size > 0 && this.started);
  }

  /** Automatic updates started within the current window. */
  window(): ThrottleWindow {
    const u = this.core.config.updates;
    return { max: u.maxUpdates, intervalMs: u.intervalSeconds * 1000 };
  }

  /** Starts scheduling every GUID that has open commands. */
  start(): void {
    this.started = true;
    for (const guid of this.core.queue.guids()) this.nudge(guid);
    this.armExpiry();
    this.schedulePump();
  }

  /** The GUID has something new (or finished a unit): look at it again. */
  kick(guid: string): void {
    this.nudge(guid);
    this.schedulePump();
  }

  /** Settings or the pause changed: look at everything again. */
  rescan(): void {
    for (const guid of this.core.queue.guids()) this.nudge(guid);
    this.schedulePump();
  }

  /** The gate opened: everything it held goes back to the scheduler at once, longest held first. */
  release(): void {
    for (const guid of [...this.held]) this.move(guid, 'waiting');
    this.heldSince = Infinity;
    this.schedulePump();
  }

  /** The gate lets the next probe start. */
  probeDue(): void {
    this.schedulePump();
  }

  /**
   * Stops scheduling: the scheduler's `started` is the one "may work start?" every pass and
   * every ending unit asks. The engine's stop signal ends the requests and clears the timers.
   */
  stop(): void {
    this.started = false;
  }

  /** Whether the scheduler starts units (between start() and stop()). */
  get scheduling(): boolean {
    return this.started;
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => this.runPump());
  }

  private runPump(): void {
    this.pumpQueued = false;
    if (this.pump()) {
      // The turn's budget is spent: go on once the loop has turned (a yield of the thread,
      // so socket reads and replies get their turn; no time passes on a fake clock).
      this.pumpQueued = true;
      this.core.clock.nextTurn(() => this.runPump());
    }
    this.core.afterActivity();
  }

  /** One scheduling pass; true when it stopped at STARTS_PER_TURN with work left. */
  private pump(): boolean {
    if (!this.started || this.core.paused) return false;
    this.startedThisTurn = 0;
    const now = this.core.clock.now();
    const window = this.window();
    const full = () => this.units.startedCount >= MAX_IN_FLIGHT || this.startedThisTurn >= STARTS_PER_TURN;
    // Updates held by the throttle are older than anything nudged since: they go first.
    if (this.throttled.size > 0 && canStart(this.core.throttleStarts, now, window)) {
      // consider() moves the GUID on (deleting the current entry while iterating a Set is safe);
      // it stays only when no slot is free, and the loop has stopped by then.
      for (const guid of this.throttled) {
        if (full() || !canStart(this.core.throttleStarts, now, window)) break;
        this.consider(guid, now, window);
      }
    }
    // Not a copy: thousands of GUIDs may wait here, and this runs after every unit.
    for (const guid of this.ready) {
      if (full()) break;
      this.consider(guid, now, window);
    }
    if (this.core.gate.mayProbe(now) && !full()) this.startProbe(now, window);
    this.armThrottle(now, window);
    return this.startedThisTurn >= STARTS_PER_TURN && this.units.startedCount < MAX_IN_FLIGHT
      && (this.ready.size > 0 || (this.throttled.size > 0 && canStart(this.core.throttleStarts, now, window)));
  }

  /** Decides the next state of a waiting, throttled or held GUID (held: as the probe). */
  private consider(guid: string, now: number, window: ThrottleWindow, asProbe = false): void {
    const cmds = this.core.queue.head(guid);
    if (!cmds) {
      this.move(guid, 'idle'); // nothing, or its commit is still under way (the accept nudges it)
      return;
    }
    const at = cmds[0].nextAttemptAt;
    if (at > now) {
      this.move(guid, 'sleeping', at);
      this.armWake();
      return;
    }
    if (this.core.gate.closed) {
      if (this.giveUpIfTimeIsUp(guid, cmds)) return;
      // Held before the throttle: a held update must not take a slot it does not use.
      if (!asProbe) {
        this.move(guid, 'held');
        if (cmds[0].acceptedAt < this.heldSince) this.heldSince = cmds[0].acceptedAt;
        return;
      }
    }
    // A row counts once: lines that joined it after it took its slot (during a rate-limit
    // pause, engine-outcome.ts) ride on that slot.
    const needsSlot = cmds[0].kind !== 'create' && cmds[0].type === 'Automatic' && !cmds.some((c) => c.throttleCounted);
    if (needsSlot) {
      if (!canStart(this.core.throttleStarts, now, window)) {
        this.move(guid, 'throttled');
        return;
      }
      this.takeSlot(cmds, now, window);
    }
    this.dispatch(guid, cmds);
  }

  /**
   * The gate is closed and lets one unit try: the held unit due longest (the unit that failed
   * last is held again when its retry time comes, behind those held before it). One that
   * cannot start (gave up, throttled, not due) makes way for the next.
   */
  private startProbe(now: number, window: ThrottleWindow): void {
    for (const guid of this.held) {
      this.consider(guid, now, window, true);
      if (this.units.get(guid) === 'sending') {
        this.core.gate.probeStarted(guid);
        return;
      }
    }
  }

  /**
   * updates.retryForHours holds for a unit the gate holds too: once Jira refused a probe
   * after the unit's time was up, it is "still failing" and ends Failed as a retry would
   * ("gave up after N attempts"), naming that refusal. A unit whose time ran out since the
   * last refusal is not failed unheard: it may yet be the probe, and decideRetry judges it.
   */
  private giveUpIfTimeIsUp(guid: string, cmds: QueuedCommand[]): boolean {
    const { gate } = this.core;
    if (!retryTimeIsUp(cmds[0].acceptedAt, gate.lastRefusedAt, this.core.config.updates.retryForHours)) return false;
    this.move(guid, 'idle');
    const detail = gate.lastError?.detail() ?? 'Jira is not taking requests';
    finishFailed(this.core, cmds, gaveUpReason(attemptsOf(cmds), detail));
    this.kick(guid); // its next unit, if any, is held (or gives up) in turn
    return true;
  }

  /**
   * A probe failed: the held units whose time is up give up now rather than at the gate's
   * opening. Thousands may be held, so the walk is made only when one of them may be due to.
   */
  private giveUpHeld(): void {
    const hours = this.core.config.updates.retryForHours;
    if (!retryTimeIsUp(this.heldSince, this.core.gate.lastRefusedAt, hours)) return;
    let since = Infinity;
    for (const guid of this.held) {
      const cmds = this.core.queue.head(guid);
      if (!cmds) this.move(guid, 'idle');
      else if (!this.giveUpIfTimeIsUp(guid, cmds) && cmds[0].acceptedAt < since) since = cmds[0].acceptedAt;
    }
    this.heldSince = since;
  }

  /** The update starts now: one slot, kept across restarts, never taken again by its retries. */
  private takeSlot(cmds: QueuedCommand[], now: number, window: ThrottleWindow): void {
    this.core.throttleStarts = recordStart(this.core.throttleStarts, now, window.intervalMs);
    this.core.store.setMeta(META.throttle, JSON.stringify(this.core.throttleStarts));
    for (const cmd of cmds) this.core.patchCommand(cmd, { throttleCounted: true });
    this.armExpiry();
  }

  private dispatch(guid: string, cmds: QueuedCommand[]): void {
    this.move(guid, 'sending');
    const id = cmds[0].id;
    this.unitGuids.set(id, guid);
    this.startedThisTurn++;
    void this.core.track(sendUnit(this.core, cmds, this.hooks).catch(() => undefined).finally(() => {
      this.unitGuids.delete(id);
      this.move(guid, 'idle');
      if (guid === this.core.gate.probe) {
        if (this.core.gate.probeEnded() && this.started) this.giveUpHeld();
      }
      if (this.started) this.kick(guid);
    }));
  }

  /** Arms the wake-up for the earliest sleeper. */
  private armWake(): void {
    let earliest = Infinity;
    for (const at of this.sleeping.values()) if (at < earliest) earliest = at;
    if (earliest === Infinity || !this.started) this.wakeTimer.clear();
    else this.wakeTimer.armNoLaterThan(earliest);
  }

  /** Sleepers whose time has come wait again. */
  private wake(): void {
    const now = this.core.clock.now();
    for (const [guid, at] of this.sleeping) if (at <= now) this.move(guid, 'waiting');
    this.armWake();
    this.schedulePump();
  }

  /** Wakes the scheduler when the window lets the oldest held update start. */
  private armThrottle(now: number, window: ThrottleWindow): void {
    let at = this.throttled.size > 0 ? nextStartAt(this.core.throttleStarts, now, window) : null;
    // A slot free now but no room in flight: the next unit to finish pumps again.
    if (at !== null && at <= now) at = null;
    if (at === null || !this.started) this.throttleTimer.clear();
    else this.throttleTimer.armAt(at);
  }

  /** Redraws the status line's "used" when the oldest start leaves the window. */
  private armExpiry(): void {
    const at = nextExpiryAt(this.core.throttleStarts, this.core.clock.now(), this.window().intervalMs);
    if (at === null || !this.started) this.expiryTimer.clear();
    else this.expiryTimer.armAt(at);
  }
}
