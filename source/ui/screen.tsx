// The screen side of `jiraline [tui]`: the alternate screen, a first frame while the
// runtime starts (engine, store, socket; the simulator in demo mode), then the App. Every
// way out — q, Ctrl-C, SIGTERM, SIGHUP, a crash — unmounts Ink, gives the shell its screen
// back, then stops the runtime so every accepted command is committed. While $EDITOR runs
// the app is unmounted and remounted on the same state.
import React from 'react';
import { render, type Instance } from 'ink';
import { startRuntime, type Runtime } from '../daemon/runtime.js';
import type { Settings } from '../daemon/settings.js';
import { App, type QuitReason } from './app.js';
import type { PaneId } from './app-services.js';
import { createAltScreen, crashMessage, installExitGuards, type ExitCause } from './alt-screen.js';
import { Splash } from './components/splash.js';
import { editText } from './external-editor.js';
import { runtimeServices } from './runtime-services.js';
import type { PaneMemory } from './panes/pane-props.js';

/**
 * The screen part: alternate screen, a first frame while the runtime starts, then the App;
 * every exit path. Resolves once the runtime has stopped. A runtime that fails to start
 * (store locked, port in use) restores the screen and rejects, for the CLI to report.
 */
export async function runOnScreen(settings: Settings): Promise<number> {
  const alt = createAltScreen(process.stdout);
  alt.enter();
  let instance: Instance | null = render(<Splash demo={settings.demo} jiraUrl={settings.config.jira.url} dataDir={settings.dataDir} />, { exitOnCtrlC: false });
  // A signal while starting: stop as soon as the runtime is up (or has failed).
  let early: ExitCause | null = null;
  const detachEarly = installExitGuards((cause) => {
    early ??= cause;
  });
  let runtime: Runtime;
  try {
    runtime = await startRuntime(settings);
  } catch (error) {
    detachEarly();
    instance.unmount();
    alt.leave();
    throw error;
  }
  detachEarly();
  if (early) {
    instance.unmount();
    alt.leave();
    await runtime.stop();
    const cause = early as ExitCause;
    if (cause.kind === 'crash') process.stderr.write(`${crashMessage(cause.error)}\n`);
    return cause.kind === 'crash' ? 1 : 0;
  }
  const splash = instance;
  instance = null;
  const memory: PaneMemory = new Map();
  let pane: PaneId = 'creation';
  let finished = false;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });

  const finish = async (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    try {
      instance?.unmount();
    } catch {
      // Already unmounted (Ink's own error path): the screen is still ours to restore.
    }
    instance = null;
    alt.leave();
    detachGuards();
    if (message) process.stderr.write(`${message}\n`);
    try {
      await services.settled();
      await runtime.stop();
    } catch (error) {
      process.stderr.write(`jiraline: while stopping: ${(error as Error).message}\n`);
      code = code || 1;
    }
    // Ink leaves stdin readable; let go of it so nothing keeps the process alive.
    process.stdin.pause();
    process.stdin.unref?.();
    resolveExit(code);
  };

  const detachGuards = installExitGuards((cause: ExitCause) => {
    if (cause.kind === 'signal') void finish(0);
    else void finish(1, crashMessage(cause.error));
  });

  const onQuit = (_reason: QuitReason) => void finish(0);

  const services = runtimeServices(runtime, {
    async openEditor(text) {
      // Off the screen while the editor owns the terminal; back on the same state after.
      instance?.unmount();
      instance = null;
      alt.leave();
      const outcome = editText(text);
      if (finished) return outcome;
      alt.enter();
      mount();
      return outcome;
    },
  });

  const mount = (over?: Instance) => {
    const app = (
      <App services={services} initialPane={pane} memory={memory} onQuit={onQuit} onPaneChange={(p) => {
        pane = p;
      }} />
    );
    if (over) {
      over.rerender(app);
      instance = over;
    } else {
      instance = render(app, { exitOnCtrlC: false });
    }
    const mine = instance;
    mine.waitUntilExit().catch((error: unknown) => {
      if (instance === mine) void finish(1, crashMessage(error));
    });
  };

  try {
    mount(splash);
  } catch (error) {
    await finish(1, crashMessage(error));
  }
  return exited;
}
