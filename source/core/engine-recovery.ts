// Exactly one ticket per GUID, also across crashes (SPEC §6). A CREATE whose outcome is
// unknown — in flight when the process died, or its answer lost to a timeout — is looked up
// in Jira by its label before it is sent again, and only an issue that really carries the
// label is adopted: a search may return other issues, and the first hit proves nothing.
import { guidLabel } from './advanced.js';
import { localDay } from './clock.js';
import type { EngineCore } from './engine-core.js';
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
    if (cmd.kind === 'update' && cmd.state === 'inflight') core.patchCommand(cmd, { state: 'queued' });
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

async function findLabelled(core: EngineCore, label: string): Promise<JiraIssue | undefined> {
  const result = await core.jira.search(`labels = "${label}"`, { fields: ['labels'], maxResults: 50 });
  return result.issues.find((issue) => carriesLabel(issue, label));
}

/**
 * Looks the GUID's ticket up by its label; adopts it (GUID → ticket map, log row, created
 * count, an 'adopted' event) when an issue really carries the label. Null: send again.
 */
export async function adoptByLabel(core: EngineCore, cmd: QueuedCommand): Promise<TicketRef | null> {
  const guid = cmd.guid as string;
  const label = guidLabel(guid);
  let hit = await findLabelled(core, label);
  if (!hit && core.shapeContext().deployment === 'cloud' && !core.stopping) {
    await core.wait(CLOUD_SEARCH_RECHECK_MS);
    if (core.stopping) return null;
    hit = await findLabelled(core, label);
  }
  if (!hit || core.stopped) return null;
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
