// The very first frame, written with plain escape codes before Ink and React have loaded
// (loading them takes about half a second, more on a busy host): the tab bar, a line
// saying the app is starting, and the status line's first part. Ink's own first frame
// replaces it a moment later.
import { paneTabs } from './app-services.js';
import type { TemplateRow } from '../core/config.js';
import { demoTemplate } from '../core/demo-template.js';
import { tablePlace, templatePreview } from './template-preview.js';

/** The template the Creation table will start from: demo mode's, else the config's. */
export function startTemplate(settings: { demo: boolean; config: { template: TemplateRow[] } }): TemplateRow[] {
  return settings.demo ? demoTemplate : settings.config.template;
}

/** What the early frame shows. */
export interface EarlyFrameInfo {
  columns: number;
  rows: number;
  demo: boolean;
  jiraUrl: string | null;
  /** The template the Creation table starts from (drawn at once, where the pane will draw it). */
  template: readonly TemplateRow[];
}

const cut = (text: string, width: number) => (text.length > width ? text.slice(0, Math.max(0, width)) : text);

/** The frame as one string: clears the (alternate) screen, draws, leaves the cursor home. */
export function earlyFrame({ columns, rows, demo, jiraUrl, template }: EarlyFrameInfo): string {
  const width = Math.max(20, columns || 80);
  const height = Math.max(8, rows || 24);
  const tabs = paneTabs.map((t, i) => (i === 0 ? `\x1b[7m\x1b[1m${t.key} ${t.title}\x1b[22m\x1b[27m` : `${t.key} ${t.title}`)).join('  ');
  const status = `${demo ? '\x1b[1m\x1b[35mDEMO\x1b[39m\x1b[22m' : cut(jiraUrl ?? '', width - 20)}\x1b[2m │ \x1b[22m\x1b[33mstarting…\x1b[39m`;
  // The demo banner takes the row under the tab bar, as in the app; the table comes after.
  const first = demo ? 3 : 2;
  const place = tablePlace(width);
  const table = templatePreview(template, place.width, Math.max(0, height - first - 6))
    .map((text, i) => `\x1b[${first + i};${place.left + 1}H${i === 0 ? `\x1b[1m${cut(text, place.width)}\x1b[22m` : cut(text, place.width)}`);
  const below = first + template.length + 3;
  return [
    '\x1b[2J\x1b[H',
    tabs,
    demo ? `\x1b[2;1H\x1b[35m${cut('DEMO: the built-in Jira simulator (project DEMO).', width)}\x1b[39m` : '',
    ...table,
    `\x1b[${Math.min(height - 2, below)};2H\x1b[2m${cut('Starting jiraline…', width - 2)}\x1b[22m`,
    `\x1b[${height - 1};1H${status}`,
    '\x1b[H',
  ].join('');
}
