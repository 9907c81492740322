// A forwarding HTTP proxy on loopback: CONNECT tunnels (for https targets) and
// absolute-URI requests (for http targets), counting what passes through.
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A running proxy and what it has seen. */
export interface ForwardingProxy {
  url: string;
  /** host:port of each CONNECT. */
  tunnels: string[];
  /** Absolute URIs of each forwarded request. */
  forwarded: string[];
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1:0. */
export async function startForwardingProxy(): Promise<ForwardingProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    if (!/^http:\/\//.test(target)) {
      res.writeHead(400);
      res.end('absolute URI expected');
      return;
    }
    forwarded.push(target);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = httpRequest(target, { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const hostPort = req.url ?? '';
    tunnels.push(hostPort);
    const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    forwarded,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
