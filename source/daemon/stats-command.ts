// `jiraline stats [--json]`: created / updated / total tickets, each as total,
// today and yesterday (local calendar days), from a snapshot of the persisted file.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { statsFromStore } from '../core/stats.js';
import { openStoreSnapshot } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { existingDataDir } from './settings.js';
import { renderTable } from './text-table.js';
import { dataDirSource, hasEngineData, noEngineDataMessage } from './engine-data.js';

const usage = `Usage: jiraline stats [--json] [--data-dir DIR]
  Prints how many tickets were created and updated: in total, today and yesterday.
  --json   {"created": {"total", "today", "yesterday"}, "updated": {…}, "total": {…},
            "refused": {…}}   (refused: lines answered ERR; not tickets, not in total)
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else
               $XDG_DATA_HOME/jiraline); one where no engine ran is an error (exit 2)
`;

/** Runs `jiraline stats`; returns the exit code. */
export async function runStats(args: string[], io: CommandIo = processIo(), now: () => number = Date.now): Promise<number> {
  const { values } = parseCommandArgs('stats', args, {
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const dir = existingDataDir(values['data-dir'], io.env);
  if (!hasEngineData(dir)) throw new UsageError(noEngineDataMessage('stats', dir, dataDirSource(values['data-dir'], io.env)));
  const reader = await openStoreSnapshot(dir);
  let stats;
  try {
    stats = statsFromStore(reader, now());
  } finally {
    reader.close();
  }
  const { created, updated, total, refused } = stats;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ created, updated, total, refused })}\n`);
    return 0;
  }
  io.stdout.write(renderTable(
    [{ title: 'Tickets' }, { title: 'Total', align: 'right' }, { title: 'Today', align: 'right' }, { title: 'Yesterday', align: 'right' }],
    ([['Created', created], ['Updated', updated], ['Total', total]] as const)
      .map(([name, c]) => [name, String(c.total), String(c.today), String(c.yesterday)]),
  ));
  io.stdout.write(`Refused lines (answered ERR): ${refused.total} in total, ${refused.today} today, ${refused.yesterday} yesterday\n`);
  return 0;
}
