// Cursor and scroll position of a long list drawn a screenful at a time: only `height`
// rows from `top` are fetched and drawn, whatever the list's length.

/** The selected row and the first row drawn (both absolute indexes). */
export interface ListWindow {
  cursor: number;
  top: number;
}

/** How to move. */
export type WindowMove = 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end';

/** Keeps cursor and top inside the list and the cursor inside the window. */
export function clampWindow(w: ListWindow, count: number, height: number): ListWindow {
  const rows = Math.max(1, height);
  if (count <= 0) return { cursor: 0, top: 0 };
  const cursor = Math.min(Math.max(0, w.cursor), count - 1);
  let top = Math.min(Math.max(0, w.top), Math.max(0, count - rows));
  if (cursor < top) top = cursor;
  if (cursor >= top + rows) top = cursor - rows + 1;
  return { cursor, top };
}

/** The window after a move; a page move shifts the view by a page, as less does. */
export function moveWindow(w: ListWindow, move: WindowMove, count: number, height: number): ListWindow {
  const rows = Math.max(1, height);
  switch (move) {
    case 'up': return clampWindow({ ...w, cursor: w.cursor - 1 }, count, rows);
    case 'down': return clampWindow({ ...w, cursor: w.cursor + 1 }, count, rows);
    case 'page-up': return clampWindow({ cursor: w.cursor - rows, top: w.top - rows }, count, rows);
    case 'page-down': return clampWindow({ cursor: w.cursor + rows, top: w.top + rows }, count, rows);
    case 'home': return clampWindow({ cursor: 0, top: 0 }, count, rows);
    case 'end': return clampWindow({ cursor: count - 1, top: count - rows }, count, rows);
  }
}
