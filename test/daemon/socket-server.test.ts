// The Advanced socket's protocol (docs/protocol.md) over real loopback TCP, against a small
// engine stand-in whose commits take a real (short) time or are held by the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSocketServer, type FlowEvent, type SocketServer, type SocketServerOptions } from '../../source/daemon/socket-server.js';
import type { GuidStatus } from '../../source/core/engine-api.js';
import { connectClient, type LineClient } from './helpers/line-client.js';
import { waitUntil } from '../helpers/wait-until.js';

/** Replies `OK <line>` after a few ms, or holds lines the test chooses until released. */
class StandInEngine {
  readonly lines: string[] = [];
  /** Lines whose commit finished (their reply is ready to be written). */
  committed = 0;
  holdIf: (line: string) => boolean = () => false;
  private held: Array<{ line: string; done: () => void }> = [];
  private readonly known = new Map<string, GuidStatus>();

  submitLine(line: string): Promise<string> {
    this.lines.push(line);
    return new Promise((resolve) => {
      const done = () => {
        this.committed += 1;
        const guid = line.split('|')[0];
        this.known.set(guid, { guid, status: 'Pending', ticketKey: null, ticketUrl: null });
        resolve(`OK ${line}`);
      };
      if (this.holdIf(line)) this.held.push({ line, done });
      else setTimeout(done, 3);
    });
  }

  status(guid: string): GuidStatus | null {
    return this.known.get(guid) ?? null;
  }

  /** Lets held lines (all, or those matching) commit. */
  release(which: (line: string) => boolean = () => true): void {
    const now = this.held.filter((h) => which(h.line));
    this.held = this.held.filter((h) => !which(h.line));
    for (const h of now) h.done();
  }

  get heldCount(): number {
    return this.held.length;
  }
}

async function withServer(
  options: Partial<SocketServerOptions>,
  body: (server: SocketServer, engine: StandInEngine, open: () => Promise<LineClient>, flows: FlowEvent[]) => Promise<void>,
): Promise<void> {
  const engine = new StandInEngine();
  // What the server says it did, so that a check that something must NOT happen looks at
  // the server's own account instead of waiting a while.
  const flows: FlowEvent[] = [];
  const server = await startSocketServer({ engine, listen: '127.0.0.1:0', onFlow: (e) => flows.push(e), ...options });
  const clients: LineClient[] = [];
  const open = async () => {
    const c = await connectClient(server.address);
    clients.push(c);
    return c;
  };
  try {
    await body(server, engine, open, flows);
  } finally {
    engine.release();
    for (const c of clients) c.destroy();
    await server.close(500);
  }
}

/** How many times the server has flushed (it does after reading each chunk). */
const flushes = (flows: FlowEvent[]) => flows.filter((e) => e.event === 'flushed').length;

test('a line split over several writes is one line; \\r\\n is accepted', async () => {
  await withServer({}, async (_server, engine, open, flows) => {
    const c = await open();
    // Each piece is read by the server before the next is sent, so they arrive as separate reads.
    await c.write('G1|CRE');
    await waitUntil(() => flushes(flows) >= 1, 'the server read the first piece');
    await c.write('ATE|summary;x');
    await waitUntil(() => flushes(flows) >= 2, 'the server read the second piece');
    await c.write('|\r\n');
    assert.deepEqual(await c.waitFor(1), ['OK G1|CREATE|summary;x|']);
    assert.deepEqual(engine.lines, ['G1|CREATE|summary;x|']);
  });
});

test('several lines in one chunk get one reply each, in order; empty lines get none', async () => {
  await withServer({}, async (_server, _engine, open) => {
    const c = await open();
    await c.write('A|CREATE|\n\nB|UPDATE|\r\n\r\nPING\nC|CREATE|\n');
    assert.deepEqual(await c.waitFor(4), ['OK A|CREATE|', 'OK B|UPDATE|', 'PONG', 'OK C|CREATE|']);
    await c.write('PING\n');
    assert.deepEqual((await c.waitFor(5))[4], 'PONG');
  });
});

test('a later line that commits first waits for the earlier one', async () => {
  await withServer({}, async (_server, engine, open, flows) => {
    engine.holdIf = (line) => line.startsWith('SLOW');
    const c = await open();
    await c.write('SLOW|CREATE|\nFAST|CREATE|\nPING\n');
    await waitUntil(() => engine.lines.length >= 2, 'both lines reached the engine');
    await waitUntil(() => engine.committed >= 1, 'the later line committed');
    // Must NOT happen: the server flushed with FAST's reply (and PONG) ready, and wrote nothing.
    await waitUntil(() => flows.some((e) => e.event === 'flushed' && e.ready >= 2), 'a flush with the later replies ready');
    assert.deepEqual(flows.filter((e) => e.event === 'flushed' && e.written > 0), [], 'the server wrote no reply');
    assert.deepEqual(c.received, [], 'no reply may overtake the held first line');
    engine.release();
    assert.deepEqual(await c.waitFor(3), ['OK SLOW|CREATE|', 'OK FAST|CREATE|', 'PONG']);
  });
});

test('STATUS answers after the lines before it, and names unknown GUIDs', async () => {
  await withServer({}, async (_server, engine, open) => {
    engine.holdIf = (line) => line.startsWith('G7');
    const c = await open();
    await c.write('STATUS G7\nG7|CREATE|\nSTATUS G7\nSTATUS nope\nSTATUS\n');
    await waitUntil(() => engine.heldCount === 1, 'G7 reached the engine');
    engine.release();
    assert.deepEqual(await c.waitFor(5), [
      'ERR G7 unknown GUID',
      'OK G7|CREATE|',
      'OK G7 Pending - -',
      'ERR nope unknown GUID',
      'ERR - STATUS needs a GUID (1-128 of A-Za-z0-9._:-)',
    ]);
  });
});

test('an over-long line is refused and skipped; the next line goes through', async () => {
  await withServer({}, async (_server, engine, open) => {
    const c = await open();
    const cap = 64 * 1024;
    // In pieces, so the server sees the cap crossed before the line's end.
    await c.write(`L1|CREATE|summary;${'x'.repeat(40_000)}`);
    await c.write('y'.repeat(40_000));
    await c.write('z'.repeat(10_000) + '\nOK1|CREATE|\n');
    // Exactly the cap (with \r\n), and one byte over it, in one chunk.
    // Multi-byte characters: the cap counts bytes, not characters.
    const exact = 'E|CREATE|summary;' + 'é'.repeat(Math.floor((cap - 17) / 2)) + 'a';
    assert.equal(Buffer.byteLength(exact), cap);
    await c.write(`${exact}\r\n${exact}c\nOK2|CREATE|\n`);
    const replies = await c.waitFor(5);
    assert.deepEqual(replies.map((r) => r.slice(0, 30)), ['ERR - line too long', 'OK OK1|CREATE|', `OK ${exact}`.slice(0, 30), 'ERR - line too long', 'OK OK2|CREATE|']);
    assert.equal(engine.lines[1], exact);
    assert.equal(engine.lines.length, 3, 'the over-long lines never reached the engine');
  });
});

test('invalid UTF-8 gets an ERR naming the GUID, and the connection carries on', async () => {
  await withServer({}, async (_server, engine, open) => {
    const c = await open();
    await c.write(Buffer.concat([Buffer.from('G9|CREATE|summary;'), Buffer.from([0xc3, 0x28]), Buffer.from('\nG10|CREATE|\n')]));
    assert.deepEqual(await c.waitFor(2), ['ERR G9 line is not valid UTF-8', 'OK G10|CREATE|']);
    assert.deepEqual(engine.lines, ['G10|CREATE|']);
  });
});

test('a client that half-closes still gets every reply, then the server closes', async () => {
  await withServer({}, async (_server, engine, open) => {
    engine.holdIf = () => true;
    const c = await open();
    await c.write('A|CREATE|\nB|CREATE|\nC|UPDATE|');
    c.end();
    await waitUntil(() => engine.lines.length === 3, 'the unterminated last line before the half-close counts');
    assert.deepEqual(engine.lines, ['A|CREATE|', 'B|CREATE|', 'C|UPDATE|']);
    engine.release();
    await c.closed;
    assert.deepEqual(c.received, ['OK A|CREATE|', 'OK B|CREATE|', 'OK C|UPDATE|']);
  });
});

test('connections beyond the cap are refused with a reply', async () => {
  await withServer({ maxConnections: 2 }, async (server, _engine, open) => {
    const a = await open();
    const b = await open();
    await a.write('PING\n');
    await b.write('PING\n');
    await a.waitFor(1);
    await b.waitFor(1);
    const c = await open();
    await c.closed;
    assert.deepEqual(c.received, ['ERR - too many connections']);
    assert.equal(server.connectionCount(), 2);
    a.destroy();
    await a.closed;
    await waitUntil(() => server.connectionCount() === 1, 'the server saw the first connection go');
    const d = await open();
    await d.write('PING\n');
    assert.deepEqual(await d.waitFor(1), ['PONG']);
  });
});

test('an idle connection is closed; one waiting for its replies is not', async () => {
  await withServer({ idleTimeoutMs: 80 }, async (_server, engine, open, flows) => {
    const idle = await open();
    await idle.closed;
    assert.deepEqual(idle.received, []);

    engine.holdIf = () => true;
    const busy = await open();
    await busy.write('A|CREATE|\n');
    await waitUntil(() => engine.heldCount === 1, 'the line reached the engine');
    // Must NOT happen: the 80 ms idle timeout fired while the line waited, and the server kept the connection.
    await waitUntil(() => flows.some((e) => e.event === 'idle-kept'), 'the idle timeout on the busy connection');
    assert.equal(busy.socket.readableEnded, false, 'still open while its line is being committed');
    engine.release();
    assert.deepEqual(await busy.waitFor(1), ['OK A|CREATE|']);
    await busy.closed;
  });
});

test('with a socket token, the first line must be AUTH <token>', async () => {
  await withServer({ token: 's3cret token' }, async (_server, engine, open) => {
    const none = await open();
    await none.write('A|CREATE|\nB|CREATE|\n');
    await none.closed;
    assert.deepEqual(none.received, ['ERR - AUTH required']);

    const wrong = await open();
    await wrong.write('AUTH nope\nA|CREATE|\n');
    await wrong.closed;
    assert.deepEqual(wrong.received, ['ERR - bad token']);
    assert.deepEqual(engine.lines, [], 'nothing from an unauthenticated client reaches the engine');

    const right = await open();
    await right.write('AUTH s3cret token\r\nA|CREATE|\nPING\n');
    assert.deepEqual(await right.waitFor(3), ['OK auth', 'OK A|CREATE|', 'PONG']);
  });
});

test('back-pressure: reading stops while too many lines are unanswered', async () => {
  await withServer({ maxUnanswered: 8 }, async (_server, engine, open, flows) => {
    engine.holdIf = () => true;
    const c = await open();
    const total = 20_000;
    const lines = Array.from({ length: total }, (_, i) => `G${i}|CREATE|\n`).join('');
    void c.write(lines);
    // Must NOT happen: the server stops reading before it has them all (it says so), and
    // reads nothing more while it is paused.
    await waitUntil(() => flows.some((e) => e.event === 'paused'), 'the server to stop reading');
    const paused = flows.find((e) => e.event === 'paused') as { lines: number };
    const seen = engine.lines.length;
    assert.equal(seen, paused.lines, 'no line read after the pause');
    assert.ok(!flows.some((e) => e.event === 'resumed'), 'reading stays paused while the lines are held');
    assert.ok(seen > 0 && seen < total, `the server stopped reading (saw ${seen} of ${total})`);
    // Commit lines as they come until all are through.
    engine.holdIf = () => false;
    engine.release();
    const replies = await c.waitFor(total);
    assert.equal(replies[total - 1], `OK G${total - 1}|CREATE|`);
    assert.equal(engine.lines.length, total);
  });
});

test('back-pressure also counts the bytes of unanswered lines', async () => {
  await withServer({ maxUnansweredBytes: 64 * 1024 }, async (_server, engine, open, flows) => {
    engine.holdIf = () => true;
    const c = await open();
    const total = 2000;
    const lines = Array.from({ length: total }, (_, i) => `G${i}|CREATE|summary;${'x'.repeat(1000)}|\n`).join('');
    void c.write(lines);
    // Must NOT happen: the server stops reading before it has them all (it says so), and
    // reads nothing more while it is paused.
    await waitUntil(() => flows.some((e) => e.event === 'paused'), 'the server to stop reading');
    const paused = flows.find((e) => e.event === 'paused') as { lines: number };
    const seen = engine.lines.length;
    assert.equal(seen, paused.lines, 'no line read after the pause');
    assert.ok(!flows.some((e) => e.event === 'resumed'), 'reading stays paused while the lines are held');
    assert.ok(seen > 0 && seen < total, `the server stopped reading at a byte budget (saw ${seen} of ${total} 1 KB lines)`);
    engine.holdIf = () => false;
    engine.release();
    assert.equal((await c.waitFor(total)).length, total);
  });
});

test('close() answers lines already read, then closes the connections', async () => {
  await withServer({}, async (server, engine, open) => {
    engine.holdIf = () => true;
    const c = await open();
    await c.write('A|CREATE|\n');
    await waitUntil(() => engine.heldCount === 1, 'the line reached the engine');
    // close() stops reading and shuts each connection down before its first await:
    // it is under way while the line is still uncommitted.
    const closing = server.close(2000);
    engine.release();
    await closing;
    await c.closed;
    assert.deepEqual(c.received, ['OK A|CREATE|']);
  });
});
