// The runtime in-process, as the app starts it: demo mode on the in-process simulator with
// the demo template, the socket on a free port, and stop() releasing everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { openStore } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { connectClient } from './helpers/line-client.js';

test('demo mode: the in-process simulator, the demo template, and a clean stop', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const dataDir = join(tmp.dir, 'data');
  const settings = resolveSettings({ 'data-dir': dataDir, listen: '127.0.0.1:0' }, { HOME: tmp.dir }, 'tui');
  assert.equal(settings.demo, true);
  const records: Array<{ event: string; [key: string]: unknown }> = [];
  const runtime = await startRuntime(settings, { env: {}, keychain: null, onLog: (r) => records.push(r) });
  let stopped = false;
  t.after(() => (stopped ? undefined : runtime.stop(0)));

  assert.ok(runtime.simulator, 'a simulator runs in demo mode');
  assert.equal(runtime.config.jira.url, runtime.simulator.url);
  assert.equal(runtime.jira.baseUrl, runtime.simulator.url);
  assert.deepEqual(settings.config.template.map((r) => r.value), ['OPS', 'Incident'], 'the settings (what the file holds) are not changed');
  assert.match(runtime.listenAddress ?? '', /^127\.0\.0\.1:\d+$/);
  assert.notEqual(runtime.listenAddress, '127.0.0.1:0');

  const c = await connectClient(runtime.listenAddress!);
  t.after(() => c.destroy());
  await c.write('demo-1|CREATE|\n');
  assert.deepEqual(await c.waitFor(1), ['OK demo-1 queued']);
  await runtime.engine.whenIdle();
  const [issue] = runtime.simulator.issues();
  assert.equal((issue.fields.project as { key: string }).key, 'DEMO');
  assert.equal((issue.fields.issuetype as { name: string }).name, 'Task');
  assert.equal(issue.fields.summary, 'Demo ticket from jiraline');
  assert.equal((issue.fields.priority as { name: string }).name, 'Medium');
  assert.ok(records.some((r) => r.event === 'sent' && r.guid === 'demo-1'), 'engine events reach onLog');

  const address = runtime.listenAddress!;
  await runtime.stop();
  stopped = true;
  // The socket is closed and the data directory's lock released.
  const refused = await new Promise<string>((resolve) => {
    const s = connect({ host: '127.0.0.1', port: Number(address.split(':')[1]) });
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
  assert.equal(refused, 'ECONNREFUSED');
  const store = await openStore({ dir: dataDir });
  assert.equal(store.countLog(), 1);
  await store.close();
});

test('listen off: no socket; a busy address is a clear error and leaves nothing running', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const off = await startRuntime(resolveSettings({ 'data-dir': join(tmp.dir, 'a'), listen: 'off' }, { HOME: tmp.dir }, 'tui'), { env: {}, keychain: null });
  assert.equal(off.listenAddress, null);
  const busy = await startRuntime(resolveSettings({ 'data-dir': join(tmp.dir, 'b'), listen: '127.0.0.1:0' }, { HOME: tmp.dir }, 'tui'), { env: {}, keychain: null });
  try {
    const settings = resolveSettings({ 'data-dir': join(tmp.dir, 'c'), listen: busy.listenAddress! }, { HOME: tmp.dir }, 'tui');
    await assert.rejects(startRuntime(settings, { env: {}, keychain: null }),
      new RegExp(`^Error: cannot listen on ${busy.listenAddress}: the address is in use`));
    // The failed start released its data directory.
    const store = await openStore({ dir: join(tmp.dir, 'c') });
    await store.close();
  } finally {
    await off.stop();
    await busy.stop();
  }
});
