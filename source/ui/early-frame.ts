// The very first frame, written with plain escape codes before Ink and React have loaded
// (loading them takes about half a second, more on a busy host): the tab bar, a line
// saying the app is starting, and the status line's first part. Ink's own first frame
// replaces it a moment later.
import { paneTabs } from './app-services.js';

/** What the early frame shows. */
export interface EarlyFrameInfo {
  columns: number;
  rows: number;
  demo: boolean;
  jiraUrl: string | null;
}

const cut = (text: string, width: number) => (text.length > width ? text.slice(0, Math.max(0, width)) : text);

/** The frame as one string: clears the (alternate) screen, draws, leaves the cursor home. */
export function earlyFrame({ columns, rows, demo, jiraUrl }: EarlyFrameInfo): string {
  const width = Math.max(20, columns || 80);
  const height = Math.max(8, rows || 24);
  const tabs = paneTabs.map((t, i) => (i === 0 ? `\x1b[7m\x1b[1m${t.key} ${t.title}\x1b[22m\x1b[27m` : `${t.key} ${t.title}`)).join('  ');
  const status = `${demo ? '\x1b[1m\x1b[35mDEMO\x1b[39m\x1b[22m' : cut(jiraUrl ?? '', width - 20)}\x1b[2m │ \x1b[22m\x1b[33mstarting…\x1b[39m`;
  return [
    '\x1b[2J\x1b[H',
    tabs,
    `\x1b[3;2H${cut('Starting jiraline…', width - 2)}`,
    `\x1b[${height - 1};1H${status}`,
    '\x1b[H',
  ].join('');
}
