// `jiraline log [--json] [--limit N]`: the log as persisted in the data
// directory, read from a snapshot of the file so it works while a daemon holds the lock.
// Newest last, as a log reads; --limit keeps the newest N.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import type { LogRow } from '../core/ports.js';
import { openStoreSnapshot, type StoreReader } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { localDateTime, localIso } from '../core/local-time.js';
import { existingDataDir } from './settings.js';
import { columnWidths, renderRows, type TextColumn } from './text-table.js';
import { followLog, logSignature, type FollowOptions } from './log-follow.js';
import { dataDirSource, hasEngineData, noEngineDataMessage } from './engine-data.js';

const usage = `Usage: jiraline log [--json] [--limit N] [--status S] [--follow] [--data-dir DIR]
  Prints the log (one row per command sent to Jira), newest last.
  --json       one JSON object per line: type, action, time, guid, status, ticketId,
               ticketKey, ticketUrl, error (null where empty), lines, jira (the Jira the
               command was for), id (the row's id, for jiraline retry / cancel)
  --limit N    only the newest N rows
  --status S   only rows that are Pending, Ok, Failed or Cancelled
  --follow     keep printing rows as they come, and again when a Pending row ends
               (with --status: when it ends so); Ctrl-C stops. Reads without the lock,
               beside a running daemon or app.
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else
               $XDG_DATA_HOME/jiraline); one where no engine ran is an error (exit 2),
               with --follow a note on stderr while it waits for the engine
  Lines refused with ERR are not log rows: see the daemon's "refused" events and
  jiraline stats.
`;

const statuses: ReadonlyArray<LogRow['status']> = ['Pending', 'Ok', 'Failed', 'Cancelled'];

/** A log row as `--json` prints it (always the same keys, null where empty). */
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
    jira: orNull(row.jira ?? null),
    // The row's id: what jiraline retry / cancel take.
    id: row.id,
  };
}

/** Parses --status: one of Pending, Ok, Failed, Cancelled (any case). */
function parseStatus(value: string | undefined): LogRow['status'] | undefined {
  if (value === undefined) return undefined;
  const status = statuses.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!status) throw new UsageError(`jiraline log: --status expects Pending, Ok, Failed or Cancelled, got '${value}'`);
  return status;
}

/** One row on one line, for --follow (a table cannot be drawn before its last row is known). */
function followLine(row: LogRow, withJira: boolean): string {
  const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '-' : v);
  return [localDateTime(row.time), `row=${row.id}`, row.status.padEnd(7), row.type, row.action, dash(row.guid), `lines=${row.lines}`, dash(row.ticketKey),
    dash(row.ticketUrl), ...(withJira ? [`jira=${dash(row.jira)}`] : []), dash(row.error?.replace(/\s+/g, ' ') ?? null)].join('  ') + '\n';
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

/** The newest `count` rows (of those `filter` lets through), oldest first, one page at a time. */
function* pages(reader: StoreReader, count: number, filter: { status?: LogRow['status'] } = {}): Generator<LogRow[]> {
  for (let end = count; end > 0; end -= PAGE_ROWS) {
    const size = Math.min(PAGE_ROWS, end);
    yield reader.queryLog({ ...filter, limit: size, offset: end - size }).reverse();
  }
}

/** Writes, waiting for a pipe that is full to drain, so memory stays bounded. */
async function write(io: CommandIo, text: string): Promise<void> {
  const out = io.stdout as CommandIo['stdout'] & { once?: (event: string, fn: () => void) => unknown };
  if (out.write(text) === false && typeof out.once === 'function') await new Promise<void>((resolve) => out.once!('drain', resolve));
}

const columns: TextColumn[] = [{ title: 'Row' }, { title: 'Type' }, { title: 'Action' }, { title: 'Time' }, { title: 'GUID' }, { title: 'Status' },
  { title: 'Lines', align: 'right' }, { title: 'Ticket ID' }, { title: 'Ticket Key' }, { title: 'Ticket URL' }, { title: 'Error Message' }];

const dash = (v: string | null) => (v === null || v === '' ? '-' : v);

/** A log row as the table's cells; text from Jira is one line there (control characters are made spaces when printed). */
function cells(r: LogRow): string[] {
  return [String(r.id), r.type, r.action, localDateTime(r.time), dash(r.guid), r.status, String(r.lines),
    dash(r.ticketId), dash(r.ticketKey), dash(r.ticketUrl), dash(r.error?.replace(/\s+/g, ' ') ?? null)];
}

/** Runs `jiraline log`; returns the exit code. */
export async function runLog(args: string[], io: CommandIo = processIo(), follow: Pick<FollowOptions, 'signal' | 'pollMs'> = {}): Promise<number> {
  const { values } = parseCommandArgs('log', args, {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    status: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const limit = parseLimit(values.limit);
  const status = parseStatus(values.status);
  const dir = existingDataDir(values['data-dir'], io.env);
  if (!hasEngineData(dir)) {
    const message = noEngineDataMessage('log', dir, dataDirSource(values['data-dir'], io.env));
    if (!values.follow) throw new UsageError(message);
    io.stderr.write(`${message}; waiting for it\n`);
  }
  const since = values.follow ? await logSignature(dir) : '';
  const reader = await openStoreSnapshot(dir);
  let newest: number;
  let pending: number[];
  try {
    const filter = status === undefined ? {} : { status };
    const total = reader.countLog(filter);
    const count = limit === undefined ? total : Math.min(limit, total);
    newest = reader.queryLog({ limit: 1 })[0]?.id ?? 0;
    // --follow tells when these end; with --status Pending they would not be printed again anyway.
    pending = values.follow && status !== 'Pending' ? reader.queryLog({ status: 'Pending' }).map((r) => r.id) : [];
    if (values.json) {
      // One write per page: a 100,000-row log must not become 100,000 writes to a pipe.
      for (const rows of pages(reader, count, filter)) await write(io, rows.map((row) => `${JSON.stringify(logRowJson(row))}\n`).join(''));
    } else if (count === 0) {
      if (!values.follow) io.stdout.write(status === undefined ? 'The log is empty.\n' : `No ${status} rows.\n`);
    } else {
      // The Jira column only matters once the directory has served more than one Jira.
      const jiras = new Set<string>();
      for (const rows of pages(reader, count, filter)) for (const r of rows) jiras.add(r.jira ?? '');
      const withJira = jiras.size > 1;
      const cols = withJira ? [...columns.slice(0, -1), { title: 'Jira' }, columns[columns.length - 1]] : columns;
      const cellsOf = (r: LogRow) => {
        const c = cells(r);
        return withJira ? [...c.slice(0, -1), dash(r.jira ?? null), c[c.length - 1]] : c;
      };
      const widths = columnWidths(cols, (function* () {
        for (const rows of pages(reader, count, filter)) yield rows.map(cellsOf);
      })());
      await write(io, renderRows(cols, widths, [cols.map((c) => c.title)]));
      for (const rows of pages(reader, count, filter)) await write(io, renderRows(cols, widths, rows.map(cellsOf)));
    }
  } finally {
    reader.close();
  }
  if (!values.follow) return 0;
  await followLog({
    ...follow, dir, status, afterId: newest, pending, since,
    print: (more) => io.stdout.write(more.map((row) => (values.json ? `${JSON.stringify(logRowJson(row))}\n` : followLine(row, true))).join('')),
  });
  return 0;
}
