// The editing logic of the app's text inputs, kept pure so it is tested without a screen.
// Why not ink-text-input: it computes each key from the value of the last render, so
// several keys arriving in one read (fast typing or a paste over SSH) lose characters.
// Here every keypress is an action on the latest state, and a read holding several keys
// is split into its parts (text, backspace, Enter) and applied in order.
import type { Key } from 'ink';

/** The text and the cursor position (an index into the text, 0..length). */
export interface EditState {
  text: string;
  cursor: number;
}

/** One edit. */
export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'left' } | { type: 'right' } | { type: 'home' } | { type: 'end' }
  | { type: 'up' } | { type: 'down' }
  | { type: 'word-left' } | { type: 'word-right' }
  // Readline's kills: to the line's start (Ctrl-U), to its end (Ctrl-K), the word before the
  // cursor (Ctrl-W, Alt-Backspace), the character under it (Ctrl-D).
  | { type: 'kill-start' } | { type: 'kill-end' } | { type: 'kill-word' } | { type: 'delete-forward' }
  | { type: 'set'; text: string };

/** A state with the cursor at the end of the text. */
export function editState(text: string): EditState {
  return { text, cursor: text.length };
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

// Readline's word moves: back over non-word characters, then over the word.
function wordStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

function wordEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}

/** Applies one edit. Home/End, Up/Down and the kills work on the cursor's line. */
export function editReducer(state: EditState, action: EditAction): EditState {
  const { text, cursor } = state;
  switch (action.type) {
    case 'insert':
      return { text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length };
    case 'backspace':
      if (cursor === 0) return state;
      return { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case 'left':
      return cursor === 0 ? state : { text, cursor: cursor - 1 };
    case 'right':
      return cursor >= text.length ? state : { text, cursor: cursor + 1 };
    case 'home':
      return { text, cursor: lineStart(text, cursor) };
    case 'end':
      return { text, cursor: lineEnd(text, cursor) };
    case 'up': {
      const start = lineStart(text, cursor);
      if (start === 0) return { text, cursor: 0 };
      const prevStart = lineStart(text, start - 1);
      return { text, cursor: Math.min(prevStart + (cursor - start), start - 1) };
    }
    case 'down': {
      const end = lineEnd(text, cursor);
      if (end === text.length) return { text, cursor: text.length };
      const column = cursor - lineStart(text, cursor);
      return { text, cursor: Math.min(end + 1 + column, lineEnd(text, end + 1)) };
    }
    case 'word-left':
      return { text, cursor: wordStart(text, cursor) };
    case 'word-right':
      return { text, cursor: wordEnd(text, cursor) };
    case 'kill-start': {
      const start = lineStart(text, cursor);
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case 'kill-end':
      return { text: text.slice(0, cursor) + text.slice(lineEnd(text, cursor)), cursor };
    case 'kill-word': {
      // Ctrl-W stops at the line's start, as a shell's does at the prompt.
      const start = Math.max(wordStart(text, cursor), cursor > 0 && text[cursor - 1] === '\n' ? cursor - 1 : lineStart(text, cursor));
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case 'delete-forward':
      return cursor >= text.length ? state : { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
    case 'set':
      return editState(action.text);
  }
}

/** Readline's control and Alt keys (as Ink reports them: the letter with ctrl or meta). */
const readlineKeys: Record<string, EditAction> = {
  'ctrl+a': { type: 'home' }, 'ctrl+e': { type: 'end' },
  'ctrl+b': { type: 'left' }, 'ctrl+f': { type: 'right' },
  'ctrl+u': { type: 'kill-start' }, 'ctrl+k': { type: 'kill-end' },
  'ctrl+w': { type: 'kill-word' }, 'ctrl+d': { type: 'delete-forward' }, 'ctrl+h': { type: 'backspace' },
  'meta+b': { type: 'word-left' }, 'meta+f': { type: 'word-right' },
};

/** The parts of one read: text to insert, a backspace, or an Enter. */
export type TypedPart = { kind: 'text'; text: string } | { kind: 'backspace' } | { kind: 'enter' };

/**
 * Splits a read that holds several keys. Backspace arrives as DEL (0x7f) or BS (0x08),
 * Enter as CR; other control characters are dropped, tabs become spaces.
 */
export function splitTyped(input: string): TypedPart[] {
  const parts: TypedPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  for (const ch of input) {
    if (ch === '\x7f' || ch === '\b') {
      flush();
      parts.push({ kind: 'backspace' });
    } else if (ch === '\r' || ch === '\n') {
      flush();
      parts.push({ kind: 'enter' });
    } else if (ch === '\t') {
      text += ' ';
    } else if (ch >= ' ') {
      text += ch;
    }
  }
  flush();
  return parts;
}

/** What a keypress means to an editor: edits to apply, and whether Enter or Esc came. */
export interface KeyEffect {
  edits: EditAction[];
  enter: number;
  escape: boolean;
}

/**
 * Turns one Ink keypress into edits. `multiline`: Enter (also inside a paste) inserts a
 * line break; otherwise it is reported (`enter`) and the text after it is dropped, as a
 * shell does with a pasted line.
 */
export function keyEffect(input: string, key: Key, multiline: boolean): KeyEffect {
  const none: KeyEffect = { edits: [], enter: 0, escape: false };
  if (key.escape) return { ...none, escape: true };
  if (key.leftArrow) return { ...none, edits: [{ type: 'left' }] };
  if (key.rightArrow) return { ...none, edits: [{ type: 'right' }] };
  if (key.upArrow) return { ...none, edits: multiline ? [{ type: 'up' }] : [{ type: 'home' }] };
  if (key.downArrow) return { ...none, edits: multiline ? [{ type: 'down' }] : [{ type: 'end' }] };
  if (key.home) return { ...none, edits: [{ type: 'home' }] };
  if (key.end) return { ...none, edits: [{ type: 'end' }] };
  // Alt-Backspace deletes the word before the cursor; Ink reports Backspace (DEL) as `delete`
  // and cannot tell it from the Delete key, so both erase backwards.
  if ((key.backspace || key.delete) && key.meta) return { ...none, edits: [{ type: 'kill-word' }] };
  if (key.backspace || key.delete) return { ...none, edits: [{ type: 'backspace' }] };
  const readline = (key.ctrl || key.meta) && input.length === 1 ? readlineKeys[`${key.ctrl ? 'ctrl' : 'meta'}+${input.toLowerCase()}`] : undefined;
  if (readline) return { ...none, edits: [readline] };
  if (key.return) return multiline ? { ...none, edits: [{ type: 'insert', text: '\n' }] } : { ...none, enter: 1 };
  if (key.ctrl || key.meta || key.tab || key.pageUp || key.pageDown) return none;
  const edits: EditAction[] = [];
  let enter = 0;
  for (const part of splitTyped(input)) {
    if (!multiline && enter > 0) break;
    if (part.kind === 'text') edits.push({ type: 'insert', text: part.text });
    else if (part.kind === 'backspace') edits.push({ type: 'backspace' });
    else if (multiline) edits.push({ type: 'insert', text: '\n' });
    else enter++;
  }
  return { edits, enter, escape: false };
}

/** The cursor's line (0-based) and column. */
export function cursorPosition(state: EditState): { line: number; column: number } {
  const before = state.text.slice(0, state.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: state.cursor - lineStart(state.text, state.cursor) };
}
