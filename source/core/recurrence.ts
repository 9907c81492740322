// An alarm that comes back: a CREATE for a GUID whose ticket Jira reports resolved. What to do
// is `alarms.onRecurrence`: `reopen` moves the ticket back through `alarms.reopenTransition`
// and updates it (when it was resolved within `alarms.reopenWithinDays`; an older one gets a
// new ticket), `new` opens a new ticket linked to the old one, `update` only updates it.
// Whether the ticket is resolved is read from Jira (its status and resolution) when the
// update is sent, not taken from what jiraline last did: a person may have closed or reopened
// it since. The decision and each step (the reopen, the new ticket, the link) are kept in the
// unit's memory, so a retry or a restart neither decides again nor repeats a step.
// See docs/architecture.md#recurrence.
import { composeCreate, guidLabel, parseAdvancedLine, type AdvancedCommand } from './advanced.js';
import { localDay } from './clock.js';
import type { EngineCore, UnitMemory } from './engine-core.js';
import { CLOUD_SEARCH_RECHECK_MS, carriesLabel } from './engine-recovery.js';
import { checkOwnTicket, markVerified } from './engine-verify.js';
import { JiraError } from './jira-error.js';
import type { JiraIssue, QueuedCommand, TicketRef } from './ports.js';
import { oneLine } from './safe-text.js';
import { fillTemplate } from './template-placeholders.js';

/** What a recurring CREATE does to the GUID's ticket. */
export type RecurrenceAction = 'update' | 'reopen' | 'new';

/** A unit's recurrence, decided once and remembered with the steps done. */
export interface RecurrenceMemory {
  action: RecurrenceAction;
  /** The ticket the GUID had when the CREATE came (the resolved one). */
  oldKey: string;
  /** reopen: the transition was taken; its request left without a known outcome. */
  reopened?: boolean;
  reopenInFlight?: boolean;
  /** new: when the create left without a known outcome (ms epoch); the ticket once made. */
  createInFlight?: number;
  created?: TicketRef;
  /** new: the link to the old ticket is made (or was refused: see linkNote). */
  linked?: boolean;
  linkNote?: string;
}

/** What the update goes on with: the ticket to write, and what the log row says it was. */
export interface Recurrence {
  ticket: TicketRef;
  action: RecurrenceAction;
  logAction: 'Update' | 'Reopen' | 'Create';
  /** Something the row's message should say (a link Jira refused). */
  note?: string;
}

/** How far Jira's clock may be from ours when a new ticket is looked up by its creation time. */
const CLOCK_SKEW_MS = 60_000;
/** Issues read when looking for a new ticket whose answer was lost (newest first). */
const LOOKUP_LIMIT = 50;

/** Whether the line is a CREATE (cheap: the action is the text between the first two bars). */
function isCreateLine(line: string | null): boolean {
  return line !== null && /^[^|]*\|\s*create\s*(\||$)/i.test(line);
}

function jiraTime(raw: unknown): number | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whether Jira reports the issue resolved, and since when: a resolution set, or (a workflow
 * that sets none) a status in the Done category. Everything read defensively: Jira is not trusted.
 */
export function resolvedSince(issue: JiraIssue): { resolved: boolean; at: number | null } {
  const f = issue.fields ?? {};
  const resolution = f.resolution;
  const status = f.status as { statusCategory?: { key?: unknown } } | null | undefined;
  const done = !!status && typeof status === 'object' && !!status.statusCategory && typeof status.statusCategory === 'object'
    && status.statusCategory.key === 'done';
  const resolved = (resolution !== null && resolution !== undefined && typeof resolution === 'object') || done;
  return { resolved, at: resolved ? jiraTime(f.resolutiondate) ?? jiraTime(f.updated) : null };
}

function saved(core: EngineCore, unit: string, memory: UnitMemory, rec: RecurrenceMemory): void {
  memory.recurrence = rec;
  core.saveUnit(unit);
}

/**
 * Decides (once per unit) what a unit holding a CREATE for a GUID with a ticket does, and
 * takes the steps that come before its update: the reopen, or the new ticket and its link.
 * Units without a CREATE line, and the `update` policy, read nothing from Jira. A stop rejects
 * it (as `stopped`) wherever it is; the unit stays for the next start.
 */
export async function applyRecurrence(core: EngineCore, cmds: QueuedCommand[], unit: string, memory: UnitMemory, ticket: TicketRef): Promise<Recurrence> {
  const policy = core.config.alarms;
  let rec = memory.recurrence;
  if (!rec) {
    const creating = cmds.find((c) => isCreateLine(c.line));
    if (!creating || policy.onRecurrence === 'update') return { ticket, action: 'update', logAction: 'Update' };
    const issue = await core.sendFor(cmds[0].id, (jira) => jira.getIssue(ticket.ticketKey, ['status', 'resolution', 'resolutiondate', 'updated']));
    const state = resolvedSince(issue);
    let action: RecurrenceAction = 'update';
    if (state.resolved) {
      const limit = policy.reopenWithinDays;
      const recent = limit === null || state.at === null || core.clock.now() - state.at <= limit * 86_400_000;
      action = policy.onRecurrence === 'reopen' && recent ? 'reopen' : 'new';
    }
    rec = { action, oldKey: ticket.ticketKey };
    saved(core, unit, memory, rec);
  }
  if (rec.action === 'update') return { ticket, action: 'update', logAction: 'Update' };
  // A ticket that does not carry the GUID's label is neither reopened nor replaced: the update's
  // own check then fails the unit with the reason (engine-verify.ts).
  if (!rec.reopened && !rec.created && await checkOwnTicket(core, ticket, cmds[0].id) !== null) return { ticket, action: 'update', logAction: 'Update' };
  if (rec.action === 'reopen') {
    await reopen(core, cmds, unit, memory, rec, ticket);
    return { ticket, action: 'reopen', logAction: 'Reopen' };
  }
  const made = await openNew(core, cmds, unit, memory, rec);
  const note = memory.recurrence?.linkNote;
  return { ticket: made, action: 'new', logAction: 'Create', ...(note ? { note } : {}) };
}

/** Moves the resolved ticket back through the configured transition, once. */
async function reopen(core: EngineCore, cmds: QueuedCommand[], unit: string, memory: UnitMemory, rec: RecurrenceMemory, ticket: TicketRef): Promise<void> {
  if (rec.reopened) return;
  const key = ticket.ticketKey;
  if (rec.reopenInFlight) {
    // The answer was lost: if Jira no longer calls it resolved, the transition was taken.
    const issue = await core.sendFor(cmds[0].id, (jira) => jira.getIssue(key, ['status', 'resolution']));
    if (!resolvedSince(issue).resolved) {
      saved(core, unit, memory, { ...rec, reopened: true, reopenInFlight: false });
      return;
    }
  }
  saved(core, unit, memory, { ...rec, reopenInFlight: true });
  await core.commitQuietly();
  const name = core.config.alarms.reopenTransition;
  try {
    await core.sendFor(cmds[0].id, (jira) => jira.transitionTo(key, name));
  } catch (error) {
    if (error instanceof JiraError && error.cause_ === 'no-transition') {
      const message = `set alarms.reopenTransition to one of ${key}'s transitions or target statuses — the alarm came back but it `
        + `cannot be reopened: no transition "${name}" leads out of its status (${oneLine(error.message, 300)})`;
      throw new JiraError({ status: error.status, retryable: false, cause: 'no-transition', message, messages: [message] });
    }
    throw error;
  }
  saved(core, unit, memory, { ...rec, reopened: true, reopenInFlight: false });
}

function firstCreate(cmds: QueuedCommand[]): AdvancedCommand & { acceptedAt: number } {
  const cmd = cmds.find((c) => isCreateLine(c.line)) ?? cmds[0];
  const parsed = parseAdvancedLine(cmd.line ?? '');
  if (!parsed.ok) throw new Error(`the stored line no longer parses: ${parsed.error}`);
  return { ...parsed.command, acceptedAt: cmd.acceptedAt };
}

/** A new ticket for the GUID from the template and the CREATE line, linked to the old one, once. */
async function openNew(core: EngineCore, cmds: QueuedCommand[], unit: string, memory: UnitMemory, rec: RecurrenceMemory): Promise<TicketRef> {
  const guid = cmds[0].guid as string;
  let made = rec.created;
  if (!made && rec.createInFlight !== undefined) {
    made = await findNew(core, guid, cmds[0].id, rec) ?? undefined;
    if (made) rec = record(core, unit, memory, rec, made);
  }
  if (!made) {
    const line = firstCreate(cmds);
    const catalogue = await core.sendingCatalogue();
    const template = fillTemplate(core.config.template, { command: line, acceptedAt: line.acceptedAt, catalogue });
    const plan = composeCreate(line, template, catalogue, core.shapeContext());
    if (!plan.ok) throw new JiraError({ status: 400, retryable: false, cause: 'compose', message: plan.error, messages: [plan.error] });
    rec = { ...rec, createInFlight: core.clock.now() };
    saved(core, unit, memory, rec);
    await core.commitQuietly();
    const created = await core.sendFor(cmds[0].id, (jira) => jira.createIssue(plan.value.body));
    made = { guid, ticketId: created.id, ticketKey: created.key, ticketUrl: core.jira.browseUrl(created.key) };
    rec = record(core, unit, memory, rec, made);
  }
  if (!rec.linked) {
    const oldKey = rec.oldKey;
    const newKey = made.ticketKey;
    try {
      await core.sendFor(cmds[0].id, (jira) => jira.linkIssues(core.config.alarms.linkType, newKey, oldKey));
      rec = { ...rec, linked: true };
    } catch (error) {
      // A refused link (an unknown link type, linking switched off) loses nothing the alarm
      // needs: the new ticket stands and the row says why it is not linked. A passing failure retries.
      if (!(error instanceof JiraError) || error.retryable || error.status < 400) throw error;
      rec = { ...rec, linked: true, linkNote: `${newKey} not linked to ${oldKey}: check alarms.linkType — ${oneLine(error.message, 200)}` };
    }
    saved(core, unit, memory, rec);
  }
  return made;
}

/** The new ticket is the GUID's from now on: map, count and memory written together. */
function record(core: EngineCore, unit: string, memory: UnitMemory, rec: RecurrenceMemory, made: TicketRef): RecurrenceMemory {
  core.store.setTicket(made);
  markVerified(core, made);
  core.store.addStats(localDay(core.clock.now()), 1, 0);
  const next = { ...rec, created: made, createInFlight: undefined };
  saved(core, unit, memory, next);
  return next;
}

/**
 * The new ticket of a create whose answer was lost: the newest issue carrying the GUID's label
 * that is not the old ticket and was made since the request left. Null: none, send it again.
 */
async function findNew(core: EngineCore, guid: string, id: number, rec: RecurrenceMemory): Promise<TicketRef | null> {
  const label = guidLabel(guid);
  const since = (rec.createInFlight ?? 0) - CLOCK_SKEW_MS;
  const look = async (): Promise<JiraIssue | undefined> => {
    const result = await core.lookupFor(id, (jira) => jira.search(`labels = "${label}" ORDER BY created DESC`, { fields: ['labels', 'created'], maxResults: LOOKUP_LIMIT }));
    return result.issues.find((i) => carriesLabel(i, label) && i.key !== rec.oldKey && (jiraTime(i.fields.created) ?? 0) >= since);
  };
  let hit = await look();
  // Jira Cloud's search trails its writes by a few seconds: look once more before sending again.
  if (!hit && core.shapeContext().deployment === 'cloud') {
    // A stop ends the wait (it rejects as `stopped`), as it ends the searches.
    await core.wait(CLOUD_SEARCH_RECHECK_MS);
    hit = await look();
  }
  return hit ? { guid, ticketId: hit.id, ticketKey: hit.key, ticketUrl: core.jira.browseUrl(hit.key) } : null;
}
