// The app on the real engine, store and simulator, for the screen tests of behaviour:
// a runtime started exactly as `jiraline` starts it (demo mode, or a standalone simulator
// as "real" Jira), on a temp directory, no socket, no keychain, no JIRALINE_* variables.
import React from 'react';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime, type Runtime } from '../../source/daemon/runtime.js';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { App, type QuitReason } from '../../source/ui/app.js';
import type { EditorOutcome, PaneId } from '../../source/ui/app-services.js';
import { runtimeServices, type RuntimeAppServices } from '../../source/ui/runtime-services.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { mount, inAct } from './support.js';

/** Options of startLiveApp. */
export interface LiveOptions {
  /** true: demo mode (in-process simulator); false: a standalone simulator given as --jira-url. */
  demo?: boolean;
  /** The config file's content before start. */
  config?: Record<string, unknown>;
  columns?: number;
  rows?: number;
  pane?: PaneId;
  /** What the stand-in $EDITOR returns for a given text. */
  editor?(text: string): EditorOutcome;
}

/** A running app and what it runs on. */
export interface LiveApp {
  app: Awaited<ReturnType<typeof mount>>;
  runtime: Runtime;
  services: RuntimeAppServices;
  /** The standalone simulator when not in demo mode (else the runtime's own). */
  simulator: Simulator;
  tmp: TempDir;
  configPath: string;
  quits: QuitReason[];
  editorTexts: string[];
  close(): Promise<void>;
}

/** Starts the runtime and renders the App at the given size. */
export async function startLiveApp(options: LiveOptions = {}): Promise<LiveApp> {
  const tmp = await makeTempDir('jiraline-ui-');
  const configPath = join(tmp.dir, 'config.json');
  // Always a file: a --config that does not exist is refused.
  await writeFile(configPath, JSON.stringify(options.config ?? {}));
  const demo = options.demo ?? true;
  const standalone = demo ? null : await startSimulator({ mode: 'datacenter', auth: null });
  const settings = resolveSettings({
    demo, config: configPath, 'data-dir': join(tmp.dir, 'data'), listen: 'off',
    ...(standalone ? { 'jira-url': standalone.url } : {}),
  }, {}, 'tui');
  const runtime = await startRuntime(settings, { env: {}, keychain: null });
  const editorTexts: string[] = [];
  const services = runtimeServices(runtime, {
    async openEditor(text) {
      editorTexts.push(text);
      return options.editor ? options.editor(text) : { ok: true, text };
    },
  });
  const quits: QuitReason[] = [];
  const app = await mount(
    <App services={services} size={{ columns: options.columns ?? 100, rows: options.rows ?? 30 }} initialPane={options.pane}
      onQuit={(reason) => quits.push(reason)} />,
  );
  return {
    app, runtime, services, tmp, configPath, quits, editorTexts,
    simulator: (standalone ?? runtime.simulator) as Simulator,
    async close() {
      await inAct(() => app.unmount());
      await services.settled();
      await runtime.stop();
      await standalone?.close();
      await tmp.cleanup();
    },
  };
}
