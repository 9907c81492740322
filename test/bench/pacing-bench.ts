// Benchmark, pacing part (issue 10): a burst of CREATEs against a Jira that rate-limits, through
// the daemon's runtime (real socket, engine, store, client) and the simulator's rate limits.
//   - 400 CREATEs in one burst against Data Center's bucket (20 a second) and against Cloud's
//     burst limit (20 a second on POST /issue): time to the last ticket (goal ≤ 1.25 × 400/20 s),
//     429s (goal ≤ 5 % of the tickets), label searches (goal 0);
//   - 200 CREATEs with 20 % of the writes refused (503 or 429) and a 40-a-second bucket:
//     time to the last ticket (goal ≤ 1.5 × 200/40 s).
// Every figure also checks that each acknowledged line became exactly one ticket.
// The simulator runs in this process: at tens of requests a second it costs nothing that matters.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator, type SimulatorFaults } from '../../source/simulator/index.js';
import { connectClient } from '../daemon/helpers/line-client.js';
import type { BenchResult } from './bench-types.js';

const env = { JIRALINE_USER: 'bench-bot', JIRALINE_PASSWORD: 'bench-password' };

interface BurstResult {
  seconds: number;
  refusals: number;
  searches: number;
  tickets: number;
  duplicates: number;
  peakPace: number;
}

/** Feeds `count` CREATEs at once and waits for the last ticket; what it took. */
async function burst(tag: string, count: number, mode: 'cloud' | 'datacenter', faults: SimulatorFaults, jira: object): Promise<BurstResult> {
  const sim = await startSimulator({ mode, auth: { user: env.JIRALINE_USER, password: env.JIRALINE_PASSWORD }, faults });
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-pacing-'));
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ jira }));
  const settings = resolveSettings({ config: configPath, 'data-dir': join(dir, 'data'), listen: '127.0.0.1:0', 'jira-url': sim.url }, { HOME: dir }, 'daemon');
  let sent = 0;
  let peakPace = 0;
  const runtime = await startRuntime(settings, { env, keychain: null, onLog: ((r: { event: string; perSecond?: number }) => {
    if (r.event === 'sent') sent += 1;
    if (r.event === 'pacing' && typeof r.perSecond === 'number') peakPace = Math.max(peakPace, r.perSecond);
  }) as (r: object) => void });
  try {
    await runtime.engine.checkConnection();
    const before = { refused: sim.rateLimitedCount(), requests: sim.requestsByEndpoint() };
    const client = await connectClient(runtime.listenAddress!);
    const started = performance.now();
    client.socket.write(Array.from({ length: count }, (_, i) => `${tag}-${i}|CREATE|summary;alarm ${i}|\n`).join(''));
    await client.waitFor(count);
    while (sent < count) {
      if (performance.now() - started > 300_000) throw new Error(`${tag}: ${sent} of ${count} after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    client.destroy();
    const after = sim.requestsByEndpoint();
    const searches = Object.entries(after).filter(([k]) => /search/.test(k)).reduce((n, [k, v]) => n + v - (before.requests[k] ?? 0), 0);
    const byGuid = new Map<string, number>();
    for (const issue of sim.issues()) {
      for (const label of (issue.fields.labels as string[] | undefined) ?? []) if (label.startsWith(`jiraline-${tag}-`)) byGuid.set(label, (byGuid.get(label) ?? 0) + 1);
    }
    const duplicates = [...byGuid.values()].filter((n) => n > 1).length;
    return { seconds, refusals: sim.rateLimitedCount() - before.refused, searches, tickets: byGuid.size, duplicates, peakPace };
  } finally {
    await runtime.stop(1000);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pacing part of `npm run bench`. */
export async function benchPacing(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const push = (name: string, value: number, unit: string, goal?: { text: string; ok: boolean }) =>
    results.push({ name: `pacing: ${name}`, value, unit, ...(goal ? { goal: goal.text, ok: goal.ok } : {}) });
  // Ceilings an operator who knows the Jira would set: above its limit, so the pace is found by
  // the pacer (Data Center's headers; Cloud's near-limit warnings and 429s), not set by hand.
  const ceilings = { maxRequestsPerSecond: 50, maxConcurrent: 10 };
  const scenarios = [
    { name: 'Data Center 20/s', tag: 'dc', mode: 'datacenter' as const, faults: { rateLimits: { dataCenter: { capacity: 20, fillRate: 20, intervalSeconds: 1 } } } },
    { name: 'Cloud burst 20/s', tag: 'cloud', mode: 'cloud' as const, faults: { rateLimits: { burstPerSecond: 20 } } },
  ];
  for (const s of scenarios) {
    const r = await burst(s.tag, 400, s.mode, s.faults, ceilings);
    const ideal = 400 / 20;
    push(`400 CREATEs, ${s.name}: time to the last ticket`, r.seconds, 's', { text: `≤ ${1.25 * ideal} (ideal ${ideal})`, ok: r.seconds <= 1.25 * ideal });
    push(`400 CREATEs, ${s.name}: 429s`, r.refusals, 'answers', { text: '≤ 20 (5 %)', ok: r.refusals <= 20 });
    push(`400 CREATEs, ${s.name}: label searches`, r.searches, 'requests', { text: '0', ok: r.searches === 0 });
    push(`400 CREATEs, ${s.name}: GUIDs with one ticket`, r.tickets - r.duplicates, 'GUIDs', { text: '400', ok: r.tickets === 400 && r.duplicates === 0 });
  }
  const mixed = await burst('mixed', 200, 'datacenter', {
    failureRate: 0.2, failureStatus: [503, 429], failureWritesOnly: true, retryAfterSeconds: 1,
    rateLimits: { dataCenter: { capacity: 40, fillRate: 40, intervalSeconds: 1 } },
  }, { maxRequestsPerSecond: 100, maxConcurrent: 10 });
  const ideal = 200 / 40;
  push('200 CREATEs, 20 % of writes refused, 40/s: time to the last ticket', mixed.seconds, 's',
    { text: `≤ ${1.5 * ideal} (ideal ${ideal})`, ok: mixed.seconds <= 1.5 * ideal });
  push('200 CREATEs, 20 % of writes refused, 40/s: label searches', mixed.searches, 'requests', { text: '0', ok: mixed.searches === 0 });
  push('200 CREATEs, 20 % of writes refused, 40/s: GUIDs with one ticket', mixed.tickets - mixed.duplicates, 'GUIDs',
    { text: '200', ok: mixed.tickets === 200 && mixed.duplicates === 0 });
  return results;
}
