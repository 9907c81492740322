// The app's side of one control connection: connect, say hello, then requests by id and
// the engine's pushed updates. A connection is used once: when it closes, every request
// still waiting is rejected and `onClose` is told why; reconnecting is attachment.ts's.
import { connect, type Socket } from 'node:net';
import { LineFramer } from '../daemon/line-framer.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type EngineInfo, type HelloState, type ServerMessage } from './control-protocol.js';

/** An update as the engine pushes it. */
export type ControlUpdate = Extract<ServerMessage, { type: 'update' }>;

/** One open, greeted connection. */
export interface ControlConnection {
  engine: EngineInfo;
  state: HelloState;
  request<T = unknown>(method: string, params?: unknown): Promise<T>;
  onUpdate(listener: (update: ControlUpdate) => void): void;
  onClose(listener: (reason: string) => void): void;
  readonly closed: boolean;
  close(): void;
}

/** Connects to the socket and greets; rejects with a message a user can act on. */
export function connectControl(path: string, options: { client?: string; timeoutMs?: number; events?: boolean } = {}): Promise<ControlConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    const framer = new LineFramer(MAX_MESSAGE_BYTES);
    const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
    const updateListeners: Array<(update: ControlUpdate) => void> = [];
    const closeListeners: Array<(reason: string) => void> = [];
    let nextId = 1;
    let corked = false;
    let greeted = false;
    let closed = false;
    let closeReason = 'the engine closed the control connection';
    const timer = setTimeout(() => fail(new Error(`the engine did not answer on ${path} within ${options.timeoutMs ?? 5000} ms`)), options.timeoutMs ?? 5000);

    const fail = (error: Error) => {
      clearTimeout(timer);
      if (!greeted) reject(error);
      closeReason = error.message;
      socket.destroy();
    };

    const connection: ControlConnection = {
      engine: undefined as unknown as EngineInfo,
      state: undefined as unknown as HelloState,
      request<T>(method: string, params?: unknown): Promise<T> {
        if (closed) return Promise.reject(new Error(closeReason));
        const id = nextId++;
        return new Promise<T>((res, rej) => {
          waiting.set(id, { resolve: res as (value: unknown) => void, reject: rej });
          // The requests of one turn (a pane asks its rows and their count together) leave
          // in one write: the engine is woken once for them, between its lines.
          if (!corked) {
            corked = true;
            socket.cork();
            process.nextTick(() => {
              corked = false;
              socket.uncork();
            });
          }
          socket.write(`${JSON.stringify({ type: 'request', id, method, params })}\n`);
        });
      },
      onUpdate: (listener) => void updateListeners.push(listener),
      onClose: (listener) => void closeListeners.push(listener),
      get closed() {
        return closed;
      },
      close: () => {
        closeReason = 'detached';
        socket.destroy();
      },
    };

    const onMessage = (message: ServerMessage) => {
      if (message.type === 'hello') {
        greeted = true;
        clearTimeout(timer);
        connection.engine = message.engine;
        connection.state = message.state;
        resolve(connection);
      } else if (message.type === 'reply') {
        const w = waiting.get(message.id);
        if (!w) return;
        waiting.delete(message.id);
        if (message.ok) w.resolve(message.result);
        else w.reject(new Error(message.error));
      } else if (message.type === 'update') {
        for (const listener of updateListeners) listener(message);
      } else if (message.type === 'error') {
        if (!greeted || message.closing) fail(new Error(`the engine refused the connection: ${message.error}`));
      }
    };

    socket.on('connect', () => {
      const hello = { type: 'hello', version: PROTOCOL_VERSION, client: options.client ?? 'jiraline-app', pid: process.pid, ...(options.events === false ? { events: false } : {}) };
      socket.write(`${JSON.stringify(hello)}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'too-long') return fail(new Error('the engine sent a message too long to take'));
        let message: ServerMessage;
        try {
          message = JSON.parse(frame.bytes.toString('utf8')) as ServerMessage;
        } catch {
          return fail(new Error('the engine sent something that is not JSON'));
        }
        onMessage(message);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no engine is listening there'
        : error.code === 'EACCES' ? 'permission denied (the socket belongs to another user)' : error.message;
      closeReason = `cannot reach the engine's control socket ${path}: ${why}`;
      if (!greeted) fail(new Error(closeReason));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      closed = true;
      if (!greeted) reject(new Error(closeReason));
      for (const w of waiting.values()) w.reject(new Error(`the engine went away before answering (${closeReason})`));
      waiting.clear();
      for (const listener of closeListeners) listener(closeReason);
    });
  });
}
