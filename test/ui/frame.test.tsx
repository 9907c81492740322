// The frame on the engine double (rendering only): tab bar, status line, 80×24 fit and
// stacking, the help overlay from the key table, edit mode shielding the global keys,
// and how q and Ctrl-C end the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { App, type QuitReason } from '../../source/ui/app.js';
import type { Key } from 'ink';
import { isKey, keyBindings } from '../../source/ui/key-bindings.js';
import { EngineDouble } from '../helpers/ui-engine-double.js';
import { inAct, keys, makeServices, mount, plain, press, type, waitForFrame } from './support.js';

const plainKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

async function frame(engine: EngineDouble, options: { columns?: number; rows?: number; demo?: boolean } = {}) {
  const { services } = makeServices(engine, { demo: options.demo ?? false, jiraUrl: options.demo ? 'http://127.0.0.1:9' : 'https://jira.example.com' });
  const quits: QuitReason[] = [];
  const app = await mount(<App services={services} size={{ columns: options.columns ?? 100, rows: options.rows ?? 30 }} onQuit={(r) => quits.push(r)} redrawIntervalMs={1} />);
  return { app, quits, close: () => inAct(() => app.unmount()) };
}

test('tab bar and status line: URL, connection, credentials, socket, queue, throttle', async () => {
  const engine = new EngineDouble();
  engine.update({ queueDepth: 3, throttle: { used: 4, max: 10, intervalSeconds: 60 },
    connection: { state: 'ok', serverInfo: { deploymentType: 'DataCenter', version: '9.12.0', baseUrl: 'https://jira.example.com' }, user: { displayName: 'Ops Bot', name: 'ops-bot' }, checkedAt: 0 } });
  const { app, close } = await frame(engine);
  const lines = plain(app.lastFrame()).split('\n');
  assert.match(lines[0], /^1 Creation {2}2 Configuration {2}3 Log {2}4 Statistics {2}5 Jira/);
  const status = lines.slice(-2).join(' │ ');
  for (const part of ['https://jira.example.com', 'connected as Ops Bot', 'creds: none', 'socket 127.0.0.1:7465', 'queue 3', 'throttle 4/10 per 60s']) {
    assert.ok(status.includes(part), `status line has ${part}: ${status}`);
  }
  assert.doesNotMatch(plain(app.lastFrame()), /DEMO/);
  assert.doesNotMatch(status, /pacing/, 'no word of pacing while the ceiling sets the pace');
  engine.update({ pacing: { perSecond: 12.5, concurrent: 7, limitedByJira: true, waiting: 240, inFlight: 7, refusals: 3, pausedUntil: null, endpoints: {}, issues: 0, paced: 180 } });
  await waitForFrame(app.lastFrame, (f) => /pacing at 12\.5 req\/s \(Jira's rate limit\), 180 commands waiting/.test(f.replace(/\n/g, ' ')));
  engine.update({ connection: { state: 'auth-refused', error: '401', checkedAt: 0 }, paused: true });
  await waitForFrame(app.lastFrame, (f) => /credentials refused \(queue paused\)/.test(f));
  await close();
});

test('demo mode says DEMO and how to configure a real Jira', async () => {
  const { app, close } = await frame(new EngineDouble(), { demo: true });
  const text = plain(app.lastFrame());
  assert.ok(text.split('\n').slice(-2).some((l) => l.startsWith('DEMO │')), 'the status line starts with DEMO');
  assert.match(text, /DEMO — real Jira: 2 Configuration → Jira URL, or --jira-url URL \/ JIRALINE_URL/, 'what to do first');
  await close();
});

test('at 80×24 every pane fits the screen, and the Creation pane stacks; at 100 it splits', async () => {
  const engine = new EngineDouble();
  engine.fillLog(300);
  const small = await frame(engine, { columns: 80, rows: 24 });
  for (const key of ['1', '2', '3', '4', '5']) {
    await press(small.app, key);
    const lines = plain(small.app.lastFrame()).split('\n');
    assert.ok(lines.length <= 23, `pane ${key}: ${lines.length} lines fit 24 rows`);
    const wide = lines.find((l) => Array.from(l).length > 80);
    assert.equal(wide, undefined, `pane ${key}: no line wider than 80`);
  }
  await press(small.app, '1');
  const stacked = plain(small.app.lastFrame()).split('\n');
  const tableAt = stacked.findIndex((l) => l.includes('Ticket Creation Table'));
  const queryAt = stacked.findIndex((l) => l.includes('Create Query'));
  assert.ok(tableAt >= 0 && queryAt > tableAt, 'stacked: the table above the Create Query');
  await small.close();

  const big = await frame(engine, { columns: 100, rows: 30 });
  const split = plain(big.app.lastFrame()).split('\n').find((l) => l.includes('Create Query')) ?? '';
  assert.match(split, /Create Query.*Ticket Creation Table/, 'side by side on one line');
  await big.close();
});

test('? shows every key of the key table, scrolls, and Esc closes it', async () => {
  const { app, close } = await frame(new EngineDouble(), { rows: 60 });
  await press(app, '?');
  let text = plain(app.lastFrame());
  assert.match(text, /Keys/);
  for (const b of keyBindings.slice(0, 10)) assert.ok(text.includes(b.description), `help shows: ${b.description}`);
  await press(app, keys.end);
  text = plain(app.lastFrame());
  assert.ok(text.includes(keyBindings.at(-1)?.description ?? '?'), 'the last binding is reachable');
  await press(app, keys.escape);
  assert.doesNotMatch(plain(app.lastFrame()), /Keys/);
  await close();
});

test('1–5 switch panes in navigation mode, but are text while a field is edited', async () => {
  const engine = new EngineDouble();
  engine.fillLog(5);
  const { app, close } = await frame(engine);
  await press(app, '3');
  assert.match(plain(app.lastFrame()), /Log 5 rows/);
  await press(app, '/');
  await type(app, '4q?');
  assert.match(plain(app.lastFrame()), /\/ 4q\?/, 'the keys went into the filter');
  await waitForFrame(app.lastFrame, (f) => /Log 0 rows \(filtered\)/.test(f));
  await press(app, keys.escape, '4');
  assert.match(plain(app.lastFrame()), /Statistics/);
  await close();
});

test('keys typed so fast they arrive in one read still act one by one', async () => {
  const engine = new EngineDouble();
  engine.fillLog(2);
  const { app, close } = await frame(engine);
  await press(app, '3?');
  const text = plain(app.lastFrame());
  assert.match(text, /Keys/, '? opened the help');
  await press(app, keys.escape);
  assert.match(plain(app.lastFrame()), /Log 2 rows/, 'after 3 switched to the Log');
  await close();
});

test('q quits at once when nothing is pending, and asks first when commands are', async () => {
  const engine = new EngineDouble();
  const idle = await frame(engine);
  await press(idle.app, 'q');
  assert.deepEqual(idle.quits, ['quit']);
  await idle.close();

  engine.pending = 3;
  engine.update({ queueDepth: 3 });
  const busy = await frame(engine);
  await press(busy.app, 'q');
  assert.match(plain(busy.app.lastFrame()), /Quit jiraline\?[\s\S]*3 commands are still pending/);
  assert.deepEqual(busy.quits, []);
  await press(busy.app, 'n');
  assert.doesNotMatch(plain(busy.app.lastFrame()), /Quit jiraline/);
  await press(busy.app, 'q', 'y');
  assert.deepEqual(busy.quits, ['quit']);
  await busy.close();
});

test('Ctrl-C ends the app from any mode', async () => {
  const engine = new EngineDouble();
  const { app, quits, close } = await frame(engine);
  await press(app, '3', '/');
  await press(app, keys.ctrlC);
  assert.deepEqual(quits, ['interrupt']);
  await close();
});

test('the status line shows how full the queue is against its ceiling, and FULL when lines are refused', async () => {
  const engine = new EngineDouble();
  const ceiling = { maxCommands: 20, maxBytes: 64 * 1024 * 1024 };
  engine.update({ queueDepth: 17, queueFill: { commands: 17, bytes: 1000, ...ceiling, fill: 0.85 } });
  const { app, close } = await frame(engine);
  assert.match(plain(app.lastFrame()), /queue 17 85% full/);
  await inAct(() => engine.update({ queueDepth: 20, queueFill: { commands: 20, bytes: 1200, ...ceiling, fill: 1 } }));
  await waitForFrame(() => app.lastFrame(), (f) => /queue 20 FULL/.test(f));
  await close();
});

test('80×24: j and k move in a list as ↓ and ↑ (Log pane)', async () => {
  const engine = new EngineDouble();
  engine.fillLog(50);
  const { app, close } = await frame(engine, { columns: 80, rows: 24 });
  await press(app, '3');
  await waitForFrame(app.lastFrame, (f) => /1 selected/.test(f));
  for (const k of ['j', 'j', 'j']) await press(app, k);
  await waitForFrame(app.lastFrame, (f) => /4 selected/.test(f));
  await press(app, 'k');
  await waitForFrame(app.lastFrame, (f) => /3 selected/.test(f));
  await close();
  // Beside a search box that takes letters (Add Field), j and k are letters, not moves.
  const letter = { ...plainKey };
  assert.equal(isKey('down', 'j', letter), true);
  assert.equal(isKey('down', 'j', letter, true), false);
  assert.equal(isKey('down', '', { ...plainKey, downArrow: true }, true), true);
});

test('80×24: ? opens on the keys of the pane it came from, and its header and its own entry agree on how to close it', async () => {
  const engine = new EngineDouble();
  engine.fillLog(5);
  const { app, close } = await frame(engine, { columns: 80, rows: 24 });
  await press(app, '3');
  await press(app, '?');
  const lines = plain(app.lastFrame()).split('\n');
  const header = lines.findIndex((l) => /Keys/.test(l));
  assert.match(lines[header], /Esc, \? or q closes/);
  assert.match(lines[header + 1], /│\s*Log\s/, 'the Log pane\'s keys come first');
  assert.ok(lines.slice(header + 1, header + 5).some((l) => l.includes('filter: words')), lines.join('\n'));
  const helpEntry = keyBindings.find((b) => b.action === 'help')?.description ?? '';
  assert.match(helpEntry, /Esc, \? or q closes/);
  await press(app, 'q');
  assert.doesNotMatch(plain(app.lastFrame()), /Keys/);
  // From the Creation pane, Creation's keys first.
  await press(app, '1');
  await press(app, '?');
  const creation = plain(app.lastFrame()).split('\n');
  assert.match(creation[creation.findIndex((l) => /Keys/.test(l)) + 1], /│\s*Creation\s/);
  await close();
});

test('80×24 demo: the Configuration pane shows the Jira URL as the built-in simulator, not its throwaway address', async () => {
  const { app, close } = await frame(new EngineDouble(), { columns: 80, rows: 24, demo: true });
  await press(app, '2');
  const text = plain(app.lastFrame());
  assert.match(text, /Jira URL\s+demo \(built-in simulator\)/);
  assert.doesNotMatch(text.split('\n').filter((l) => /Jira URL/.test(l)).join('\n'), /127\.0\.0\.1/);
  await close();
});
