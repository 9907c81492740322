// `:` — a command line as in vim and k9s: a pane by name (`:log`, `:jira`), the Log filtered
// (`:log Failed`), a JQL search (`:jira project = OPS`), an Advanced line sent (`:send …`),
// help and quit. A command it does not know is answered with the nearest one and the list.
import { editDistance } from '../core/edit-distance.js';
import type { PaneId } from './app-services.js';

/** What a command line asks for. */
export type Command =
  | { kind: 'pane'; pane: PaneId; arg: string }
  | { kind: 'send'; line: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

const panesByName: Array<[string, PaneId]> = [
  ['creation', 'creation'], ['configuration', 'configuration'], ['config', 'configuration'], ['log', 'log'],
  ['statistics', 'statistics'], ['stats', 'statistics'], ['jira', 'jira'],
];
const others = ['send', 'help', 'quit', 'q'];

/** The commands, as the help and an unknown command's answer list them. */
export const commandNames = 'creation, configuration, log [filter], statistics, jira [JQL], send <Advanced line>, help, quit (or 1–5)';

/** Reads one command line (without the `:`). */
export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const arg = space < 0 ? '' : trimmed.slice(space + 1).trim();
  if (word === '') return { kind: 'error', message: `type a command: ${commandNames}` };
  if (/^[1-5]$/.test(word)) return { kind: 'pane', pane: (['creation', 'configuration', 'log', 'statistics', 'jira'] as const)[Number(word) - 1], arg };
  if (word === 'q' || word === 'quit') return { kind: 'quit' };
  if (word === 'help' || word === 'h') return { kind: 'help' };
  if (word === 'send') return arg === '' ? { kind: 'error', message: 'send what? :send GUID|CREATE|summary;text|' } : { kind: 'send', line: arg };
  // A pane by any prefix that names one pane (`:conf`, `:st`).
  const exact = panesByName.find(([name]) => name === word);
  if (exact) return { kind: 'pane', pane: exact[1], arg };
  const prefixed = [...new Set(panesByName.filter(([name]) => name.startsWith(word)).map(([, pane]) => pane))];
  if (prefixed.length === 1) return { kind: 'pane', pane: prefixed[0], arg };
  let best: string | null = null;
  let bestDistance = 3;
  for (const name of [...panesByName.map(([n]) => n), ...others]) {
    const d = editDistance(word, name, bestDistance);
    if (d < bestDistance) [bestDistance, best] = [d, name];
  }
  return { kind: 'error', message: `unknown command ${JSON.stringify(word.slice(0, 30))}${best ? ` — did you mean ${best}?` : ''} Commands: ${commandNames}` };
}
