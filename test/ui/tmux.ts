// The tmux side of the smoke tests: a private tmux server per test (-L), and a poll of the
// pane until the screen shows what the test waits for.
import { execFileSync } from 'node:child_process';
import { waitUntil } from '../helpers/wait-until.js';

/** Runs a tmux command on the private server `server`; returns its output. */
export function tmux(server: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
}

/** Polls the pane `smoke` until `check` holds; fails with the last screen. */
export async function screenUntil(server: string, what: string, check: (screen: string) => boolean, timeoutMs = 30_000): Promise<string> {
  let screen = '';
  await waitUntil(() => check(screen = tmux(server, 'capture-pane', '-p', '-t', 'smoke')), () => `${what}; the screen:\n${screen}`, timeoutMs, 100);
  return screen;
}
