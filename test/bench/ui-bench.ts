// Benchmark, UI part (issue 5):
//   - first frame after start: the real binary (dist/cli.js, demo mode) in a pseudo-terminal
//     (util-linux `script`), from spawn to the first frame on screen (drawn before Ink
//     loads, early-frame.ts), to Ink's first frame, and to the first frame of the App
//     itself (after the runtime has started); goal ≤ 700 ms;
//   - keypress → frame with 100,000 log rows: the App on the real runtime (store filled with
//     100,000 rows) rendered by Ink into a fake 100×30 TTY; from the key written to stdin to
//     Ink's next write to stdout, for PgDn on the Log pane and for each key of a filter typed
//     with `/`; goal ≤ 50 ms.
import { EventEmitter } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogRow } from '../../source/core/ports.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { openStore } from '../../source/store/index.js';
import type { BenchResult } from './bench-types.js';
import { timeMarkers } from './pty-start.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One start of the real binary: ms to the first frame, Ink's first frame and the App's first frame. */
async function startOnce(dir: string): Promise<{ first: number; ink: number; app: number }> {
  // '5 Jira': the tab bar, drawn before Ink loads (early-frame.ts); '? help': Ink's tab bar
  // (the early frame has no help hint); 'Ticket Creation Table': the App itself.
  writeFileSync(join(dir, 'config.json'), '{}'); // a --config that does not exist is refused
  const [first, ink, app] = await timeMarkers(
    `node ${cli} --demo --data-dir ${join(dir, 'data')} --config ${join(dir, 'config.json')} --listen off`,
    ['5 Jira', '? help', 'Ticket Creation Table']);
  return { first, ink, app };
}

async function benchFirstFrame(): Promise<BenchResult[]> {
  if (!existsSync(cli)) throw new Error(`${cli} missing: npm run bench builds it`);
  const firsts: number[] = [];
  const inks: number[] = [];
  const apps: number[] = [];
  for (let i = 0; i < 7; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'jiraline-uibench-'));
    try {
      const { first, ink, app } = await startOnce(dir);
      firsts.push(first);
      inks.push(ink);
      apps.push(app);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const first = percentile(firsts, 50);
  return [
    { name: 'ui: first frame after start (spawn → frame, median of 7)', value: first, unit: 'ms', goal: '≤ 700 ms', ok: first <= 700 },
    { name: 'ui: first Ink frame (ink + react loaded), median of 7', value: percentile(inks, 50), unit: 'ms' },
    { name: 'ui: first App frame (runtime started), median of 7', value: percentile(apps, 50), unit: 'ms' },
  ];
}

/** A TTY-like stdout that remembers when Ink last wrote. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  writes = 0;
  private waiter: (() => void) | null = null;
  write(_chunk: string): boolean {
    this.writes++;
    const w = this.waiter;
    this.waiter = null;
    w?.();
    return true;
  }
  nextWrite(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** A TTY-like stdin Ink reads keys from (as ink-testing-library's). */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  type(data: string): void {
    this.data = data;
    this.emit('readable');
  }
}

function row(i: number, now: number): Omit<LogRow, 'id'> {
  const status: LogRow['status'] = i % 10 === 0 ? 'Failed' : 'Ok';
  return {
    type: i % 7 === 0 ? 'Manual' : 'Automatic', action: i % 3 === 0 ? 'Create' : 'Update', time: now - (100_000 - i) * 900,
    guid: `alarm-${i % 1000}`, status, ticketId: String(10000 + i), ticketKey: status === 'Ok' ? `OPS-${i + 1}` : null,
    ticketUrl: status === 'Ok' ? `https://jira.example.com/browse/OPS-${i + 1}` : null,
    error: status === 'Failed' ? `Jira answered 400: Severity value ${i} is not valid` : null,
    lines: 1, request: '{"fields":{}}', response: '201', attempts: 1, nextAttemptAt: null,
  };
}

async function benchKeys(): Promise<BenchResult[]> {
  // As the app runs (run-app.tsx): React's production build, loaded only now.
  process.env.NODE_ENV ??= 'production';
  const React = (await import('react')).default;
  const { render } = await import('ink');
  const { App } = await import('../../source/ui/app.js');
  const { runtimeServices } = await import('../../source/ui/runtime-services.js');
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-uibench-'));
  const dataDir = join(dir, 'data');
  const store = await openStore({ dir: dataDir });
  const now = Date.now();
  store.transaction(() => {
    for (let i = 0; i < 100_000; i++) store.insertLog(row(i, now));
  });
  await store.close();
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ log: { maxEntries: 200_000 } }));
  // Not demo mode: a demo engine runs on a directory of its own, not on these rows.
  const settings = resolveSettings({ config: configPath, 'data-dir': dataDir, listen: 'off', 'jira-url': 'http://127.0.0.1:9' }, { HOME: dir }, 'tui');
  const runtime = await startRuntime(settings, { env: {}, keychain: null });
  const services = runtimeServices(runtime, { openEditor: async (text) => ({ ok: true, text }) });
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const instance = render(React.createElement(App, { services, initialPane: 'log', onQuit: () => undefined }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false,
  });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // One key, then Ink's next write. The pause before each key keeps Ink's frame throttle
  // (30 fps) out of the figure: it measures the work, not the frame-rate cap.
  const press = async (key: string): Promise<number> => {
    await pause(40);
    const written = stdout.nextWrite();
    const t0 = performance.now();
    stdin.type(key);
    await written;
    return performance.now() - t0;
  };
  try {
    await pause(300);
    if (runtime.engine.countLog() !== 100_000) throw new Error(`expected 100,000 rows, have ${runtime.engine.countLog()}`);
    const pgdn: number[] = [];
    for (let i = 0; i < 60; i++) pgdn.push(await press('\x1b[6~'));
    await press('/');
    const filter: number[] = [];
    for (const ch of 'alarm-42') filter.push(await press(ch));
    await press('\x1b');
    await pause(50);
    await press('/');
    const status: number[] = [];
    for (const ch of 'failed') status.push(await press(ch));
    const pgdnP50 = percentile(pgdn, 50);
    const filterP50 = percentile(filter, 50);
    return [
      { name: 'ui: PgDn → frame, 100,000 log rows (p50 of 60)', value: pgdnP50, unit: 'ms', goal: '≤ 50 ms', ok: pgdnP50 <= 50 },
      { name: 'ui: PgDn → frame, 100,000 log rows (p95)', value: percentile(pgdn, 95), unit: 'ms' },
      { name: 'ui: filter key → frame, text "alarm-42" (p50 of 8)', value: filterP50, unit: 'ms', goal: '≤ 50 ms', ok: filterP50 <= 50 },
      { name: 'ui: filter key → frame, text "alarm-42" (max)', value: Math.max(...filter), unit: 'ms' },
      { name: 'ui: filter key → frame, "/failed" status (p50)', value: percentile(status, 50), unit: 'ms' },
    ];
  } finally {
    instance.unmount();
    await services.settled();
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every UI figure. */
export async function benchUi(): Promise<BenchResult[]> {
  return [...await benchFirstFrame(), ...await benchKeys()];
}
