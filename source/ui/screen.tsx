// The screen side of `jiraline [tui]`: the alternate screen and a first frame at once,
// then — loaded while that frame is up — the runtime (engine, store, socket; the simulator
// in demo mode) and the App (session.tsx). A signal while starting stops as soon as the
// runtime is up; a runtime that fails to start restores the screen and rejects.
import React from 'react';
import { render } from 'ink';
import type { Runtime } from '../daemon/runtime.js';
import type { Settings } from '../daemon/settings.js';
import { crashMessage, installExitGuards, type AltScreen, type ExitCause } from './alt-screen.js';
import { Splash } from './components/splash.js';
import { KeyReader } from './key-reader.js';

/** Runs the app on the terminal (on the alternate screen, entered by the caller); resolves with the exit code once the runtime has stopped. */
export async function runOnScreen(settings: Settings, alt: AltScreen): Promise<number> {
  alt.enter();
  // Ink draws from the cursor down: start from a clean screen (the early frame goes).
  process.stdout.write('\x1b[2J\x1b[H');
  // Keys reach Ink one per read (key-reader.ts), on the splash and on the App after it.
  const keys = new KeyReader(process.stdin);
  const splash = render(<Splash demo={settings.demo} jiraUrl={settings.config.jira.url} dataDir={settings.dataDir} />,
    { exitOnCtrlC: false, stdin: keys as unknown as NodeJS.ReadStream });
  let early: ExitCause | null = null;
  const detachEarly = installExitGuards((cause) => {
    early ??= cause;
  });
  let runtime: Runtime;
  let session: typeof import('./session.js');
  try {
    const [runtimeModule, sessionModule] = await Promise.all([import('../daemon/runtime.js'), import('./session.js')]);
    session = sessionModule;
    runtime = await runtimeModule.startRuntime(settings);
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
    await runtime.stop();
    const cause = early as ExitCause;
    if (cause.kind === 'crash') process.stderr.write(`${crashMessage(cause.error)}\n`);
    return cause.kind === 'crash' ? 1 : 0;
  }
  return session.runSession(runtime, splash, alt, keys);
}
