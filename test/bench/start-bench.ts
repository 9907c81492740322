// Benchmark, newcomer start: `npm start` as typed at the shell, in a pseudo-terminal, from
// the command to the Creation pane drawn (the Ticket Creation Table on screen), in demo mode.
//   - cold: no dist/ (a fresh clone after `npm install`): the start compiles source/ first
//     (emit only, no typecheck: source/tools/ensure-built.mjs);
//   - warm: nothing changed since the last start: no compile, straight to the program.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-types.js';
import { timeFirstKey, timeMarkers, type FirstKeyTimes } from './pty-start.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function npmStart(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-startbench-'));
  try {
    await writeFile(join(dir, 'config.json'), '{}'); // a --config that does not exist is refused
    const [app] = await timeMarkers(
      `npm start --silent -- --demo --data-dir ${join(dir, 'data')} --config ${join(dir, 'config.json')} --listen off`,
      ['Ticket Creation Table'], root);
    return app;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cold and warm newcomer starts, 3 of each (a cold start rebuilds dist/). */
export async function benchStart(): Promise<BenchResult[]> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    await rm(join(root, 'dist'), { recursive: true, force: true });
    cold.push(await npmStart());
    warm.push(await npmStart());
  }
  return [
    { name: 'start: npm start → Creation pane, cold (no dist/), median of 3', value: median(cold), unit: 'ms' },
    { name: 'start: npm start → Creation pane, warm (nothing changed), median of 3', value: median(warm), unit: 'ms' },
  ];
}

/** `node dist/cli.js --demo` in `root` on a fresh data directory: the table, the first key answered, the engine up. */
export async function firstKey(root: string): Promise<FirstKeyTimes> {
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-firstkey-'));
  try {
    await writeFile(join(dir, 'config.json'), '{}');
    return await timeFirstKey(`node ${join(root, 'dist', 'cli.js')} --demo --data-dir ${join(dir, 'data')} --config ${join(dir, 'config.json')} --listen off`, root);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The app as a user waits for it at the shell (dist/ built): from `node dist/cli.js --demo`
 * to the Ticket Creation Table, to the frame answering a key pressed the moment the table
 * shows, and to the engine up; median of 5.
 */
export async function benchFirstKey(): Promise<BenchResult[]> {
  const runs: FirstKeyTimes[] = [];
  for (let i = 0; i < 5; i++) runs.push(await firstKey(root));
  const key = median(runs.map((r) => r.answered));
  return [
    { name: 'start: node dist/cli.js --demo → Creation table, median of 5', value: median(runs.map((r) => r.table)), unit: 'ms' },
    { name: 'start: → a key pressed then answered (Log pane), median of 5', value: key, unit: 'ms', goal: '≤ 1,000 ms', ok: key <= 1000 },
    { name: 'start: → the engine up (connected), median of 5', value: median(runs.map((r) => r.engine)), unit: 'ms' },
  ];
}
