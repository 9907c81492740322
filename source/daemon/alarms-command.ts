// `jiraline alarms [--json] [--state S] [--data-dir DIR]`: every GUID seen, with its linked
// ticket and state, read from a snapshot of the data directory's file (no lock), so it works
// beside a running daemon or app, like `jiraline log`. Most recently seen first.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { ALARM_STATES, parseAlarmState, type AlarmRow, type AlarmState } from '../core/alarms.js';
import { localDateTime, localIso } from '../core/local-time.js';
import { openStoreSnapshot } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { dataDirSource, hasEngineData, noEngineDataMessage } from './engine-data.js';
import { existingDataDir } from './settings.js';
import { renderTable, type TextColumn } from './text-table.js';

const usage = `Usage: jiraline alarms [--json] [--state open|resolved|failed|pending] [--data-dir DIR]
  Prints every alarm (GUID) seen, most recently seen first: first and last seen, the lines
  accepted, the last action, the linked ticket (key, status as Jira last said, URL), its state.
  --json       one JSON object per line: guid, state, firstSeen, lastSeen, lines, lastAction,
               ticketKey, ticketStatus, ticketResolved, ticketUrl, jira (null where empty)
  --state S    only the alarms in that state
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else
               $XDG_DATA_HOME/jiraline); one where no engine ran is an error (exit 2)
  Link a GUID to an existing ticket: jiraline link GUID KEY; take it back: jiraline unlink GUID.
`;

/** An alarm as `--json` prints it (always the same keys, null where empty). */
export function alarmJson(a: AlarmRow): Record<string, unknown> {
  return {
    guid: a.guid, state: a.state, firstSeen: localIso(a.firstSeen), lastSeen: localIso(a.lastSeen), lines: a.lines,
    lastAction: a.lastAction, ticketKey: a.ticketKey, ticketStatus: a.ticketStatus, ticketResolved: a.ticketResolved,
    ticketUrl: a.ticketUrl, jira: a.jira === undefined || a.jira === '' ? null : a.jira,
  };
}

const columns: TextColumn[] = [{ title: 'GUID' }, { title: 'State' }, { title: 'First seen' }, { title: 'Last seen' },
  { title: 'Lines', align: 'right' }, { title: 'Last action' }, { title: 'Ticket' }, { title: 'Ticket status' }, { title: 'Ticket URL' }];

const dash = (v: string | null) => (v === null || v === '' ? '-' : v);

function cells(a: AlarmRow): string[] {
  return [a.guid, a.state, localDateTime(a.firstSeen), localDateTime(a.lastSeen), String(a.lines), a.lastAction,
    dash(a.ticketKey), dash(a.ticketStatus), dash(a.ticketUrl)];
}

/** Runs `jiraline alarms`; returns the exit code. */
export async function runAlarms(args: string[], io: CommandIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs('alarms', args, {
    json: { type: 'boolean' },
    state: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  let state: AlarmState | undefined;
  if (values.state !== undefined) {
    state = parseAlarmState(values.state) ?? undefined;
    if (state === undefined) throw new UsageError(`jiraline alarms: --state expects ${ALARM_STATES.join(', ')}, got '${values.state}'`);
  }
  const dir = existingDataDir(values['data-dir'], io.env);
  if (!hasEngineData(dir)) throw new UsageError(noEngineDataMessage('alarms', dir, dataDirSource(values['data-dir'], io.env)));
  const reader = await openStoreSnapshot(dir);
  try {
    // The table is bounded by alarms.maxEntries, so one read holds it.
    const { rows } = reader.queryAlarms(state === undefined ? {} : { state });
    if (values.json) io.stdout.write(rows.map((a) => `${JSON.stringify(alarmJson(a))}\n`).join(''));
    else if (rows.length === 0) io.stdout.write(state === undefined ? 'No alarms yet.\n' : `No ${state} alarms.\n`);
    else io.stdout.write(renderTable(columns, rows.map(cells)));
  } finally {
    reader.close();
  }
  return 0;
}
