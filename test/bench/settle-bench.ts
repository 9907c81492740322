// Benchmark, settle part (issue 15): what one ticket per GUID costs when Jira finishes creates
// after jiraline gave up on them. 1,000 CREATEs through the daemon's runtime (real socket,
// engine, store, client; timeout 1 s) against the simulator:
//   - none finished late: time to the last ticket (the baseline);
//   - 10 % of the writes made by Jira only 1.5 s after the client gave up, with the settle window
//     derived from the timeout (7 s): time to the last ticket, GUIDs with exactly one ticket (goal
//     all), duplicates repaired (goal 0: none slipped through);
//   - the same with the settle window turned down to 0: duplicates slip through, and the checks
//     after the derived window repair them — duplicates left open (goal 0) and repaired.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator, type SimulatorFaults } from '../../source/simulator/index.js';
import { connectClient } from '../daemon/helpers/line-client.js';
import type { BenchResult } from './bench-types.js';

const env = { JIRALINE_USER: 'bench-bot', JIRALINE_PASSWORD: 'bench-password' };
/** CREATEs per run (JIRALINE_SETTLE_BENCH_COUNT overrides, for a quick look). */
const COUNT = Number(process.env.JIRALINE_SETTLE_BENCH_COUNT ?? 1000);

interface SettleResult {
  seconds: number;
  /** GUIDs with exactly one ticket not marked as a duplicate. */
  exact: number;
  /** GUIDs with more than one ticket not marked as a duplicate. */
  openDuplicates: number;
  repaired: number;
  searches: number;
}

async function run(tag: string, faults: SimulatorFaults, jira: object): Promise<SettleResult> {
  const sim = await startSimulator({ mode: 'datacenter', auth: { user: env.JIRALINE_USER, password: env.JIRALINE_PASSWORD }, faults });
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-settle-'));
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ jira, alarms: { onDuplicate: 'label' } }));
  const settings = resolveSettings({ config: configPath, 'data-dir': join(dir, 'data'), listen: '127.0.0.1:0', 'jira-url': sim.url }, { HOME: dir }, 'daemon');
  let sent = 0;
  const runtime = await startRuntime(settings, { env, keychain: null, onLog: ((r: { event: string }) => {
    if (r.event === 'sent') sent += 1;
  }) as (r: object) => void });
  try {
    await runtime.engine.checkConnection();
    const client = await connectClient(runtime.listenAddress!);
    const started = performance.now();
    client.socket.write(Array.from({ length: COUNT }, (_, i) => `${tag}-${i}|CREATE|summary;alarm ${i}|\n`).join(''));
    await client.waitFor(COUNT);
    const deadline = started + 600_000;
    while (sent < COUNT) {
      if (performance.now() > deadline) throw new Error(`${tag}: ${sent} of ${COUNT} after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`bench: settle ${tag}: last ticket after ${seconds.toFixed(1)} s\n`);
    client.destroy();
    // The late writes land and the duplicate checks are made (the derived window after each resend).
    const checksBy = performance.now() + 600_000;
    while (runtime.engine.getSnapshot().exactlyOnce.repairChecks > 0 || sim.heldWrites() > 0) {
      if (performance.now() > checksBy) {
        throw new Error(`${tag}: ${runtime.engine.getSnapshot().exactlyOnce.repairChecks} duplicate checks still waiting 10 minutes after the last ticket`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const byGuid = new Map<string, number>();
    for (const issue of sim.issues()) {
      const labels = (issue.fields.labels as string[] | undefined) ?? [];
      if (labels.includes('jiraline-duplicate')) continue;
      for (const label of labels) if (label.startsWith(`jiraline-${tag}-`)) byGuid.set(label, (byGuid.get(label) ?? 0) + 1);
    }
    const searches = Object.entries(sim.requestsByEndpoint()).filter(([k]) => /search/.test(k)).reduce((n, [, v]) => n + v, 0);
    return {
      seconds, exact: [...byGuid.values()].filter((n) => n === 1).length, openDuplicates: [...byGuid.values()].filter((n) => n > 1).length,
      repaired: runtime.engine.getSnapshot().exactlyOnce.duplicatesRepaired, searches,
    };
  } finally {
    await runtime.stop(1000);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The settle part of `npm run bench`. */
export async function benchSettle(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const push = (name: string, value: number, unit: string, goal?: { text: string; ok: boolean }) =>
    results.push({ name: `settle: ${name}`, value, unit, ...(goal ? { goal: goal.text, ok: goal.ok } : {}) });
  const jira = { timeoutSeconds: 1, maxRequestsPerSecond: 200, maxConcurrent: 20 };
  const late: SimulatorFaults = { writeAfterTimeoutRate: 0.1, writeAfterTimeoutDelayMs: 1500 };
  const base = await run('base', {}, jira);
  push(`${COUNT} CREATEs, none late: time to the last ticket`, base.seconds, 's');
  const settled = await run('settled', late, jira);
  push(`${COUNT} CREATEs, 10 % made 1.5 s after the timeout: time to the last ticket`, settled.seconds, 's',
    { text: `≤ baseline + 10 s (${(base.seconds + 10).toFixed(1)})`, ok: settled.seconds <= base.seconds + 10 });
  push(`${COUNT} CREATEs, 10 % late, settle window 7 s (derived): GUIDs with exactly one ticket`, settled.exact, 'GUIDs',
    { text: `${COUNT}`, ok: settled.exact === COUNT && settled.openDuplicates === 0 });
  push(`${COUNT} CREATEs, 10 % late, settle window 7 s: duplicates repaired`, settled.repaired, 'tickets', { text: '0 (none slipped through)', ok: settled.repaired === 0 });
  push(`${COUNT} CREATEs, 10 % late, settle window 7 s: label searches`, settled.searches, 'requests');
  const unsettled = await run('unsettled', late, { ...jira, settleSeconds: 0 });
  push(`${COUNT} CREATEs, 10 % late, settle window 0: time to the last ticket`, unsettled.seconds, 's');
  push(`${COUNT} CREATEs, 10 % late, settle window 0: duplicates repaired`, unsettled.repaired, 'tickets');
  push(`${COUNT} CREATEs, 10 % late, settle window 0: duplicates left open`, unsettled.openDuplicates, 'GUIDs', { text: '0', ok: unsettled.openDuplicates === 0 });
  push(`${COUNT} CREATEs, 10 % late, settle window 0: GUIDs with exactly one open ticket`, unsettled.exact, 'GUIDs',
    { text: `${COUNT}`, ok: unsettled.exact === COUNT });
  return results;
}
