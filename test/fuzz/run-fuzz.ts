// `npm run fuzz [-- --lines N --connections C --jira down|sim --seed S --max-commands Q --node-options O --progress SECONDS]`: random and mutated
// lines (test/daemon/helpers/fuzz-feed.ts) through the socket of a daemon child; reports
// lines/s and the daemon's peak RSS, and fails if a line went unanswered, a reply carried a
// control character or the daemon stopped.
import { parseArgs } from 'node:util';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fuzzSocket, peakRssMiB, rssMiB } from '../daemon/helpers/fuzz-feed.js';
import { runCli } from '../daemon/helpers/daemon-process.js';
import { fuzzDaemon } from './fuzz-daemon.js';

const { values } = parseArgs({ options: {
  lines: { type: 'string', default: '1000000' }, connections: { type: 'string', default: '8' },
  jira: { type: 'string', default: 'down' }, seed: { type: 'string', default: '1' },
  // The queue's ceiling (queue.maxCommands; default the config's): a smaller one shows what memory the queue holds.
  'max-commands': { type: 'string' },
  // Node options for the daemon child only, e.g. --max-old-space-size=96 to tell garbage not yet collected from memory kept.
  'node-options': { type: 'string' },
  // A progress line on stderr every this many seconds (replies so far, their rate, the daemon's RSS); 0: none.
  progress: { type: 'string', default: '10' },
} });
const lines = Number(values.lines);
const connections = Number(values.connections);
const jira = values.jira === 'sim' ? 'sim' : 'down';
const tmp = await makeTempDir('jiraline-fuzz-');
const run = await fuzzDaemon(tmp.dir, jira, values['max-commands'] === undefined ? {} : { maxCommands: Number(values['max-commands']) }, values['node-options']);
let failed = false;
try {
  let replies = 0;
  const started = Date.now();
  const every = Number(values.progress) * 1000;
  const progress = every > 0 ? setInterval(() => {
    void rssMiB(run.daemon.pid).then((rss) => process.stderr.write(`fuzz: ${replies} replies after ${((Date.now() - started) / 1000).toFixed(0)} s `
      + `(${Math.round(replies / ((Date.now() - started) / 1000))}/s), daemon RSS ${rss} MiB\n`));
  }, every) : null;
  const result = await fuzzSocket(run.daemon.address, lines, connections, Number(values.seed), 30 * 60_000, (n) => (replies += n))
    .finally(() => { if (progress) clearInterval(progress); });
  const rss = await peakRssMiB(run.daemon.pid);
  const now = await rssMiB(run.daemon.pid);
  const status = await runCli(['status', '--json', '--data-dir', run.dataDir], run.env);
  const engine = JSON.parse(status.stdout || '{}') as { queueDepth?: number; logCount?: number };
  const up = run.daemon.child.exitCode === null;
  console.log(`fuzz: ${result.sent} lines (${Math.round(result.bytes / 1048576)} MiB) on ${connections} connections, Jira ${jira}, seed ${values.seed}`);
  console.log(`  ${result.answered} of ${result.expected} expected replies in ${(result.ms / 1000).toFixed(1)} s: ${Math.round(result.sent / (result.ms / 1000))} lines/s`);
  console.log(`  daemon peak RSS ${rss} MiB, ${now} MiB now; queue ${engine.queueDepth} commands, ${engine.logCount} log rows; still up: ${up}`);
  for (const [kind, count] of [...result.refusals].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(8)}  ${kind}`);
  if (result.unsafe.length > 0) console.log(`  replies with control characters: ${result.unsafe.join(', ')}`);
  failed = result.answered !== result.expected || result.unsafe.length > 0 || !up;
} catch (error) {
  console.error(`fuzz failed: ${(error as Error).message}`);
  failed = true;
} finally {
  await run.stop();
  await tmp.cleanup();
}
process.exitCode = failed ? 1 : 0;
