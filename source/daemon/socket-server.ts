// The Advanced socket: TCP, one line in → one reply out, in order, each reply
// written only once the engine says the line is durably stored. Framing lives in
// line-framer.ts, one connection's protocol in socket-connection.ts; this file owns the
// listener, the connection cap and shutdown.
// See docs/protocol.md.
import { createServer, type Server, type Socket } from 'node:net';
import type { EngineApi } from '../core/engine-api.js';
import { parseHostPort } from '../core/host-port.js';
import { SocketConnection, type ConnectionLimits, type FlowEvent } from './socket-connection.js';

export type { FlowEvent };

/** The part of the engine the socket needs. */
export type SocketEngine = Pick<EngineApi, 'submitLine' | 'status' | 'noteRefused'>;

/** How to run the socket; every limit has its documented default (docs/protocol.md#connecting). */
export interface SocketServerOptions {
  engine: SocketEngine;
  /** HOST:PORT; port 0 picks a free one (see SocketServer.address). */
  listen: string;
  /** When set, each connection's first line must be `AUTH <token>`. */
  token?: string | null;
  /** Close a connection idle this long (default 5 min). */
  idleTimeoutMs?: number;
  /** Connections served at once; more are refused with a reply (default 256). With a token: authenticated ones. */
  maxConnections?: number;
  /**
   * With a token: connections not yet authenticated, on a budget of their own (default 16),
   * so that they can never take the slots authenticated clients need. A new one beyond it
   * closes the oldest one still waiting.
   */
  maxUnauthenticated?: number;
  /** With a token: a connection that has not sent a good AUTH this long after connecting is closed (default 5 s). */
  authTimeoutMs?: number;
  /** Line cap in bytes without the `\n` (default 64 KiB). */
  maxLineBytes?: number;
  /**
   * Stop reading a connection with this many unanswered lines (default 8192). Large on
   * purpose: lines that arrive while one commit is being written share the next one, so
   * the batch a connection can offer bounds its throughput.
   */
  maxUnanswered?: number;
  /** …or with this many bytes of unanswered lines (default 8 MiB), bounding memory per connection. */
  maxUnansweredBytes?: number;
  /** Diagnostics (connection errors), never with line contents. */
  onLog?: (record: { event: string; [key: string]: unknown }) => void;
  /** Each connection's reading and replies as they happen (tests use it to see what did not happen). */
  onFlow?: (event: FlowEvent) => void;
}

/** A listening socket server. */
export interface SocketServer {
  /** The bound address, HOST:PORT (the real port when 0 was asked). */
  readonly address: string;
  /** Connections being served now. */
  connectionCount(): number;
  /**
   * Stops accepting connections and reading lines; lines already read still get their
   * replies (up to graceMs), then every connection is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** Formats a bound address as HOST:PORT, bracketing IPv6. */
function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Starts listening; rejects (e.g. EADDRINUSE) when the address cannot be bound. */
export async function startSocketServer(options: SocketServerOptions): Promise<SocketServer> {
  const limits: ConnectionLimits = {
    token: options.token ?? null,
    authTimeoutMs: options.authTimeoutMs ?? 5000,
    idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
    maxLineBytes: options.maxLineBytes ?? 64 * 1024,
    maxUnanswered: options.maxUnanswered ?? 8192,
    maxUnansweredBytes: options.maxUnansweredBytes ?? 8 * 1024 * 1024,
  };
  const maxConnections = options.maxConnections ?? 256;
  const maxUnauthenticated = options.maxUnauthenticated ?? 16;
  const connections = new Set<SocketConnection>();
  // Not yet authenticated, oldest first (a Set keeps insertion order).
  const waiting = new Set<SocketConnection>();
  const refused = new Set<Socket>();
  let closing = false;

  // allowHalfOpen: a client that shuts down its side after its last line (nc -q,
  // shutdown(SHUT_WR)) must still receive every reply before we close ours.
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (closing || (limits.token === null && connections.size >= maxConnections)) {
      refuse(socket, closing ? 'ERR - shutting down\n' : 'ERR - too many connections\n');
      return;
    }
    if (limits.token !== null && waiting.size >= maxUnauthenticated) {
      const oldest = waiting.values().next().value as SocketConnection;
      waiting.delete(oldest);
      oldest.dismiss('ERR - too many connections waiting for AUTH');
    }
    const connection = new SocketConnection(socket, options.engine, limits, options.onLog, limits.token === null ? undefined : {
      admit: () => connections.size - waiting.size < maxConnections,
      authenticated: () => waiting.delete(connection),
    }, options.onFlow);
    connections.add(connection);
    if (!connection.authenticated) waiting.add(connection);
    connection.closed.then(() => {
      connections.delete(connection);
      waiting.delete(connection);
    });
  });

  function refuse(socket: Socket, reply: string): void {
    refused.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => refused.delete(socket));
    // Read and drop what the client sends, so it sees our reply rather than a reset.
    socket.resume();
    socket.end(reply);
    socket.setTimeout(2000, () => socket.destroy());
  }

  const { host, port } = parseHostPort(options.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.onLog?.({ event: 'socket-error', error: error.message }));
  const bound = server.address();
  const address = bound !== null && typeof bound === 'object' ? formatAddress(bound.address, bound.port) : options.listen;

  return {
    address,
    connectionCount: () => connections.size,
    async close(graceMs = 5000) {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.shutdown(graceMs)));
      for (const socket of refused) socket.destroy();
      await stopped;
    },
  };
}
