// A/B of the app's start as a user waits for it at the shell, interleaved so the machine's
// load hits every checkout alike: `node --import tsx test/bench/first-key-ab.ts DIR…`
// (each DIR a checkout with dist/ built; default: this one), N rounds (env N, default 5).
// Prints, per run, the load average and the ms from the spawn to the Ticket Creation Table,
// to the frame answering a key pressed the moment the table showed, and to the engine up.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstKey } from './start-bench.js';

const roots = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : [fileURLToPath(new URL('../..', import.meta.url))];
const rounds = Number(process.env.N ?? 5);
const all = new Map<string, number[]>(roots.map((r) => [r, []]));
for (let i = 0; i < rounds; i++) {
  for (const root of roots) {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const t = await firstKey(root);
    all.get(root)?.push(t.answered);
    process.stdout.write(`${root.padEnd(28)} table ${t.table.toFixed(0).padStart(5)}  key answered ${t.answered.toFixed(0).padStart(5)}  engine up ${t.engine.toFixed(0).padStart(5)} ms  (load ${load})\n`);
  }
}
for (const [root, keys] of all) {
  const sorted = [...keys].sort((a, b) => a - b);
  process.stdout.write(`${root}: key answered median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (${sorted.map((k) => k.toFixed(0)).join(', ')})\n`);
}
