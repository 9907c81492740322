// What the start says about the Jira the data directory is bound to: when the configured
// Jira changed, how many GUIDs were mapped to which Jira (that map does not apply to this
// one), and the commands that wait for another Jira (they are never sent to this one).
import { jiraIdentity } from '../core/jira-identity.js';
import type { ServerInfo } from '../core/ports.js';
import type { JiraBinding, JiraShare } from '../store/jira-binding.js';
import type { LogRecord } from './json-log.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function shareText(share: JiraShare): string {
  return `${plural(share.tickets, 'GUID', 'GUIDs')} mapped to tickets of ${share.jira}`;
}

/** The daemon-log records (and, as their `message`, the app's start notices) of a binding. */
export function bindingRecords(binding: JiraBinding): LogRecord[] {
  const records: LogRecord[] = [];
  const mapped = Object.fromEntries(binding.others.map((s) => [s.jira, s.tickets]));
  const waiting = binding.others.filter((s) => s.pending > 0);
  if (binding.adopted > 0) {
    records.push({ event: 'jira-bound', level: 'info', jira: binding.jira, adoptedRows: binding.adopted,
      message: `the data directory's earlier map, queue and log (${binding.adopted} rows) are taken as ${binding.jira}'s` });
  }
  if (binding.previous !== null) {
    const before = binding.others.find((s) => s.jira === binding.previous);
    const parts = [`this data directory was last used with ${binding.previous}; it now runs against ${binding.jira}.`];
    if (before && before.tickets > 0) {
      parts.push(`The ${shareText(before)} ${before.tickets === 1 ? 'does' : 'do'} not apply here: nothing meant for ${binding.previous} is sent to ${binding.jira}, and their rows stay in the log marked with their Jira. Pointing jiraline at ${binding.previous} again brings that map back.`);
    }
    if (binding.current.tickets > 0) parts.push(`${binding.jira}'s own map is back: ${shareText(binding.current)}.`);
    records.push({ event: 'jira-changed', level: 'warning', from: binding.previous, to: binding.jira, mapped,
      current: binding.current.tickets, message: parts.join(' ') });
  }
  if (waiting.length > 0) {
    const list = waiting.map((s) => `${plural(s.pending, 'command', 'commands')} for ${s.jira}`).join(', ');
    records.push({ event: 'jira-pending-elsewhere', level: 'warning', pending: Object.fromEntries(waiting.map((s) => [s.jira, s.pending])),
      message: `${list} wait Pending for their own Jira and are never sent to ${binding.jira}; they go when jiraline is pointed at it again (jiraline log --status Pending shows them)` });
  }
  return records;
}

/**
 * A `jira-server-changed` record when the server at the configured URL no longer says it is
 * the one the map was made with (another deployment type, or another base URL of its own):
 * a Jira replaced or restored behind the same address. The map stays (the URL is the same);
 * every mapped ticket is checked for the GUID's label before it is written, so a ticket
 * that is not the GUID's is never changed. Null when nothing was known or nothing changed.
 */
export function serverChangeRecord(known: string | undefined, now: ServerInfo, jira: string): LogRecord | null {
  let before: Partial<ServerInfo>;
  try {
    before = known === undefined ? {} : (JSON.parse(known) as Partial<ServerInfo>);
  } catch {
    return null;
  }
  if (typeof before.deploymentType !== 'string' || typeof before.baseUrl !== 'string') return null;
  const sameType = before.deploymentType === now.deploymentType;
  const sameBase = jiraIdentity(before.baseUrl) === jiraIdentity(now.baseUrl);
  if (sameType && sameBase) return null;
  // Jira's own words (hostile input): no control characters, bounded, before the app shows them.
  // eslint-disable-next-line no-control-regex -- control characters are what is taken out
  const clean = (v: unknown) => String(v).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 200);
  const was = { deploymentType: clean(before.deploymentType), baseUrl: clean(before.baseUrl) };
  const is = { deploymentType: clean(now.deploymentType), baseUrl: clean(now.baseUrl) };
  return {
    event: 'jira-server-changed', level: 'warning', jira,
    before: was,
    now: is,
    message: `the Jira at ${jira} now says it is ${is.deploymentType} at ${is.baseUrl}; its map was made when it said ${was.deploymentType} at ${was.baseUrl}. ` +
      'If another Jira now answers there, its tickets are safe: a mapped ticket is written only when it carries the GUID\'s label jiraline-<GUID>.',
  };
}
