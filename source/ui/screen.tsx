// The screen side of `jiraline [tui]`, once Ink and the App are loaded (the early frame is
// up meanwhile). With no other engine on the data directory — the common case — the App is
// drawn at once over an engine that is still starting (starting-services.ts), and the
// runtime (engine, store, socket; the simulator in demo mode) loads and starts after its
// first frame (session.tsx). When another engine holds the directory, the splash shows
// while the app attaches to it. A runtime that fails to start restores the screen and rejects.
import React from 'react';
import { render } from 'ink';
import type { Settings } from '../daemon/settings.js';
import { StoreLockedError } from '../store/errors.js';
import { UsageError } from '../cli-args.js';
import { runSession, type SessionEngine } from './session.js';
import { CLEAR_SCREEN, crashMessage, installExitGuards, prefixNextWrite, type AltScreen, type ExitCause } from './alt-screen.js';
import { Splash } from './components/splash.js';
import { KeyReader } from './key-reader.js';
import { startTemplate } from './early-frame.js';
import { attachedNice, restorePriority, yieldToEngine } from './attached-priority.js';

/** Runs the app on the terminal (on the alternate screen, entered by the caller); resolves with the exit code once the runtime has stopped. */
export async function runOnScreen(settings: Settings, alt: AltScreen): Promise<number> {
  alt.enter();
  // Keys reach Ink one per read (key-reader.ts), on the splash and on the App after it.
  const keys = new KeyReader(process.stdin);
  const { lockHolder } = await import('../control/control-address.js');
  const holder = await lockHolder(settings.dataDir);
  // The daemon did not come back and the user starts an engine here: at the priority the app had, where allowed.
  const startOwn = async () => {
    restorePriority();
    return (await import('../daemon/runtime.js')).startRuntime(settings, { face: 'app' });
  };
  if (holder === null || holder === process.pid) {
    // The common case, an engine of our own: the App now, over an engine that is still
    // starting (starting-services.ts); the store, sql.js, undici and the simulator load
    // after its first frame, while it already takes keys.
    // Ink draws from the cursor down: the early frame goes with the App's first frame.
    prefixNextWrite(process.stdout, CLEAR_SCREEN);
    return runSession({
      kind: 'starting',
      settings,
      start: async () => ownOrAttached(settings, (await import('../daemon/runtime.js')).startRuntime),
    }, null, alt, keys, startOwn);
  }
  // Another engine holds the directory: the splash while the app attaches to it.
  process.stdout.write(CLEAR_SCREEN);
  const splash = render(<Splash demo={settings.demo} jiraUrl={settings.config.jira.url} dataDir={settings.dataDir} template={startTemplate(settings)} />,
    { exitOnCtrlC: false, stdin: keys as unknown as NodeJS.ReadStream });
  let early: ExitCause | null = null;
  const detachEarly = installExitGuards((cause) => {
    early ??= cause;
  });
  let source: SessionEngine;
  try {
    source = await ownOrAttached(settings, async (...args) => (await import('../daemon/runtime.js')).startRuntime(...args));
  } catch (error) {
    detachEarly();
    splash.unmount();
    alt.leave();
    throw error;
  }
  detachEarly();
  if (early) {
    splash.unmount();
    alt.leave();
    if (source.kind === 'own') await source.runtime.stop();
    else await source.engine.stop();
    const cause = early as ExitCause;
    if (cause.kind === 'crash') process.stderr.write(`${crashMessage(cause.error)}\n`);
    return cause.kind === 'crash' ? 1 : 0;
  }
  return runSession(source, splash, alt, keys, startOwn);
}

/** How long the app waits for an engine that holds the data directory to open its control socket. */
const ATTACH_WAIT_MS = 5000;

/**
 * When an engine (the daemon, or another app) holds the data directory, the app attaches
 * to it instead of refusing; otherwise it starts an engine of its own.
 */
export async function ownOrAttached(settings: Settings, startRuntime: typeof import('../daemon/runtime.js').startRuntime): Promise<SessionEngine> {
  const { attachEngine, NoEngineError } = await import('../control/remote-engine.js');
  const { lockHolder } = await import('../control/control-address.js');
  const attach = async (holder: number): Promise<SessionEngine> => {
    const started = Date.now();
    const nice = attachedNice();
    for (;;) {
      try {
        const engine = await attachEngine(settings.dataDir);
        // A view of the daemon's work: on a busy host the daemon's lines come first.
        yieldToEngine(nice);
        return { kind: 'attached', engine, warnings: [] };
      } catch (error) {
        // An engine still starting has the lock before its control socket.
        if (!(error instanceof NoEngineError) || Date.now() - started > ATTACH_WAIT_MS || (await lockHolder(settings.dataDir)) === null) {
          // Exit 2, as the daemon locked out of a directory: the directory given is one this app cannot use.
          throw new UsageError(`another jiraline engine (pid ${holder}) is using ${settings.dataDir} and the app cannot attach to it `
            + `(${(error as Error).message}): stop that engine, or give another --data-dir or JIRALINE_DATA_DIR`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const holder = await lockHolder(settings.dataDir);
  if (holder !== null && holder !== process.pid) return attach(holder);
  try {
    return { kind: 'own', runtime: await startRuntime(settings, { face: 'app' }) };
  } catch (error) {
    // Another engine took the directory between the look and the start.
    if (error instanceof StoreLockedError) return attach(error.pid);
    throw error;
  }
}
