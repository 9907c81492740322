// Benchmark, attach part: line → reply p99 at 1,000 lines/s with three apps attached against
// none, measured within one run. Fresh runs of their own (a run without apps, then one with
// three) differed from each other by ±30 % in p99 on this shared two-core machine whatever
// the apps did: the same code gave ratios of 1.06, 1.10 and 1.30 in three sets of five rounds
// (README, Benchmarks). Here one engine, one simulator and one line generator run throughout,
// and three app processes attach and detach together in alternate blocks of BLOCK_MS: a drift
// in the machine's load, the JIT or the heap falls on both sides alike. Each block's first
// SETTLE_MS is left out (the switch: the apps' hello and first update, or their going). The
// feed is 1,000 lines/s, so the kept line i is due i ms into the kept part.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { latencies, startBenchRuntime } from './engine-bench.js';
import { spawnModule, startChildSimulator, stopChild, untilSaid } from './child-simulator.js';

const self = fileURLToPath(import.meta.url);
/** Each condition's stretch of the feed. */
const BLOCK_MS = 2000;
/** The start of a block left out: the switch itself. */
const SETTLE_MS = 300;

/**
 * Child: an app process that attaches to the engine on `dataDir` on 'a', detaches on 'd'
 * (its connection closed: the engine does nothing for it), and on attaching redraws as an
 * attached Log pane would on every update; exits when stdin ends.
 */
export async function togglingApp(dataDir: string): Promise<void> {
  const { attachEngine } = await import('../../source/control/remote-engine.js');
  const { attachedNice, yieldToEngine } = await import('../../source/ui/attached-priority.js');
  yieldToEngine(attachedNice());
  let engine: Awaited<ReturnType<typeof attachEngine>> | null = null;
  let chain = Promise.resolve();
  const attach = async () => {
    engine = await attachEngine(dataDir, { client: 'bench-app' });
    const attached = engine;
    attached.subscribe(() => {
      attached.queryLog({ offset: 0, limit: 26 });
      attached.countLog({});
    });
  };
  const detach = async () => {
    await engine?.stop();
    engine = null;
  };
  process.stdin.setEncoding('utf8').on('data', (text: string) => {
    for (const c of text) {
      if (c === 'a') chain = chain.then(attach);
      if (c === 'd') chain = chain.then(detach);
    }
  });
  process.stdin.on('end', () => void chain.then(detach).then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

/** Line → reply latencies with apps and without, from one run of `blocks` blocks (half of them with the apps). */
export async function blockLatencies(apps: number, blocks: number, paced = false, warmSeconds = 3): Promise<{ with: number[]; without: number[] }> {
  const jira = await startChildSimulator();
  // Every line also becomes a ticket at once (the pacer's ceilings lifted, as in the engine's
  // latency figure); `paced`: at the default pace, the lines piling up in the queue (a run
  // of more than 45 s would fill it).
  const config = paced ? {} : { jira: { maxRequestsPerSecond: 10_000, maxConcurrent: 256 } };
  const bench = await startBenchRuntime(jira.url, config, () => undefined);
  const dataDir = join(bench.dir, 'data');
  const children: ChildProcess[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  try {
    for (let i = 0; i < apps; i++) {
      const child = spawnModule(self, `togglingApp(${JSON.stringify(dataDir)})`);
      children.push(child);
      await untilSaid(child, 'ready');
    }
    // Blocks go in pairs, one with the apps and one without, in an order drawn for each pair:
    // the engine has periodic work of its own (a snapshot of the database every 4 MiB of
    // journal, about every 4 s at this feed), which in a fixed order fell in the same side's
    // blocks every time (with no app at all, one side's p90 came out 40–70 % above the other's).
    const withApps = Array.from({ length: blocks }, () => false);
    for (let k = 0; k + 1 < blocks; k += 2) withApps[Math.random() < 0.5 ? k : k + 1] = true;
    // The generator's line i is due i ms after it connects, about when it is spawned: block
    // k covers the kept lines [k·BLOCK_MS, (k+1)·BLOCK_MS), and the apps switch at its start.
    const t0 = performance.now() + warmSeconds * 1000;
    const at = (ms: number, c: string) => timers.push(setTimeout(() => { for (const child of children) child.stdin!.write(c); }, Math.max(0, t0 + ms - performance.now())));
    withApps.forEach((on, k) => {
      if (on && !withApps[k - 1]) at(k * BLOCK_MS, 'a');
      if (!on && withApps[k - 1]) at(k * BLOCK_MS, 'd');
    });
    // Mid-block, the apps are attached or not as the block says (else the run measures nothing).
    const wrong: string[] = [];
    for (let k = 0; k < blocks; k++) {
      timers.push(setTimeout(() => {
        const attached = bench.runtime.control?.clients().length ?? 0;
        if (attached !== (withApps[k] ? apps : 0)) wrong.push(`block ${k}: ${attached} attached`);
      }, Math.max(0, t0 + k * BLOCK_MS + BLOCK_MS / 2 - performance.now())));
    }
    const { kept } = await latencies(bench.runtime, 1000, (blocks * BLOCK_MS) / 1000, warmSeconds);
    if (wrong.length > 0) throw new Error(`the apps did not follow the blocks: ${wrong.join('; ')}`);
    const out = { with: [] as number[], without: [] as number[] };
    kept.forEach((ms, i) => {
      const inBlock = i % BLOCK_MS;
      if (inBlock < SETTLE_MS) return;
      (withApps[Math.floor(i / BLOCK_MS)] ? out.with : out.without).push(ms);
    });
    return out;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(children.map((c) => stopChild(c)));
    await bench.close();
    await stopChild(jira.child);
  }
}

/** Child: one run of blockLatencies; prints both sides' latencies. */
export async function blockRun(apps: number, blocks: number, paced = false): Promise<void> {
  const r = await blockLatencies(apps, blocks, paced);
  process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0));
}
