// The runtime in-process, as the app starts it: demo mode on the in-process simulator with
// the demo template, the socket on a free port, and stop() releasing everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { openStore } from '../../source/store/index.js';
import { createSecretStore, makeSecret } from '../../source/secrets/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { connectClient } from './helpers/line-client.js';
import { waitUntil } from '../helpers/wait-until.js';

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
  // Demo mode has a directory of its own, gone when it stops: nothing made in demo follows into real use.
  assert.equal(existsSync(join(dataDir, 'jiraline.db')), false, 'demo mode never writes into the real data directory');
  assert.notEqual(runtime.store.dir, dataDir);
  assert.equal(existsSync(runtime.store.dir), false, 'its own directory is removed at stop');
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

test('paused on a wrong password, the queue resumes once the right one is saved and the credentials are read again', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: 'right-pw' } });
  t.after(() => sim.close());
  const env = { HOME: tmp.dir, XDG_CONFIG_HOME: join(tmp.dir, 'config') };
  const settings = resolveSettings({ 'data-dir': join(tmp.dir, 'data'), listen: 'off', 'jira-url': sim.url }, env, 'daemon');
  // Credentials in credentials.json (no keychain, nothing in the environment).
  const secrets = createSecretStore({ configDir: settings.configDir, env: {}, keychain: null });
  await secrets.save({ method: 'basic', username: 'ops-bot', password: makeSecret('wrong-pw') });

  const records: Array<{ event: string; [key: string]: unknown }> = [];
  const runtime = await startRuntime(settings, { env: {}, keychain: null, onLog: (r) => records.push(r) });
  t.after(() => runtime.stop(0));
  assert.equal(runtime.credentialSource, 'file');

  const reply = await runtime.engine.submitLine('R1|CREATE|summary;After the password fix|');
  assert.match(reply, /^OK R1 /);
  await waitUntil(() => records.some((r) => r.event === 'paused'), 'the engine pauses on 401');
  assert.equal(runtime.engine.pendingCount(), 1, 'the CREATE stays Pending while paused');
  assert.equal(sim.issues().length, 0);
  assert.equal(await runtime.reloadCredentials(), false, 'unchanged credentials do not resume');

  await secrets.save({ method: 'basic', username: 'ops-bot', password: makeSecret('right-pw') });
  assert.equal(await runtime.reloadCredentials(), true);
  await waitUntil(() => sim.issues().length === 1, 'the ticket is created');
  assert.equal(sim.issues()[0].fields.summary, 'After the password fix');
  const changed = records.find((r) => r.event === 'credentials-changed');
  assert.deepEqual(changed && { source: changed.source }, { source: 'file' });
  assert.ok(!JSON.stringify(records).includes('right-pw') && !JSON.stringify(records).includes('wrong-pw'), 'no secret in the log');
  await waitUntil(() => runtime.engine.pendingCount() === 0, 'nothing left pending');
});

test('the data directory: made 0700; one that others may read is used as it is, with a warning that says what to run', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // A real Jira (demo mode keeps to a directory of its own and never touches the data directory).
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  t.after(() => sim.close());
  const made = join(tmp.dir, 'made');
  const first = await startRuntime(resolveSettings({ 'data-dir': made, listen: 'off', 'jira-url': sim.url }, { HOME: tmp.dir }, 'tui'), { env: {}, keychain: null });
  await first.stop(0);
  assert.equal(statSync(made).mode & 0o777, 0o700);
  assert.ok(!first.warnings.some((w) => w.includes('data directory')));

  const shared = join(tmp.dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o755);
  const records: Array<{ event: string; [key: string]: unknown }> = [];
  const second = await startRuntime(resolveSettings({ 'data-dir': shared, listen: 'off', 'jira-url': sim.url }, { HOME: tmp.dir }, 'tui'), { env: {}, keychain: null, onLog: (r) => records.push(r) });
  await second.stop(0);
  assert.equal(statSync(shared).mode & 0o777, 0o755, 'left as it was');
  const warning = second.warnings.find((w) => w.includes('data directory'));
  assert.match(warning ?? '', /open to other users \(mode 0755\).*chmod 700 /);
  assert.ok(records.some((r) => r.event === 'warning' && String(r.message).includes('chmod 700')), 'the daemon log says it too');
});

test('at the row cap, a burst of lines makes one pruned record with the count, not one per row', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const env = { HOME: tmp.dir, XDG_CONFIG_HOME: join(tmp.dir, 'config') };
  mkdirSync(join(tmp.dir, 'config', 'jiraline'), { recursive: true });
  writeFileSync(join(tmp.dir, 'config', 'jiraline', 'config.json'), JSON.stringify({ log: { maxEntries: 20 }, jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64 } }));
  const settings = resolveSettings({ 'data-dir': join(tmp.dir, 'data'), listen: 'off' }, env, 'tui');
  assert.equal(settings.demo, true);
  const records: Array<{ event: string; [key: string]: unknown }> = [];
  const runtime = await startRuntime(settings, { env: {}, keychain: null, onLog: (r) => records.push(r) });
  let stopped = false;
  t.after(() => (stopped ? undefined : runtime.stop(0)));
  const lines = 300;
  // One line at a time, as a feeder that waits for each OK sends them, in rounds of 30 whose
  // rows finish before the next: every insert past the cap drops a finished row.
  for (let i = 0; i < lines; i++) {
    assert.match(await runtime.engine.submitLine(`P${i}|CREATE|`), /^OK /);
    if (i % 30 === 29) await waitUntil(() => runtime.engine.pendingCount() === 0, 'the round is sent');
  }
  const kept = runtime.engine.countLog();
  await runtime.stop(0);
  stopped = true;
  const pruned = records.filter((r) => r.event === 'pruned');
  const rows = pruned.reduce((sum, r) => sum + Number(r.rows), 0);
  assert.equal(rows, lines - kept, 'the records count every row dropped');
  assert.ok(rows >= 200, `most rows were dropped by the cap of 20 (${rows})`);
  // At most one record per round of 30 lines (usually one in all: the rounds follow each
  // other within the quiet second), however many rows each round dropped.
  assert.ok(pruned.length >= 1 && pruned.length <= lines / 30, `${pruned.length} pruned records for ${rows} rows`);
});
