// Recurrence and the template apart from the draft, on a running engine (as the daemon runs
// it) with an app attached over the control socket: an alarm back after its ticket was
// resolved is reopened and shown as Reopen in the attached Log pane; a template edited in the
// attached app with a placeholder is used by the engine's next CREATE; an unknown placeholder
// is refused by the engine itself, and the attached pane says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient } from '../daemon/helpers/line-client.js';
import { keys, press, type, waitForFrame, waitUntil } from '../ui/support.js';
import { attachApp, startEngineHost } from './attach-helpers.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' },
  { field: 'issuetype', value: 'Task', mode: 'Include' },
  { field: 'description', value: 'plain', mode: 'Include' },
];

test('attached: a recurring alarm reopens its resolved ticket (Reopen in the Log pane); a template placeholder edited in the app fills the next CREATE; an unknown one is refused', async (t) => {
  const host = await startEngineHost({ template });
  t.after(() => host.close());
  const engine = host.runtime.engine;
  const tcp = await connectClient(host.runtime.listenAddress as string);
  t.after(() => tcp.destroy());

  await tcp.write('R1|CREATE|summary;link down|\n');
  await tcp.waitFor(1);
  await waitUntil(() => engine.status('R1')?.status === 'Ok', 'R1 created');
  const key = engine.status('R1')?.ticketKey as string;
  await tcp.write('R1|UPDATE|status;Done|\n');
  await tcp.waitFor(2);
  await waitUntil(() => host.simulator.issue(key)?.status === 'Done', 'R1 resolved');
  await tcp.write('R1|CREATE|summary;link down again|\n');
  await tcp.waitFor(3);
  await waitUntil(() => engine.queryLog({ guid: 'R1' })[0]?.status === 'Ok' && engine.queryLog({ guid: 'R1' }).length === 3, 'R1 back');
  assert.equal(host.simulator.issue(key)?.status, 'To Do', 'reopened through the Reopen transition');
  assert.equal(host.simulator.issue(key)?.fields.summary, 'link down again');

  const app = await attachApp(host.dataDir, 'log');
  t.after(() => app.close());
  await waitForFrame(app.app.lastFrame, (f) => new RegExp(`Automatic\\s+Reopen\\s.*R1\\s+Ok\\s+${key}\\s`).test(f));

  // The template, edited in the attached app: a placeholder the engine fills from the next line.
  await press(app.app, '1', 't');
  await waitForFrame(app.app.lastFrame, (f) => f.includes('Automatic CREATE template'));
  await press(app.app, keys.down, keys.down, keys.enter, ...Array.from({ length: 6 }, () => keys.backspace));
  await type(app.app, '{guid}/{field:summary}');
  await press(app.app, keys.enter);
  await waitUntil(() => host.runtime.shared.store.get().config.template[2]?.value === '{guid}/{field:summary}', 'the engine has the new template');
  await tcp.write('R2|CREATE|summary;fan failed|\n');
  await tcp.waitFor(4);
  await waitUntil(() => engine.status('R2')?.status === 'Ok', 'R2 created');
  assert.equal(host.simulator.issue(engine.status('R2')?.ticketKey as string)?.fields.description, 'R2/fan failed');

  // An unknown placeholder (in the issue type's row, Task): the pane does not save it, and the
  // engine refuses it from any client.
  await press(app.app, keys.up, keys.enter, ...Array.from({ length: 4 }, () => keys.backspace));
  await type(app.app, '{host}');
  await press(app.app, keys.enter);
  await waitForFrame(app.app.lastFrame, (f) => /not saved — issuetype: unknown placeholder \{host\}/.test(f));
  const current = host.runtime.shared.store.get().config;
  await assert.rejects(app.engine.saveConfig({ ...current, template: [...current.template.slice(0, 2), { field: 'description', value: '{host}', mode: 'Include' }] }),
    /template\.2\.value: template row "description": unknown placeholder \{host\} — use \{guid\}, \{field:NAME\}, \{now\} or \{date\}/);
  assert.equal(host.runtime.shared.store.get().config.template[2]?.value, '{guid}/{field:summary}', 'the engine keeps the last good template');
  assert.equal(host.runtime.shared.store.get().config.template[1]?.value, 'Task');
});
