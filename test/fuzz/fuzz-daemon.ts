// A daemon child for fuzzing: its own data directory, Jira either down (a loopback port
// nobody listens on) or the simulator, and the pacer's ceilings high.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { isolatedEnv, startDaemon, type DaemonProcess } from '../daemon/helpers/daemon-process.js';

/** A loopback port that nothing listens on (taken and released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the daemon in `dir`; stop() kills it (and the simulator). */
export async function fuzzDaemon(dir: string, jira: 'down' | 'sim', queue: Record<string, number> = {}, nodeOptions?: string): Promise<{ daemon: DaemonProcess & { address: string }; password: string; env: Record<string, string>; dataDir: string; stop: () => Promise<void> }> {
  const password = 'fuzz-pw-51c9';
  let sim: Simulator | null = null;
  let url: string;
  if (jira === 'sim') {
    sim = await startSimulator({ auth: { user: 'ops-bot', password } });
    url = sim.url;
  } else url = `http://127.0.0.1:${await closedPort()}`;
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ updates: { maxUpdates: 100000, intervalSeconds: 1 }, jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64 }, queue }));
  const env = isolatedEnv(dir, { JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: password });
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  const daemon = await startDaemon(['--config', config, '--jira-url', url, '--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0'], env);
  return {
    daemon,
    password,
    env,
    dataDir: join(dir, 'data'),
    async stop() {
      daemon.kill();
      await daemon.exited;
      await sim?.close();
    },
  };
}
