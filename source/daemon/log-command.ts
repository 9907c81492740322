// `jiraline log [--json] [--limit N]` (SPEC §7): the log as persisted in the data
// directory, read from a snapshot of the file so it works while a daemon holds the lock.
// Newest last, as a log reads; --limit keeps the newest N.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import type { LogRow } from '../core/ports.js';
import { openStoreSnapshot, type StoreReader } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { localDateTime, localIso } from '../core/local-time.js';
import { existingDataDir } from './settings.js';
import { columnWidths, renderRows, type TextColumn } from './text-table.js';

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

/** Parses --limit: a whole number ≥ 0; one beyond any log's size (even beyond 2^53) means every row. */
function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`jiraline log: --limit expects a whole number ≥ 0, got '${value}'`);
  const digits = value.replace(/^0+(?=\d)/, '');
  return digits.length > 15 ? undefined : Number(digits);
}

/** Rows are read and printed this many at a time: the table and --json stream, whatever the log's size. */
const PAGE_ROWS = 5000;

/** The newest `count` rows, oldest first, one page at a time. */
function* pages(reader: StoreReader, count: number): Generator<LogRow[]> {
  for (let end = count; end > 0; end -= PAGE_ROWS) {
    const size = Math.min(PAGE_ROWS, end);
    yield reader.queryLog({ limit: size, offset: end - size }).reverse();
  }
}

/** Writes, waiting for a pipe that is full to drain, so memory stays bounded. */
async function write(io: CommandIo, text: string): Promise<void> {
  const out = io.stdout as CommandIo['stdout'] & { once?: (event: string, fn: () => void) => unknown };
  if (out.write(text) === false && typeof out.once === 'function') await new Promise<void>((resolve) => out.once!('drain', resolve));
}

const columns: TextColumn[] = [{ title: 'Type' }, { title: 'Action' }, { title: 'Time' }, { title: 'GUID' }, { title: 'Status' },
  { title: 'Lines', align: 'right' }, { title: 'Ticket ID' }, { title: 'Ticket Key' }, { title: 'Ticket URL' }, { title: 'Error Message' }];

const dash = (v: string | null) => (v === null || v === '' ? '-' : v);

/** A log row as the table's cells; text from Jira is one line there (control characters are made spaces when printed). */
function cells(r: LogRow): string[] {
  return [r.type, r.action, localDateTime(r.time), dash(r.guid), r.status, String(r.lines),
    dash(r.ticketId), dash(r.ticketKey), dash(r.ticketUrl), dash(r.error?.replace(/\s+/g, ' ') ?? null)];
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
    const total = reader.countLog();
    const count = limit === undefined ? total : Math.min(limit, total);
    if (values.json) {
      // One write per page: a 100,000-row log must not become 100,000 writes to a pipe.
      for (const rows of pages(reader, count)) await write(io, rows.map((row) => `${JSON.stringify(logRowJson(row))}\n`).join(''));
      return 0;
    }
    if (count === 0) {
      io.stdout.write('The log is empty.\n');
      return 0;
    }
    const widths = columnWidths(columns, (function* () {
      for (const rows of pages(reader, count)) yield rows.map(cells);
    })());
    await write(io, renderRows(columns, widths, [columns.map((c) => c.title)]));
    for (const rows of pages(reader, count)) await write(io, renderRows(columns, widths, rows.map(cells)));
    return 0;
  } finally {
    reader.close();
  }
}
