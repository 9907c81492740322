// `jiraline responses [--json] [--limit N] [--guid G]`: Jira's recorded answers (time, method,
// path, status, duration, the first 2 KB of the body with the secrets masked), from a snapshot
// of the data directory, newest last. A body is Jira's text: hostile. It is printed as one line
// with its control characters made spaces (--json escapes them as JSON does).
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { localDateTime, localIso } from '../core/local-time.js';
import type { ResponseRow } from '../core/ports.js';
import { neutralise, oneLine } from '../core/safe-text.js';
import { openStoreSnapshot } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { dataDirSource, hasEngineData, noEngineDataMessage } from './engine-data.js';
import { existingDataDir } from './settings.js';
import { renderTable, type TextColumn } from './text-table.js';

const usage = `Usage: jiraline responses [--json] [--limit N] [--guid G] [--data-dir DIR]
  Prints Jira's recorded answers, newest last: time, method, path, status, duration, the
  GUID and log row they were for, and the first 2 KB of the body (secrets masked). The
  newest responses.maxEntries (default 1000) are kept.
  --json       one JSON object per line: id, time, method, path, status, durationMs, guid,
               logId, body (null where empty)
  --limit N    only the newest N (default 50; 0: every one kept)
  --guid G     only the answers to requests made for GUID G
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else $XDG_DATA_HOME/jiraline)
`;

const columns: TextColumn[] = [{ title: 'Time' }, { title: 'Method' }, { title: 'Path' }, { title: 'Status' },
  { title: 'ms', align: 'right' }, { title: 'GUID' }, { title: 'Row', align: 'right' }, { title: 'Body' }];

/** One answer as --json prints it. */
export function responseJson(r: ResponseRow): Record<string, unknown> {
  return { id: r.id, time: localIso(r.time), method: r.method, path: r.path, status: r.status, durationMs: r.durationMs,
    guid: r.guid, logId: r.logId, body: r.body === '' ? null : r.body };
}

function cells(r: ResponseRow): string[] {
  return [localDateTime(r.time), neutralise(r.method), oneLine(r.path, 80), String(r.status), String(r.durationMs),
    r.guid === null ? '-' : oneLine(r.guid, 128), r.logId === null ? '-' : String(r.logId), r.body === '' ? '-' : oneLine(r.body, 160)];
}

/** Runs `jiraline responses`; returns the exit code. */
export async function runResponses(args: string[], io: CommandIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs('responses', args, {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    guid: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (values.limit !== undefined && !/^\d{1,9}$/.test(values.limit)) {
    throw new UsageError(`jiraline responses: --limit expects a whole number ≥ 0, got '${values.limit}'`);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  const dir = existingDataDir(values['data-dir'], io.env);
  if (!hasEngineData(dir)) throw new UsageError(noEngineDataMessage('responses', dir, dataDirSource(values['data-dir'], io.env)));
  const reader = await openStoreSnapshot(dir);
  let rows: ResponseRow[];
  try {
    rows = reader.queryResponses({ ...(values.guid !== undefined ? { guid: values.guid } : {}), ...(limit > 0 ? { limit } : {}) }).reverse();
  } finally {
    reader.close();
  }
  if (values.json) {
    io.stdout.write(rows.map((r) => `${JSON.stringify(responseJson(r))}\n`).join(''));
  } else if (rows.length === 0) {
    io.stdout.write(values.guid === undefined ? 'No Jira answers recorded.\n' : `No Jira answers recorded for ${oneLine(values.guid, 128)}.\n`);
  } else {
    io.stdout.write(renderTable(columns, rows.map(cells)));
  }
  return 0;
}
