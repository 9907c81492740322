// An engine as the daemon runs it (in this process: real store, real TCP socket, real
// control socket, a standalone simulator as Jira) and apps attached to it over the control
// socket, each an ink-testing-library App over the remote EngineApi.
import React from 'react';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../source/daemon/runtime.js';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { attachEngine, type RemoteEngine } from '../../source/control/remote-engine.js';
import { remoteServices } from '../../source/ui/remote-services.js';
import { App } from '../../source/ui/app.js';
import type { AppServices, PaneId } from '../../source/ui/app-services.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { inAct, mount } from '../ui/support.js';

/** A running engine with its TCP address. */
export interface EngineHost {
  runtime: Runtime;
  simulator: Simulator;
  tmp: TempDir;
  dataDir: string;
  configPath: string;
  close(): Promise<void>;
}

/** Starts the engine as the daemon does, on a temp dir and a standalone simulator. */
export async function startEngineHost(config: Record<string, unknown> = {}, options: Pick<RuntimeOptions, 'controlFlow'> = {}): Promise<EngineHost> {
  const tmp = await makeTempDir('jl-att-');
  const simulator = await startSimulator({ mode: 'datacenter', auth: null });
  const configPath = join(tmp.dir, 'config.json');
  // The pacer's ceilings lifted unless a test sets them: these tests are about the faces.
  const jira = { maxRequestsPerSecond: 10_000, maxConcurrent: 256, ...(config.jira as Record<string, unknown> | undefined) };
  await writeFile(configPath, JSON.stringify({ ...config, jira }));
  const dataDir = join(tmp.dir, 'data');
  const settings = resolveSettings({ config: configPath, 'data-dir': dataDir, listen: '127.0.0.1:0', 'jira-url': simulator.url }, {}, 'daemon');
  const runtime = await startRuntime(settings, { env: {}, keychain: null, face: 'daemon', ...options });
  return {
    runtime, simulator, tmp, dataDir, configPath,
    async close() {
      await runtime.stop();
      await simulator.close();
      await tmp.cleanup();
    },
  };
}

/** An attached app. */
export interface AttachedApp {
  engine: RemoteEngine;
  services: AppServices;
  app: Awaited<ReturnType<typeof mount>>;
  close(): Promise<void>;
}

/** Attaches an app to the engine on dataDir and renders it. */
export async function attachApp(dataDir: string, pane: PaneId = 'creation', size = { columns: 120, rows: 30 },
  options: { offerAfterMs?: number; startOwnEngine?: () => void } = {}): Promise<AttachedApp> {
  const engine = await attachEngine(dataDir, { retryMs: 50, offerAfterMs: options.offerAfterMs ?? 60_000, client: 'test-app' });
  const services = { ...remoteServices(engine, { openEditor: async (text) => ({ ok: true, text }) }), startOwnEngine: options.startOwnEngine };
  const app = await mount(<App services={services} size={size} initialPane={pane} onQuit={() => undefined} />);
  return {
    engine, services, app,
    async close() {
      await inAct(() => app.unmount());
      await engine.stop();
    },
  };
}
