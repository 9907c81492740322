// The one way a list in the app moves (Creation table, Log, Jira results, Configuration,
// Add Field): a cursor and a first row drawn, kept inside the list and the window; the
// arrow, page, Home and End keys of the key table move it.
import { useState } from 'react';
import type { Key } from 'ink';
import { clampWindow, moveWindow, type ListWindow, type WindowMove } from '../components/list-window.js';
import { isKey } from '../key-bindings.js';

/** Every move a list takes, in key-table order. */
export const listMoves: readonly WindowMove[] = ['up', 'down', 'page-up', 'page-down', 'home', 'end'];

/** A list's window and how to move it. */
export interface ListState {
  /** Cursor and top, clamped to the list and the rows shown. */
  window: ListWindow;
  /** Moves on a list key (only the `allowed` moves); false when the key is not one. */
  /** `typing`: beside a text box, so letter keys (j/k) are text, not moves. */
  keyMove(input: string, key: Key, allowed?: readonly WindowMove[], typing?: boolean): boolean;
  set(window: ListWindow): void;
}

/** Options of useList. */
export interface ListOptions {
  /** The state to keep the window in (pane memory), else the hook's own. */
  state?: [ListWindow, (window: ListWindow) => void];
  /** Draw from the first row whatever the cursor (the Log pane while a count is pending). */
  pinTop?: boolean;
}

/** A list of `count` rows drawn `rows` at a time. */
export function useList(count: number, rows: number, options: ListOptions = {}): ListState {
  const own = useState<ListWindow>({ cursor: 0, top: 0 });
  const [stored, setStored] = options.state ?? own;
  const window = clampWindow(options.pinTop ? { cursor: stored.cursor, top: 0 } : stored, count, rows);
  return {
    window,
    keyMove(input, key, allowed = listMoves, typing = false) {
      const move = allowed.find((m) => isKey(m, input, key, typing));
      if (!move) return false;
      setStored(moveWindow(window, move, count, rows));
      return true;
    },
    set: setStored,
  };
}
