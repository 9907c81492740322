// The engine's snapshot as React state. The engine may change many times a second under
// load (a burst of socket lines); redrawing the terminal for each change would flood a
// slow SSH link, so notifications are batched: at most one redraw per window (~50 ms),
// and the last change in a burst is always drawn.
import { useMemo, useSyncExternalStore } from 'react';
import type { EngineApi, EngineSnapshot } from '../../core/engine-api.js';

/** Default redraw window. */
export const REDRAW_INTERVAL_MS = 50;

/** A subscribe function as useSyncExternalStore takes it. */
export type Subscribe = (listener: () => void) => () => void;

/**
 * Wraps `subscribe` so the listener runs at most once per `intervalMs`: the first change
 * after a quiet spell is drawn on the next turn, later ones in the same window wait for
 * its end and are drawn together.
 */
export function batchSubscribe(subscribe: Subscribe, intervalMs = REDRAW_INTERVAL_MS, now: () => number = Date.now): Subscribe {
  return (listener) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastFired = -Infinity;
    const fire = () => {
      timer = null;
      lastFired = now();
      listener();
    };
    const unsubscribe = subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(fire, Math.max(0, lastFired + intervalMs - now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
  };
}

/** The engine's current snapshot; the component redraws (batched) when it changes. */
export function useEngineSnapshot(engine: EngineApi, intervalMs = REDRAW_INTERVAL_MS): EngineSnapshot {
  const subscribe = useMemo(() => batchSubscribe((l) => engine.subscribe(l), intervalMs), [engine, intervalMs]);
  return useSyncExternalStore(subscribe, () => engine.getSnapshot());
}
