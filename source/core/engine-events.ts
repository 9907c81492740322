// How the engine tells the faces that something changed. Snapshot listeners (the panes,
// through useSyncExternalStore) are told at most once per microtask however many changes
// a burst of lines makes; typed events (the daemon's JSON-lines log) go out one by one.
import type { EngineEvent } from './engine-api.js';

/** Listener sets and the "snapshot is stale" flag. */
export class EngineSignals {
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private notifyQueued = false;
  /** True when the cached snapshot no longer reflects the state. */
  dirty = true;

  /** Adds a snapshot listener; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds an event listener; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Marks the snapshot stale and tells the listeners once the current burst is over. */
  changed(): void {
    this.dirty = true;
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const listener of [...this.listeners]) {
        try {
          listener();
        } catch {
          // A face's bug must not stop the engine.
        }
      }
    });
  }

  /** Sends a typed event to every event listener, and marks the snapshot stale. */
  emit(event: EngineEvent): void {
    for (const listener of [...this.eventListeners]) {
      try {
        listener(event);
      } catch {
        // As above: a listener's failure is its own.
      }
    }
    this.changed();
  }
}
