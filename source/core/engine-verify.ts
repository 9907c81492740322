// A ticket the GUID → ticket map names is written only when it carries the GUID's label
// `jiraline-<GUID>`. The map can name the wrong ticket — the data directory or Jira restored
// from a backup, keys reused, a map from another Jira — and then the write would land on
// someone else's ticket. Checking costs one GET of the issue's labels per ticket in this
// engine's life; a ticket this engine made or adopted by its label needs none.
import { guidLabel } from './advanced.js';
import type { EngineCore } from './engine-core.js';
import { carriesLabel } from './engine-recovery.js';
import type { TicketRef } from './ports.js';

/** GUID + key pairs proven to belong together, per engine (an engine lives as long as its process). */
const verified = new WeakMap<EngineCore, Set<string>>();

const pairOf = (ticket: TicketRef) => `${ticket.guid}\u0000${ticket.ticketKey}`;

function verifiedOf(core: EngineCore): Set<string> {
  let set = verified.get(core);
  if (!set) verified.set(core, (set = new Set()));
  return set;
}

/** This engine made the ticket for the GUID, or found it by its label: no check needed. */
export function markVerified(core: EngineCore, ticket: TicketRef): void {
  verifiedOf(core).add(pairOf(ticket));
}

/** The error of a command whose mapped ticket is not the GUID's: names both, says what to do. */
export function notOursMessage(ticket: TicketRef): string {
  const label = guidLabel(ticket.guid);
  return `not written: ${ticket.ticketKey} does not carry the label ${label}, so it is not the ticket GUID ${ticket.guid} made ` +
    `(another's ticket, or Jira or the data directory was restored from a backup); if ${ticket.ticketKey} is this GUID's ticket, ` +
    `add the label ${label} to it in Jira and send the line again`;
}

/**
 * Null when the ticket may be written for its GUID; else the error to fail the command with.
 * Throws what getIssue throws (a passing failure is retried like any other step; a 404 is final).
 * `unit`: the first command id of the unit that asks (it is `paced` while the check waits for its permit).
 */
export async function checkOwnTicket(core: EngineCore, ticket: TicketRef, unit: number): Promise<string | null> {
  const set = verifiedOf(core);
  if (set.has(pairOf(ticket))) return null;
  const issue = await core.lookupFor(unit, (jira) => jira.getIssue(ticket.ticketKey, ['labels']));
  if (carriesLabel(issue, guidLabel(ticket.guid))) {
    set.add(pairOf(ticket));
    return null;
  }
  core.signals.emit({ type: 'not-ours', guid: ticket.guid, ticketKey: ticket.ticketKey });
  return notOursMessage(ticket);
}
