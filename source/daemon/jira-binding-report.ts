// What the start says about the Jira the data directory is bound to: when the configured
// Jira changed, how many GUIDs were mapped to which Jira (that map does not apply to this
// one), and the commands that wait for another Jira (they are never sent to this one).
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
      parts.push(`The ${shareText(before)} do not apply here: nothing meant for ${binding.previous} is sent to ${binding.jira}, and their rows stay in the log marked with their Jira. Pointing jiraline at ${binding.previous} again brings that map back.`);
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
