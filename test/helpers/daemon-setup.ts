// What every test of `jiraline daemon` as a child process sets up: a temp directory, a
// simulator that asks for credentials, an environment that sees nothing of the user's own
// (the credentials passed in it), a config file when the test needs one, and the daemon's
// arguments. Clean-up is one hook in the only safe order: every daemon started through
// `start` killed and gone, then the simulator closed, then the directory removed — removing
// a data directory under a daemon still writing there makes a test fail for no reason.
import type { TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../source/simulator/index.js';
import { isolatedEnv, startDaemon, type DaemonProcess } from '../daemon/helpers/daemon-process.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

/** A daemon child with its bound address. */
export type StartedDaemon = DaemonProcess & { address: string };

/** How to set up; everything is optional. */
export interface DaemonSetupOptions {
  /** The account the simulator asks for and the daemon gets in JIRALINE_USER/JIRALINE_PASSWORD;
   *  null: the simulator takes anything and the environment holds no credentials. */
  auth?: { user: string; password: string } | null;
  /** The simulator's other options (faults, mode…); its auth comes from `auth`. */
  simulator?: Omit<SimulatorOptions, 'auth'>;
  /** Written to <dir>/config.json and passed as --config; absent: no config file. */
  config?: Record<string, unknown>;
  /** More environment for the daemon and the CLI (on top of the isolated one). */
  env?: Record<string, string>;
}

/** A simulator, a data directory and the daemon's arguments, cleaned up after the test. */
export interface DaemonSetup {
  tmp: TempDir;
  sim: Simulator;
  dataDir: string;
  /** <dir>/config.json when `config` was given, else null. */
  configPath: string | null;
  env: Record<string, string>;
  /** [--config FILE] --jira-url SIM --data-dir DIR --listen 127.0.0.1:0 */
  args: string[];
  /** Starts a daemon (with `args` unless others are given) and waits until it listens; it is
   *  killed at the end of the test if still running. */
  start(args?: string[], env?: Record<string, string>): Promise<StartedDaemon>;
}

export const DEFAULT_USER = 'ops-bot';

/** A config with the throttle and the pacer lifted, for tests where neither is under test:
 *  lines go through as fast as they come. */
export const liftedLimits = { updates: { maxUpdates: 100000, intervalSeconds: 1 }, jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64 } };

/** Sets up for one test; `t.after` undoes it all. */
export async function daemonSetup(t: TestContext, options: DaemonSetupOptions = {}): Promise<DaemonSetup> {
  const auth = options.auth === undefined ? { user: DEFAULT_USER, password: 'daemon-test-pw' } : options.auth;
  const tmp = await makeTempDir();
  const daemons: DaemonProcess[] = [];
  let sim: Simulator | null = null;
  t.after(async () => {
    for (const daemon of daemons) daemon.kill();
    await Promise.all(daemons.map((daemon) => daemon.exited));
    await sim?.close();
    await tmp.cleanup();
  });
  sim = await startSimulator({ ...options.simulator, auth });
  const dataDir = join(tmp.dir, 'data');
  const env = isolatedEnv(tmp.dir, { ...(auth ? { JIRALINE_USER: auth.user, JIRALINE_PASSWORD: auth.password } : {}), ...options.env });
  let configPath: string | null = null;
  if (options.config) {
    configPath = join(tmp.dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(options.config), { mode: 0o600 });
  }
  const args = [...(configPath ? ['--config', configPath] : []), '--jira-url', sim.url, '--data-dir', dataDir, '--listen', '127.0.0.1:0'];
  return {
    tmp, sim, dataDir, configPath, env, args,
    async start(given = args, withEnv = env) {
      const daemon = await startDaemon(given, withEnv);
      daemons.push(daemon);
      return daemon;
    },
  };
}
