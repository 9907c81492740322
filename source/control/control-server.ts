// The engine's side of the control channel (see docs/protocol.md): a Unix domain socket,
// never TCP, that apps attach to. Who may connect is decided by the file system: the
// socket is made 0600 (under a umask of 077, so it is never open to others even for an
// instant) inside the data directory, which jiraline makes 0700. Node cannot read a Unix
// socket peer's credentials (SO_PEERCRED) without a native addon, so there is no second,
// in-process check: Linux refuses connect() to a socket file the caller may not write.
//
// Memory per client is bounded: a message is at most MAX_MESSAGE_BYTES; a client reading
// no replies stops being read once its replies pile up (so it cannot queue more work), and
// is sent no updates while its buffer is full (the next one carries the latest state).
//
// Work per app is kept small, as it runs on the engine's thread between lines: an update is
// built once for every app (control-updates.ts) and the log reads every app makes after it
// are answered once (shared-reads.ts). And it waits for the lines: the update and the apps'
// requests are worked on in the event loop's check phase (setImmediate), after the input
// waiting in the same turn — lines on the Advanced socket, commits done — has been read and
// handed to the engine, so an update never sits between a line and its way into the engine.
import { createServer, type Server, type Socket } from 'node:net';
import { chmod, unlink } from 'node:fs/promises';
import { LineFramer } from '../daemon/line-framer.js';
import type { EngineApi } from '../core/engine-api.js';
import type { SharedSettings } from '../daemon/shared-settings.js';
import { removeControlRecord, writeControlRecord } from './control-address.js';
import { controlMethods, logQueryOf, wantsBrief } from './control-methods.js';
import type { LogQuery } from '../core/ports.js';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSION, STATUS_CLIENT, UPDATE_INTERVAL_MS, wireSnapshot,
  type AttachedClient, type EngineInfo, type HelloState, type ServerMessage,
} from './control-protocol.js';
import { UpdateBuilder, type UpdateState } from './control-updates.js';
import { SharedReads } from './shared-reads.js';

/** Replies buffered for a client beyond which it is read no further until it catches up. */
export const PAUSE_READING_BYTES = 1024 * 1024;
/** Requests of one client being worked on at once, beyond which it is read no further. */
export const MAX_IN_FLIGHT = 32;
/** Buffered bytes beyond which a client gets no updates until it drains. */
export const SKIP_UPDATES_BYTES = 256 * 1024;

/** What the control server shows and serves. */
export interface ControlServerOptions {
  engine: EngineApi;
  shared: SharedSettings;
  info: EngineInfo;
  /** The rest of the hello state (the app's first frame). */
  describe(): Omit<HelloState, 'snapshot' | 'catalogue' | 'settings'>;
  onLog?: (record: { event: string; [key: string]: unknown }) => void;
  /** Told when a client is held (tests wait on it instead of sleeping). */
  onFlow?: (event: ControlFlowEvent) => void;
}

/**
 * `held`: a client is read no further and none of its requests is being worked on, so
 * nothing more is written to it until it reads (`buffered` bytes wait for it, `waiting`
 * messages read and not yet taken).
 */
export interface ControlFlowEvent { event: 'held'; buffered: number; waiting: number }

/** A running control server. */
export interface ControlServer {
  readonly path: string;
  clients(): AttachedClient[];
  /** Bytes waiting to be written to each client (tests of the bound). */
  buffered(): number[];
  close(): Promise<void>;
}

interface Client {
  socket: Socket;
  ready: boolean;
  about: AttachedClient;
  inFlight: number;
  /** What it was sent and is owed of updates. */
  update: UpdateState;
  /** Messages read and not yet taken (while the client is not keeping up). */
  backlog: string[];
  /** Taking messages now (work() is not entered again from a reply sent meanwhile). */
  working: boolean;
  /** An update passed it by while its buffer was full: 'drain' asks for one. */
  skipped: boolean;
  /** The last state told to onFlow was `held` (told once until it is read again). */
  held: boolean;
  /** A work() is due after this turn's input (what was read waits for it). */
  workScheduled: boolean;
  /** It wants the engine's events in its updates (hello `events`, request `watchEvents`). */
  events: boolean;
  /** The brief log window it last asked for (its JSON the key): pushed with each new snapshot until `unwatchLog`. */
  watch: { query: LogQuery; key: string } | null;
}

/** Binds the socket at `info.socket`, writes the control record, serves until close(). */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { engine, shared, info } = options;
  const path = info.socket;
  const clients = new Set<Client>();
  let closed = false;
  const methods = controlMethods({ engine, shared, status: () => ({
    engine: info,
    snapshot: wireSnapshot(engine.getSnapshot()),
    // `jiraline status` asking is not an attached app.
    clients: [...clients].filter((c) => c.ready && c.about.client !== STATUS_CLIENT).map((c) => c.about),
    listenAddress: options.describe().listenAddress,
    remoteListen: options.describe().remoteListen ?? null,
    jiraUrl: options.describe().jiraUrl,
    demo: options.describe().demo,
  }) });

  const send = (client: Client, message: ServerMessage) => {
    if (client.socket.destroyed) return;
    client.socket.write(`${JSON.stringify(message)}\n`);
  };
  const sendText = (client: Client, text: string | Buffer) => {
    if (!client.socket.destroyed) client.socket.write(text);
  };

  // Updates: one timer for every client, at most one flush per UPDATE_INTERVAL_MS, and
  // only when something changed since the last one.
  const updates = new UpdateBuilder();
  const reads = new SharedReads(engine, UPDATE_INTERVAL_MS);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFlush = 0;
  let flushing: ReturnType<typeof setImmediate> | null = null;
  const schedule = () => {
    // No one attached, nothing to tell (nor a snapshot to build).
    if (timer !== null || flushing !== null || closed || clients.size === 0) return;
    // The timer fires before the turn reads its input: the update is built after that input.
    timer = setTimeout(() => {
      timer = null;
      flushing = setImmediate(flush);
    }, Math.max(0, lastFlush + UPDATE_INTERVAL_MS - Date.now()));
  };
  const flush = () => {
    flushing = null;
    if (closed) return;
    lastFlush = Date.now();
    // The apps read the log again on this update's logVersion: they get fresh answers.
    reads.clear();
    if (clients.size === 0) return;
    // Each watched window is read once for every app watching it, when the first one is sent it.
    const windows = new Map<string, string | null>();
    const logFor = (watch: { query: LogQuery; key: string }) => ({
      key: watch.key,
      json: () => {
        let json = windows.get(watch.key);
        if (json === undefined) {
          try {
            json = `{"query":${watch.key},"rows":${reads.answer('queryLog', watch.query).toString('utf8')}}`;
          } catch {
            json = null; // a store closing under the update: the app asks as before
          }
          windows.set(watch.key, json);
        }
        return json;
      },
    });
    const targets = [...clients].map((client) => {
      // A client not reading keeps what it is owed; 'drain' schedules it again with the latest state.
      const full = client.socket.writableLength > SKIP_UPDATES_BYTES;
      if (client.ready && full) client.skipped = true;
      return {
        client, state: client.update, sendable: client.ready && !client.socket.destroyed && !full, events: client.events,
        log: client.watch && logFor(client.watch),
      };
    });
    const out = updates.flush(targets, { snapshot: engine.getSnapshot(), settings: () => shared.store.get() });
    for (const { client, state } of targets) {
      const bytes = out.get(state);
      if (bytes) sendText(client, bytes);
    }
  };
  const unsubscribe = engine.subscribe(schedule);
  const unsubscribeSettings = shared.store.subscribe(() => {
    for (const client of clients) client.update.settingsDirty = true;
    schedule();
  });
  // Events are kept for the update only while an app wants them (the app itself does not).
  const unsubscribeEvents = engine.onEvent((event) => {
    if (clients.size === 0) return;
    let wanted = false;
    for (const client of clients) wanted ||= client.events;
    if (!wanted) return;
    updates.add(event);
    schedule();
  });

  const handle = async (client: Client, text: string) => {
    let message: { type?: unknown; version?: unknown; id?: unknown; method?: unknown; params?: unknown; client?: unknown; pid?: unknown; events?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
      if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new Error('not an object');
    } catch {
      send(client, { type: 'error', error: 'malformed message: expected one JSON object per line (see docs/protocol.md)' });
      return;
    }
    if (!client.ready) {
      if (message.type !== 'hello') {
        send(client, { type: 'error', error: 'expected a hello first: {"type":"hello","version":1}', closing: true });
        client.socket.end();
        return;
      }
      if (message.version !== PROTOCOL_VERSION) {
        send(client, { type: 'error', error: `protocol version ${String(message.version)} is not spoken here; this engine (jiraline ${info.version}) speaks ${PROTOCOL_VERSION}: run the same jiraline version as the engine`, closing: true });
        client.socket.end();
        return;
      }
      client.ready = true;
      // Events unless it says it wants none (a client of before this field wants them).
      client.events = message.events !== false;
      client.about = {
        client: typeof message.client === 'string' ? message.client.slice(0, 64) : 'unknown',
        pid: typeof message.pid === 'number' && Number.isInteger(message.pid) ? message.pid : null,
        since: Date.now(),
      };
      const snapshot = engine.getSnapshot();
      client.update.snapshotSent = snapshot;
      client.update.catalogueSent = snapshot.catalogue;
      client.update.settingsDirty = false;
      send(client, {
        type: 'hello', version: PROTOCOL_VERSION, engine: info,
        state: { ...options.describe(), snapshot: wireSnapshot(snapshot), catalogue: snapshot.catalogue, settings: shared.store.get() },
      });
      options.onLog?.({ event: 'attached', client: client.about.client, pid: client.about.pid, clients: readyCount() });
      return;
    }
    if (message.type !== 'request' || typeof message.id !== 'number' || typeof message.method !== 'string') {
      send(client, { type: 'error', error: 'malformed request: expected {"type":"request","id":N,"method":"…","params":…}' });
      return;
    }
    const id = message.id;
    if (message.method === 'unwatchLog') {
      // Its pane no longer reads the rows pushed to it; its next read of the log watches again.
      client.watch = null;
      send(client, { type: 'reply', id, ok: true, result: null });
      return;
    }
    if (message.method === 'watchEvents') {
      // The client's own state, so answered here rather than by the engine's methods.
      const on = (message.params as { on?: unknown } | null)?.on;
      if (typeof on !== 'boolean') {
        send(client, { type: 'reply', id, ok: false, error: 'watchEvents: params.on must be true or false' });
        return;
      }
      if (on && !client.events) updates.watch(client.update);
      client.events = on;
      send(client, { type: 'reply', id, ok: true, result: null });
      return;
    }
    const method = methods[message.method];
    if (!method) {
      send(client, { type: 'reply', id, ok: false, error: `unknown method '${message.method.slice(0, 64)}'` });
      return;
    }
    const name = message.method;
    client.inFlight += 1;
    try {
      if (reads.shares(name)) {
        // The same question from every app after an update: answered once, the same bytes to each.
        const result = reads.answer(name, message.params);
        // The window a list shows (brief rows): from now on it comes with each update, unasked.
        if (name === 'queryLog' && wantsBrief(message.params)) {
          const query = logQueryOf(message.params, true);
          client.watch = { query, key: JSON.stringify(query) };
        }
        sendText(client, `{"type":"reply","id":${JSON.stringify(id)},"ok":true,"result":`);
        sendText(client, result);
        sendText(client, '}\n');
      } else {
        const result = await method(message.params);
        send(client, { type: 'reply', id, ok: true, result: result ?? null });
      }
    } catch (error) {
      send(client, { type: 'reply', id, ok: false, error: String((error as Error)?.message ?? error).slice(0, 2000) });
    } finally {
      // A change made for this client shows in its next read.
      if (!reads.keeps(name)) reads.clear();
      client.inFlight -= 1;
      work(client);
    }
  };

  // Messages are taken one by one while the client keeps up; once its replies pile up (or
  // too many are being worked on) the rest of what was read waits — at most one read's
  // worth — and the socket is read no further until it catches up.
  const caughtUp = (client: Client) => client.inFlight < MAX_IN_FLIGHT && client.socket.writableLength <= PAUSE_READING_BYTES;
  const work = (client: Client) => {
    // A request answered at once comes back here from its own handle(): the loop below goes on.
    if (client.working) return;
    client.working = true;
    // The replies answered at once (an app asks its rows and their count together) leave in
    // one write: the app is woken once, not once a reply.
    client.socket.cork();
    try {
      while (client.backlog.length > 0 && caughtUp(client) && !client.socket.destroyed) {
        void handle(client, client.backlog.shift() as string);
      }
    } finally {
      client.working = false;
      client.socket.uncork();
    }
    if (client.socket.destroyed) return;
    if (client.backlog.length > 0 || !caughtUp(client)) {
      client.socket.pause();
      if (client.inFlight === 0 && !client.held && options.onFlow) {
        client.held = true;
        options.onFlow({ event: 'held', buffered: client.socket.writableLength, waiting: client.backlog.length });
      }
    } else {
      client.held = false;
      client.socket.resume();
    }
  };
  const readyCount = () => [...clients].filter((c) => c.ready).length;

  const server: Server = createServer((socket) => {
    const client: Client = {
      socket, ready: false, about: { client: 'unknown', pid: null, since: Date.now() }, inFlight: 0,
      update: updates.join(), backlog: [], working: false, skipped: false, held: false, workScheduled: false, events: true, watch: null,
    };
    clients.add(client);
    const framer = new LineFramer(MAX_MESSAGE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'too-long') {
          send(client, { type: 'error', error: `message longer than ${MAX_MESSAGE_BYTES} bytes`, closing: true });
          socket.end();
          return;
        }
        client.backlog.push(frame.bytes.toString('utf8'));
      }
      // Answered after the rest of this turn's input (lines read before an app's read); read
      // no further meanwhile, so what waits stays one read's worth (work() resumes it).
      socket.pause();
      if (!client.workScheduled) {
        client.workScheduled = true;
        setImmediate(() => {
          client.workScheduled = false;
          work(client);
        });
      }
    });
    socket.on('drain', () => {
      work(client);
      if (client.skipped) {
        client.skipped = false;
        schedule();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const was = client.ready;
      clients.delete(client);
      if (clients.size === 0) updates.discard();
      if (was) options.onLog?.({ event: 'detached', client: client.about.client, pid: client.about.pid, clients: readyCount() });
    });
  });

  // A socket left by an engine that died (we hold the data directory's lock, so it is not
  // a live one's).
  await unlink(path).catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node binds a Unix socket synchronously inside listen(): the umask covers the bind only.
    const umask = process.umask(0o077);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
  await chmod(path, 0o600);
  await writeControlRecord(info.dataDir, info);

  return {
    path,
    clients: () => [...clients].filter((c) => c.ready).map((c) => c.about),
    buffered: () => [...clients].map((c) => c.socket.writableLength),
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (flushing !== null) clearImmediate(flushing);
      unsubscribe();
      unsubscribeSettings();
      unsubscribeEvents();
      await removeControlRecord(info.dataDir, info.pid);
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.socket.destroy();
      await done;
      await unlink(path).catch(() => undefined);
    },
  };
}
