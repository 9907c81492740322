// Benchmark, alarms part (issue 12): the Alarms pane with 10,000 alarms, on the real runtime
// against the simulator, rendered by Ink into a fake 100×30 TTY. From the key written to
// stdin to the first frame Ink writes that shows the row the key moved to (the selected
// count and that row's GUID), for ↓, PgDn and End/Home, and for the state filter `s`;
// goal ≤ 50 ms. Beside each wall-clock figure, the CPU time a key cost this process: on a
// machine shared with other work the wall clock also counts the wait for a core.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jiraIdentity } from '../../source/core/jira-identity.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator } from '../../source/simulator/index.js';
import { openStore } from '../../source/store/index.js';
import type { BenchResult } from './bench-types.js';
import { FakeStdin, FakeStdout } from './ui-bench.js';

const ALARMS = 10_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A stdout that keeps what Ink last wrote and wakes a waiter whose test the write passes. */
class FrameStdout extends FakeStdout {
  last = '';
  private test: ((frame: string) => boolean) | null = null;
  private done: (() => void) | null = null;
  override write(chunk: string): boolean {
    // Ink writes other sequences too (the cursor shown or hidden): the frame is what holds the pane.
    if (chunk.includes('Alarms')) this.last = chunk;
    if (this.test?.(chunk)) {
      const done = this.done;
      this.test = this.done = null;
      done?.();
    }
    return super.write(chunk);
  }
  until(test: (frame: string) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.test = test;
      this.done = resolve;
    });
  }
}

const guidOf = (i: number) => `al-${String(i).padStart(5, '0')}`;
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;;[^\x07]*\x07/g, '');

/** Every figure of the alarms part. */
export async function benchAlarms(): Promise<BenchResult[]> {
  process.env.NODE_ENV ??= 'production';
  const React = (await import('react')).default;
  const { render } = await import('ink');
  const { App } = await import('../../source/ui/app.js');
  const { runtimeServices } = await import('../../source/ui/runtime-services.js');
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-alarmsbench-'));
  const dataDir = join(dir, 'data');
  // Alarm i was seen i seconds before the newest: the pane's row i is alarm i.
  const store = await openStore({ dir: dataDir, jira: jiraIdentity(sim.url) });
  const now = Date.now();
  const states = ['open', 'resolved', 'failed', 'open'] as const;
  store.transaction(() => {
    for (let i = 0; i < ALARMS; i++) {
      const guid = guidOf(i);
      store.setTicket({ guid, ticketId: String(10000 + i), ticketKey: `OPS-${i + 1}`, ticketUrl: `${sim.url}/browse/OPS-${i + 1}` });
      store.noteAlarmLine(guid, 'Create', now - i * 1000);
      store.updateAlarm(guid, { state: states[i % 4], ticketStatus: i % 4 === 1 ? 'Done' : 'To Do', ticketResolved: i % 4 === 1 });
    }
  });
  await store.close();
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ alarms: { maxEntries: 20_000 } }));
  const settings = resolveSettings({ config: configPath, 'data-dir': dataDir, listen: 'off', 'jira-url': sim.url }, {}, 'tui');
  const runtime = await startRuntime(settings, { env: {}, keychain: null, control: false });
  const services = runtimeServices(runtime, { openEditor: async (text) => ({ ok: true, text }) });
  const stdout = new FrameStdout();
  const stdin = new FakeStdin();
  const instance = render(React.createElement(App, { services, initialPane: 'alarms', onQuit: () => undefined }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false,
  });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const selected = (frame: string) => Number(/([\d,]+) selected/.exec(plain(frame))?.[1].replace(/,/g, '') ?? 'NaN');
  // One key, then the first frame that shows where it moved: the selected count and that row.
  // The pause before each key keeps Ink's frame throttle (30 fps) out of the figure.
  const press = async (key: string, expect: (before: number) => number): Promise<number> => {
    await pause(40);
    const target = expect(selected(stdout.last));
    const shown = stdout.until((f) => selected(f) === target && plain(f).includes(guidOf(target - 1)));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    stdin.type(key);
    await Promise.race([shown, pause(5000).then(() => {
      throw new Error(`no frame showed row ${target} within 5 s`);
    })]);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return performance.now() - t0;
  };
  // CPU time of this process per key (all of it: the engine runs here too): what a key costs,
  // whatever else the machine is doing; the wall-clock figures wait for a core on a loaded machine.
  const cpu: number[] = [];
  try {
    await stdout.until((f) => plain(f).includes('Alarms 10,000') && plain(f).includes(guidOf(0)));
    const down: number[] = [];
    for (let i = 0; i < 40; i++) down.push(await press('\x1b[B', (b) => b + 1));
    // The page size is what one PgDn moved: read it from the frame, then time PgDn proper.
    const pageSize = await (async () => {
      const before = selected(stdout.last);
      await pause(40);
      stdin.type('\x1b[6~');
      await stdout.until((f) => selected(f) > before && plain(f).includes(guidOf(selected(f) - 1)));
      return selected(stdout.last) - before;
    })();
    const pgdn: number[] = [];
    for (let i = 0; i < 60; i++) pgdn.push(await press('\x1b[6~', (b) => Math.min(ALARMS, b + pageSize)));
    const jumps: number[] = [];
    for (let i = 0; i < 5; i++) {
      jumps.push(await press('\x1b[F', () => ALARMS));
      jumps.push(await press('\x1b[H', () => 1));
    }
    // s cycles all → pending → open → failed → resolved → all: timed until the rows of the new state are drawn.
    const cycle = ['pending', 'open', 'failed', 'resolved', 'all'];
    const filter: number[] = [];
    for (let i = 0; i < 5; i++) {
      for (const next of cycle) {
        await pause(40);
        const drawn = (f: string) => {
          const text = plain(f);
          if (!text.includes(`state: ${next}`)) return false;
          if (next === 'pending') return text.includes('No alarm matches the filter');
          return new RegExp(`al-\\d{5}\\s+${next === 'all' ? '\\w+' : next}\\s`).test(text);
        };
        const shown = stdout.until(drawn);
        const t0 = performance.now();
        stdin.type('s');
        await shown;
        filter.push(performance.now() - t0);
      }
    }
    const cpuP50 = percentile(cpu, 50);
    const downP50 = percentile(down, 50);
    const pgdnP50 = percentile(pgdn, 50);
    const jumpP50 = percentile(jumps, 50);
    return [
      { name: `alarms: ↓ → frame, ${ALARMS.toLocaleString('en-US')} alarms (p50 of 40)`, value: downP50, unit: 'ms', goal: '≤ 50 ms', ok: downP50 <= 50 },
      { name: 'alarms: ↓ → frame (p95)', value: percentile(down, 95), unit: 'ms' },
      { name: `alarms: PgDn → frame, ${pageSize} rows a page (p50 of 60)`, value: pgdnP50, unit: 'ms', goal: '≤ 50 ms', ok: pgdnP50 <= 50 },
      { name: 'alarms: PgDn → frame (p95)', value: percentile(pgdn, 95), unit: 'ms' },
      { name: 'alarms: End / Home → frame (p50 of 10)', value: jumpP50, unit: 'ms', goal: '≤ 50 ms', ok: jumpP50 <= 50 },
      { name: 'alarms: End / Home → frame (max)', value: Math.max(...jumps), unit: 'ms' },
      { name: 'alarms: s (state filter) → frame (p50 of 25)', value: percentile(filter, 50), unit: 'ms' },
      { name: 'alarms: CPU time per key (↓, PgDn, End/Home), p50 / load average', value: cpuP50, unit: 'ms',
        goal: `load ${loadavg()[0].toFixed(1)}` },
      { name: 'alarms: CPU time per key (p95)', value: percentile(cpu, 95), unit: 'ms' },
    ];
  } finally {
    instance.unmount();
    await services.settled();
    await runtime.stop();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
