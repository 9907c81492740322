// Helpers of the screen tests: key codes, one key per stdin.write with a tick between
// (ink-testing-library delivers each write as one read), and frames without escapes.
import { defaultConfig, type Config } from '../../source/core/config.js';
import type { EngineApi } from '../../source/core/engine-api.js';
import type { AppServices, SettingsState } from '../../source/ui/app-services.js';
import { createValueStore } from '../../source/ui/value-store.js';

import { act, type ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { DEFAULT_WAIT_MS, waitUntil } from '../helpers/wait-until.js';

// React's act() flushes renders and effects before it returns, so the next key never
// arrives before the listener it is meant for is attached, however loaded the machine is.
// The act environment flag is on only inside it: updates from the engine's own timers and
// requests arrive outside any act() and are awaited with waitForFrame instead.
const actFlag = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };

/** Runs `fn` inside React's act(). */
export async function inAct(fn: () => void | Promise<void>): Promise<void> {
  actFlag.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    await act(async () => {
      await fn();
    });
  } finally {
    actFlag.IS_REACT_ACT_ENVIRONMENT = false;
  }
}

/** Renders inside act(), so the components' input listeners are attached before the first key. */
export async function mount(tree: ReactElement): Promise<ReturnType<typeof render>> {
  let app: ReturnType<typeof render> | undefined;
  await inAct(() => {
    app = render(tree);
  });
  return app as ReturnType<typeof render>;
}

/** Key sequences as a terminal sends them. */
export const keys = {
  enter: '\r', escape: '\x1b', tab: '\t', shiftTab: '\x1b[Z', backspace: '\x7f',
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D',
  pageUp: '\x1b[5~', pageDown: '\x1b[6~', home: '\x1b[H', end: '\x1b[F', ctrlC: '\x03',
};

/** Lets Ink handle input and redraw. */
export function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Something with an stdin to write to (an ink-testing-library instance). */
export interface Typist {
  stdin: { write(data: string): void };
}

/** Sends each key as its own read, with a tick after each. */
export async function press(app: Typist, ...sequence: string[]): Promise<void> {
  for (const key of sequence) {
    await inAct(async () => {
      app.stdin.write(key);
      await tick();
    });
  }
}

/** Writes one read that may hold several keys (a paste, fast typing over SSH). */
export async function paste(app: Typist, data: string): Promise<void> {
  await press(app, data);
}

/** Types text one character per read. */
export async function type(app: Typist, text: string): Promise<void> {
  await press(app, ...Array.from(text));
}

/** A frame without colours and hyperlink escapes. */
export function plain(frame: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (frame ?? '').replace(/\x1b\]8;;[^\x07]*\x07/g, '').replace(/\x1b\[[0-9;]*m/g, '');
}

/** Waits until the frame satisfies `test` and returns it (fails showing the last frame). */
export async function waitForFrame(lastFrame: () => string | undefined, test: (frame: string) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
  let frame = '';
  await waitUntil(() => test(frame = plain(lastFrame())), () => `a frame to match; last frame:\n${frame}`, timeoutMs, 20);
  return frame;
}

export { waitUntil };

/** AppServices around an engine, with in-memory config saving (recorded in `saved`). */
export function makeServices(engine: EngineApi, options: { demo?: boolean; jiraUrl?: string | null; config?: Config; listenAddress?: string | null } = {}) {
  const saved: Config[] = [];
  const settings = createValueStore<SettingsState>({ config: options.config ?? defaultConfig(), credentialSource: 'none' });
  const services: AppServices = {
    engine,
    demo: options.demo ?? false,
    jiraUrl: options.jiraUrl === undefined ? 'http://jira.test' : options.jiraUrl,
    listenAddress: options.listenAddress === undefined ? '127.0.0.1:7465' : options.listenAddress,
    apiVersion: 2,
    settings,
    async saveConfig(config) {
      saved.push(config);
      engine.setConfig(config);
      settings.set((s) => ({ ...s, config }));
    },
    async saveCredentials() {
      settings.set((s) => ({ ...s, credentialSource: 'file' }));
      return { source: 'file' as const };
    },
    async openEditor(text) {
      return { ok: true as const, text };
    },
    warnings: [],
  };
  return { services, saved, settings };
}
