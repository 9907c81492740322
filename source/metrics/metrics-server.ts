// The HTTP side of monitoring: GET /metrics (Prometheus text format) and GET /healthz
// (200 while the engine runs and Jira answers; 503 with the reason otherwise). Only these
// two paths and only GET; nothing here reveals a secret.
import { createServer, type Server } from 'node:http';
import { parseHostPort } from '../core/host-port.js';
import type { EngineApi } from '../core/engine-api.js';
import type { EngineMetrics } from './metrics.js';

/** A running metrics server. */
export interface MetricsServer {
  address: string;
  close(): Promise<void>;
}

/** How long Jira may go without answering while requests are failing before /healthz says 503. */
export const UNHEALTHY_AFTER_MS = 60_000;

/** Why the engine is not healthy, or null when it is. */
export function unhealthyReason(engine: EngineApi, metrics: EngineMetrics, stopping: () => boolean, now: () => number = Date.now): string | null {
  if (stopping()) return 'the engine is stopping';
  const s = engine.getSnapshot();
  if (s.paused) return 'Jira refused the credentials (401/403): the queue is paused until they change';
  const failing = metrics.jira.failingSince;
  if (failing !== null && now() - failing >= UNHEALTHY_AFTER_MS) {
    return `Jira has not answered since ${new Date(failing).toISOString()}: ${metrics.jira.lastError ?? 'no answer'}`;
  }
  if (s.connection.state === 'down' && metrics.jira.lastAnsweredAt === null) return `Jira is unreachable: ${s.connection.error}`;
  if (s.connection.state === 'auth-refused') return 'Jira refused the credentials';
  return null;
}

/** Serves /metrics and /healthz on HOST:PORT. */
export async function startMetricsServer(options: { listen: string; engine: EngineApi; metrics: EngineMetrics; stopping(): boolean }): Promise<MetricsServer> {
  const { host, port } = parseHostPort(options.listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET\n');
      return;
    }
    if (path === '/metrics') {
      options.metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text);
      }, (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting the metrics failed: ${(error as Error).message}\n`);
      });
    } else if (path === '/healthz') {
      const reason = unhealthyReason(options.engine, options.metrics, options.stopping);
      // eslint-disable-next-line no-control-regex -- Jira's text never reaches a client raw
      res.writeHead(reason === null ? 200 : 503, { 'content-type': 'text/plain' }).end(reason === null ? 'ok\n' : `${reason.replace(/[\x00-\x1f\x7f]/g, ' ')}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics or /healthz\n');
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = typeof bound === 'object' && bound !== null ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : options.listen;
  return {
    address,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
