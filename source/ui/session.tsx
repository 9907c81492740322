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
import type { PaneMemory } from './panes/pane-props.js';

/** What the app shows: an engine of its own, or one in another process it is attached to. */
export type SessionEngine = { kind: 'own'; runtime: Runtime } | { kind: 'attached'; engine: RemoteEngine; warnings: string[] };

/** Shows the App on `splash`'s Ink instance until the operator quits; resolves with the exit code. */
export async function runSession(first: SessionEngine, splash: Instance, alt: AltScreen, keys: KeyReader, startOwn?: () => Promise<Runtime>): Promise<number> {
  let source = first;
  let instance: Instance | null = null;
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
      if (source.kind === 'own') {
        await source.runtime.shared.settled();
        await source.runtime.stop();
      } else {
        // Attached: the engine is another process's and keeps running.
        await source.engine.stop();
      }
    } catch (error) {
      process.stderr.write(`jiraline: while stopping: ${(error as Error).message}\n`);
      code = code || 1;
    }
    // Ink leaves stdin readable; let go of it so nothing keeps the process alive.
    keys.detach();
    process.stdin.pause();
    process.stdin.unref?.();
    resolveExit(code);
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
    if (switching || source.kind !== 'attached' || !startOwn) return;
    switching = true;
    try {
      const runtime = await startOwn();
      const attached = source;
      source = { kind: 'own', runtime };
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
  let services = servicesOf(source);

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
    mount(splash);
  } catch (error) {
    await finish(1, crashMessage(error));
  }
  return exited;
}
