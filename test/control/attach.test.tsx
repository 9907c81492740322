// Apps attached to a running engine over the control socket, as an operator uses them
// beside the daemon: the daemon's rows in the Log pane, Execute logged by the daemon as
// Manual, a template edit used by the daemon's next automatic CREATE and shown in the
// other attached app, the status line saying who it is attached to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { makeSecret } from '../../source/secrets/index.js';
import { lockHolder } from '../../source/control/control-address.js';
import { connectClient } from '../daemon/helpers/line-client.js';
import { keys, plain, press, waitForFrame, waitUntil } from '../ui/support.js';
import { attachApp, startEngineHost } from './attach-helpers.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' },
  { field: 'issuetype', value: 'Task', mode: 'Include' },
  { field: 'summary', value: 'by hand', mode: 'Include' },
  { field: 'description', value: 'from-the-template', mode: 'Exclude' },
];

test('two apps attached to a running engine: rows, Execute, a template edit used by the next CREATE and seen by the other app', async (t) => {
  const host = await startEngineHost({ template });
  t.after(() => host.close());
  const engine = host.runtime.engine;
  const tcp = await connectClient(host.runtime.listenAddress as string);
  t.after(() => tcp.destroy());

  await tcp.write('A1|CREATE|summary;first alarm|\n');
  assert.deepEqual(await tcp.waitFor(1), ['OK A1 queued']);
  await waitUntil(() => engine.status('A1')?.status === 'Ok', 'A1 sent');
  const key1 = engine.status('A1')?.ticketKey as string;
  assert.equal(host.simulator.issue(key1)?.fields.description, undefined, 'the Exclude row is left out');

  const one = await attachApp(host.dataDir, 'log');
  t.after(() => one.close());
  const two = await attachApp(host.dataDir, 'creation');
  t.after(() => two.close());

  // The daemon's row, in the attached app's Log pane; the status line names the engine.
  let frame = await waitForFrame(one.app.lastFrame, (f) => new RegExp(`Automatic Create .*A1\\s+Ok\\s+${key1}\\s`).test(f));
  assert.match(frame, new RegExp(`attached to pid ${process.pid}`));
  assert.match(frame, /Log 1 row/);

  // A line fed while attached shows up without a key pressed.
  await tcp.write('A2|CREATE|summary;second alarm|\n');
  await tcp.waitFor(2);
  await waitUntil(() => engine.status('A2')?.status === 'Ok', 'A2 sent');
  const key2 = engine.status('A2')?.ticketKey as string;
  frame = await waitForFrame(one.app.lastFrame, (f) => new RegExp(`A2\\s+Ok\\s+${key2}\\s`).test(f) && /Log 2 rows/.test(f));

  // Execute in app one: the engine logs it as Manual.
  await press(one.app, '1');
  await waitForFrame(one.app.lastFrame, (f) => f.includes('Ticket Creation Table'));
  await press(one.app, 'x');
  frame = await waitForFrame(one.app.lastFrame, (f) => /Created OPS-\d+/.test(f));
  const manualKey = /Created (OPS-\d+)/.exec(frame)?.[1] as string;
  const manual = engine.queryLog({ ticketKey: manualKey });
  assert.equal(manual.length, 1);
  assert.equal(manual[0].type, 'Manual');
  assert.equal(manual[0].status, 'Ok');

  // Both switch to the automatic template (t); app two shows the description row excluded;
  // app one includes it (m on its row).
  await press(one.app, 't');
  await waitForFrame(one.app.lastFrame, (f) => f.includes('Automatic CREATE template'));
  await press(two.app, 't');
  await waitForFrame(two.app.lastFrame, (f) => f.includes('Automatic CREATE template'));
  assert.match(plain(two.app.lastFrame()), /description\s+from-the-template\s+\S+\s+Exclude/);
  await press(one.app, keys.down, keys.down, keys.down, 'm');
  await waitForFrame(one.app.lastFrame, (f) => /description\s+from-the-template\s+\S+\s+Include/.test(f));
  await waitUntil(() => host.runtime.shared.store.get().config.template.some((r) => r.field === 'description' && r.mode === 'Include'), 'the engine has the new template');
  // … the other app shows it …
  await waitForFrame(two.app.lastFrame, (f) => /description\s+from-the-template\s+\S+\s+Include/.test(f));
  // … and the engine's next automatic CREATE uses it.
  await tcp.write('A3|CREATE|summary;third alarm|\n');
  await tcp.waitFor(3);
  await waitUntil(() => engine.status('A3')?.status === 'Ok', 'A3 sent');
  const key3 = engine.status('A3')?.ticketKey as string;
  assert.equal(host.simulator.issue(key3)?.fields.description, 'from-the-template');

  // Both apps are listed as attached.
  assert.equal(host.runtime.control?.clients().length, 2);
});

test('attached: Statistics and its reset, the Jira pane, the config applied live by the engine, credentials stored by it, Test connection, the Advanced input', async (t) => {
  const host = await startEngineHost({ template });
  t.after(() => host.close());
  const engine = host.runtime.engine;
  assert.equal(await engine.submitLine('S1|CREATE|summary;Router down|'), 'OK S1 queued');
  await waitUntil(() => engine.status('S1')?.status === 'Ok', 'S1 sent');

  const app = await attachApp(host.dataDir, 'statistics');
  t.after(() => app.close());
  await waitForFrame(app.app.lastFrame, (f) => /Created\s+1\s+1\s+0/.test(f));
  await press(app.app, 'r', 'd');
  await waitForFrame(app.app.lastFrame, (f) => /Daily counters .* reset\./.test(f) && /Created\s+1\s+0\s+0/.test(f));
  assert.equal(engine.getSnapshot().stats.created.today, 0, 'the engine reset them');

  await press(app.app, '5');
  const jira = await waitForFrame(app.app.lastFrame, (f) => /1 shown/.test(f));
  assert.match(jira, /Router down/);

  // The Configuration pane's save: the engine applies it live and writes the file.
  const config = app.services.settings.get().config;
  await app.services.saveConfig({ ...config, updates: { ...config.updates, maxUpdates: 3 } });
  assert.equal(engine.getSnapshot().throttle.max, 3);
  await waitForFrame(app.app.lastFrame, (f) => /throttle 0\/3 per 60s/.test(f));
  await host.runtime.shared.settled();
  assert.equal(JSON.parse(await readFile(host.configPath, 'utf8')).updates.maxUpdates, 3);

  // Authentication: the engine stores the credentials and uses them.
  const saved = await app.services.saveCredentials({ method: 'basic', username: 'ops-bot', password: makeSecret('s3cret-attached') });
  assert.equal(saved.source, 'file');
  assert.equal(host.runtime.credentialSource, 'file');
  await waitUntil(() => app.services.settings.get().credentialSource === 'file', 'the app sees the new source');

  // Test connection and the Advanced input go through the engine too.
  assert.equal((await app.services.engine.checkConnection()).state, 'ok');
  assert.match(await app.services.engine.submitLine('S1|UPDATE|comment;from the app|'), /^OK S1 queued$/);
  assert.match(await app.services.engine.submitLine('bad line'), /^ERR - /);
});

test('the engine gone and none back: the app starts no engine of its own until the user presses S', async (t) => {
  const host = await startEngineHost({ template });
  t.after(() => host.close());
  let asked = 0;
  const app = await attachApp(host.dataDir, 'statistics', { columns: 120, rows: 30 }, { offerAfterMs: 1500, startOwnEngine: () => (asked += 1) });
  t.after(() => app.close());
  await waitForFrame(app.app.lastFrame, (f) => f.includes(`attached to pid ${process.pid}`));
  await host.runtime.stop();
  await waitForFrame(app.app.lastFrame, (f) => f.includes(`engine pid ${process.pid} gone`));
  await press(app.app, 'S');
  assert.equal(asked, 0, 'not offered yet: S does nothing');
  assert.equal(await lockHolder(host.dataDir), null);
  const frame = await waitForFrame(app.app.lastFrame, (f) => /no engine came back/.test(f));
  assert.match(frame, /press S to start an engine here/);
  assert.equal(await lockHolder(host.dataDir), null, 'still none started behind the user\'s back');
  await press(app.app, 'S');
  assert.equal(asked, 1);
});
