// What every pane receives from the frame.
import { useCallback, useEffect, useState } from 'react';
import type { EngineSnapshot } from '../../core/engine-api.js';
import type { AppServices } from '../app-services.js';
import type { DetailsSink } from '../components/full-text.js';

/** Navigation mode (global keys work) or edit mode (a field, a dialog owns the keyboard). */
export type InputMode = 'navigate' | 'edit';

/** State a pane keeps while another pane is shown (only the shown pane is mounted). */
export type PaneMemory = Map<string, unknown>;

/** Props of every pane. */
export interface PaneProps {
  services: AppServices;
  snapshot: EngineSnapshot;
  /** The pane has the keyboard (it is shown and no overlay covers it). */
  isActive: boolean;
  width: number;
  height: number;
  /** A pane enters edit mode while a field, editor or dialog needs every key (no 1–6, q, ?). */
  setMode(mode: InputMode): void;
  memory: PaneMemory;
  /** Where the pane puts what it shows cut, for the `v` view (components/full-text.tsx). */
  details?: DetailsSink;
}

/** useState whose value survives the pane being unmounted and shown again. */
export function useRemembered<T>(memory: PaneMemory, key: string, initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    if (memory.has(key)) return memory.get(key) as T;
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  const set = useCallback((next: T | ((previous: T) => T)) => {
    setValue((previous) => {
      const resolved = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
      memory.set(key, resolved);
      return resolved;
    });
  }, [memory, key]);
  return [value, set];
}

/** Tells the frame whether this pane is in edit mode; back to navigation on unmount. */
export function useModeSync(setMode: (mode: InputMode) => void, editing: boolean): void {
  useEffect(() => {
    setMode(editing ? 'edit' : 'navigate');
  }, [setMode, editing]);
  useEffect(() => () => setMode('navigate'), [setMode]);
}
