// Scrolling a read-only view (the help overlay, the Log row detail, the Jira ticket view):
// the arrow and page keys move the window over the lines; every other key goes to the view.
import { useState } from 'react';
import type { Key } from 'ink';
import { moveWindow } from '../components/list-window.js';
import { isKey } from '../key-bindings.js';
import { useKeys } from './use-keys.js';

const scrollMoves = ['up', 'down', 'page-up', 'page-down', 'home', 'end'] as const;

/** The first line shown, and "(a–b of n)" when the lines do not fit (else ''). */
export function useScroll(count: number, rows: number, isActive: boolean, onOtherKey: (input: string, key: Key) => void): { top: number; range: string } {
  const [top, setTop] = useState(0);
  useKeys((input, key) => {
    const move = scrollMoves.find((m) => isKey(m, input, key));
    if (!move) return onOtherKey(input, key);
    // Scrolling moves the view, not a cursor: start the cursor at the window's edge.
    const edge = move === 'up' || move === 'page-up' ? top : top + rows - 1;
    setTop(moveWindow({ cursor: edge, top }, move, count, rows).top);
  }, { isActive });
  return { top, range: count > rows ? `(${top + 1}–${Math.min(count, top + rows)} of ${count})` : '' };
}
