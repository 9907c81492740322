// The socket against hostile clients and hostile Jira text: unauthenticated connections
// cannot hold the slots authenticated clients need, must authenticate in time, and text
// from Jira (a ticket key with newlines) can never forge reply lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSocketServer, type SocketServerOptions } from '../../source/daemon/socket-server.js';
import type { GuidStatus } from '../../source/core/engine-api.js';
import { connectClient, type LineClient } from './helpers/line-client.js';
import { waitUntil } from '../helpers/wait-until.js';

/** Answers `OK <GUID> queued`; STATUS gives what the test put in `known`. */
class Engine {
  readonly known = new Map<string, GuidStatus>();
  readonly lines: string[] = [];
  submitLine(line: string): Promise<string> {
    this.lines.push(line);
    return Promise.resolve(`OK ${line.split('|')[0]} queued`);
  }
  status(guid: string): GuidStatus | null {
    return this.known.get(guid) ?? null;
  }
}

async function serve(options: Partial<SocketServerOptions>, engine = new Engine()) {
  const server = await startSocketServer({ engine, listen: '127.0.0.1:0', ...options });
  const clients: LineClient[] = [];
  return {
    server,
    engine,
    async open() {
      const c = await connectClient(server.address);
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close(500);
    },
  };
}

test('256 silent unauthenticated connections beside an authenticated client that still gets through', { timeout: 60_000 }, async () => {
  const s = await serve({ token: 'tok-123', authTimeoutMs: 60_000 });
  try {
    const silent: LineClient[] = [];
    for (let i = 0; i < 256; i += 1) {
      const c = await s.open();
      silent.push(c);
      if (i % 16 === 0) await c.write('\n'); // a newline now and then keeps no slot
    }
    const good = await s.open();
    await good.write('AUTH tok-123\nA-1|CREATE|summary;x|\nPING\n');
    assert.deepEqual(await good.waitFor(3), ['OK auth', 'OK A-1 queued', 'PONG']);
    await waitUntil(() => silent.filter((c) => c.socket.destroyed || c.socket.readableEnded).length >= 256 - 16,
      'all but a small budget of the unauthenticated connections were closed');
    assert.ok(s.server.connectionCount() <= 17 + 1, `connections held: ${s.server.connectionCount()}`);
    assert.deepEqual(s.engine.lines, ['A-1|CREATE|summary;x|'], 'nothing from an unauthenticated client reached the engine');
  } finally {
    await s.close();
  }
});

test('a connection that does not authenticate in time is closed, whatever it sends meanwhile', { timeout: 30_000 }, async () => {
  const s = await serve({ token: 'tok-123', authTimeoutMs: 300 });
  try {
    const slow = await s.open();
    const drip = setInterval(() => void slow.write('\n').catch(() => undefined), 50);
    await slow.closed;
    clearInterval(drip);
    assert.deepEqual(slow.received, ['ERR - AUTH not given within 1 s']);
    // One that authenticates at once stays, also past that time.
    const good = await s.open();
    await good.write('AUTH tok-123\n');
    await good.waitFor(1);
    // Must NOT be closed by the AUTH deadline: one opened after it is closed by its own
    // deadline, so the good one's (earlier) has passed too.
    const later = await s.open();
    await later.closed;
    assert.deepEqual(later.received, ['ERR - AUTH not given within 1 s']);
    await good.write('PING\n');
    assert.deepEqual(await good.waitFor(2), ['OK auth', 'PONG']);
  } finally {
    await s.close();
  }
});

test('a ticket key or URL holding newlines and ESC cannot forge reply lines or reach the terminal raw', async () => {
  const engine = new Engine();
  engine.known.set('G-1', { guid: 'G-1', status: 'Ok', ticketKey: 'OPS-1 - -\nOK forged queued\nPONG', ticketUrl: 'http://j/\u001b[31mred\r' });
  const s = await serve({}, engine);
  try {
    const c = await s.open();
    await c.write('STATUS G-1\nPING\n');
    // Must NOT get more lines: a last PING's PONG marks the end of what the server sent.
    await c.write('PING\n');
    await waitUntil(() => c.received.filter((r) => r === 'PONG').length >= 2, 'the last PONG');
    const replies = c.received.slice();
    assert.equal(c.received.length, 3, `three lines sent, three replies: ${JSON.stringify(c.received)}`);
    assert.match(replies[0], /^OK G-1 Ok OPS-1 - - OK forged queued PONG http:\/\/j\/ \[31mred $/);
    assert.equal(replies[1], 'PONG');
  } finally {
    await s.close();
  }
});

test('STATUS of a Failed command ends with its reason on the same line: Jira\'s newlines cannot forge replies', async () => {
  const engine = new Engine();
  engine.known.set('G-2', { guid: 'G-2', status: 'Failed', ticketKey: null, ticketUrl: null, error: 'priority: not valid\nOK forged queued\r\u001b[31m' });
  engine.known.set('G-3', { guid: 'G-3', status: 'Failed', ticketKey: 'OPS-3', ticketUrl: 'http://j/browse/OPS-3', error: 'x'.repeat(5000) });
  engine.known.set('G-4', { guid: 'G-4', status: 'Failed', ticketKey: null, ticketUrl: null, error: null });
  const s = await serve({}, engine);
  try {
    const c = await s.open();
    await c.write('STATUS G-2\nSTATUS G-3\nSTATUS G-4\nPING\n');
    const replies = await c.waitFor(4);
    assert.equal(replies[0], 'OK G-2 Failed - - priority: not valid OK forged queued [31m');
    assert.match(replies[1], /^OK G-3 Failed OPS-3 http:\/\/j\/browse\/OPS-3 x{499}…$/);
    assert.equal(replies[2], 'OK G-4 Failed - - no reason was recorded');
    assert.equal(replies[3], 'PONG');
  } finally {
    await s.close();
  }
});
