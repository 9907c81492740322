// A tiny TCP client for socket tests: collects reply lines and tells when the server
// closed its side.
import { connect, type Socket } from 'node:net';
import { DEFAULT_WAIT_MS } from '../../helpers/wait-until.js';

/** A connected test client. */
export interface LineClient {
  socket: Socket;
  /** Reply lines received so far. */
  received: string[];
  write(data: string | Buffer): Promise<void>;
  /** Half-closes our side (as `nc -q` does). */
  end(): void;
  /** Resolves once at least n replies have arrived (rejects if the server closes first). */
  waitFor(n: number): Promise<string[]>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  destroy(): void;
}

/** Connects to HOST:PORT. */
export async function connectClient(address: string): Promise<LineClient> {
  const colon = address.lastIndexOf(':');
  const socket = connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)), allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const received: string[] = [];
  let rest = '';
  let waiters: Array<() => void> = [];
  let isClosed = false;
  const closed = new Promise<void>((resolve) => {
    const done = () => {
      isClosed = true;
      resolve();
      for (const w of waiters) w();
    };
    socket.on('end', done);
    socket.on('close', done);
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    received.push(...parts);
    for (const w of waiters) w();
  });
  return {
    socket,
    received,
    write: (data) => new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve()))),
    end: () => socket.end(),
    waitFor(n) {
      return new Promise<string[]>((resolve, reject) => {
        // Replies come as events; the deadline only turns a hang into a failure that says so.
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`timed out after ${DEFAULT_WAIT_MS} ms with ${received.length} of ${n} replies: ${JSON.stringify(received.slice(-3))}`));
        }, DEFAULT_WAIT_MS);
        const check = () => {
          if (received.length >= n) {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== check);
            resolve(received.slice());
          } else if (isClosed) {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== check);
            reject(new Error(`connection closed after ${received.length} of ${n} replies: ${JSON.stringify(received.slice(-3))}`));
          }
        };
        waiters.push(check);
        check();
      });
    },
    closed,
    destroy: () => socket.destroy(),
  };
}
