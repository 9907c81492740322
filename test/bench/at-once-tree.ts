// The engine benchmark's at-once end-to-end comparison alone, with the engine of any checkout:
//   node --import tsx test/bench/at-once-tree.ts DIR [ROUNDS]
// DIR is a checkout of jiraline (a `git worktree` of an older commit, its node_modules linked
// to this one's); its runtime is fed through the socket, while the simulator and the bare Pool
// it is compared with are this checkout's, so two commits run against the same Jira. Prints
// one JSON line: the ratio, both sides' tickets/s and CPU per ticket, the simulator's.
// Single runs on a shared 2-core machine spread by ±15 %: alternate two checkouts, several
// runs each, and compare medians (README, Benchmarks).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startChildSimulator, stopChild } from './child-simulator.js';
import { endToEnd, runtimeStarter, type RuntimeModules } from './engine-bench.js';

async function main(): Promise<number> {
  const [dirArg, roundsArg] = process.argv.slice(2);
  const dir = resolve(dirArg ?? '.');
  const rounds = roundsArg === undefined ? 4 : Number(roundsArg);
  const module = (path: string) => resolve(dir, path);
  if (!existsSync(module('source/daemon/runtime.ts')) || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write('usage: node --import tsx test/bench/at-once-tree.ts DIR [ROUNDS] — DIR a jiraline checkout (source/daemon/runtime.ts), ROUNDS ≥ 1\n');
    return 2;
  }
  const load = async <T>(path: string) => (await import(pathToFileURL(module(path)).href)) as T;
  const modules: RuntimeModules = {
    resolveSettings: (await load<RuntimeModules>('source/daemon/settings.ts')).resolveSettings,
    startRuntime: (await load<RuntimeModules>('source/daemon/runtime.ts')).startRuntime,
  };
  // A checkout from before the pacer knows no jira.maxRequestsPerSecond (and has no ceiling to lift).
  const config = existsSync(module('source/core/pacer.ts')) ? undefined : {};
  const sim = await startChildSimulator();
  try {
    const { socket, bare } = await endToEnd(sim, 1000, rounds, runtimeStarter(modules), config);
    const round = (n: number) => Math.round(n);
    process.stdout.write(`${JSON.stringify({
      dir, ratio: Number((socket.perSecond / bare.perSecond).toFixed(3)), socketPerSecond: round(socket.perSecond), barePerSecond: round(bare.perSecond),
      cpuUsPerTicket: round(socket.cpuUs), bareCpuUsPerTicket: round(bare.cpuUs), simulatorCpuUsPerTicket: round(socket.simCpuUs),
    })}\n`);
  } finally {
    await stopChild(sim.child);
  }
  return 0;
}

process.exitCode = await main();
