// useInput, hardened for terminals over SSH.
// 1. The latest handler: Ink re-subscribes a new handler in a passive effect after each
//    render; a key arriving between a render and that effect would reach the old handler
//    and act on stale state (e.g. an empty result list that has just been filled). Here
//    the subscribed function is stable and calls whatever handler the last render made.
// 2. One key at a time: keys typed quickly can arrive in one read ("1x"), which Ink hands
//    over as one input string. Navigation handlers get them one by one, as typed.
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** The keys of one read, one by one (a read that is one key, or a special key, as it came). */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  const chars = Array.from(input);
  if (chars.length <= 1 || key.ctrl || key.meta || key.return || key.escape || key.tab) return [[input, key]];
  return chars.map((c): [string, Key] => {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\r' || c === '\n') return ['', { ...noKey, return: true }];
    if (c === '\t') return ['', { ...noKey, tab: true }];
    if (c === '\x7f') return ['', { ...noKey, delete: true }];
    if (c === '\b') return ['', { ...noKey, backspace: true }];
    if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...noKey, ctrl: true }];
    return [c, { ...noKey, shift: /[A-Z]/.test(c) }];
  });
}

/** Like Ink's useInput, with the latest handler, and a read of several keys split unless `split: false` (editors take pastes whole). */
export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean; split?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const split = options.split ?? true;
  const stable = useCallback((input: string, key: Key) => {
    if (!split) return latest.current(input, key);
    for (const [one, oneKey] of splitKeys(input, key)) latest.current(one, oneKey);
  }, [split]);
  useInput(stable, { isActive: options.isActive });
}
