// The durable writes of the store, on a thread of its own: appending a commit's record to
// the journal (write, fdatasync), and now and then replacing the database file whole with a
// snapshot (temp file, write, fdatasync, rename, fsync the directory) and starting a new
// journal for it the same way. Done with fs/promises each step is a hop between the thread
// pool and the event loop, and each waited for the loop: while the engine was busy a 2 ms
// disk write took 15–40 ms, and every socket reply waits for one. Here each write is one
// message each way, whatever the main thread is doing. Bytes are transferred, not copied.
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
function writeAll(fd, bytes) {
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
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

/**
 * The store's writer: snapshots of the database file and journal appends, in the order
 * asked, from a worker thread. The thread starts with the first write and holds the event
 * loop open only while a write is under way.
 */
export class WriteThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;

  constructor(readonly file: string) {}

  /**
   * Replaces the database file with `bytes` and starts a new journal with `header`; resolves
   * once both are durable. The bytes are taken (transferred) when they own their buffer.
   */
  snapshot(bytes: Uint8Array, header: Uint8Array): Promise<void> {
    const payload = owned(bytes);
    return this.send({ kind: 'snapshot', bytes: payload, header }, [payload.buffer as ArrayBuffer]);
  }

  /** Appends one record to the journal; resolves once it is durable. */
  append(record: Uint8Array): Promise<void> {
    const payload = owned(record);
    return this.send({ kind: 'append', bytes: payload }, [payload.buffer as ArrayBuffer]);
  }

  /** Closes the files and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
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
