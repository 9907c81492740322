// The rows an attached app's list shows come with each update: after its first read of a
// window, an app redrawing on every update asks the engine nothing more for them (one wake-up
// an update instead of two, on both sides), and sees the newest rows; when it stops reading
// them (another pane), it asks the engine to stop sending them, and a read watches again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachEngine } from '../../source/control/remote-engine.js';
import type { ControlConnection, ControlUpdate } from '../../source/control/control-client.js';
import { waitUntil } from '../helpers/wait-until.js';
import { startEngineHost } from './attach-helpers.js';

test('an app redrawing its list on every update gets the rows with the update, asks no more, and stops them when it stops reading', async (t) => {
  const host = await startEngineHost();
  const remote = await attachEngine(host.dataDir, { client: 'test-app' });
  t.after(async () => {
    await remote.stop();
    await host.close();
  });
  // What the app asks and what it is pushed, seen on its connection.
  const connection = (remote as unknown as { connection: ControlConnection }).connection;
  const asked: string[] = [];
  const request = connection.request.bind(connection);
  connection.request = <T>(method: string, params?: unknown) => {
    asked.push(method);
    return request<T>(method, params);
  };
  const pushed: ControlUpdate[] = [];
  connection.onUpdate((update) => pushed.push(update));

  // The Log pane: on every change, the first screen of rows.
  let shown: string[] = [];
  const unsubscribe = remote.subscribe(() => {
    shown = remote.queryLog({ offset: 0, limit: 10 }).map((row) => row.guid ?? '');
  });
  remote.queryLog({ offset: 0, limit: 10 });
  assert.match(await host.runtime.engine.submitLine('push-first|CREATE|summary;p|'), /^OK /);
  await waitUntil(() => shown[0] === 'push-first', 'the first row shown, read once');
  // Settled: a read the first update overtook may still have been made; from here on, none.
  await waitUntil(() => remote.holdsLog({ offset: 0, limit: 10 }), 'the window held');
  const readsAtStart = asked.filter((m) => m === 'queryLog').length;
  for (let i = 0; i < 8; i++) {
    assert.match(await host.runtime.engine.submitLine(`push-${i}|CREATE|summary;p ${i}|`), /^OK /);
    await waitUntil(() => shown[0] === `push-${i}`, () => `the newest row shown (push-${i}; shown ${shown[0]})`);
  }
  const withRows = pushed.filter((u) => u.log !== undefined);
  assert.ok(withRows.length >= 1, 'the rows came with the updates');
  assert.equal(asked.filter((m) => m === 'queryLog').length, readsAtStart, 'no read of the rows after the first');
  assert.deepEqual(withRows.at(-1)!.log!.query, { offset: 0, limit: 30, brief: true }, 'the window it asked for, brief');
  assert.equal(withRows.at(-1)!.log!.rows.every((row) => row.request === null && row.response === null), true);

  // Another pane: the rows are no longer read. After one unread push the app stops them.
  unsubscribe();
  const before = pushed.length;
  for (let i = 0; i < 3; i++) {
    await host.runtime.engine.submitLine(`away-${i}|CREATE|summary;a ${i}|`);
    await waitUntil(() => pushed.length > before + i, 'an update');
  }
  await waitUntil(() => asked.includes('unwatchLog'), 'the app asked the engine to stop the rows');
  const afterStop = pushed.length;
  await host.runtime.engine.submitLine('quiet|CREATE|summary;q|');
  await waitUntil(() => pushed.length > afterStop && pushed.at(-1)!.snapshot !== undefined, 'the next update');
  assert.equal(pushed.slice(afterStop).some((u) => u.log !== undefined), false, 'no rows once stopped');

  // Back on the Log pane: a read watches again.
  remote.queryLog({ offset: 0, limit: 10 });
  await waitUntil(() => remote.queryLog({ offset: 0, limit: 10 })[0]?.guid === 'quiet', 'the rows read again');
  const again = pushed.length;
  await host.runtime.engine.submitLine('back|CREATE|summary;b|');
  await waitUntil(() => pushed.slice(again).some((u) => u.log?.rows[0]?.guid === 'back'), 'rows pushed again');
});
