// The set-up the crash tests share: a simulator with credentials and the faults under test,
// and the daemon's arguments on a data directory of its own, with the throttle and the
// pacer lifted (neither is under test there: lines go through as fast as they come).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorFaults } from '../../../source/simulator/index.js';
import { isolatedEnv } from './daemon-process.js';

/** What a crash test starts its daemon with, again and again after each kill. */
export interface CrashSetup {
  sim: Simulator;
  dataDir: string;
  env: Record<string, string>;
  args: string[];
}

/** Starts the simulator in `dir`'s test and writes the daemon's config; the caller closes `sim`. */
export async function crashSetup(dir: string, user: string, password: string, faults: SimulatorFaults): Promise<CrashSetup> {
  const sim = await startSimulator({ auth: { user, password }, faults });
  const dataDir = join(dir, 'data');
  const env = isolatedEnv(dir, { JIRALINE_USER: user, JIRALINE_PASSWORD: password });
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ updates: { maxUpdates: 100000, intervalSeconds: 1 }, jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64 } }));
  return { sim, dataDir, env, args: ['--config', config, '--jira-url', sim.url, '--data-dir', dataDir, '--listen', '127.0.0.1:0'] };
}
