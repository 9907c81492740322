// A node:http server on 127.0.0.1:0 that records every request and answers through a
// handler the test gives; used to assert exactly what the client sends.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** What a handler answers: a status, a JSON value or raw text, and headers. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** A running recording server. */
export interface RecordingServer {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

/** Starts a server whose answers come from `handler` (sync or async); null means: never answer. */
export async function startRecordingServer(handler: (req: Recorded) => Reply | null | Promise<Reply | null>): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(recorded);
      Promise.resolve(handler(recorded)).then((reply) => {
        if (reply === null) return; // hang: the client's timeout must fire
        const payload = reply.json !== undefined ? JSON.stringify(reply.json) : reply.text ?? '';
        const headers: Record<string, string> = { ...(reply.json !== undefined ? { 'content-type': 'application/json;charset=UTF-8' } : {}), ...reply.headers };
        res.writeHead(reply.status, headers);
        res.end(payload);
      }, (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
