// The durable write of the database file, on a thread of its own. Each commit replaces the
// file atomically: create a temp file beside it, write, fdatasync, close, rename over the
// file, fsync the directory. Done with fs/promises, that is ten hops between the thread
// pool and the event loop, and each waited for the loop: while the engine was busy
// (sending, accepting) a 2 ms disk write took 15–40 ms, and every socket reply waits for
// it. Here the whole sequence runs synchronously in a worker thread, one message each way,
// whatever the main thread is doing. The bytes are transferred, not copied.
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { tempFileFor } from './persist.js';

// Plain CommonJS, evaluated in the worker: no loader (tsx) and no build step involved.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, temp, dir } = workerData;
let dirFd = null;
// O_EXCL: the temp file is ours and 0600 from birth; a leftover (a write that failed half-way)
// is removed rather than reused with whatever mode it has.
function createPrivate() {
  try {
    return fs.openSync(temp, 'wx', 0o600);
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    fs.unlinkSync(temp);
    return fs.openSync(temp, 'wx', 0o600);
  }
}
function write(bytes) {
  const fd = createPrivate();
  try {
    let at = 0;
    while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    // The data and the size, all a new file needs to be read back.
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  // The rename is only durable once the directory entry is.
  if (dirFd === null) dirFd = fs.openSync(dir, 'r');
  fs.fsyncSync(dirFd);
}
parentPort.on('message', (message) => {
  try {
    if (message.close) {
      if (dirFd !== null) fs.closeSync(dirFd);
      dirFd = null;
    } else {
      write(message.bytes);
    }
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
 * Replaces one file atomically and durably (mode 0600), write after write, from a worker
 * thread. The thread starts with the first write and holds the event loop open only while
 * a write is under way.
 */
export class WriteThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;

  constructor(readonly file: string) {}

  /** Writes bytes as the file's new content; resolves once it is durable. The bytes are taken (transferred). */
  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file}: the writer is closed`));
    // Transfer when the view owns its whole buffer (sql.js export gives a fresh one); copy otherwise.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const payload = owned ? bytes : bytes.slice();
    return this.send({ bytes: payload }, [payload.buffer as ArrayBuffer]);
  }

  /** Closes the directory handle and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await this.send({ close: true }, [], true).catch(() => undefined);
    this.worker = null;
    await worker.terminate();
  }

  private send(message: { bytes?: Uint8Array; close?: boolean }, transfer: ArrayBuffer[], closing = false): Promise<void> {
    const worker = this.thread(closing);
    const id = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref(); // a write under way keeps the process alive
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  private thread(closing: boolean): Worker {
    if (this.worker) return this.worker;
    if (closing) throw new Error('no writer thread');
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { file: this.file, temp: tempFileFor(this.file), dir: dirname(this.file) },
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
