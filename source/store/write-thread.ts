// The durable writes of the store. Now and then the database file is replaced whole with a
// snapshot (temp file, write, fdatasync, rename, fsync the directory) and a new journal is
// started for it the same way: that is done on a thread of its own, since a snapshot is
// megabytes. A commit's journal record (a few kilobytes, write + fdatasync) is appended on the
// calling thread while the disk syncs fast: handing it to the thread and back cost two thread
// wake-ups per commit, which on a busy 2-core machine was 1–3 ms of the p99 of every socket
// reply (measured in paired runs); a fast fdatasync blocks the event loop for less than that
// (0.3 ms here). A sync that takes longer than SLOW_SYNC_MS sends the next appends to the
// thread, so a slow disk never holds the event loop (the socket, the app's keys) on every
// commit; the calling thread tries again after THREAD_APPENDS_AFTER_SLOW of them. Earlier, with
// fs/promises, each step was a hop between the thread pool and the event loop, and each
// waited for the loop: while the engine was busy a 2 ms disk write took 15–40 ms. Bytes go to
// the thread transferred, not copied.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { tempFileFor } from './persist.js';
import { journalFileFor } from './journal.js';

// Plain CommonJS, evaluated in the worker: no loader (tsx) and no build step involved.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, temp, journal, journalTemp, dir } = workerData;
let dirFd = null;
let journalFd = null;
// O_EXCL: a temp file is ours and 0600 from birth; a leftover (a write that failed half-way)
// is removed rather than reused with whatever mode it has.
function createPrivate(path, flags) {
  try {
    return fs.openSync(path, flags, 0o600);
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    fs.unlinkSync(path);
    return fs.openSync(path, flags, 0o600);
  }
}
// In pieces: one write takes at most 2 GiB ("The value of "length" is out of range" beyond).
function writeAll(fd, bytes) {
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 30));
}
function syncDir() {
  if (dirFd === null) dirFd = fs.openSync(dir, 'r');
  fs.fsyncSync(dirFd);
}
// The snapshot first, durable, then its journal: were the new journal in place before the
// snapshot, a crash would pair it with the old snapshot and lose the old journal's commits.
function snapshot(bytes, header) {
  const fd = createPrivate(temp, 'wx');
  try {
    writeAll(fd, bytes);
    fs.fdatasyncSync(fd); // the data and the size, all a new file needs to be read back
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDir(); // the rename is only durable once the directory entry is
  const next = createPrivate(journalTemp, 'ax');
  try {
    writeAll(next, header);
    fs.fdatasyncSync(next);
    fs.renameSync(journalTemp, journal);
    syncDir();
  } catch (error) {
    fs.closeSync(next);
    throw error;
  }
  if (journalFd !== null) fs.closeSync(journalFd);
  journalFd = next;
}
function append(bytes) {
  // The journal of the snapshot the store was opened from, found clean (whole) at open.
  if (journalFd === null) journalFd = fs.openSync(journal, 'a');
  writeAll(journalFd, bytes);
  fs.fdatasyncSync(journalFd);
}
function close() {
  for (const fd of [journalFd, dirFd]) if (fd !== null) fs.closeSync(fd);
  journalFd = dirFd = null;
}
parentPort.on('message', (message) => {
  try {
    if (message.kind === 'snapshot') snapshot(message.bytes, message.header);
    else if (message.kind === 'append') append(message.bytes);
    else close();
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message || error), code: error && error.code } });
  }
});
`;

interface Reply {
  id: number;
  error?: { message: string; code?: string };
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** An append whose fdatasync took longer than this (ms) sends the next appends to the thread. */
export const SLOW_SYNC_MS = 4;
/** After a slow sync, this many appends go to the thread before the calling thread tries again. */
export const THREAD_APPENDS_AFTER_SLOW = 256;

/**
 * The store's writer: snapshots of the database file and journal appends, in the order
 * asked (the caller has at most one write under way); see the file comment for which thread
 * does what. The thread starts with the first write that needs it and holds the event loop
 * open only while a write is under way.
 */
export class WriteThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;
  /** The journal as this thread appends to it; closed whenever a snapshot replaces the journal. */
  private journalFd: number | null = null;
  /** Appends still to hand to the thread after a slow sync. */
  private threadAppendsLeft = 0;

  /** `now` times the syncs (tests make them look slow). */
  constructor(readonly file: string, private readonly now: () => number = () => performance.now()) {}

  /**
   * Replaces the database file with `bytes` and starts a new journal with `header`; resolves
   * once both are durable. The bytes are taken (transferred) when they own their buffer.
   */
  snapshot(bytes: Uint8Array, header: Uint8Array): Promise<void> {
    // The thread renames a new journal into place: appends made here must open that one.
    this.closeJournal();
    const payload = owned(bytes);
    return this.send({ kind: 'snapshot', bytes: payload, header }, [payload.buffer as ArrayBuffer]);
  }

  /** Appends one record to the journal; resolves once it is durable. */
  append(record: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file}: the writer is closed`));
    if (this.threadAppendsLeft > 0) {
      this.threadAppendsLeft--;
      const payload = owned(record);
      return this.send({ kind: 'append', bytes: payload }, [payload.buffer as ArrayBuffer]);
    }
    try {
      const started = this.now();
      // The journal of the snapshot the store was opened from (found clean at open), or of the last snapshot.
      this.journalFd ??= openSync(journalFileFor(this.file), 'a');
      for (let at = 0; at < record.length;) at += writeSync(this.journalFd, record, at, Math.min(record.length - at, 1 << 30));
      fdatasyncSync(this.journalFd);
      if (this.now() - started > SLOW_SYNC_MS) this.threadAppendsLeft = THREAD_APPENDS_AFTER_SLOW;
      return Promise.resolve();
    } catch (error) {
      // The caller writes a snapshot next (durability.ts); a torn record goes with the old journal.
      this.closeJournal();
      return Promise.reject(error);
    }
  }

  private closeJournal(): void {
    if (this.journalFd === null) return;
    try {
      closeSync(this.journalFd);
    } catch {
      // Already unusable; nothing to keep.
    }
    this.journalFd = null;
  }

  /** Closes the files and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closeJournal();
    const worker = this.worker;
    if (worker) await this.send({ kind: 'close' }, []).catch(() => undefined);
    this.closed = true;
    this.worker = null;
    await worker?.terminate();
  }

  private send(message: { kind: string; bytes?: Uint8Array; header?: Uint8Array }, transfer: ArrayBuffer[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file}: the writer is closed`));
    const worker = this.thread();
    const id = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref(); // a write under way keeps the process alive
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const journal = journalFileFor(this.file);
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { file: this.file, temp: tempFileFor(this.file), journal, journalTemp: tempFileFor(journal), dir: dirname(this.file) },
      // The thread runs the plain source above: it needs none of the parent's flags (tsx).
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    // The thread died (out of memory, a bug): fail what it held; the next write starts another.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`the writer thread of ${this.file} stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (!reply.error) {
      waiter.resolve();
      return;
    }
    const error: NodeJS.ErrnoException = new Error(reply.error.message);
    if (reply.error.code) error.code = reply.error.code;
    waiter.reject(error);
  }

  private failAll(error: Error): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}

// A transfer takes the whole buffer: only a view that owns all of it goes as it is (sql.js
// export gives a fresh one); anything else is copied first.
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}
