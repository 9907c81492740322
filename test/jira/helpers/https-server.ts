// An HTTPS server on 127.0.0.1:0 with a given certificate, answering JSON and counting requests.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A running HTTPS test server. */
export interface HttpsTestServer {
  url: string;
  port: number;
  paths: string[];
  close(): Promise<void>;
}

/** Starts an HTTPS server answering every request with 200 and this JSON. */
export async function startHttpsServer(key: string, cert: string, json: unknown): Promise<HttpsTestServer> {
  const paths: string[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  // A refused handshake is the point of some tests; keep it off stderr.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    paths,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
