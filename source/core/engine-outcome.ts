// How a unit of work ends an attempt: Ok, Failed for good, or Pending with the next try
// scheduled — and what that does to its commands, its log row and the events.
// See docs/architecture.md#pacing-retries-the-pause-and-the-gate.
import type { CredentialSource } from './ports.js';
import type { EngineCore } from './engine-core.js';
import { attemptsOf, messageOf, unitKey } from './engine-core.js';
import { closesGate, isStopped } from './engine-gate.js';
import { JiraError } from './jira-error.js';
import type { LogRow, QueuedCommand, TicketRef } from './ports.js';
import { pauseFor } from './pacer.js';
import { decideRetry } from './retry.js';
import { settleAlarm } from './engine-alarms.js';

/** What a failure may ask of the worker. */
export interface FailureHooks {
  /** 401/403: hold the whole queue until the credentials change. */
  pause(reason: string): void;
}

/** Log row fields an attempt gathered (the request sent, Jira's answer), written with its outcome. */
export type LogPatch = Partial<Omit<LogRow, 'id'>>;

/** What the sender knew when the attempt failed. */
export interface FailureContext {
  /** A CREATE whose request may have reached Jira: it is looked up by label before it is sent again. */
  unknownOutcome: boolean;
  ticket?: TicketRef;
  log?: LogPatch;
}

const RESPONSE_LIMIT = 2048;

/** The message shown while 401/403 holds the queue; it says what to do, and where (the credentials' source). */
export function authMessage(error: JiraError, source?: CredentialSource | null): string {
  if (source === 'environment') {
    return `Jira refused the credentials (${error.status}): correct or unset JIRALINE_USER/JIRALINE_PASSWORD or JIRALINE_AUTH_KEY `
      + 'where jiraline is started, and restart it (they were taken from the environment, which outranks jiraline auth set); everything stays Pending until they change';
  }
  return `Jira refused the credentials (${error.status}): run jiraline auth set (check the username and API token or key); `
    + 'everything stays Pending until they change';
}

function describeAnswer(error: JiraError): string {
  return JSON.stringify({ status: error.status, error: error.detail() }).slice(0, RESPONSE_LIMIT);
}

/** Decides and records what a failed attempt leads to. */
export function handleFailure(core: EngineCore, cmds: QueuedCommand[], error: unknown, hooks: FailureHooks, context: FailureContext): void {
  if (!(error instanceof JiraError)) {
    // Not Jira's answer: a bug, or a line that no longer composes. Final.
    finishFailed(core, cmds, messageOf(error), context.ticket, context.log);
    return;
  }
  // The stop ended the attempt (a request unsent or cut short, a wait): the unit stays open as
  // it is for the next start, which looks up whatever may have reached Jira.
  if (isStopped(error)) return;
  // The gate learns whether its probe was refused, whatever is decided for the unit below.
  if (closesGate(error)) core.gate.unitRefused(cmds[0].guid, error);
  if (error.status === 429) {
    rateRefused(core, cmds, error, context);
    return;
  }
  const key = unitKey(cmds);
  const memory = core.unit(key);
  if (error.status === 500) {
    memory.serverErrors++;
    core.saveUnit(key); // the cap of 5 retries holds across restarts too
  }
  const now = core.clock.now();
  const decision = decideRetry(error, {
    attempts: attemptsOf(cmds),
    serverErrors: memory.serverErrors,
    acceptedAt: cmds[0].acceptedAt,
  }, now, core.config.updates.retryForHours, core.random);
  const t = context.ticket;
  const log: LogPatch = { ...context.log, response: describeAnswer(error),
    ...(t ? { ticketId: t.ticketId, ticketKey: t.ticketKey, ticketUrl: t.ticketUrl } : {}) };
  if (decision.kind === 'pause') {
    const reason = authMessage(error, core.credentialSource());
    for (const cmd of cmds) core.patchCommand(cmd, { ...attemptMarks(cmd), state: context.unknownOutcome ? 'inflight' : 'queued', nextAttemptAt: now });
    if (cmds[0].logId !== null) core.store.updateLog(cmds[0].logId, { ...log, error: reason, nextAttemptAt: null });
    hooks.pause(reason);
    void core.commitQuietly();
    return;
  }
  if (decision.kind === 'fail') {
    finishFailed(core, cmds, decision.reason, context.ticket, log);
    return;
  }
  scheduleRetry(core, cmds, decision.delayMs, error.detail(), context.unknownOutcome, log);
}

// A CREATE's attempt marks live in memory until its outcome (engine-send.ts): a retry stores them.
function attemptMarks(cmd: QueuedCommand): Pick<QueuedCommand, 'attempts' | 'firstSentAt'> {
  return { attempts: cmd.attempts, firstSentAt: cmd.firstSentAt };
}

/**
 * Jira paced us (429): not the command's failure. The attempt is not counted (so neither
 * retryForHours' "gave up after N attempts" nor the command's own back-off grows), the pacer has
 * already slowed down and paused the scope the refusal names, and the unit goes again once its
 * Retry-After is over (at least 1 s, at most MAX_PAUSE_MS). The row stays Pending without an
 * error: its answer shows the refusal and how many the command met.
 */
function rateRefused(core: EngineCore, cmds: QueuedCommand[], error: JiraError, context: FailureContext): void {
  const now = core.clock.now();
  const pause = pauseFor(error.retryAfterMs);
  if (pause.capped) {
    const seconds = Math.round((error.retryAfterMs ?? 0) / 1000);
    core.signals.emit({ type: 'pacing', ...pacingOf(core), reason: `Jira asked to wait ${seconds} s (Retry-After); waiting ${pause.ms / 60_000} min instead` });
  }
  const at = now + pause.ms;
  const memory = core.unit(unitKey(cmds));
  memory.rateRefusals = (memory.rateRefusals ?? 0) + 1;
  // An update Jira applied nothing of (typically refused by Cloud's per-issue write limit) is
  // waiting again as if never sent: updates of its GUID that arrive during the pause merge into
  // it (one request when the issue may be written again), as they do before a first send.
  const untouched = cmds[0].kind === 'update' && !memory.edited && !memory.transitioned && memory.commentsDone === 0;
  for (const cmd of cmds) {
    core.patchCommand(cmd, { attempts: Math.max(0, cmd.attempts - 1), firstSentAt: untouched ? null : cmd.firstSentAt,
      state: context.unknownOutcome ? 'inflight' : 'queued', nextAttemptAt: at });
  }
  const t = context.ticket;
  const answer = JSON.stringify({ status: 429, paced: `Jira's rate limit; refused ${memory.rateRefusals} time(s) so far, not counted as attempts`,
    reason: error.rateLimitReason, error: error.detail() }).slice(0, RESPONSE_LIMIT);
  const logId = cmds[0].logId;
  if (logId !== null) {
    core.store.updateLog(logId, { ...context.log, response: answer, attempts: attemptsOf(cmds), nextAttemptAt: at,
      ...(t ? { ticketId: t.ticketId, ticketKey: t.ticketKey, ticketUrl: t.ticketUrl } : {}) });
  }
  core.signals.changed();
  void core.commitQuietly();
}

function pacingOf(core: EngineCore): { perSecond: number; limitedByJira: boolean; waiting: number } {
  const s = core.pacer.state();
  return { perSecond: s.perSecond, limitedByJira: s.limitedByJira, waiting: s.waiting };
}

function scheduleRetry(core: EngineCore, cmds: QueuedCommand[], delayMs: number, reason: string, unknownOutcome: boolean, log: LogPatch): void {
  const at = core.clock.now() + delayMs;
  for (const cmd of cmds) core.patchCommand(cmd, { ...attemptMarks(cmd), state: unknownOutcome ? 'inflight' : 'queued', nextAttemptAt: at });
  const logId = cmds[0].logId;
  if (logId !== null) core.store.updateLog(logId, { ...log, error: reason, nextAttemptAt: at });
  core.signals.emit({ type: 'retry', guid: cmds[0].guid, attempt: attemptsOf(cmds), delayMs, reason });
  void core.commitQuietly();
}

/** The unit is done: commands finished, row Ok with the ticket, 'sent'. */
export function finishOk(core: EngineCore, cmds: QueuedCommand[], ticket: TicketRef, action: LogRow['action'], log: LogPatch = {}): void {
  for (const cmd of cmds) core.finishCommand(cmd, 'done');
  const refusals = core.unit(unitKey(cmds)).rateRefusals ?? 0;
  if (refusals > 0) log = { ...log, response: withRefusals(log.response, refusals) };
  core.forgetUnit(unitKey(cmds));
  settleAlarm(core, cmds[0].guid, 'ok');
  const logId = cmds[0].logId;
  if (logId !== null) {
    // An Ok row's Error Message is empty, or says what was cut to fit Jira's limits.
    core.store.updateLog(logId, { ...log, action, status: 'Ok', ticketId: ticket.ticketId, ticketKey: ticket.ticketKey, ticketUrl: ticket.ticketUrl,
      error: log.error ?? null, nextAttemptAt: null });
    // Every command the row carries travels in the unit (a merge is sent whole), so they are its lines.
    core.signals.emit({ type: 'sent', guid: cmds[0].guid, action, ticketKey: ticket.ticketKey, logId, lines: cmds.length });
  }
  // A CREATE's outcome may lag on disk (a restart looks it up by label); an update's may not
  // (it would be sent again, its comments twice) — also one logged as Create (a recurrence's new ticket).
  if (cmds[0].kind === 'create') core.commitLater();
  else void core.commitQuietly();
}

/** Jira's last answer, with the rate-limit refusals met on the way (they were not failures). */
function withRefusals(response: string | null | undefined, refusals: number): string {
  let answer: Record<string, unknown> = { status: 'ok' };
  try {
    const parsed: unknown = response ? JSON.parse(response) : null;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>;
  } catch {
    // Not ours to read: the note stands alone.
  }
  return JSON.stringify({ ...answer, paced: `met ${refusals} refusal(s) for Jira's rate limit on the way (not attempts)` }).slice(0, RESPONSE_LIMIT);
}

/**
 * The unit failed for good: commands failed, row Failed with the reason. A CREATE that made
 * no ticket takes the updates waiting on it along (they have nothing to update).
 */
export function finishFailed(core: EngineCore, cmds: QueuedCommand[], reason: string, ticket?: TicketRef, log: LogPatch = {}): void {
  const first = cmds[0];
  failCommands(core, cmds, reason, ticket, log);
  core.forgetUnit(unitKey(cmds));
  if (first.kind === 'create' && first.guid !== null && !core.store.getTicket(first.guid)) {
    const waiting = core.queue.list(first.guid).map((e) => e.cmd);
    const byRow = new Map<number | null, QueuedCommand[]>();
    for (const cmd of waiting) byRow.set(cmd.logId, [...(byRow.get(cmd.logId) ?? []), cmd]);
    for (const group of byRow.values()) {
      failCommands(core, group, `not sent: the CREATE of ${first.guid} failed (${reason})`);
      core.forgetUnit(unitKey(group));
    }
  }
  void core.commitQuietly();
}

function failCommands(core: EngineCore, cmds: QueuedCommand[], reason: string, ticket?: TicketRef, log: LogPatch = {}): void {
  for (const cmd of cmds) core.finishCommand(cmd, 'failed');
  const first = cmds[0];
  settleAlarm(core, first.guid, 'failed');
  if (first.logId === null) return;
  core.store.updateLog(first.logId, {
    ...log, status: 'Failed', error: reason, nextAttemptAt: null,
    ...(ticket ? { ticketId: ticket.ticketId, ticketKey: ticket.ticketKey, ticketUrl: ticket.ticketUrl } : {}),
  });
  core.signals.emit({ type: 'failed', guid: first.guid, action: first.kind === 'create' ? 'Create' : first.kind === 'call' ? 'Call' : 'Update', error: reason, logId: first.logId });
}
