// Durability. The database lives in memory; it reaches the disk as a whole new file:
// write a temp file beside it, fsync, rename over the old one, fsync the directory (done on
// a thread of its own: write-thread.ts). A crash at any instant leaves either the old file
// or the new one, never a mix. Writing the whole file per mutation would not keep up, so
// commits are grouped (see GroupCommit).
import { basename, dirname, join } from 'node:path';

/** The temp file a write goes through; a leftover one is a crash's debris. */
export function tempFileFor(file: string): string {
  return join(dirname(file), `${basename(file)}.tmp`);
}

/** Counters of the writes made, for tests and the benchmark. */
export interface WriteStats {
  /** Successful writes of the file. */
  writes: number;
  /** Writes that failed (their commits were rejected). */
  failedWrites: number;
  /** Bytes of the last write. */
  lastBytes: number;
  /** Milliseconds the last export + write took. */
  lastWriteMs: number;
  /** Milliseconds of that spent in the (synchronous) capture: an export, or a journal record. */
  lastExportMs: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Mutations bump a version; commit() promises that every version up to the
 * one current at the call is on disk. Calls within `delayMs` of each other, and calls made
 * while a write is running, share the next write: at most one write is in flight, and at
 * most one more is waiting behind it.
 */
export class GroupCommit<T = Uint8Array> {
  private version = 0;
  private durable = 0;
  private inflight: { version: number; promise: Promise<void> } | null = null;
  private next: { waiters: Waiter[]; promise: Promise<void> } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly counters: WriteStats = { writes: 0, failedWrites: 0, lastBytes: 0, lastWriteMs: 0, lastExportMs: 0 };
  private readonly writeListeners = new Set<(ms: number) => void>();

  /**
   * `snapshot` captures, synchronously, what the write must make durable (the database's
   * bytes, or a journal record); `write` makes it so; `sizeOf` tells its size for the stats.
   */
  constructor(
    private readonly snapshot: () => T,
    private readonly write: (payload: T) => Promise<void>,
    private readonly delayMs: number,
    private readonly sizeOf: (payload: T) => number = (payload) => (payload as { length?: number }).length ?? 0,
  ) {}

  /** Calls `listener` with the milliseconds of each successful write (capture + write + sync): its latency histogram. */
  onWrite(listener: (ms: number) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** Records that the in-memory database changed. */
  touch(): void {
    this.version += 1;
  }

  /** Whether every change is on disk and nothing is being written. */
  get idle(): boolean {
    return this.version === this.durable && !this.inflight && !this.next;
  }

  /** A copy of the counters. */
  stats(): WriteStats {
    return { ...this.counters };
  }

  /** Resolves once every change made before this call is on disk; rejects if that write fails. */
  commit(): Promise<void> {
    const target = this.version;
    if (target <= this.durable) return Promise.resolve();
    if (this.inflight && target <= this.inflight.version) return this.inflight.promise;
    if (!this.next) {
      const waiters: Waiter[] = [];
      const promise = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      // Every caller gets the same promise; a rejection nobody awaits must not crash the process.
      promise.catch(() => undefined);
      this.next = { waiters, promise };
      if (!this.inflight) this.schedule();
    }
    return this.next.promise;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, this.delayMs);
  }

  private start(): void {
    const batch = this.next;
    if (!batch || this.inflight) return;
    this.next = null;
    const version = this.version;
    const began = performance.now();
    const promise = (async () => {
      // The snapshot is taken synchronously here, so it holds exactly `version`.
      const payload = this.snapshot();
      this.counters.lastExportMs = performance.now() - began;
      // Read before the write: the writer may take the bytes (a transfer empties the view).
      const length = this.sizeOf(payload);
      await this.write(payload);
      this.counters.lastBytes = length;
    })();
    // Later commits covered by this write wait on the batch's promise: it settles after the bookkeeping.
    this.inflight = { version, promise: batch.promise };
    const settle = (outcome: (waiter: Waiter) => void) => {
      this.inflight = null;
      for (const waiter of batch.waiters) outcome(waiter);
      // Those who came during the write have waited long enough: write for them at once.
      if (this.next) this.start();
    };
    promise.then(
      () => {
        this.counters.writes += 1;
        this.counters.lastWriteMs = performance.now() - began;
        for (const listener of this.writeListeners) listener(this.counters.lastWriteMs);
        this.durable = Math.max(this.durable, version);
        settle((waiter) => waiter.resolve());
      },
      (error: unknown) => {
        this.counters.failedWrites += 1;
        settle((waiter) => waiter.reject(error));
      },
    );
  }

  /** Writes whatever is not on disk yet and waits for it (used by close). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.start();
    }
    if (this.inflight) await this.inflight.promise.catch(() => undefined);
    await this.commit();
  }
}
