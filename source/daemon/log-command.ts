// `jiraline log [--json] [--limit N]` (SPEC §7): the log as persisted in the data
// directory, read from a snapshot of the file so it works while a daemon holds the lock.
// Newest last, as a log reads; --limit keeps the newest N.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import type { LogRow } from '../core/ports.js';
import { openStoreSnapshot } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { localDateTime, localIso } from '../core/local-time.js';
import { existingDataDir } from './settings.js';
import { renderTable } from './text-table.js';

const usage = `Usage: jiraline log [--json] [--limit N] [--data-dir DIR]
  Prints the log (one row per command sent to Jira), newest last.
  --json       one JSON object per line: type, action, time, guid, status, ticketId,
               ticketKey, ticketUrl, error (null where empty), lines
  --limit N    only the newest N rows
  --data-dir   default JIRALINE_DATA_DIR, else $XDG_DATA_HOME/jiraline
`;

/** A log row as `--json` prints it (SPEC §7 keys, null where empty). */
export function logRowJson(row: LogRow): Record<string, unknown> {
  const orNull = (v: string | null) => (v === null || v === '' ? null : v);
  return {
    type: row.type,
    action: row.action,
    time: localIso(row.time),
    guid: orNull(row.guid),
    status: row.status,
    ticketId: orNull(row.ticketId),
    ticketKey: orNull(row.ticketKey),
    ticketUrl: orNull(row.ticketUrl),
    error: orNull(row.error),
    lines: row.lines,
  };
}

/** Parses --limit: a whole number ≥ 0. */
function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`jiraline log: --limit expects a whole number ≥ 0, got '${value}'`);
  return Number(value);
}

/** Runs `jiraline log`; returns the exit code. */
export async function runLog(args: string[], io: CommandIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs('log', args, {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const limit = parseLimit(values.limit);
  const reader = await openStoreSnapshot(existingDataDir(values['data-dir'], io.env));
  try {
    const rows = (limit === 0 ? [] : reader.queryLog(limit === undefined ? {} : { limit })).reverse();
    if (values.json) {
      // One write: a 100,000-row log must not become 100,000 writes to a pipe.
      io.stdout.write(rows.map((row) => `${JSON.stringify(logRowJson(row))}\n`).join(''));
      return 0;
    }
    if (rows.length === 0) {
      io.stdout.write('The log is empty.\n');
      return 0;
    }
    const dash = (v: string | null) => (v === null || v === '' ? '-' : v);
    io.stdout.write(renderTable(
      [{ title: 'Type' }, { title: 'Action' }, { title: 'Time' }, { title: 'GUID' }, { title: 'Status' }, { title: 'Lines', align: 'right' },
        { title: 'Ticket ID' }, { title: 'Ticket Key' }, { title: 'Ticket URL' }, { title: 'Error Message' }],
      rows.map((r) => [r.type, r.action, localDateTime(r.time), dash(r.guid), r.status, String(r.lines),
        dash(r.ticketId), dash(r.ticketKey), dash(r.ticketUrl), dash(r.error?.replace(/\s+/g, ' ') ?? null)]),
    ));
    return 0;
  } finally {
    reader.close();
  }
}
