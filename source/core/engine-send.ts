// Sending one unit of work to Jira: a CREATE (POST, the GUID → ticket map, then its
// comments and transition) or an update (every waiting line of one log row merged into
// one PUT, then the transition). Steps already done are remembered, so a retry after a
// passing failure does not add a comment twice or make a second ticket. No "stopped?"
// check after each await: once the engine stops, every Jira call and wait still under way
// rejects as `stopped` (WatchedJira, core.wait), and handleFailure leaves such a unit as it is.
import { composeCreate, composeUpdate, mergeUpdatePlans, parseAdvancedLine, updatePlanBody, type AdvancedCommand } from './advanced.js';
import { localDay } from './clock.js';
import type { EngineCore } from './engine-core.js';
import { attemptsOf, unitKey } from './engine-core.js';
import { handleFailure, finishFailed, finishOk, type FailureHooks, type LogPatch } from './engine-outcome.js';
import { adoptByLabel } from './engine-recovery.js';
import { lastLookup, outcomeLost, repairCheckDelayMs, settleLater } from './engine-settle.js';
import { commentOnce, editOnce, transitionOnce } from './engine-steps.js';
import { checkOwnTicket, markVerified } from './engine-verify.js';
import type { QueuedCommand, TicketRef } from './ports.js';
import { fitNote } from './text-limits.js';
import { applyRecurrence } from './recurrence.js';
import { fillTemplate } from './template-placeholders.js';
import { sendCall } from './engine-call.js';
import { outcomeUnknown } from './jira-error.js';


/** Sends one unit (a CREATE, or an update's commands sharing a log row); never rejects. */
export async function sendUnit(core: EngineCore, cmds: QueuedCommand[], hooks: FailureHooks): Promise<void> {
  if (cmds[0].kind === 'create') await sendCreate(core, cmds[0], hooks);
  else if (cmds[0].kind === 'call') await sendCall(core, cmds[0], hooks);
  else await sendUpdate(core, cmds, hooks);
}

/**
 * Marks the commands sent once more (and the row's time as the first send). With
 * `persist` the marks go to the store at once; without, only in memory, and the row's part is
 * returned for the caller to write with the attempt's outcome (a CREATE: see sendCreate).
 */
export function beginAttempt(core: EngineCore, cmds: QueuedCommand[], persist = true): LogPatch {
  const now = core.clock.now();
  const first = cmds.every((c) => c.firstSentAt === null);
  for (const cmd of cmds) {
    const patch = { state: 'inflight' as const, attempts: cmd.attempts + 1, firstSentAt: cmd.firstSentAt ?? now };
    if (persist) core.patchCommand(cmd, patch);
    else Object.assign(cmd, patch);
  }
  const row: LogPatch = { ...(first ? { time: now } : {}), attempts: attemptsOf(cmds), nextAttemptAt: null };
  const logId = cmds[0].logId;
  if (persist && logId !== null) core.store.updateLog(logId, row);
  core.signals.changed();
  return persist ? {} : row;
}

export function reparse(cmd: QueuedCommand): AdvancedCommand {
  const parsed = parseAdvancedLine(cmd.line ?? '');
  if (!parsed.ok) throw new Error(`the stored line no longer parses: ${parsed.error}`);
  return parsed.command;
}

async function sendCreate(core: EngineCore, cmd: QueuedCommand, hooks: FailureHooks): Promise<void> {
  const key = unitKey([cmd]);
  const memory = core.unit(key);
  const guid = cmd.guid as string;
  // Whether Jira may already hold this CREATE's ticket (then it is looked up, not re-sent):
  // every open CREATE found at start, and any whose answer was lost since.
  let unknownOutcome = cmd.state === 'inflight';
  // No commit before the POST (one ticket per GUID holds): a restart treats every open CREATE as
  // possibly sent and looks it up by its label (engine-recovery.ts), so the attempt's marks
  // can wait for its outcome and go to the store with it — one write instead of two, and no
  // whole-file commit between a line's acknowledgement and its request.
  // What the row learns on the way (time, attempts, request, answer), written with the outcome.
  const log: LogPatch = beginAttempt(core, [cmd], false);
  core.settling.delete(guid);
  let ticket: TicketRef | undefined;
  // Sent again after an unknown outcome: checked for a second ticket later (engine-repair.ts).
  let resend = false;
  try {
    const catalogue = await core.sendingCatalogue();
    const command = reparse(cmd);
    // The template's placeholders ({guid}, {field:NAME}, {now}, {date}) take this line's values.
    const template = fillTemplate(core.config.template, { command, acceptedAt: cmd.acceptedAt, catalogue });
    const plan = composeCreate(command, template, catalogue, core.shapeContext());
    if (!plan.ok) {
      finishFailed(core, [cmd], plan.error, undefined, log);
      return;
    }
    if (plan.value.notes) log.error = fitNote(plan.value.notes);
    ticket = core.store.getTicket(guid);
    const fromMap = ticket !== undefined;
    if (!ticket && unknownOutcome) {
      // A stop ends the lookup (its search or its wait rejects as `stopped`): nothing more goes to
      // Jira, the CREATE stays open and the next start takes it up again.
      ticket = (await adoptByLabel(core, cmd, lastLookup(core, memory))) ?? undefined;
      // Not found while Jira may still be making it: looked up again later, not sent (engine-settle.ts).
      if (!ticket && settleLater(core, cmd, memory, log)) return;
      resend = ticket === undefined;
      unknownOutcome = false;
    }
    if (!ticket) {
      log.request = JSON.stringify(plan.value.body);
      unknownOutcome = true;
      let created;
      try {
        created = await core.sendFor(cmd.id, (jira) => jira.createIssue(plan.value.body));
      } catch (error) {
        // An answer (4xx, 429, 503, 500) proves nothing was made: it is sent again without a lookup.
        unknownOutcome = outcomeUnknown(error);
        if (unknownOutcome) outcomeLost(core, memory, key);
        throw error;
      }
      unknownOutcome = false;
      ticket = { guid, ticketId: created.id, ticketKey: created.key, ticketUrl: core.jira.browseUrl(created.key) };
      // The ticket and its count are stored together: recovery adopts (and counts) only what is not.
      core.store.setTicket(ticket);
      markVerified(core, ticket);
      core.store.addStats(localDay(core.clock.now()), 1, 0);
      if (resend) core.scheduleRepair(guid, core.clock.now() + repairCheckDelayMs(core));
      log.response = JSON.stringify({ status: 201, id: created.id, key: created.key });
      core.commitLater();
    }
    // A ticket an earlier run put in the map is written only if it carries the GUID's label.
    const writes = memory.commentsDone < plan.value.comments.length || (plan.value.status !== null && !memory.transitioned);
    if (fromMap && writes) {
      const notOurs = await checkOwnTicket(core, ticket, cmd.id);
      if (notOurs !== null) {
        finishFailed(core, [cmd], notOurs, ticket, log);
        return;
      }
    }
    // Each step is marked done (and stored) as soon as Jira took it, so neither a retry nor
    // a restart repeats it.
    // (engine-steps.ts: an unknown outcome is looked up before the step is sent again.)
    const target = { unit: key, commandId: cmd.id, memory, guid, ticketKey: ticket.ticketKey };
    while (memory.commentsDone < plan.value.comments.length) {
      await commentOnce(core, target, memory.commentsDone, plan.value.comments[memory.commentsDone]);
    }
    if (plan.value.status !== null && !memory.transitioned) await transitionOnce(core, target, plan.value.status);
    finishOk(core, [cmd], ticket, 'Create', log);
  } catch (error) {
    handleFailure(core, [cmd], error, hooks, { unknownOutcome, ticket, log });
  }
}

async function sendUpdate(core: EngineCore, cmds: QueuedCommand[], hooks: FailureHooks): Promise<void> {
  const key = unitKey(cmds);
  const memory = core.unit(key);
  const guid = cmds[0].guid as string;
  beginAttempt(core, cmds);
  void core.commitQuietly();
  let ticket: TicketRef | undefined;
  const log: LogPatch = {};
  try {
    const catalogue = await core.sendingCatalogue();
    ticket = core.store.getTicket(guid);
    if (!ticket) {
      finishFailed(core, cmds, 'GUID has no ticket — its CREATE did not make one');
      return;
    }
    // A CREATE for a ticket Jira reports resolved: reopened, replaced by a new linked ticket, or updated.
    const recurrence = await applyRecurrence(core, cmds, key, memory, ticket);
    ticket = recurrence.ticket;
    const ctx = core.shapeContext();
    const plans = [];
    for (const cmd of cmds) {
      const command = reparse(cmd);
      const plan = composeUpdate(command, catalogue, ctx, { fromCreate: command.action === 'CREATE' });
      if (!plan.ok) {
        finishFailed(core, cmds, plan.error, ticket);
        return;
      }
      plans.push(plan.value);
    }
    const merged = mergeUpdatePlans(plans);
    if (merged.notes) log.error = fitNote(merged.notes);
    if (recurrence.note) log.error = log.error ? `${recurrence.note}; ${log.error}` : recurrence.note;
    const body = updatePlanBody(merged, guid);
    const comments = merged.comments;
    const writes = (body !== null && !memory.edited) || memory.commentsDone < comments.length || (merged.status !== null && !memory.transitioned);
    // Never written unless it carries the GUID's label (engine-verify.ts): one GET per ticket.
    if (writes) {
      const notOurs = await checkOwnTicket(core, ticket, cmds[0].id);
      if (notOurs !== null) {
        finishFailed(core, cmds, notOurs, ticket, log);
        return;
      }
    }
    // The row's request: the edit's body, and beside it the comments added after it one by one.
    if (body !== null || comments.length > 0) log.request = JSON.stringify({ ...body, ...(comments.length > 0 ? { comments } : {}) });
    const target = { unit: key, commandId: cmds[0].id, memory, guid, ticketKey: ticket.ticketKey };
    // The edit carries only field and label changes (sent again they change nothing more); each
    // comment is its own step with its marker, looked up before it is sent again, and marked
    // done as soon as Jira took it, so neither a retry nor a restart repeats one (engine-steps.ts).
    if ((body !== null && !memory.edited) || memory.editInFlight) await editOnce(core, target, body, comments);
    while (memory.commentsDone < comments.length) await commentOnce(core, target, memory.commentsDone, comments[memory.commentsDone]);
    if (merged.status !== null && !memory.transitioned) await transitionOnce(core, target, merged.status);
    // A new ticket was counted as created when it was made.
    if (recurrence.action !== 'new') core.store.addStats(localDay(core.clock.now()), 0, 1);
    finishOk(core, cmds, ticket, recurrence.logAction, log);
  } catch (error) {
    handleFailure(core, cmds, error, hooks, { unknownOutcome: false, ticket, log });
  }
}
