// The scheduler: which unit of work goes to Jira next. Commands of one GUID go strictly in
// accept order (one unit of a GUID at a time); different GUIDs go in parallel up to a cap.
// Automatic updates take a slot of the throttle window when they start (once, however
// many attempts); CREATEs never wait for it. While the gate is closed (Jira not taking
// requests, engine-gate.ts) a due unit is held instead — before it could take a throttle
// slot — and one held unit at a time goes as the probe. Everything waits on the injected Clock.
import type { EngineCore } from './engine-core.js';
import { attemptsOf } from './engine-core.js';
import { finishFailed, type FailureHooks } from './engine-outcome.js';
import { sendUnit } from './engine-send.js';
import type { QueuedCommand, TimerHandle } from './ports.js';
import { gaveUpReason, retryTimeIsUp } from './retry.js';
import { canStart, nextExpiryAt, nextStartAt, recordStart, type ThrottleWindow } from './throttle.js';
import { META } from './engine-core.js';

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

interface Timer {
  at: number;
  handle: TimerHandle;
}

/** Picks and starts units of work; see the file comment. */
export class Worker {
  /** GUIDs that may have something to send now, in the order they were nudged. */
  private readonly ready = new Set<string>();
  /** GUIDs whose next unit is an update waiting for the throttle window, oldest first. */
  private readonly throttled = new Set<string>();
  /** GUIDs with a unit at Jira now. */
  private readonly busy = new Set<string>();
  /** GUIDs whose next unit waits for a retry time. */
  private readonly sleeping = new Map<string, number>();
  /** GUIDs whose next unit is due but held by the closed gate, longest held first. */
  private readonly held = new Set<string>();
  /** No held unit was accepted before this (it may be earlier than the oldest left): the sweep's shortcut. */
  private heldSince = Infinity;
  private readonly running = new Set<Promise<void>>();
  private wakeTimer: Timer | null = null;
  private throttleTimer: Timer | null = null;
  private expiryTimer: Timer | null = null;
  private pumpQueued = false;
  /** Units started in the current pass (see STARTS_PER_TURN). */
  private startedThisTurn = 0;
  private started = false;

  constructor(private readonly core: EngineCore, private readonly hooks: FailureHooks) {}

  /** Units with Jira now. */
  get inFlight(): number {
    return this.busy.size;
  }

  /** Whether something could be sent right now (or a scheduling pass is about to run). */
  get hasDueWork(): boolean {
    return this.pumpQueued || (!this.core.paused && this.ready.size > 0 && this.started && !this.core.stopping);
  }

  /** Automatic updates started within the current window. */
  window(): ThrottleWindow {
    const u = this.core.config.updates;
    return { max: u.maxUpdates, intervalMs: u.intervalSeconds * 1000 };
  }

  /** Starts scheduling every GUID that has open commands. */
  start(): void {
    this.started = true;
    for (const guid of this.core.queue.guids()) this.ready.add(guid);
    this.armExpiry();
    this.schedulePump();
  }

  /** The GUID has something new (or finished a unit): look at it again. */
  kick(guid: string): void {
    this.ready.add(guid);
    this.schedulePump();
  }

  /** Settings or the pause changed: look at everything again. */
  rescan(): void {
    for (const guid of this.core.queue.guids()) this.ready.add(guid);
    this.schedulePump();
  }

  /** The gate opened: everything it held goes back to the scheduler at once. */
  release(): void {
    for (const guid of this.held) this.ready.add(guid);
    this.held.clear();
    this.heldSince = Infinity;
    this.schedulePump();
  }

  /** The gate lets the next probe start. */
  probeDue(): void {
    this.schedulePump();
  }

  /** Stops scheduling and clears every timer; in-flight units go on. */
  stop(): void {
    this.started = false;
    for (const timer of [this.wakeTimer, this.throttleTimer, this.expiryTimer]) if (timer) this.core.clock.clearTimeout(timer.handle);
    this.wakeTimer = this.throttleTimer = this.expiryTimer = null;
  }

  /** Resolves when every unit now in flight has finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
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
    if (!this.started || this.core.paused || this.core.stopping) return false;
    this.startedThisTurn = 0;
    const now = this.core.clock.now();
    const window = this.window();
    const full = () => this.busy.size >= MAX_IN_FLIGHT || this.startedThisTurn >= STARTS_PER_TURN;
    // Updates held by the throttle are older than anything nudged since: they go first.
    if (this.throttled.size > 0 && canStart(this.core.throttleStarts, now, window)) {
      // Deleting the current entry while iterating a Set is safe; consider() puts a GUID back
      // here only when no slot is free, and the loop has stopped by then.
      for (const guid of this.throttled) {
        if (full() || !canStart(this.core.throttleStarts, now, window)) break;
        this.throttled.delete(guid);
        this.consider(guid, now, window);
      }
    }
    // Not a copy: thousands of GUIDs may wait here, and this runs after every unit.
    for (const guid of this.ready) {
      if (full()) break;
      this.ready.delete(guid);
      this.consider(guid, now, window);
    }
    if (this.core.gate.mayProbe(now) && !full()) this.startProbe(now, window);
    this.armThrottle(now, window);
    return this.startedThisTurn >= STARTS_PER_TURN && this.busy.size < MAX_IN_FLIGHT
      && (this.ready.size > 0 || (this.throttled.size > 0 && canStart(this.core.throttleStarts, now, window)));
  }

  private consider(guid: string, now: number, window: ThrottleWindow, asProbe = false): void {
    if (this.busy.has(guid)) return; // its unit's end nudges it again
    const cmds = this.core.queue.head(guid);
    if (!cmds) return; // nothing, or its commit is still under way (the accept nudges it)
    const at = cmds[0].nextAttemptAt;
    if (at > now) {
      this.sleep(guid, at);
      return;
    }
    this.sleeping.delete(guid);
    if (this.core.gate.closed) {
      if (this.giveUpIfTimeIsUp(guid, cmds)) return;
      // Held before the throttle: a held update must not take a slot it does not use.
      if (!asProbe) {
        this.held.add(guid);
        if (cmds[0].acceptedAt < this.heldSince) this.heldSince = cmds[0].acceptedAt;
        return;
      }
    }
    // A row counts once: lines that joined it after it took its slot (during a rate-limit
    // pause, engine-outcome.ts) ride on that slot.
    const needsSlot = cmds[0].kind === 'update' && cmds[0].type === 'Automatic' && !cmds.some((c) => c.throttleCounted);
    if (needsSlot) {
      if (!canStart(this.core.throttleStarts, now, window)) {
        this.throttled.add(guid);
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
      this.held.delete(guid);
      this.consider(guid, now, window, true);
      if (this.busy.has(guid)) {
        this.core.gate.probeStarted(guid);
        return;
      }
    }
  }

  /**
   * SPEC §6's retryForHours holds for a unit the gate holds too: once Jira refused a probe
   * after the unit's time was up, it is "still failing" and ends Failed as a retry would
   * ("gave up after N attempts"), naming that refusal. A unit whose time ran out since the
   * last refusal is not failed unheard: it may yet be the probe, and decideRetry judges it.
   */
  private giveUpIfTimeIsUp(guid: string, cmds: QueuedCommand[]): boolean {
    const { gate } = this.core;
    if (!retryTimeIsUp(cmds[0].acceptedAt, gate.lastRefusedAt, this.core.config.updates.retryForHours)) return false;
    this.held.delete(guid);
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
      if (!cmds) this.held.delete(guid);
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
    this.busy.add(guid);
    this.startedThisTurn++;
    const run: Promise<void> = this.core.track(sendUnit(this.core, cmds, this.hooks).catch(() => undefined).finally(() => {
      this.busy.delete(guid);
      this.running.delete(run);
      if (guid === this.core.gate.probe) {
        if (this.core.gate.probeEnded() && !this.core.stopped) this.giveUpHeld();
      }
      if (!this.core.stopped) this.kick(guid);
    }));
    this.running.add(run);
  }

  private sleep(guid: string, at: number): void {
    this.sleeping.set(guid, at);
    this.armWake();
  }

  private armWake(): void {
    let earliest = Infinity;
    for (const at of this.sleeping.values()) if (at < earliest) earliest = at;
    if (this.wakeTimer && this.wakeTimer.at <= earliest) return;
    if (this.wakeTimer) this.core.clock.clearTimeout(this.wakeTimer.handle);
    this.wakeTimer = null;
    if (earliest === Infinity || !this.started) return;
    const handle = this.core.clock.setTimeout(() => {
      this.wakeTimer = null;
      const now = this.core.clock.now();
      for (const [guid, at] of this.sleeping) {
        if (at <= now) {
          this.sleeping.delete(guid);
          this.ready.add(guid);
        }
      }
      this.armWake();
      this.schedulePump();
    }, earliest - this.core.clock.now());
    this.wakeTimer = { at: earliest, handle };
  }

  /** Wakes the scheduler when the window lets the oldest held update start. */
  private armThrottle(now: number, window: ThrottleWindow): void {
    let at = this.throttled.size > 0 ? nextStartAt(this.core.throttleStarts, now, window) : null;
    // A slot free now but no room in flight: the next unit to finish pumps again.
    if (at !== null && at <= now) at = null;
    if (this.throttleTimer && this.throttleTimer.at === at) return;
    if (this.throttleTimer) this.core.clock.clearTimeout(this.throttleTimer.handle);
    this.throttleTimer = null;
    if (at === null || !this.started) return;
    const handle = this.core.clock.setTimeout(() => {
      this.throttleTimer = null;
      this.schedulePump();
    }, at - now);
    this.throttleTimer = { at, handle };
  }

  /** Redraws the status line's "used" when the oldest start leaves the window. */
  private armExpiry(): void {
    if (this.expiryTimer) this.core.clock.clearTimeout(this.expiryTimer.handle);
    this.expiryTimer = null;
    const now = this.core.clock.now();
    const at = nextExpiryAt(this.core.throttleStarts, now, this.window().intervalMs);
    if (at === null || !this.started) return;
    const handle = this.core.clock.setTimeout(() => {
      this.expiryTimer = null;
      this.core.signals.changed();
      this.armExpiry();
    }, at - now);
    this.expiryTimer = { at, handle };
  }
}
