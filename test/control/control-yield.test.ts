// The engine's thread answers lines first: what an attached app costs it (the update built
// for the apps, their log reads) is worked on after the input already waiting in the same
// turn, so a line that arrived with an app's read or with the update's turn goes into the
// engine before that work, not after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { waitUntil } from '../helpers/wait-until.js';
import { startEngineHost, type EngineHost } from './attach-helpers.js';

async function open(target: string | { host: string; port: number }): Promise<{ socket: Socket; text: () => string }> {
  const socket = typeof target === 'string' ? connect(target) : connect(target.port, target.host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  return { socket, text: () => text };
}

/** The Advanced socket and an app attached over the control socket, and the order the engine is asked things in. */
async function setUp(host: EngineHost) {
  const colon = (host.runtime.listenAddress as string).lastIndexOf(':');
  const line = await open({ host: '127.0.0.1', port: Number((host.runtime.listenAddress as string).slice(colon + 1)) });
  const app = await open(host.runtime.control?.path as string);
  app.socket.write('{"type":"hello","version":1,"client":"yield-test"}\n');
  await waitUntil(() => app.text().includes('"type":"hello"'), 'hello');
  const order: string[] = [];
  const engine = host.runtime.engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['submitLine', 'queryLog', 'getSnapshot']) {
    const original = engine[name].bind(engine);
    engine[name] = (...args: unknown[]) => {
      order.push(name);
      return original(...args);
    };
  }
  return { line, app, order };
}

test('a line arriving with an app\'s log read goes into the engine before the read is answered', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const { line, app, order } = await setUp(host);
  t.after(() => { line.socket.destroy(); app.socket.destroy(); });
  for (let round = 0; round < 5; round++) {
    order.length = 0;
    // Both reach the engine's process in this turn (the app's first): its next turn reads both.
    app.socket.write(`{"type":"request","id":${round},"method":"queryLog","params":{"offset":0,"limit":26,"brief":true,"text":"r${round}"}}\n`);
    line.socket.write(`Y${round}|CREATE|summary;yield ${round}|\n`);
    await waitUntil(() => app.text().includes(`"id":${round},"ok":true`) && line.text().includes(`OK Y${round}`), `round ${round} answered`);
    const asked = order.filter((name) => name !== 'getSnapshot');
    assert.deepEqual(asked.slice(0, 2), ['submitLine', 'queryLog'], `round ${round}: the line first (${order.join(', ')})`);
  }
});

test('an update falling due with a line waiting is built after the line went into the engine', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const { line, app, order } = await setUp(host);
  t.after(() => { line.socket.destroy(); app.socket.destroy(); });
  for (let round = 0; round < 5; round++) {
    const updates = app.text().split('"type":"update"').length;
    // A change schedules the next update; the line then waits in the kernel while this turn
    // runs on past the update's due time, so the engine's next turn has both to do.
    await host.runtime.engine.submitLine(`Z${round}a|CREATE|summary;change ${round}|`);
    order.length = 0;
    line.socket.write(`Z${round}b|CREATE|summary;yield ${round}|\n`);
    const until = Date.now() + 120;
    while (Date.now() < until) { /* the engine's thread is busy: the update falls due meanwhile */ }
    await waitUntil(() => app.text().split('"type":"update"').length > updates && line.text().includes(`OK Z${round}b`), `round ${round}: update and reply`);
    const first = order.find((name) => name === 'submitLine' || name === 'getSnapshot');
    assert.equal(first, 'submitLine', `round ${round}: the line first (${order.join(', ')})`);
  }
});
