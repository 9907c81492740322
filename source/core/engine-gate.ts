// The gate: when Jira is not answering at all (connection refused, timeouts, a gateway's
// 502/504), every queued unit retrying on its own schedule is a retry storm — thousands of
// doomed requests and a saturated thread. So one such failure closes the gate, and while it
// is closed one unit at a time goes to Jira (the probe); the rest are held, untouched, until
// Jira answers anything at all. A 429 is not for the gate: it is an answer, Jira pacing us,
// and the pacer (pacer.ts) slows everything down instead. Every call through the engine's
// JiraPort is watched (sends, recovery searches, checkConnection, Manual Execute, the Jira
// pane), so any of them can close or open it. The worker decides which unit probes
// (engine-worker.ts): only a unit whose own retry time has come is held or probes, so each
// keeps its own schedule; this file only knows when the next probe may go — after the
// gate's own back-off over failed probes (1 s, 2 s, 4 s … 5 min) and any Retry-After.
import { JiraError } from './jira-error.js';
import type {
  CallOptions, CommentPage,
  Clock, CreatedIssue, CreateMetaField, CreateMetaIssueType, FieldDef, IssuePayload, JiraIssue, JiraPort, JiraUser,
  SearchResult, ServerInfo, Transition,
} from './ports.js';
import { ClockTimer } from './clock-timer.js';
import type { Pacer, PaceOutcome } from './pacer.js';
import { MAX_RETRY_AFTER_MS, retryDelayMs } from './retry.js';

/**
 * Whether a failure says "Jira is not answering at all": no answer (refused, timed out) or a
 * gateway's 502/504. A 429 is an answer — Jira pacing us, which the pacer handles (pacer.ts) —
 * and so are 503 (one node busy) and 500 (one issue's problem, capped per command).
 * 401/403 have their own pause. A stop before sending says nothing about Jira.
 */
export function closesGate(error: unknown): error is JiraError {
  if (!(error instanceof JiraError)) return false;
  const s = error.status;
  return (s === 0 && error.cause_ !== 'stopped') || s === 502 || s === 504;
}

/** What the gate tells the engine. */
export interface GateHooks {
  /** Jira stopped taking requests (the faces show it down). */
  closed(error: JiraError): void;
  /** Jira answered: held work goes back to the scheduler. */
  opened(): void;
  /** The next probe may start now. */
  due(): void;
}

/** Whether work may go to Jira freely, or only one probe at a time; see the file comment. */
export class JiraGate {
  private isClosed = false;
  private last: JiraError | null = null;
  private lastAt = 0;
  /** When the gate closed (null while open): how long Jira has been unreachable. */
  private closedSince: number | null = null;
  /** Refusals that count for the gate's own back-off: the closing one, then each failed probe. */
  private failures = 0;
  /** No probe starts before this. */
  private notBefore = 0;
  /** The GUID whose unit is the probe (null: no probe under way), and the refusal it met. */
  private probeGuid: string | null = null;
  private probeRefusal: JiraError | null = null;
  /** Closings seen so far; a probe compares them at its end (one that closed the gate afresh was counted there). */
  private closings = 0;
  private closingsAtProbe = 0;
  /** The next probe's moment; the engine's stop signal clears it for good. */
  private readonly timer: ClockTimer;
  hooks: GateHooks = { closed: () => undefined, opened: () => undefined, due: () => undefined };

  /**
   * Once `stopSignal` aborts, nothing reaches the gate any more: WatchedJira passes a `stopped`
   * rejection by it (neither an answer nor a refusal), and the timer clears and stays clear.
   */
  constructor(private readonly clock: Clock, private readonly random: () => number, stopSignal?: AbortSignal) {
    this.timer = new ClockTimer(clock, () => this.hooks.due(), stopSignal);
  }

  /** True while only a probe may go to Jira. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The refusal the gate last saw (a held unit that gives up names it). */
  get lastError(): JiraError | null {
    return this.last;
  }

  /** When that refusal came: a held unit is "still failing" (for retryForHours) at that moment. */
  get lastRefusedAt(): number {
    return this.lastAt;
  }

  /** The GUID whose unit is the probe now (null: none). */
  get probe(): string | null {
    return this.probeGuid;
  }

  /** When the gate closed, or null while it is open. */
  get closedAt(): number | null {
    return this.closedSince;
  }

  /** Whether a probe may start now. */
  mayProbe(now: number): boolean {
    return this.isClosed && this.probeGuid === null && now >= this.notBefore;
  }

  /** Jira answered something (success, or a failure of its own making): open. */
  answered(): void {
    if (!this.isClosed) return;
    this.isClosed = false;
    this.closedSince = null;
    this.failures = 0;
    this.notBefore = 0;
    this.clearTimer();
    this.hooks.opened();
  }

  /** Jira is not taking requests: close, or keep closed; a Retry-After holds every probe back too. */
  refused(error: JiraError): void {
    const now = this.clock.now();
    this.last = error;
    this.lastAt = now;
    if (!this.isClosed) {
      this.isClosed = true;
      this.closedSince = now;
      this.closings++;
      this.failures = 1;
      this.notBefore = Math.max(this.notBefore, now + retryDelayMs(1, error.retryAfterMs, this.random));
      this.arm();
      this.hooks.closed(error);
      return;
    }
    if (error.retryAfterMs !== null && error.retryAfterMs > 0) this.notBefore = Math.max(this.notBefore, now + Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS));
    this.arm();
  }

  /**
   * A unit was refused with a gate-closing error (handleFailure tells, before it decides). Only
   * the probe's own refusal counts as the probe failing: units that were already with Jira when
   * the gate closed, a start-up check or a Jira-pane search say nothing about the probe.
   */
  unitRefused(guid: string | null, error: JiraError): void {
    if (guid !== null && guid === this.probeGuid) this.probeRefusal = error;
  }

  /** The worker started the probe: the unit of this GUID. */
  probeStarted(guid: string): void {
    this.probeGuid = guid;
    this.probeRefusal = null;
    this.closingsAtProbe = this.closings;
  }

  /**
   * The probe ended; true when it was refused and the gate is still closed. Then the gate's own
   * back-off grows (1 s, 2 s, 4 s … over failed probes), so the spacing does not fall back to
   * 1 s when the next probe is another unit, or the one that failed gave up.
   */
  probeEnded(): boolean {
    this.probeGuid = null;
    const refusal = this.probeRefusal;
    this.probeRefusal = null;
    if (!this.isClosed) return false;
    // A probe that closed the gate afresh (it had opened meanwhile) was counted by the closing.
    if (refusal && this.closings === this.closingsAtProbe) {
      this.failures++;
      const at = this.clock.now() + retryDelayMs(this.failures, refusal.retryAfterMs, this.random);
      this.notBefore = Math.max(this.notBefore, at);
    }
    this.arm();
    return refusal !== null;
  }

  /** A timer on the Clock for the next probe, so one starts even if the unit that failed is gone. */
  private arm(): void {
    if (this.isClosed) this.timer.armAt(this.notBefore);
    else this.timer.clear();
  }

  private clearTimer(): void {
    this.timer.clear();
  }
}

/** Whether a failure is the engine's stop (a call or wait ended by the stop signal), not anything Jira did. */
export function isStopped(error: unknown): boolean {
  return error instanceof JiraError && error.cause_ === 'stopped';
}

/** The error a call gets when the engine stopped before (or while) it was sent. */
export function stoppedError(): JiraError {
  return new JiraError({ status: 0, cause: 'stopped', message: 'jiraline is stopping: the request was not sent, or its answer came too late' });
}

/** The JiraPort the engine uses: the real one, every call paced (pacer.ts), every answer and refusal shown to the gate. */
export class WatchedJira implements JiraPort {
  /**
   * `stopSignal` aborts when the engine stops: it goes with every call into the port, which ends
   * the request under way at once (undici closes its socket), and every call still waiting then
   * rejects with a `stopped` JiraError, so no answer reaches a unit after the stop — the senders
   * need no "stopped?" check after each await. `paced` hears when a unit's request (by the
   * priority it goes under, its first command's id) waits for the pacer's permit, and when that ends.
   */
  constructor(private readonly inner: JiraPort, private readonly gate: JiraGate, private readonly pacer: Pacer,
    private readonly stopSignal: AbortSignal, private readonly paced: (id: number, waiting: boolean) => void = () => undefined) {
    this.call = { signal: stopSignal };
    inner.observeRate?.((headers) => pacer.observe(headers));
    // One listener for every call under way: a listener added to and removed from the signal
    // per call (hundreds at once) cost more CPU per ticket than the rest of the call's watch.
    stopSignal.addEventListener('abort', () => {
      for (const stop of this.underWay) stop();
      this.underWay.clear();
    }, { once: true });
  }

  /** What goes with every untagged call into the port: the stop signal. */
  private readonly call: CallOptions;
  /** Ends each call under way with a `stopped` rejection (the stop). */
  private readonly underWay = new Set<() => void>();

  /**
   * The call's outcome, or a `stopped` rejection as soon as the signal aborts. The port ends the
   * request itself too (the signal goes with it); this holds for a port that would not.
   */
  private untilStopped<T>(call: Promise<T>): Promise<T> {
    if (this.stopSignal.aborted) {
      call.catch(() => undefined);
      return Promise.reject(stoppedError());
    }
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(stoppedError());
      this.underWay.add(stop);
      call.then((value) => {
        this.underWay.delete(stop);
        resolve(value);
      }, (error: unknown) => {
        this.underWay.delete(stop);
        reject(error);
      });
    });
  }

  get baseUrl(): string {
    return this.inner.baseUrl;
  }

  get apiVersion(): 2 | 3 {
    return this.inner.apiVersion;
  }

  /** The priority and the unit of the next call (see withPriority); read before watch's first await. */
  private priority = 0;
  private unit = 0;

  /**
   * Runs `send` (which must call this port at once, synchronously) with its requests queued at
   * the pacer by `priority` — a unit's command id, so that the oldest command goes first; 0 goes
   * ahead of every unit. `unit` (the command id of the unit it is for, 0: none) is the unit the
   * scheduler marks paced while the request waits for its permit.
   */
  withPriority<T>(priority: number, send: () => Promise<T>, unit = priority): Promise<T> {
    this.priority = priority;
    this.unit = unit;
    try {
      return send();
    } finally {
      this.priority = 0;
      this.unit = 0;
    }
  }

  private async watch<T>(endpoint: string, issue: string | null, call: (options: CallOptions) => Promise<T>, cost = 1): Promise<T> {
    // The priority is the unit's command id (0 for a lookup): its answers are filed under that
    // command (engine-responses.ts: the tag goes with the call).
    const tag = this.priority;
    const unit = this.unit;
    // A call after the stop is refused before it reaches the pacer or the port.
    this.stopSignal.throwIfAborted();
    const scope = { endpoint, issue, cost, priority: tag };
    let permit = this.pacer.tryAcquire(scope);
    if (permit === null) {
      // Waits for the pace: a unit's request is "paced", not "sending", meanwhile (the scheduler's state).
      if (unit > 0) this.paced(unit, true);
      try {
        permit = await this.pacer.acquire(scope);
      } finally {
        if (unit > 0) this.paced(unit, false);
      }
    }
    let outcome: PaceOutcome = { kind: 'other' };
    try {
      const result = await this.untilStopped(call(tag > 0 ? { signal: this.stopSignal, tag } : this.call));
      outcome = { kind: 'answered' };
      this.gate.answered();
      return result;
    } catch (error) {
      if (error instanceof JiraError && error.status === 429) {
        outcome = { kind: 'rate-limited', retryAfterMs: error.retryAfterMs, reason: error.rateLimitReason };
      }
      if (isStopped(error)) throw error;
      if (closesGate(error)) this.gate.refused(error);
      // Jira's own verdict (400, 404, 429, 500, 503, 401 …) is an answer; anything else (a bug) says nothing.
      else if (error instanceof JiraError) this.gate.answered();
      throw error;
    } finally {
      this.pacer.release(permit, outcome);
    }
  }

  /** A custom endpoint's request (CALL), paced and watched as every other call. */
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number }> {
    const inner = this.inner.request?.bind(this.inner);
    if (!inner) return Promise.reject(new JiraError({ status: 0, retryable: false, message: 'this Jira client cannot send custom endpoints' }));
    return this.watch('call', null, (c) => inner(method, path, body, c));
  }

  serverInfo(): Promise<ServerInfo> {
    return this.watch('serverInfo', null, (c) => this.inner.serverInfo(c));
  }

  myself(): Promise<JiraUser> {
    return this.watch('myself', null, (c) => this.inner.myself(c));
  }

  fields(): Promise<FieldDef[]> {
    return this.watch('fields', null, (c) => this.inner.fields(c));
  }

  createMetaIssueTypes(project: string): Promise<CreateMetaIssueType[]> {
    return this.watch('createMeta', null, (c) => this.inner.createMetaIssueTypes(project, c));
  }

  createMetaFields(project: string, issueTypeId: string): Promise<CreateMetaField[]> {
    return this.watch('createMeta', null, (c) => this.inner.createMetaFields(project, issueTypeId, c));
  }

  projectStatuses(project: string): Promise<string[]> {
    const inner = this.inner.projectStatuses?.bind(this.inner);
    if (!inner) return Promise.reject(new JiraError({ status: 0, retryable: false, message: 'this Jira client cannot list a project\'s statuses' }));
    return this.watch('createMeta', null, (c) => inner(project, c));
  }

  createIssue(body: IssuePayload): Promise<CreatedIssue> {
    return this.watch('createIssue', null, (c) => this.inner.createIssue(body, c));
  }

  editIssue(key: string, body: IssuePayload): Promise<void> {
    return this.watch('editIssue', key, (c) => this.inner.editIssue(key, body, c));
  }

  transitions(key: string): Promise<Transition[]> {
    return this.watch('transitions', null, (c) => this.inner.transitions(key, c));
  }

  transitionTo(key: string, statusName: string): Promise<Transition> {
    // Two requests: the transitions are read, then one is posted.
    return this.watch('transitionTo', key, (c) => this.inner.transitionTo(key, statusName, c), 2);
  }

  addComment(key: string, text: string, marker?: Record<string, unknown>): Promise<void> {
    return this.watch('addComment', key, (c) => this.inner.addComment(key, text, marker, c));
  }

  comments(key: string, options: { startAt: number; maxResults: number }): Promise<CommentPage> {
    return this.watch('comments', null, (c) => this.inner.comments(key, options, c));
  }

  getIssue(key: string, fields?: string[]): Promise<JiraIssue> {
    return this.watch('getIssue', null, (c) => this.inner.getIssue(key, fields, c));
  }

  linkIssues(type: string, inwardKey: string, outwardKey: string): Promise<void> {
    return this.watch('linkIssues', inwardKey, (c) => this.inner.linkIssues(type, inwardKey, outwardKey, c));
  }

  search(jql: string, options?: Parameters<JiraPort['search']>[1]): Promise<SearchResult> {
    return this.watch('search', null, (c) => this.inner.search(jql, options, c));
  }

  browseUrl(key: string): string {
    return this.inner.browseUrl(key);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
