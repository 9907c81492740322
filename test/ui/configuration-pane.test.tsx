// The Configuration pane on the real runtime (a standalone simulator as the Jira, so the
// config file is really written): schema-driven validation at the field, live vs restart,
// Test connection, the Advanced input, and the Authentication dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formFields } from '../../source/ui/config-form.js';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());

async function fileConfig(live: LiveApp): Promise<Record<string, any>> {
  await live.services.settled();
  return JSON.parse(await readFile(live.configPath, 'utf8')) as Record<string, any>;
}

/** Moves the form's cursor to the field with this label (the form lists formFields() in order). */
async function goTo(live: LiveApp, label: string): Promise<void> {
  const index = formFields().findIndex((f) => f.label === label);
  assert.ok(index >= 0, `a field labelled ${label}`);
  await press(live.app, keys.home, ...Array.from({ length: index }, () => keys.down));
  const help = formFields()[index].help;
  assert.ok(screen(live).includes(help.slice(0, 40)), `${label} focused: its help is shown`);
}

test('the form comes from the schema: labels, values, which settings need a restart', async () => {
  const live = await startLiveApp({ demo: false, pane: 'configuration' });
  try {
    const text = screen(live);
    for (const label of ['Jira URL', 'Ticket Location URL', 'Bypass proxy', 'CA file', 'Timeout (s)', 'Max updates', 'Interval (s)', 'Maximum entries', 'Remove entries older than (days)', 'Listen address']) {
      assert.ok(text.includes(label), `form has ${label}`);
    }
    assert.match(text, new RegExp(`Jira URL\\s+${live.simulator.url.replace(/[.]/g, '\\.')}\\s+\\(restart\\)`));
    assert.match(text, /Max updates\s+10\s*$/m, 'update settings apply live: no restart mark');
  } finally {
    await live.close();
  }
});

test('an invalid value is refused at the field with the reason; a valid one is saved and applied live', async () => {
  const live = await startLiveApp({ demo: false, pane: 'configuration' });
  try {
    await goTo(live, 'Max updates');
    await press(live.app, keys.enter, keys.backspace, keys.backspace);
    await type(live.app, '0');
    await press(live.app, keys.enter);
    assert.match(screen(live), /Refused: Too small: expected number to be >=1/);
    assert.equal(live.runtime.engine.getSnapshot().throttle.max, 10, 'nothing applied');
    await press(live.app, keys.backspace);
    await type(live.app, 'many');
    await press(live.app, keys.enter);
    assert.match(screen(live), /Refused: expected a number/);
    await press(live.app, ...Array.from({ length: 4 }, () => keys.backspace));
    await type(live.app, '20');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Saved and applied\./.test(f));
    assert.equal((await fileConfig(live)).updates.maxUpdates, 20, 'written to the config file');
    await waitUntil(() => live.runtime.engine.getSnapshot().throttle.max === 20, 'the engine runs with it');
    await waitForFrame(live.app.lastFrame, (f) => /throttle 0\/20 per 60s/.test(f));

    await goTo(live, 'Bypass proxy');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Saved\. Takes effect after a restart: Bypass proxy\./.test(f));
    assert.equal((await fileConfig(live)).jira.bypassProxy, true);

    await goTo(live, 'Listen address');
    await press(live.app, keys.enter, ...Array.from({ length: 5 }, () => keys.backspace));
    await type(live.app, 'localhost');
    await press(live.app, keys.enter);
    assert.match(screen(live), /Refused: expected HOST:PORT/);
    await type(live.app, ':7999');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Takes effect after a restart: Listen address/.test(f));
    assert.equal((await fileConfig(live)).listen, 'localhost:7999');
  } finally {
    await live.close();
  }
});

test('t tests the connection: what serverInfo and myself answered', async () => {
  const live = await startLiveApp({ demo: false, pane: 'configuration' });
  try {
    await press(live.app, 't');
    const text = await waitForFrame(live.app.lastFrame, (f) => /serverInfo: /.test(f));
    assert.match(text, /serverInfo: .*Jira DataCenter \S+ at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /myself: Ops Bot \(ops-bot\)/);
  } finally {
    await live.close();
  }
});

test('the Advanced input handles a line as the socket would and shows the reply', async () => {
  const live = await startLiveApp({ pane: 'configuration' });
  try {
    await press(live.app, keys.tab, keys.enter);
    await type(live.app, 'alarm-7|CREATE|summary;Typed in the pane|');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /OK alarm-7 queued/.test(f));
    await type(live.app, 'alarm-8|UPDATE|summary;x|');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /ERR alarm-8 /.test(f));
    await live.runtime.engine.whenIdle();
    await waitUntil(() => live.runtime.engine.status('alarm-7')?.status === 'Ok', 'the CREATE sent');
    const key = live.runtime.engine.status('alarm-7')?.ticketKey as string;
    assert.equal(live.simulator.issue(key)?.fields.summary, 'Typed in the pane');
    await press(live.app, keys.escape, '3');
    await waitForFrame(live.app.lastFrame, (f) => new RegExp(`Automatic Create .*alarm-7\\s+Ok\\s+${key}`).test(f));
  } finally {
    await live.close();
  }
});

test('Authentication stores the credentials (0600 file here) and shows the source in use, never the secret', async () => {
  const live = await startLiveApp({ demo: false, pane: 'configuration' });
  try {
    assert.match(screen(live), /Authentication… {2}\(in use: none\)/);
    await press(live.app, 'u');
    assert.match(screen(live), /Authentication[\s\S]*In use: none/);
    await press(live.app, keys.down, keys.enter);
    await type(live.app, 'ops-bot');
    await press(live.app, keys.enter, keys.down, keys.enter);
    await type(live.app, 'hunter2-api-token-0042');
    assert.doesNotMatch(screen(live), /hunter2/, 'typed masked');
    await press(live.app, keys.enter, keys.down, keys.enter);
    const text = await waitForFrame(live.app.lastFrame, (f) => /Credentials saved/.test(f));
    assert.match(text, /in use: credentials\.json \(mode 0600\)/);
    assert.match(text, /Authentication… {2}\(in use: file: basic ops-bot \/ \*\*\*\*0042\)/);
    assert.doesNotMatch(text, /hunter2/);
    const file = join(live.tmp.dir, 'credentials.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, 'utf8'), /ops-bot/);
    assert.equal((await fileConfig(live)).auth.username, 'ops-bot');
    assert.doesNotMatch(await readFile(live.configPath, 'utf8'), /hunter2/, 'no secret in the config file');
  } finally {
    await live.close();
  }
});

test('the queue ceilings are in the form with their labels, applied without a restart', () => {
  const fields = formFields().filter((f) => f.group === 'Queue');
  assert.deepEqual(fields.map((f) => [f.key, f.label, f.kind, f.restart]), [
    ['queue.maxCommands', 'Max waiting commands', 'number', false],
    ['queue.maxBytes', 'Max waiting bytes', 'number', false],
  ]);
});
