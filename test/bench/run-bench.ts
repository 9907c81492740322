// `npm run bench`: every benchmark part in turn, printed as one table with its goal.
// Speed and memory targets live here, never as timed assertions in `npm test`.
// Run one part with `npm run bench -- client` (or core, engine, ui, start, firstkey, pacing, attach, settle, connections, alarms).
import type { BenchResult } from './bench-types.js';

const parts: Record<string, () => Promise<BenchResult[]>> = {
  client: async () => (await import('./client-bench.js')).benchClient(),
  core: async () => (await import('./core-bench.js')).benchCore(),
  engine: async () => (await import('./engine-bench.js')).benchEngine(),
  ui: async () => (await import('./ui-bench.js')).benchUi(),
  start: async () => (await import('./start-bench.js')).benchStart(),
  firstkey: async () => (await import('./start-bench.js')).benchFirstKey(),
  pacing: async () => (await import('./pacing-bench.js')).benchPacing(),
  attach: async () => (await import('./attach-bench.js')).benchAttach(),
  settle: async () => (await import('./settle-bench.js')).benchSettle(),
  connections: async () => (await import('./connections-bench.js')).benchConnections(),
  alarms: async () => (await import('./alarms-bench.js')).benchAlarms(),
};

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in parts));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown part ${unknown.join(', ')} (known: ${Object.keys(parts).join(', ')})\n`);
    return 2;
  }
  const names = wanted.length > 0 ? wanted : Object.keys(parts);
  const rows: BenchResult[] = [];
  for (const name of names) {
    process.stderr.write(`bench: ${name} …\n`);
    const results = await parts[name]();
    for (const r of results) {
      rows.push(r);
      const verdict = r.ok === undefined ? '' : r.ok ? '  ok' : '  MISSED';
      process.stdout.write(`${r.name.padEnd(58)} ${format(r.value).padStart(12)} ${r.unit.padEnd(10)} ${r.goal ?? ''}${verdict}\n`);
    }
  }
  const missed = rows.filter((r) => r.ok === false).length;
  process.stdout.write(`\n${rows.length} figures, ${missed} goals missed\n`);
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
