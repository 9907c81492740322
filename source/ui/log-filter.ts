// The Log pane's `/` filter: what the operator types, turned into the engine's LogQuery.
//   Failed                → status Failed (also Ok, Pending, Cancelled; any case)
//   status:failed         → the same, explicitly
//   guid:alarm-42         → that GUID
//   key:OPS-12            → that ticket key
//   anything else         → free text (GUID, key, error, action)
import type { LogQuery, LogRow } from '../core/ports.js';

/** A LogQuery without paging. */
export type LogFilter = Omit<LogQuery, 'offset' | 'limit'>;

const statuses: Array<LogRow['status']> = ['Pending', 'Ok', 'Failed', 'Cancelled'];

function asStatus(word: string): LogRow['status'] | undefined {
  return statuses.find((s) => s.toLowerCase() === word.toLowerCase());
}

/** Parses the filter text; unknown `name:` prefixes count as free text. */
export function parseLogFilter(text: string): LogFilter {
  const filter: LogFilter = {};
  const free: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const colon = word.indexOf(':');
    const name = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? word.slice(colon + 1) : word;
    if (name === 'status' && asStatus(value)) filter.status = asStatus(value);
    else if (name === 'guid' && value) filter.guid = value;
    else if (name === 'key' && value) filter.ticketKey = value.toUpperCase();
    else if (!name && asStatus(word)) filter.status = asStatus(word);
    else free.push(word);
  }
  if (free.length > 0) filter.text = free.join(' ');
  return filter;
}

/** Whether the filter selects anything less than every row. */
export function isFiltered(filter: LogFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined && v !== '');
}
