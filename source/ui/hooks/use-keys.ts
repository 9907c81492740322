// useInput with the latest handler. Ink re-subscribes a new handler in a passive effect
// after each render; a key arriving between a render and that effect would reach the old
// handler and act on stale state (e.g. an empty result list that has just been filled).
// Here the subscribed function is stable and calls whatever handler the last render made.
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';

/** Like Ink's useInput, but the handler is always the one from the latest render. */
export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, options);
}
