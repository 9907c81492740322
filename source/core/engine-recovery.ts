// Exactly one ticket per GUID, also across crashes. A CREATE whose outcome is
// unknown — in flight when the process died, or its answer lost to a timeout — is looked up
// in Jira by its label before it is sent again. The search is read to its end, only an issue
// whose label is exactly the GUID's is adopted (a search may return other issues, and Jira
// matches labels case-insensitively), and of several the oldest.
// See docs/architecture.md#recovery-after-a-crash-and-stopping.
import { guidLabel } from './advanced.js';
import { localDay } from './clock.js';
import type { EngineCore } from './engine-core.js';
import { JiraError } from './jira-error.js';
import { markVerified } from './engine-verify.js';
import type { JiraIssue, QueuedCommand, TicketRef } from './ports.js';

/** What a Manual Execute left in flight becomes: its outcome cannot be looked up (it has no label). */
export const MANUAL_UNKNOWN = 'outcome unknown: jiraline stopped while this Execute was being sent; look in Jira before executing it again';

/**
 * Loads the open commands into the queue at construction. An update that was in flight is
 * simply sent again. Every open CREATE is taken as possibly sent — its request goes out
 * without a commit first (engine-send.ts), so "queued" in the file does not prove it never
 * left — and is marked in flight, so that it is looked up by its label before any send.
 */
export function loadOpenCommands(core: EngineCore): void {
  for (const cmd of core.store.openCommands()) {
    if (cmd.type === 'Manual' || cmd.guid === null) {
      core.store.deleteCommand(cmd.id); // finished: its log row tells the story
      if (cmd.logId !== null) core.store.updateLog(cmd.logId, { status: 'Failed', error: MANUAL_UNKNOWN, nextAttemptAt: null });
      continue;
    }
    if (cmd.kind !== 'create' && cmd.state === 'inflight') core.patchCommand(cmd, { state: 'queued' });
    if (cmd.kind === 'create' && cmd.state === 'queued') core.patchCommand(cmd, { state: 'inflight' });
    core.queue.add(cmd, false);
  }
}

/** Whether Jira's issue really carries the label (labels come back as an array of strings). */
export function carriesLabel(issue: JiraIssue, label: string): boolean {
  const labels = issue.fields?.labels;
  return Array.isArray(labels) && labels.includes(label);
}

/**
 * Jira Cloud's search trails new issues (its index is eventually consistent: usually a few
 * seconds), so a ticket made just before a crash may not be found at once. On Cloud a
 * lookup that finds nothing is made once more after this long before the CREATE is sent
 * again; Server and Data Center search their own database and answer at once.
 */
export const CLOUD_SEARCH_RECHECK_MS = 15_000;

/**
 * The label a repaired duplicate gets (engine-repair.ts): it still carries the GUID's label, and
 * is never adopted nor repaired again.
 */
export const DUPLICATE_LABEL = 'jiraline-duplicate';

/** Whether a duplicate repair marked the issue. */
export function isMarkedDuplicate(issue: JiraIssue): boolean {
  return carriesLabel(issue, DUPLICATE_LABEL);
}

/** Issues asked for per search page (Cloud answers at most 100 when fields are asked for). */
export const LOOKUP_PAGE_SIZE = 100;
/**
 * The most pages a lookup reads. A Jira that narrows by the label returns one or a few
 * issues; one that ignores the label clause returns every issue, and reading all of a big
 * Jira for each lookup would be a storm of its own. Past this the outcome stays unknown.
 */
export const LOOKUP_MAX_PAGES = 50;

/** What a lookup by label learned: the issues that really carry it, and whether the search was read to its end. */
export interface LabelSearch {
  matches: JiraIssue[];
  complete: boolean;
  pages: number;
  seen: number;
}

/**
 * Reads every page of the label search: Data Center pages by startAt (and says `total`),
 * Cloud's /search/jql by nextPageToken. Jira matches labels case-insensitively (`CaseX` finds
 * `casex` too) and a Jira may not narrow by the label at all, so only an exact match counts.
 * Oldest first, so that new issues made while paging land on later pages, not shift them.
 * `unit`: the first command id of the unit that looks (0: none); it is `paced` while a page waits for its permit.
 */
export async function searchLabel(core: EngineCore, label: string, unit = 0): Promise<LabelSearch> {
  const jql = `labels = "${label}" ORDER BY created ASC`;
  const matches: JiraIssue[] = [];
  let startAt = 0;
  let nextPageToken: string | undefined;
  for (let pages = 1; ; pages++) {
    const result = await core.lookupFor(unit, (jira) => jira.search(jql, { fields: ['labels', 'created'], maxResults: LOOKUP_PAGE_SIZE,
      ...(nextPageToken !== undefined ? { nextPageToken } : { startAt }) }));
    for (const issue of result.issues) if (carriesLabel(issue, label)) matches.push(issue);
    startAt += result.issues.length;
    nextPageToken = result.nextPageToken;
    const more = nextPageToken !== undefined
      || (result.total !== undefined && result.issues.length > 0 && startAt < result.total);
    if (!more) return { matches, complete: true, pages, seen: startAt };
    if (pages >= LOOKUP_MAX_PAGES) return { matches, complete: false, pages, seen: startAt };
  }
}

/** Jira's `created` (2024-05-01T10:00:00.000+0200) as ms epoch; Infinity when absent or unreadable. */
function createdAt(issue: JiraIssue): number {
  const raw = issue.fields.created;
  if (typeof raw !== 'string') return Infinity;
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? Infinity : ms;
}

/** The oldest of several issues: by created time, then by numeric id (Jira's ids grow). */
export function oldestIssue(issues: readonly JiraIssue[]): JiraIssue | undefined {
  let best: JiraIssue | undefined;
  for (const issue of issues) {
    if (!best) {
      best = issue;
      continue;
    }
    const a = createdAt(issue);
    const b = createdAt(best);
    if (a < b || (a === b && Number(issue.id) < Number(best.id))) best = issue;
  }
  return best;
}

/**
 * The lookup could not be finished: Jira returned more pages than a lookup reads. Whether
 * Jira already holds the ticket is unknown, so the CREATE is not sent (it would risk a
 * second ticket); the lookup is tried again on the retry schedule, and after
 * updates.retryForHours the command ends Failed with this reason.
 */
export function lookupIncomplete(label: string, search: LabelSearch): JiraError {
  return new JiraError({
    status: 200, retryable: true, cause: 'lookup-incomplete',
    message: `could not tell whether Jira already made this ticket: the search for label ${label} still had more after `
      + `${search.pages} pages (${search.seen} issues) — Jira does not seem to narrow the search by label; `
      + 'the CREATE is not sent again until a lookup reads to the end',
  });
}

/** The oldest issue carrying the label (a repaired duplicate does not count), and whether there are more. */
async function findLabelled(core: EngineCore, label: string, unit: number): Promise<{ hit: JiraIssue | undefined; more: boolean }> {
  const search = await searchLabel(core, label, unit);
  const live = search.matches.filter((i) => !isMarkedDuplicate(i));
  const oldest = oldestIssue(live);
  if (oldest || search.complete) return { hit: oldest, more: live.length > 1 };
  throw lookupIncomplete(label, search);
}

/**
 * Looks the GUID's ticket up by its label; adopts it (GUID → ticket map, log row, created
 * count, an 'adopted' event) when an issue really carries the label. Null: send again (or, while
 * the settle window is open, look again later). Of several, the oldest is adopted and the others
 * are repaired (engine-repair.ts). `cloudRecheck`: on Cloud, a lookup that found nothing is made
 * once more after the index lag (a settling CREATE needs none: its window covers the lag).
 */
export async function adoptByLabel(core: EngineCore, cmd: QueuedCommand, cloudRecheck = true): Promise<TicketRef | null> {
  const guid = cmd.guid as string;
  const label = guidLabel(guid);
  let { hit, more } = await findLabelled(core, label, cmd.id);
  if (!hit && cloudRecheck && core.shapeContext().deployment === 'cloud') {
    // A stop ends the wait (it rejects as `stopped`), as it ends the searches.
    await core.wait(CLOUD_SEARCH_RECHECK_MS);
    ({ hit, more } = await findLabelled(core, label, cmd.id));
  }
  if (!hit) return null;
  if (more) core.scheduleRepair(guid, core.clock.now());
  const ticket: TicketRef = { guid, ticketId: hit.id, ticketKey: hit.key, ticketUrl: core.jira.browseUrl(hit.key) };
  core.store.setTicket(ticket);
  markVerified(core, ticket);
  // The crash came before the created count was stored with the ticket (they commit together).
  core.store.addStats(localDay(core.clock.now()), 1, 0);
  if (cmd.logId !== null) {
    core.store.updateLog(cmd.logId, { ticketId: ticket.ticketId, ticketKey: ticket.ticketKey, ticketUrl: ticket.ticketUrl });
  }
  core.signals.emit({ type: 'adopted', guid, ticketKey: hit.key });
  return ticket;
}
