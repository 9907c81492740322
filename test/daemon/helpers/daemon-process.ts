// Runs `jiraline daemon` as a child process, as an operator would, and reads its
// JSON-lines log. It listens on 127.0.0.1:0; the real address comes from the
// `listening` record, so tests never race for a port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The newest modification time under path (a folder's own time counts: a file was removed). */
function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return Infinity;
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

/**
 * How a child runs jiraline: dist/cli.js when it was built from the source as it is now (as
 * `npm test` builds first), else the source through tsx. The built file starts faster (no
 * compile at each start), which the tests that restart a daemon many times feel; a source
 * newer than the build is never run stale. The check is the one `npm start` makes
 * (source/tools/ensure-built.mjs).
 */
const cliArgs: string[] = (() => {
  const builtAt = Math.max(...['.build-stamp', '.tsbuildinfo'].map((f) => statSync(join(root, 'dist', f), { throwIfNoEntry: false })?.mtimeMs ?? -1));
  const changedAt = Math.max(...['source', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => newest(join(root, p))));
  const built = join(root, 'dist', 'cli.js');
  return changedAt <= builtAt && statSync(built, { throwIfNoEntry: false }) ? [built] : ['--import', 'tsx', join(root, 'source', 'cli.tsx')];
})();

/** A running (or exited) daemon child. */
export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  /** Every JSON record printed so far. */
  records: Array<Record<string, unknown>>;
  /** Resolves with the first record (past or future) that matches. */
  waitFor(match: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves once the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** SIGKILL if still running. */
  kill(): void;
}

/** Environment for a child that sees nothing of the user's own config or keychain. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: `${home}/config`,
    XDG_DATA_HOME: `${home}/data`,
    // No D-Bus session: the keychain is skipped fast instead of asked.
    DBUS_SESSION_BUS_ADDRESS: 'disabled:',
    TZ: process.env.TZ ?? 'UTC',
    ...extra,
  };
}

/** Runs `jiraline <args>` (see cliArgs) to completion. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Spawns the daemon with these arguments (add --listen 127.0.0.1:0 yourself). */
export function spawnDaemon(args: string[], env: Record<string, string>): DaemonProcess {
  const child = spawn(process.execPath, [...cliArgs, 'daemon', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const records: Array<Record<string, unknown>> = [];
  let out = '';
  let err = '';
  let rest = '';
  let waiters: Array<() => void> = [];
  let done = false;
  const notify = () => {
    for (const w of waiters.slice()) w();
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        records.push({ event: 'not-json', line });
      }
    }
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
      notify();
    });
  });
  return {
    child,
    pid: child.pid!,
    records,
    exited,
    stdout: () => out,
    stderr: () => err,
    kill: () => {
      if (!done) child.kill('SIGKILL');
    },
    waitFor(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching daemon record within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const check = () => {
          const found = records.find(match);
          if (found) {
            cleanup();
            resolve(found);
          } else if (done) {
            cleanup();
            reject(new Error(`daemon exited without a matching record; stdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
        };
        waiters.push(check);
        check();
      });
    },
  };
}

/** Spawns the daemon and waits for its `listening` record; returns it with the bound address. */
export async function startDaemon(args: string[], env: Record<string, string>): Promise<DaemonProcess & { address: string }> {
  const daemon = spawnDaemon(args, env);
  try {
    // Generous: a daemon started through tsx on a loaded machine may take longer than a record's usual wait.
    const listening = await daemon.waitFor((r) => r.event === 'listening', 120_000);
    return Object.assign(daemon, { address: String(listening.address) });
  } catch (error) {
    daemon.kill();
    throw error;
  }
}
