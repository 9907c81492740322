// The running app: the App over the runtime, on the Ink instance the first frame was drawn
// with. Every way out — q, Ctrl-C, SIGTERM, SIGHUP, a crash — unmounts Ink, gives the shell
// its screen back, then stops the runtime so every accepted command is committed. While
// $EDITOR runs the app is unmounted and remounted on the same state.
import React from 'react';
import { render, type Instance } from 'ink';
import type { Runtime } from '../daemon/runtime.js';
import type { RemoteEngine } from '../control/remote-engine.js';
import { remoteServices } from './remote-services.js';
import { App, type QuitReason } from './app.js';
import type { AppServices, PaneId } from './app-services.js';
import { crashMessage, installExitGuards, type AltScreen, type ExitCause } from './alt-screen.js';
import { editText } from './external-editor.js';
import type { KeyReader } from './key-reader.js';
import { runtimeServices } from './runtime-services.js';
import { startingServices, type StartingServices } from './starting-services.js';
import type { Settings } from '../daemon/settings.js';
import type { PaneMemory } from './panes/pane-props.js';

/** What the app shows: an engine of its own, or one in another process it is attached to. */
export type SessionEngine = { kind: 'own'; runtime: Runtime } | { kind: 'attached'; engine: RemoteEngine; warnings: string[] };

/**
 * The App drawn before its engine: `start` is called once the first frame is out, and
 * the App is handed the engine it gives (starting-services.ts). A start that fails ends
 * the session: runSession rejects with the error, after the screen is restored.
 */
export interface StartingSource {
  kind: 'starting';
  settings: Settings;
  start(): Promise<SessionEngine>;
}

/**
 * Shows the App (on `splash`'s Ink instance when given) until the operator quits;
 * resolves with the exit code.
 */
export async function runSession(first: SessionEngine | StartingSource, splash: Instance | null, alt: AltScreen, keys: KeyReader, startOwn?: () => Promise<Runtime>): Promise<number> {
  // Null while the engine is still starting.
  let source: SessionEngine | null = first.kind === 'starting' ? null : first;
  let started: Promise<SessionEngine | null> = Promise.resolve(source);
  let startError: { error: unknown } | null = null;
  let instance: Instance | null = null;
  const memory: PaneMemory = new Map();
  let pane: PaneId = 'creation';
  let finished = false;
  let resolveExit: (code: number) => void = () => undefined;
  let rejectExit: (error: unknown) => void = () => undefined;
  const exited = new Promise<number>((resolve, reject) => {
    resolveExit = resolve;
    rejectExit = reject;
  });

  const letGo = () => {
    try {
      instance?.unmount();
    } catch {
      // Already unmounted (Ink's own error path): the screen is still ours to restore.
    }
    instance = null;
    alt.leave();
    detachGuards();
  };
  // Ink leaves stdin readable; let go of it so nothing keeps the process alive.
  const releaseInput = () => {
    keys.detach();
    process.stdin.pause();
    process.stdin.unref?.();
  };

  const finish = async (code: number, message?: string) => {
    if (finished) return;
    finished = true;
    letGo();
    if (message) process.stderr.write(`${message}\n`);
    try {
      // Quit while the engine is still starting: it is let finish, so what was asked of it
      // meanwhile (a line, a draft saved) is handed over and committed, then stopped.
      const running = await started;
      if (running === null) {
        // It never started.
        if (startError) {
          process.stderr.write(`${crashMessage(startError.error)}\n`);
          code = code || 1;
        }
      } else if (running.kind === 'own') {
        await running.runtime.shared.settled();
        await running.runtime.stop();
      } else {
        // Attached: the engine is another process's and keeps running.
        await running.engine.stop();
      }
    } catch (error) {
      process.stderr.write(`jiraline: while stopping: ${(error as Error).message}\n`);
      code = code || 1;
    }
    releaseInput();
    resolveExit(code);
  };

  // The engine did not start: the screen goes back and the error is the caller's to say
  // (as a start that fails before the App is drawn: exit 2 for a usage or config problem).
  const failStart = (error: unknown) => {
    if (finished) return;
    finished = true;
    letGo();
    releaseInput();
    rejectExit(error);
  };

  const detachGuards = installExitGuards((cause: ExitCause) => {
    if (cause.kind === 'signal') void finish(0);
    else void finish(1, crashMessage(cause.error));
  });

  const onQuit = (_reason: QuitReason) => void finish(0);
  const setEditing = (mode: 'navigate' | 'edit') => keys.setEditing(mode === 'edit');

  const editor = {
    async openEditor(text: string) {
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
  };
  const servicesOf = (of: SessionEngine): AppServices => (of.kind === 'own' ? runtimeServices(of.runtime, editor)
    : { ...remoteServices(of.engine, { ...editor, warnings: of.warnings }), startOwnEngine: startOwn && (() => void switchToOwn()) });
  // Attached, the engine gone and the user asking for one here: start it, then show it.
  let switching = false;
  const switchToOwn = async () => {
    if (switching || source?.kind !== 'attached' || !startOwn) return;
    switching = true;
    try {
      const runtime = await startOwn();
      const attached = source;
      source = { kind: 'own', runtime };
      started = Promise.resolve(source);
      await attached.engine.stop();
      services = servicesOf(source);
      instance?.unmount();
      instance = null;
      mount();
    } catch {
      // An engine came back meanwhile (the lock is taken): the attached app reattaches to it.
    } finally {
      switching = false;
    }
  };
  const starting = first.kind === 'starting' ? startingServices(first.settings, editor) : null;
  let services = starting ? starting.services : servicesOf(first as SessionEngine);

  // The engine has started: the App goes on with it. Its own runtime keeps the same engine
  // object and settings store, so the panes keep their state; attached (another engine took
  // the directory meanwhile) the App is drawn again over that engine, on the same pane memory.
  const arrive = (starting: StartingServices, arrived: SessionEngine) => {
    source = arrived;
    if (arrived.kind === 'own') {
      starting.engine.ready(arrived.runtime.engine);
      services = starting.handOver(servicesOf(arrived));
      if (!finished && instance) mount(instance);
      return;
    }
    starting.engine.ready(arrived.engine);
    starting.handOver(servicesOf(arrived));
    services = servicesOf(arrived);
    if (finished) return;
    instance?.unmount();
    instance = null;
    mount();
  };

  const mount = (over?: Instance) => {
    const app = (
      <App services={services} initialPane={pane} memory={memory} onQuit={onQuit} onPaneChange={(p) => {
        pane = p;
      }} onModeChange={setEditing} />
    );
    if (over) {
      over.rerender(app);
      instance = over;
    } else {
      instance = render(app, { exitOnCtrlC: false, stdin: keys as unknown as NodeJS.ReadStream });
    }
    const mine = instance;
    mine.waitUntilExit().catch((error: unknown) => {
      if (instance === mine) void finish(1, crashMessage(error));
    });
  };

  try {
    mount(splash ?? undefined);
  } catch (error) {
    await finish(1, crashMessage(error));
  }
  if (first.kind === 'starting' && starting && !finished) {
    // Once the first frame is out: the keys typed so far are read before the start's
    // module loading takes the thread.
    started = new Promise<void>((resolve) => setImmediate(resolve)).then(first.start).then((arrived) => {
      arrive(starting, arrived);
      return arrived;
    }, (error: unknown) => {
      startError = { error };
      starting.fail(error);
      failStart(error);
      return null;
    });
  }
  return exited;
}
