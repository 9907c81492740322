// The engine's side of the alarms table: an alarm follows its GUID's work (pending while
// commands wait, then open, resolved or failed), learns its ticket's status from what Jira
// answers, and can be linked by hand to a ticket that already exists (Get Eligible Ticket,
// `jiraline link`) or unlinked. See docs/architecture.md#alarms-and-links.
import { guidLabel } from './advanced-labels.js';
import { MAX_GUID_LENGTH } from './advanced-parse.js';
import { settledState, ticketStatusOf, type AlarmPage, type AlarmQuery, type TicketStatus } from './alarms.js';
import type { GuidStatus } from './engine-api.js';
import type { EngineCore } from './engine-core.js';
import { messageOf } from './engine-core.js';
import { carriesLabel } from './engine-recovery.js';
import { markVerified } from './engine-verify.js';
import { JiraError } from './jira-error.js';
import { oneLine } from './safe-text.js';

export type { AlarmPage, AlarmQuery } from './alarms.js';

/** What a link or unlink did: the GUID's ticket now (null after an unlink), or why nothing changed. */
export type LinkResult =
  | { ok: true; guid: string; ticketKey: string | null; ticketUrl: string | null; ticketStatus: string | null }
  | { ok: false; guid: string; error: string };

/** An alarm has work of its own waiting (its commands still in the queue). */
function hasWork(core: EngineCore, guid: string): boolean {
  return core.queue.list(guid).length > 0;
}

/** A unit of the GUID ended: once nothing of it waits, its alarm settles (open/resolved, or failed). */
export function settleAlarm(core: EngineCore, guid: string | null, outcome: 'ok' | 'failed'): void {
  if (guid === null || hasWork(core, guid)) return;
  core.store.settleAlarm(guid, outcome);
}

/** Jira told the ticket's status (a transition made, an issue read): the alarm keeps it, and says resolved or open. */
export function noteTicketStatus(core: EngineCore, guid: string, status: TicketStatus): void {
  const alarm = core.store.getAlarm(guid);
  if (!alarm) return;
  const state = alarm.state === 'open' || alarm.state === 'resolved' ? settledState('ok', status.resolved) : alarm.state;
  core.store.updateAlarm(guid, { ticketStatus: status.name, ticketResolved: status.resolved, state });
  core.signals.changed();
}

/** A status name a transition led to: done when its category says so (Jira sends it with the transition's target). */
export function transitionStatus(to: { name: string; statusCategory?: string }): TicketStatus | null {
  return to.name === '' ? null : { name: to.name.slice(0, 255), resolved: to.statusCategory === 'done' };
}

/** The state of a GUID's latest command and its ticket (the socket's STATUS), or null for a GUID never seen. */
export function guidStatus(core: EngineCore, guid: string): GuidStatus | null {
  // The newest log row of the GUID carries its latest command (a finished command is deleted).
  // Only this Jira's rows: a GUID's history on another Jira says nothing about its ticket here.
  const [row] = core.store.queryLog({ guid, limit: 1, jira: core.store.jira });
  const ticket = core.store.getTicket(guid);
  if (!row && !ticket) return null;
  const status = { guid, status: row?.status ?? 'Ok', ticketKey: ticket?.ticketKey ?? null, ticketUrl: ticket?.ticketUrl ?? null } as const;
  // A failure says why, so a client need not read the log to learn it.
  if (row?.status === 'Pending' && core.settling.has(guid)) return { ...status, settling: true };
  return row?.status === 'Failed' ? { ...status, error: row.error ?? null } : status;
}

/** One window of the alarms of this engine's Jira. */
export function queryAlarms(core: EngineCore, query: AlarmQuery): AlarmPage {
  return core.store.queryAlarms(query);
}

const guidPattern = new RegExp(`^[A-Za-z0-9._:-]{1,${MAX_GUID_LENGTH}}$`);
const keyPattern = /^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$/;

function refuse(guid: string, error: string): LinkResult {
  return { ok: false, guid, error };
}

function jiraReason(error: unknown, key: string): string {
  if (error instanceof JiraError && error.status === 404) return `check the key: Jira has no ticket ${key} (or these credentials may not see it)`;
  return `try again once Jira answers — Jira did not answer about ${key}: ${oneLine(error instanceof JiraError ? error.detail() : messageOf(error), 300)}`;
}

const busyMessage = (guid: string) =>
  `GUID ${guid} has commands waiting; link or unlink it once they are done (jiraline log --status Pending)`;

/**
 * Links the GUID to an existing ticket: its later UPDATEs (and a CREATE sent again) go there.
 * The ticket gets the GUID's label, as a ticket jiraline made carries it: that is how a ticket
 * is proven to be the GUID's before it is written, and how a lost CREATE is found again.
 */
export function linkAlarm(core: EngineCore, guid: string, rawKey: string): Promise<LinkResult> {
  return link(core, guid, rawKey).catch((error: unknown) => refuse(guid, messageOf(error)));
}

/** No new link or unlink once stopping: the caller is told to do it again once jiraline runs. */
function stoppingRefusal(core: EngineCore, guid: string, verb: 'link' | 'unlink'): LinkResult | null {
  return core.stopping ? refuse(guid, `jiraline is stopping; ${verb} again once it runs`) : null;
}

async function link(core: EngineCore, guid: string, rawKey: string): Promise<LinkResult> {
  const key = rawKey.trim().toUpperCase();
  if (!guidPattern.test(guid)) return refuse(guid, `not a GUID: 1 to ${MAX_GUID_LENGTH} characters of A-Za-z0-9._:-`);
  if (!keyPattern.test(key)) return refuse(guid, `not a ticket key: ${oneLine(rawKey, 60)} (a key looks like OPS-123)`);
  const stopping = stoppingRefusal(core, guid, 'link');
  if (stopping) return stopping;
  if (hasWork(core, guid)) return refuse(guid, busyMessage(guid));
  let issue;
  try {
    issue = await core.jira.getIssue(key, ['status', 'labels', 'resolution', 'summary']);
    if (!carriesLabel(issue, guidLabel(guid))) await core.jira.editIssue(key, { update: { labels: [{ add: guidLabel(guid) }] } });
  } catch (error) {
    return refuse(guid, jiraReason(error, key));
  }
  // A line for the GUID accepted meanwhile has already chosen where it goes: do not move it.
  if (hasWork(core, guid)) return refuse(guid, busyMessage(guid));
  const ticketKey = issue.key || key;
  const ref = { guid, ticketId: issue.id, ticketKey, ticketUrl: core.jira.browseUrl(ticketKey) };
  core.store.setTicket(ref);
  markVerified(core, ref);
  core.store.ensureAlarm(guid, 'Link', core.clock.now());
  const status = ticketStatusOf(issue.fields);
  core.store.updateAlarm(guid, {
    ticketStatus: status?.name ?? null, ticketResolved: status?.resolved ?? null, state: settledState('ok', status?.resolved ?? null),
  });
  core.signals.emit({ type: 'linked', guid, ticketKey });
  core.signals.changed();
  await core.store.commit();
  return { ok: true, guid, ticketKey, ticketUrl: ref.ticketUrl, ticketStatus: status?.name ?? null };
}

/**
 * Unlinks the GUID: its later UPDATEs are refused, and a CREATE makes a new ticket. The old
 * ticket loses the GUID's label, so that a lost CREATE of the GUID is never found there.
 */
export function unlinkAlarm(core: EngineCore, guid: string): Promise<LinkResult> {
  return unlink(core, guid).catch((error: unknown) => refuse(guid, messageOf(error)));
}

async function unlink(core: EngineCore, guid: string): Promise<LinkResult> {
  if (!guidPattern.test(guid)) return refuse(guid, `not a GUID: 1 to ${MAX_GUID_LENGTH} characters of A-Za-z0-9._:-`);
  const stopping = stoppingRefusal(core, guid, 'unlink');
  if (stopping) return stopping;
  const ticket = core.store.getTicket(guid);
  if (!ticket) return refuse(guid, `GUID ${guid} is not linked to a ticket`);
  if (hasWork(core, guid)) return refuse(guid, busyMessage(guid));
  try {
    await core.jira.editIssue(ticket.ticketKey, { update: { labels: [{ remove: guidLabel(guid) }] } });
  } catch (error) {
    // A ticket that is gone carries no label to take off.
    if (!(error instanceof JiraError && error.status === 404)) return refuse(guid, jiraReason(error, ticket.ticketKey));
  }
  if (hasWork(core, guid)) return refuse(guid, busyMessage(guid));
  core.store.deleteTicket(guid);
  core.store.ensureAlarm(guid, 'Unlink', core.clock.now());
  core.store.updateAlarm(guid, { state: 'open' });
  core.signals.emit({ type: 'linked', guid, ticketKey: null });
  core.signals.changed();
  await core.store.commit();
  return { ok: true, guid, ticketKey: null, ticketUrl: null, ticketStatus: null };
}
