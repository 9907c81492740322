// The alarms: every GUID the engine has seen, with the ticket it is linked to and where it
// stands. A GUID is an alarm's id for the callers that feed jiraline, so this is the table an
// operator reads alarm by alarm. It is kept beside the GUID → ticket map (which drives where
// an UPDATE goes), never instead of it: dropping an alarm row to keep the table bounded
// loses history, not the link. See docs/architecture.md#alarms-and-links.

/** Where an alarm stands: work waiting, its last command failed, its ticket resolved in Jira, or open. */
export type AlarmState = 'open' | 'resolved' | 'failed' | 'pending';

/** The states, in the order the faces offer them as filters. */
export const ALARM_STATES: readonly AlarmState[] = ['pending', 'open', 'failed', 'resolved'];

/** One alarm: a GUID seen on this Jira. */
export interface AlarmRow {
  guid: string;
  /** When its first line was accepted (ms epoch). */
  firstSeen: number;
  /** When its latest line was accepted, or it was linked (ms epoch). */
  lastSeen: number;
  /** Advanced lines accepted for it. */
  lines: number;
  /** The action of its latest line (`Create` / `Update`), or `Link` / `Unlink`. */
  lastAction: 'Create' | 'Update' | 'Link' | 'Unlink';
  ticketKey: string | null;
  ticketUrl: string | null;
  /** The ticket's status name as Jira last answered it (a transition, a search, a link), null when never told. */
  ticketStatus: string | null;
  /** Whether Jira's last answer put the ticket in a done status (status category `done`, or a resolution set). */
  ticketResolved: boolean | null;
  state: AlarmState;
  /** The Jira it belongs to (jira-identity.ts); filled by the store. */
  jira?: string;
}

/** A filter and window over the alarms, newest `lastSeen` first. */
export interface AlarmQuery {
  state?: AlarmState;
  /** Part of a GUID or ticket key (case-insensitive). */
  text?: string;
  offset?: number;
  limit?: number;
}

/** One window of alarms and how many match the filter in all. */
export interface AlarmPage {
  rows: AlarmRow[];
  total: number;
}

/** What Jira said of a ticket's status: its name and whether it counts as done. */
export interface TicketStatus {
  name: string;
  resolved: boolean;
}

/** The state an alarm settles in once no work of it is waiting. */
export function settledState(lastOutcome: 'ok' | 'failed', resolved: boolean | null): AlarmState {
  if (lastOutcome === 'failed') return 'failed';
  return resolved === true ? 'resolved' : 'open';
}

/** Whether a text names an alarm state (any case); the state, or null. */
export function parseAlarmState(text: string): AlarmState | null {
  const lower = text.trim().toLowerCase();
  return (ALARM_STATES as readonly string[]).includes(lower) ? (lower as AlarmState) : null;
}

/**
 * The status of an issue as Jira answers it (GET /issue, a search): its name and whether it is
 * done. Everything from Jira is read defensively: a missing or odd status is null.
 */
export function ticketStatusOf(fields: Record<string, unknown>): TicketStatus | null {
  const s = fields.status;
  if (!s || typeof s !== 'object') return null;
  const status = s as Record<string, unknown>;
  if (typeof status.name !== 'string' || status.name === '') return null;
  const category = status.statusCategory && typeof status.statusCategory === 'object'
    ? (status.statusCategory as Record<string, unknown>).key : undefined;
  const resolution = fields.resolution;
  return { name: status.name.slice(0, 255), resolved: category === 'done' || (!!resolution && typeof resolution === 'object') };
}

/** The default JQL of Get Eligible Ticket; `{project}` is the template's project. */
export const DEFAULT_ELIGIBLE_JQL = 'project = {project} AND resolution = Unresolved ORDER BY updated DESC';

/** The placeholders an eligible-ticket template may hold. */
export const ELIGIBLE_PLACEHOLDERS = ['project', 'guid'] as const;

/** The first placeholder of a template that is not known, or null when all are. */
export function unknownPlaceholder(template: string): string | null {
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(ELIGIBLE_PLACEHOLDERS as readonly string[]).includes(match[1])) return match[0];
  }
  return null;
}

/**
 * The eligible-ticket JQL for an alarm: `{project}` and `{guid}` filled. A value that is not
 * a plain word is quoted for JQL, so a project or GUID cannot change the query's meaning.
 */
export function eligibleJql(template: string, values: { project: string | null; guid: string }): string {
  const quote = (v: string) => (/^[A-Za-z0-9_]+$/.test(v) ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`);
  return template.replace(/\{(project|guid)\}/g, (_m, name: string) => {
    const value = name === 'project' ? values.project : values.guid;
    return value === null || value === '' ? '""' : quote(value);
  });
}
