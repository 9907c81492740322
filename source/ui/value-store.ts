// A tiny subscribable value: state that must outlive a remount of the Ink tree (the app
// unmounts while $EDITOR runs) or that several panes share (the config in use). The store
// itself lives in source/value-cell.ts (no React), so the daemon side can hold one too.
import { useSyncExternalStore } from 'react';
import type { ValueStore } from '../value-cell.js';

export { createValueStore, type ValueStore } from '../value-cell.js';

/** The store's value as React state. */
export function useValueStore<T>(store: ValueStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
