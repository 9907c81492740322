// Every key of the app in one table: the panes ask `isKey(action, input, key)` instead
// of comparing characters themselves, and the `?` overlay prints this same table, so
// what the help says and what the keys do cannot drift apart.
import type { Key } from 'ink';

/** Where a key applies; the help overlay groups by this. */
export type KeyScope = 'Global' | 'Lists' | 'Editing' | 'Dialogs' | 'Creation' | 'Configuration' | 'Log' | 'Statistics' | 'Jira' | 'Alarms';

/** The things a key can do. */
export type KeyAction =
  | 'switch-pane' | 'next-region' | 'prev-region' | 'help' | 'view-full' | 'command' | 'find' | 'quit' | 'interrupt' | 'start-engine'
  | 'up' | 'down' | 'left' | 'right' | 'page-up' | 'page-down' | 'home' | 'end' | 'edit' | 'leave'
  | 'commit' | 'newline'
  | 'yes' | 'no'
  | 'execute' | 'switch-template' | 'add-field' | 'toggle-mode' | 'delete-row' | 'external-editor'
  | 'authenticate' | 'test-connection'
  | 'filter' | 'open' | 'retry-row' | 'cancel-row' | 'row-responses' | 'all-responses'
  | 'reset-stats'
  | 'search' | 'link'
  | 'state-filter' | 'eligible' | 'unlink';

/** One row of the table: the action, how it is written in the help, and what matches it. */
export interface KeyBinding {
  action: KeyAction;
  scope: KeyScope;
  keys: string;
  description: string;
  match(input: string, key: Key): boolean;
  /** A plain letter (j, k): not a key where a text box beside the list takes letters. */
  letter?: boolean;
}

const plain = (key: Key) => !key.ctrl && !key.meta;
const char = (c: string) => (input: string, key: Key) => input === c && plain(key);

/** The table, in the order the help overlay shows it. */
export const keyBindings: readonly KeyBinding[] = [
  { action: 'switch-pane', scope: 'Global', keys: '1–6', description: 'switch pane: 1 Creation 2 Configuration 3 Log 4 Statistics 5 Jira 6 Alarms',
    match: (input, key) => /^[1-6]$/.test(input) && plain(key) },
  { action: 'next-region', scope: 'Global', keys: 'Tab', description: 'focus the next region of the pane', match: (_i, key) => key.tab && !key.shift },
  { action: 'prev-region', scope: 'Global', keys: 'Shift-Tab', description: 'focus the previous region', match: (_i, key) => key.tab && key.shift },
  { action: 'help', scope: 'Global', keys: '?', description: 'show the keys, this pane\'s first (Esc, ? or q closes)', match: char('?') },
  { action: 'view-full', scope: 'Global', keys: 'v', description: 'show in full what the screen cuts (messages, selected row, key hints)', match: char('v') },
  { action: 'command', scope: 'Global', keys: ':', description: 'command line: a pane, log FILTER, jira JQL, send LINE, help, quit', match: char(':') },
  { action: 'quit', scope: 'Global', keys: 'q', description: 'quit (asks first while commands are pending)', match: char('q') },
  { action: 'interrupt', scope: 'Global', keys: 'Ctrl-C', description: 'quit at once (pending commands are kept for the next start)',
    match: (input, key) => input === 'c' && key.ctrl },
  { action: 'start-engine', scope: 'Global', keys: 'S', description: 'attached and no engine came back: start an engine here, in the app', match: char('S') },

  { action: 'up', scope: 'Lists', keys: '↑', description: 'previous row', match: (_i, key) => key.upArrow },
  { action: 'down', scope: 'Lists', keys: '↓', description: 'next row', match: (_i, key) => key.downArrow },
  // vi's keys, as in lazygit and k9s; not in a list whose search box takes the letters.
  { action: 'up', scope: 'Lists', keys: 'k', description: 'previous row (as ↑)', match: char('k'), letter: true },
  { action: 'down', scope: 'Lists', keys: 'j', description: 'next row (as ↓)', match: char('j'), letter: true },
  { action: 'left', scope: 'Lists', keys: '←', description: 'previous column or choice', match: (_i, key) => key.leftArrow },
  { action: 'right', scope: 'Lists', keys: '→', description: 'next column or choice', match: (_i, key) => key.rightArrow },
  { action: 'page-up', scope: 'Lists', keys: 'PgUp', description: 'one screenful up', match: (_i, key) => key.pageUp },
  { action: 'page-down', scope: 'Lists', keys: 'PgDn', description: 'one screenful down', match: (_i, key) => key.pageDown },
  { action: 'home', scope: 'Lists', keys: 'Home', description: 'first row', match: (_i, key) => key.home },
  { action: 'end', scope: 'Lists', keys: 'End', description: 'last row', match: (_i, key) => key.end },
  { action: 'find', scope: 'Lists', keys: '/', description: 'find: jump to the first row holding the text (Creation, Configuration)', match: char('/') },
  { action: 'edit', scope: 'Lists', keys: 'Enter', description: 'edit the focused field or cell (edit mode)', match: (_i, key) => key.return },

  { action: 'leave', scope: 'Editing', keys: 'Esc', description: 'leave edit mode; close a row, ticket or dialog (back to navigation)', match: (_i, key) => key.escape },
  { action: 'commit', scope: 'Editing', keys: 'Enter', description: 'accept a one-line value', match: (_i, key) => key.return },
  { action: 'newline', scope: 'Editing', keys: 'Enter', description: 'new line in the Create Query text', match: (_i, key) => key.return },

  { action: 'yes', scope: 'Dialogs', keys: 'y', description: 'answer yes', match: (input, key) => (input === 'y' || input === 'Y') && plain(key) },
  { action: 'no', scope: 'Dialogs', keys: 'n / Esc', description: 'answer no, close', match: (input, key) => ((input === 'n' || input === 'N') && plain(key)) || key.escape },

  { action: 'execute', scope: 'Creation', keys: 'x', description: 'Execute: create the ticket from the included rows', match: char('x') },
  { action: 'switch-template', scope: 'Creation', keys: 't', description: 'switch between the Manual draft (x sends it) and the automatic CREATE template', match: char('t') },
  { action: 'add-field', scope: 'Creation', keys: 'a', description: 'Add Field: search Jira\'s fields or type a custom field id', match: char('a') },
  { action: 'toggle-mode', scope: 'Creation', keys: 'm', description: 'toggle the row\'s Mode (Include / Exclude)', match: char('m') },
  { action: 'delete-row', scope: 'Creation', keys: 'd', description: 'delete the row', match: char('d') },
  { action: 'external-editor', scope: 'Creation', keys: 'e', description: 'edit the Create Query in $VISUAL / $EDITOR', match: char('e') },

  { action: 'authenticate', scope: 'Configuration', keys: 'u', description: 'Authentication: username + password, or Authorization Key', match: char('u') },
  { action: 'test-connection', scope: 'Configuration', keys: 't', description: 'Test connection (serverInfo + myself)', match: char('t') },

  { action: 'filter', scope: 'Log', keys: '/', description: 'filter: words, status:Failed, guid:ID, key:OPS-1 (Esc clears)', match: char('/') },
  { action: 'open', scope: 'Log', keys: 'Enter', description: 'open the row: request, Jira\'s answer, attempts, next retry (Jira pane: the ticket)', match: (_i, key) => key.return },

  { action: 'retry-row', scope: 'Log', keys: 'R', description: 'retry the Failed row: its lines go to Jira again, on a new row', match: char('R') },
  { action: 'cancel-row', scope: 'Log', keys: 'C', description: 'cancel the Pending row (asks first): nothing more of it is sent', match: char('C') },

  { action: 'row-responses', scope: 'Log', keys: 'a', description: 'Jira\'s answers to the row\'s requests (status, time, the body\'s first 2 KB)', match: char('a') },
  { action: 'all-responses', scope: 'Log', keys: 'A', description: 'every recorded Jira answer, newest first', match: char('A') },

  { action: 'reset-stats', scope: 'Statistics', keys: 'r', description: 'reset counters (asks: daily, totals or both)', match: char('r') },

  { action: 'search', scope: 'Jira', keys: '/', description: 'edit the JQL and search (Enter runs it)', match: char('/') },
  { action: 'link', scope: 'Jira', keys: 'l', description: 'link an alarm (GUID) to the ticket: its later UPDATEs go there', match: char('l') },

  { action: 'state-filter', scope: 'Alarms', keys: 's', description: 'show only one state: all → pending → open → failed → resolved', match: char('s') },
  { action: 'filter', scope: 'Alarms', keys: '/', description: 'filter by part of a GUID or ticket key (Esc clears)', match: char('/') },
  { action: 'open', scope: 'Alarms', keys: 'Enter', description: 'open the alarm: its ticket, status and URL', match: (_i, key) => key.return },
  { action: 'eligible', scope: 'Alarms', keys: 'g', description: 'Get Eligible Ticket: search Jira (JQL from alarms.eligibleJql), Enter links the alarm to the ticket picked',
    match: char('g') },
  { action: 'unlink', scope: 'Alarms', keys: 'u', description: 'unlink the alarm from its ticket (asks first)', match: char('u') },
];

/** Whether this keypress triggers the action; `typing`: a text box is active beside it, so letters are its. */
export function isKey(action: KeyAction, input: string, key: Key, typing = false): boolean {
  return keyBindings.some((binding) => binding.action === action && !(typing && binding.letter) && binding.match(input, key));
}

/** The bindings of one scope, in table order. */
export function bindingsFor(scope: KeyScope): KeyBinding[] {
  return keyBindings.filter((binding) => binding.scope === scope);
}

/** The scopes in the order the help shows them. */
export const keyScopes: readonly KeyScope[] = ['Global', 'Lists', 'Editing', 'Dialogs', 'Creation', 'Configuration', 'Log', 'Statistics', 'Jira', 'Alarms'];

/** One part of a footer: an action (its keys and `label`), or several actions' keys with one label. */
export type FooterPart = [KeyAction | readonly KeyAction[], string];

/** The keys an action is written with in the table (for a hint inside a sentence). */
export function keysOf(action: KeyAction): string {
  return keyBindings.find((binding) => binding.action === action)?.keys ?? '';
}

/**
 * A pane's footer line, written from this table: `[['execute', 'Execute'], [['up', 'down'], 'move']]`
 * → "x Execute · ↑↓ move". A key changed in the table changes the footer with it.
 */
export function footerHints(parts: readonly FooterPart[]): string {
  return parts.map(([actions, label]) => {
    const list = typeof actions === 'string' ? [actions] : actions;
    // Arrows read as one glyph group (↑↓, ←→); other keys are spaced.
    const keys = list.map(keysOf).reduce((text, k) => (text === '' ? k : /^[←↑→↓]$/.test(k) && /[←↑→↓]$/.test(text) ? text + k : `${text} ${k}`), '');
    return `${keys} ${label}`;
  }).join(' · ');
}
