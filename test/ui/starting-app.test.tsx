// The App is drawn and takes keys before its engine has started (starting-services.ts):
// navigation answers at once, and what needs the engine — an Execute, a line sent from the
// command line, the Manual draft saved — waits for it and is handed over, in order, when it
// comes. Nothing typed while the engine starts is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime, type Runtime } from '../../source/daemon/runtime.js';
import { App } from '../../source/ui/app.js';
import { runtimeServices } from '../../source/ui/runtime-services.js';
import { startingServices } from '../../source/ui/starting-services.js';
import { StartingEngine, STARTING_LOG_VERSION } from '../../source/ui/starting-engine.js';
import { defaultConfig } from '../../source/core/config.js';
import type { EngineApi } from '../../source/core/engine-api.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { inAct, keys, makeServices, mount, plain, press, type, waitForFrame } from './support.js';

const openEditor = async (text: string) => ({ ok: true as const, text });

test('keys typed before the engine has started: panes and rows answer at once; x, a sent line and the draft edit reach the engine when it comes', async () => {
  const tmp = await makeTempDir('jiraline-starting-');
  const configPath = join(tmp.dir, 'config.json');
  await writeFile(configPath, '{}');
  const settings = resolveSettings({ demo: true, config: configPath, 'data-dir': join(tmp.dir, 'data'), listen: 'off' }, {}, 'tui');
  const starting = startingServices(settings, { openEditor, env: {} });
  const size = { columns: 100, rows: 30 };
  const app = await mount(<App services={starting.services} size={size} onQuit={() => undefined} />);
  let runtime: Runtime | null = null;
  try {
    // No engine yet: the table of the demo template, and the status line says so.
    let frame = plain(app.lastFrame());
    assert.match(frame, /Ticket Creation Table \(4 rows\)/);
    assert.match(frame, /DEMO │ starting…/);

    // Navigation: another pane and back, help.
    await press(app, '3');
    await waitForFrame(app.lastFrame, (f) => /Log 0 rows/.test(f) && /Maximum entries/.test(f));
    await press(app, '1', '?');
    await waitForFrame(app.lastFrame, (f) => /Keys/.test(f) && /Esc, \? or q closes/.test(f));
    await press(app, keys.escape);

    // Rows and a cell edit: the summary (third row) rewritten.
    await press(app, keys.down, keys.down, keys.enter);
    await press(app, ...Array.from({ length: 30 }, () => keys.backspace));
    await type(app, 'Typed while starting');
    await press(app, keys.enter);
    await waitForFrame(app.lastFrame, (f) => /"summary": "Typed while starting"/.test(f));
    // The edit is in the settings at once (the Manual draft), though no engine saves it yet.
    assert.ok(JSON.stringify(starting.services.settings.get().config.draft).includes('Typed while starting'));

    // What needs the engine waits for it: an Execute and a line from the command line.
    await press(app, 'x');
    await press(app, ':');
    await type(app, 'send boot-1|CREATE|summary;sent while starting|');
    await press(app, keys.enter);
    assert.equal(starting.engine.pendingCount(), 2, 'both held for the engine');
    frame = plain(app.lastFrame());
    assert.doesNotMatch(frame, /OK boot-1/, 'no reply before the engine');
    assert.doesNotMatch(frame, /Created DEMO-/);

    // The engine comes: it is handed over, and the App goes on with the runtime's services.
    runtime = await startRuntime(settings, { env: {}, keychain: null, face: 'app' });
    const started = runtime;
    starting.engine.ready(started.engine);
    const services = starting.handOver(runtimeServices(started, { openEditor }));
    assert.equal(services.engine, starting.services.engine, 'the panes keep the engine object');
    assert.equal(services.settings, starting.services.settings, 'and the settings store');
    await inAct(() => app.rerender(<App services={services} size={size} onQuit={() => undefined} />));

    frame = await waitForFrame(app.lastFrame, (f) => /OK boot-1 queued/.test(f) && /Created DEMO-\d+/.test(f));
    assert.doesNotMatch(frame, /starting…/);
    const key = /Created (DEMO-\d+)/.exec(frame)?.[1] as string;
    // The Execute sent the draft as edited before the engine was there.
    assert.equal(started.simulator?.issue(key)?.fields.summary, 'Typed while starting');
    assert.ok(JSON.stringify(started.shared.store.get().config.draft).includes('Typed while starting'), 'the draft edit reached the engine\'s settings');
    assert.ok(started.engine.status('boot-1'), 'the sent line was accepted');
    // The Log pane reads the engine's rows now.
    await press(app, '3');
    await waitForFrame(app.lastFrame, (f) => /Log [1-9]\d* rows?/.test(f) && /boot-1|Manual/.test(f));
  } finally {
    await inAct(() => app.unmount());
    if (runtime) {
      await runtime.shared.settled();
      await runtime.stop();
    }
    await tmp.cleanup();
  }
});

/** An engine double that records what it was asked, in order. */
function recordingEngine(): { engine: EngineApi; calls: string[] } {
  const calls: string[] = [];
  const base = new StartingEngine(defaultConfig());
  const engine = Object.assign(Object.create(null) as EngineApi, {
    getSnapshot: () => ({ ...base.getSnapshot(), logVersion: 1, logCount: 3 }),
    subscribe: () => () => undefined,
    onEvent: () => () => undefined,
    submitLine: async (line: string) => {
      calls.push(`line ${line}`);
      return `OK ${line} queued`;
    },
    resetStats: async () => {
      calls.push('reset');
    },
    setConfig: () => {
      calls.push('config');
    },
    countLog: () => 3,
  });
  return { engine, calls };
}

test('the stand-in engine: empty reads before, requests held in order and handed over, straight through after', async () => {
  const starting = new StartingEngine(defaultConfig());
  const { engine, calls } = recordingEngine();
  let changes = 0;
  starting.subscribe(() => changes++);
  assert.equal(starting.getSnapshot().logVersion, STARTING_LOG_VERSION);
  assert.equal(starting.countLog(), 0);
  assert.deepEqual(starting.queryLog({ limit: 10 }), []);

  const first = starting.submitLine('a');
  const reset = starting.resetStats('daily');
  const second = starting.submitLine('b');
  starting.setConfig(defaultConfig());
  assert.deepEqual(calls, [], 'nothing reaches an engine before there is one');
  assert.equal(starting.pendingCount(), 3);

  starting.ready(engine);
  // In the order asked, the config first (it applies to what follows), then the next call straight through.
  const third = starting.submitLine('c');
  assert.deepEqual(calls, ['config', 'line a', 'reset', 'line b', 'line c']);
  assert.deepEqual(await Promise.all([first, second, third]), ['OK a queued', 'OK b queued', 'OK c queued']);
  await reset;
  assert.equal(changes, 1, 'the panes are told once that everything changed');
  assert.equal(starting.countLog(), 3);
  assert.equal(starting.getSnapshot().logVersion, 1);
});

test('the stand-in engine: a start that fails rejects what was held, and what is asked after', async () => {
  const starting = new StartingEngine(defaultConfig());
  const held = starting.submitLine('a');
  starting.fail(new Error('the data directory is locked'));
  await assert.rejects(held, /locked/);
  await assert.rejects(starting.execute({ fields: {} }), /locked/);
});

test('the starting services: a config saved before the engine shows at once and is saved through the engine\'s services when they come', async () => {
  const tmp = await makeTempDir('jiraline-starting-');
  try {
    const configPath = join(tmp.dir, 'config.json');
    await writeFile(configPath, '{}');
    const settings = resolveSettings({ demo: true, config: configPath, 'data-dir': join(tmp.dir, 'data'), listen: 'off' }, {}, 'tui');
    const starting = startingServices(settings, { openEditor, env: { JIRALINE_AUTH_KEY: 'k' } });
    const early = starting.services.settings.get();
    assert.equal(early.credentialSource, 'environment', 'known from the environment before the keychain is asked');
    assert.deepEqual(early.config.template.map((r) => r.field), ['project', 'issuetype', 'summary', 'priority'], 'demo mode: the demo template');

    const edited = { ...early.config, draft: [{ field: 'summary', value: 'while starting', mode: 'Include' as const }] };
    const saved = starting.services.saveConfig(edited);
    assert.equal(starting.services.settings.get().config.draft?.[0].value, 'while starting', 'shown at once');

    // The engine's services: the demo simulator's URL is theirs.
    const engineConfig = { ...early.config, jira: { ...early.config.jira, url: 'http://127.0.0.1:9/' } };
    const next = makeServices(recordingEngine().engine, { demo: true, config: engineConfig });
    const services = starting.handOver(next.services);
    await saved;
    assert.equal(next.saved.length, 1, 'the held save went to the engine\'s services');
    assert.equal(next.saved[0].draft?.[0].value, 'while starting');
    assert.equal(next.saved[0].jira.url, 'http://127.0.0.1:9/', 'with the URL the engine runs with');
    assert.equal(services.starting, false);

    // From now on the store follows the engine's (another app attached may change it).
    next.settings.set((s) => ({ ...s, credentialSource: 'keychain' }));
    assert.equal(services.settings.get().credentialSource, 'keychain');
    await services.saveConfig({ ...edited, draft: null });
    assert.equal(next.saved.length, 2, 'saves go straight through');
  } finally {
    await tmp.cleanup();
  }
});
