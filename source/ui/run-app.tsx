// `jiraline [tui]`: the full-screen app. It resolves the settings, starts the runtime
// (engine, store, socket; the simulator in demo mode), switches to the alternate screen
// and renders the App. Every way out — q, Ctrl-C, SIGTERM, SIGHUP, a crash — unmounts
// Ink, gives the shell its screen back, then stops the runtime so every accepted command
// is committed. While $EDITOR runs the app is unmounted and remounted on the same state.
import React from 'react';
import { render, type Instance } from 'ink';
import { engineOptions, parseCommandArgs, UsageError } from '../cli-args.js';
import { startRuntime, type Runtime } from '../daemon/runtime.js';
import { resolveSettings } from '../daemon/settings.js';
import { App, type QuitReason } from './app.js';
import type { PaneId } from './app-services.js';
import { createAltScreen, crashMessage, installExitGuards, type ExitCause } from './alt-screen.js';
import { editText } from './external-editor.js';
import { runtimeServices } from './runtime-services.js';
import type { PaneMemory } from './panes/pane-props.js';

const usage = `Usage: jiraline [tui] [--config FILE] [--data-dir DIR] [--listen HOST:PORT|off] [--jira-url URL | --demo]
  The full-screen app: five panes (Creation, Configuration, Log, Statistics, Jira) over the
  engine, which also serves the Advanced socket while the app runs. Without a Jira URL it
  runs in demo mode against a built-in simulator. ? shows every key; q quits.
`;

/** Runs the app until the operator quits; returns the exit code. */
export async function runApp(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('tui', args, engineOptions);
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('jiraline: the full-screen app needs a terminal; for automation run jiraline daemon');
  }
  const settings = resolveSettings(values, process.env, 'tui');
  const runtime = await startRuntime(settings);
  return runOnScreen(runtime);
}

/** The screen part: alternate screen, Ink, exit paths. Resolves once the runtime has stopped. */
async function runOnScreen(runtime: Runtime): Promise<number> {
  const alt = createAltScreen(process.stdout);
  const memory: PaneMemory = new Map();
  let pane: PaneId = 'creation';
  let instance: Instance | null = null;
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

  const mount = () => {
    instance = render(
      <App services={services} initialPane={pane} memory={memory} onQuit={onQuit} onPaneChange={(p) => {
        pane = p;
      }} />,
      { exitOnCtrlC: false },
    );
    const mine = instance;
    mine.waitUntilExit().catch((error: unknown) => {
      if (instance === mine) void finish(1, crashMessage(error));
    });
  };

  alt.enter();
  try {
    mount();
  } catch (error) {
    await finish(1, crashMessage(error));
  }
  return exited;
}
