// A unit's comment and transition steps (a CREATE's and an UPDATE's alike), each applied once also when an answer is lost
// (a timeout, a 5xx from a gateway while Jira went on, a crash before the next commit).
// Before a comment leaves, the step is stored as in flight and committed, so that after any
// failure or crash its outcome is known to be unknown; such a step is looked up before it
// is sent again. Each comment carries a marker Jira keeps and returns (the `jiraline`
// entity property: the GUID, the unit, the step and when it left), so the lookup is exact;
// where a Jira drops the property, a comment with the same text by the same account within
// COMMENT_MATCH_WINDOW_MS of the step is taken as it. A transition whose outcome is unknown
// reads the issue's status first: there is then often no transition to the status it is in.
import type { EngineCore, UnitMemory } from './engine-core.js';
import { outcomeUnknown } from './jira-error.js';
import type { IssuePayload, JiraComment } from './ports.js';
import { ticketStatusOf } from './alarms.js';
import { noteTicketStatus, transitionStatus } from './engine-alarms.js';

/** Comments read per page when a comment step's outcome is looked up. */
export const COMMENT_LOOKUP_PAGE = 100;
/** The most pages read (newest first): an issue's recent comments are all that can be ours. */
export const COMMENT_LOOKUP_MAX_PAGES = 20;
/**
 * How far Jira's clock may be from ours when a comment is matched by its text and author
 * (a Jira that drops comment properties). A deliberate repeat of the same text by the same
 * account this close to the step is taken for it; a Jira clock further off makes the step
 * send again.
 */
export const COMMENT_MATCH_WINDOW_MS = 60_000;
/** Comments older than this before the step started are not read (a marker is exact; this bounds the reading). */
const MARKER_HORIZON_MS = 10 * 60_000;

/** Where a step belongs: the unit and its memory, the GUID and the ticket. */
export interface StepTarget {
  unit: string;
  /** The unit's first command: its place in the pacer's queue (older commands go first). */
  commandId: number;
  memory: UnitMemory;
  guid: string;
  ticketKey: string;
}

/**
 * Whether a failure proves Jira did not take the request: any answered refusal, 429 and 503
 * included (they are retried, but nothing was made), so the step is sent again without
 * reading the issue first; a timeout, a lost connection or a 502/504 leaves it unknown.
 */
function refused(error: unknown): boolean {
  return !outcomeUnknown(error);
}

/** The marker a comment carries: enough to tell this step's comment from any other. */
function markerOf(target: StepTarget, step: number, since: number): Record<string, unknown> {
  return { guid: target.guid, command: target.unit, step, sent: since };
}

function sameMarker(found: unknown, marker: Record<string, unknown>): boolean {
  if (!found || typeof found !== 'object') return false;
  const f = found as Record<string, unknown>;
  return Object.keys(marker).every((k) => f[k] === marker[k]);
}

/**
 * Whether the comment of an unknown-outcome step is on the issue: its marker, or (where Jira
 * kept none) its text by our account within the window. Newest first, paged, bounded.
 */
async function commentLanded(core: EngineCore, target: StepTarget, text: string, marker: Record<string, unknown> | null, since: number): Promise<boolean> {
  let me: string | null | undefined;
  const horizon = since - MARKER_HORIZON_MS;
  const until = core.clock.now() + COMMENT_MATCH_WINDOW_MS;
  for (let page = 0; page < COMMENT_LOOKUP_MAX_PAGES; page++) {
    const { comments, total } = await core.sendFor(target.commandId, (jira) => jira.comments(target.ticketKey, { startAt: page * COMMENT_LOOKUP_PAGE, maxResults: COMMENT_LOOKUP_PAGE }));
    for (const c of comments) {
      if (marker !== null && sameMarker(c.marker, marker)) return true;
      if (c.marker === undefined && c.text === text && inWindow(c, since, until)) {
        me ??= await myAccount(core, target.commandId);
        if (me !== null && c.author === me) return true;
      }
    }
    const oldest = comments.at(-1)?.created;
    const seen = (page + 1) * COMMENT_LOOKUP_PAGE;
    if (comments.length < COMMENT_LOOKUP_PAGE || (total !== undefined && seen >= total) || (oldest != null && oldest < horizon)) return false;
  }
  return false;
}

function inWindow(c: JiraComment, since: number, until: number): boolean {
  return c.created !== null && c.created >= since - COMMENT_MATCH_WINDOW_MS && c.created <= until;
}

async function myAccount(core: EngineCore, unit: number): Promise<string | null> {
  const user = await core.lookupFor(unit, (jira) => jira.myself());
  return user.accountId ?? user.name ?? null;
}

/**
 * Adds the unit's comment number `step` (its `commentsDone`), once. A stop rejects it (as
 * `stopped`) wherever it is: a step marked in flight stays so, and is looked up at the next start.
 */
export async function commentOnce(core: EngineCore, target: StepTarget, step: number, text: string): Promise<void> {
  const { memory, unit } = target;
  const pending = memory.commentInFlight;
  if (pending && pending.step === step && await commentLanded(core, target, text, markerOf(target, step, pending.since), pending.since)) {
    stepDone(core, target, step);
    return;
  }
  const since = core.clock.now();
  memory.commentInFlight = { step, since };
  core.saveUnit(unit);
  // On disk before the request leaves: a crash from here on leaves the step known as maybe sent.
  await core.commitQuietly();
  try {
    await core.sendFor(target.commandId, (jira) => jira.addComment(target.ticketKey, text, markerOf(target, step, since)));
  } catch (error) {
    if (refused(error)) {
      memory.commentInFlight = undefined;
      core.saveUnit(unit);
    }
    throw error;
  }
  stepDone(core, target, step);
}

function stepDone(core: EngineCore, target: StepTarget, step: number): void {
  target.memory.commentsDone = step + 1;
  target.memory.commentInFlight = undefined;
  core.saveUnit(target.unit);
}

/** The issue's status name, as GET /issue answers it. */
function statusOf(fields: Record<string, unknown>): string | null {
  const s = fields.status;
  return s && typeof s === 'object' && typeof (s as Record<string, unknown>).name === 'string' ? (s as { name: string }).name : null;
}

/** Moves the ticket to `status`, once: after an unknown outcome the issue's status is read first. */
export async function transitionOnce(core: EngineCore, target: StepTarget, status: string): Promise<void> {
  const { memory, unit } = target;
  if (memory.transitionInFlight) {
    const issue = await core.sendFor(target.commandId, (jira) => jira.getIssue(target.ticketKey, ['status']));
    if (statusOf(issue.fields)?.toLowerCase() === status.toLowerCase()) {
      const told = ticketStatusOf(issue.fields);
      if (told) noteTicketStatus(core, target.guid, told);
      memory.transitioned = true;
      memory.transitionInFlight = false;
      core.saveUnit(unit);
      return;
    }
  }
  memory.transitionInFlight = true;
  core.saveUnit(unit);
  await core.commitQuietly();
  try {
    const made = await core.sendFor(target.commandId, (jira) => jira.transitionTo(target.ticketKey, status));
    // The alarm keeps the status Jira's answer named (the transition's target).
    const told = made?.to ? transitionStatus(made.to) : null;
    if (told) noteTicketStatus(core, target.guid, told);
  } catch (error) {
    if (refused(error)) {
      memory.transitionInFlight = false;
      core.saveUnit(unit);
    }
    throw error;
  }
  memory.transitioned = true;
  memory.transitionInFlight = false;
  core.saveUnit(unit);
}

/**
 * Sends an update's edit, which carries only field changes and label verbs: sent again they
 * change nothing more, so it needs no mark (its comments are steps of their own, commentOnce).
 * A unit an older jiraline left with an edit in flight had its comments inside that edit: it
 * is taken as made when its last comment is on the issue (by its text and our account, within
 * the window; Jira applies an edit whole), and its comments as done. Null body: no edit.
 */
export async function editOnce(core: EngineCore, target: StepTarget, body: IssuePayload | null, comments: readonly string[]): Promise<void> {
  const { memory, unit } = target;
  const pending = memory.editInFlight;
  if (pending) {
    if (comments.length > 0 && memory.commentsDone === 0 && await commentLanded(core, target, comments[comments.length - 1], null, pending.since)) {
      memory.edited = true;
      memory.commentsDone = comments.length;
    }
    memory.editInFlight = undefined;
    core.saveUnit(unit);
  }
  if (body === null || memory.edited) return;
  await core.sendFor(target.commandId, (jira) => jira.editIssue(target.ticketKey, body));
  memory.edited = true;
  core.saveUnit(unit);
}
