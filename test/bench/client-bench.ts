// Benchmark, client part: creates/s of the jiraline client against the simulator at 1 and
// 16 requests in flight, next to a bare undici Pool sending the same POSTs to the same
// simulator. The simulator runs in a child process so that it does not share the client's
// event loop. The machine is shared, so its load swings by the second: the two sides take
// turns in short slices (A B B A …) and each side's rate is its calls over its own time,
// so a busy moment costs both alike instead of deciding the ratio.
import { Pool } from 'undici';
import { createJiraClient } from '../../source/jira/index.js';
import type { Credentials, Secret } from '../../source/core/ports.js';
import type { BenchResult } from './bench-types.js';
import { startChildSimulator, stopChild } from './child-simulator.js';

const sliceMs = 50;
// Blocks of four short slices (A B B A): 40 blocks = 4 s per side per level of concurrency.
// Short slices keep both sides under the same load; on a busy 2-core machine an A/A control
// (bare Pool against bare Pool) measured this way still spread 0.84–1.09.
const blocks = 40;
const warmupMs = 500;
const user = 'bench-bot';
const password = 'bench-password';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const credentials: Credentials = { method: 'basic', username: user, password: secret(password) };
const body = { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Benchmark ticket', labels: ['jiraline-bench'] } };


/** Calls completed, wall time and this process's CPU time of one slice. */
interface Slice {
  calls: number;
  ms: number;
  cpuUs: number;
}

/** Runs `inFlight` loops of `once` until the time is up. */
async function slice(inFlight: number, ms: number, once: () => Promise<unknown>): Promise<Slice> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  let calls = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < deadline) {
      await once();
      calls++;
    }
  }));
  const used = process.cpuUsage(cpu);
  return { calls, ms: performance.now() - started, cpuUs: used.user + used.system };
}

const sum = (xs: Slice[]): Slice => xs.reduce((t, x) => ({ calls: t.calls + x.calls, ms: t.ms + x.ms, cpuUs: t.cpuUs + x.cpuUs }), { calls: 0, ms: 0, cpuUs: 0 });
const perSecond = (s: Slice) => s.calls / (s.ms / 1000);

function median(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Both sides in blocks of A B B A. Rates are totals over each side's own time; the ratio is
 * the median of the blocks' ratios, so one block that a neighbour's burst slowed cannot decide it.
 */
async function compare(inFlight: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const all = { a: [] as Slice[], b: [] as Slice[] };
  const ratios: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const a1 = await slice(inFlight, sliceMs, a);
    const b1 = await slice(inFlight, sliceMs, b);
    const b2 = await slice(inFlight, sliceMs, b);
    const a2 = await slice(inFlight, sliceMs, a);
    all.a.push(a1, a2);
    all.b.push(b1, b2);
    ratios.push(perSecond(sum([a1, a2])) / perSecond(sum([b1, b2])));
  }
  const ta = sum(all.a);
  const tb = sum(all.b);
  return { a: perSecond(ta), b: perSecond(tb), ratio: median(ratios), aCpuUs: ta.cpuUs / ta.calls, bCpuUs: tb.cpuUs / tb.calls };
}

/** The benchmark part `npm run bench -- client` runs. */
export async function benchClient(): Promise<BenchResult[]> {
  const { url, child } = await startChildSimulator({ auth: { user, password } });
  const client = createJiraClient({ baseUrl: url, ticketLocation: 'rest/api/2/issue', credentials, connections: 16, env: {} });
  const origin = new URL(url).origin;
  const bare = new Pool(origin, { connections: 16 });
  const headers = {
    accept: 'application/json',
    'content-type': 'application/json',
    authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'),
  };
  const viaClient = () => client.createIssue(body);
  const viaBare = async () => {
    const res = await bare.request({ path: '/rest/api/2/issue', method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await res.body.json()) as { key?: string };
    if (res.statusCode !== 201 || !json.key) throw new Error(`bare pool: ${res.statusCode}`);
    return json;
  };
  const results: BenchResult[] = [];
  try {
    for (const inFlight of [1, 16]) {
      await slice(inFlight, warmupMs, viaClient);
      await slice(inFlight, warmupMs, viaBare);
      const r = await compare(inFlight, viaClient, viaBare);
      results.push({ name: `client: creates/s against the simulator, ${inFlight} in flight`, value: r.a, unit: 'req/s' });
      results.push({ name: `bare undici Pool: creates/s, ${inFlight} in flight`, value: r.b, unit: 'req/s' });
      results.push({ name: `client / bare Pool, ${inFlight} in flight (median of ${blocks} ABBA blocks)`, value: r.ratio, unit: 'ratio', goal: '>= 0.9', ok: r.ratio >= 0.9 });
      results.push({ name: `client CPU per create, ${inFlight} in flight (bare Pool: ${r.bCpuUs.toFixed(0)} µs)`, value: r.aCpuUs, unit: 'µs' });
    }
  } finally {
    await client.close();
    await bare.close();
    await stopChild(child);
  }
  return results;
}
