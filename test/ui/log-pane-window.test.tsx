// The Log pane's windowing over 100,000 rows (rendering only, on the engine double):
// only a screenful is fetched and drawn; PgDn, End, the `/` filter and Enter work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { LogPane } from '../../source/ui/panes/log-pane.js';
import { parseLogFilter } from '../../source/ui/log-filter.js';
import { EngineDouble, logRow } from '../helpers/ui-engine-double.js';
import { inAct, keys, makeServices, mount as mountTree, plain, press, type, waitForFrame, waitUntil } from './support.js';
import { LogViewStore, TEXT_COUNT_DELAY_MS } from '../../source/ui/log-view-store.js';
import type { PaneMemory } from '../../source/ui/panes/pane-props.js';
import { FakeClock } from '../helpers/fake-clock.js';

async function mount(engine: EngineDouble, height = 20, memory: PaneMemory = new Map()) {
  const { services } = makeServices(engine);
  const modes: string[] = [];
  const app = await mountTree(
    <LogPane services={services} snapshot={engine.getSnapshot()} isActive width={100} height={height}
      setMode={(m) => modes.push(m)} memory={memory} />,
  );
  return { app, modes, services };
}

test('the filter text becomes a LogQuery', () => {
  assert.deepEqual(parseLogFilter('failed guid:alarm-7 key:ops-3 disk full'), { status: 'Failed', guid: 'alarm-7', ticketKey: 'OPS-3', text: 'disk full' });
  assert.deepEqual(parseLogFilter('status:pending'), { status: 'Pending' });
  assert.deepEqual(parseLogFilter('  '), {});
});

test('100,000 rows: one screenful fetched and drawn, PgDn and End move through them', async () => {
  const engine = new EngineDouble();
  engine.fillLog(100_000);
  const { app } = await mount(engine);
  let frame = plain(app.lastFrame());
  assert.match(frame, /100,000 rows/);
  assert.match(frame, /OPS-100000/);
  // The screen and the rows around it (so a page move is drawn at once), never the whole log.
  assert.ok(engine.queries.every((q) => (q.limit ?? Infinity) <= 4 * 16), 'never more than a few screens asked for');
  const drawn = frame.split('\n').filter((l) => /OPS-\d+/.test(l)).length;
  assert.equal(drawn, 16, 'height 20 leaves 16 table rows');

  await press(app, keys.pageDown);
  frame = plain(app.lastFrame());
  assert.match(frame, /OPS-99984 /);
  assert.doesNotMatch(frame, /OPS-100000 /);

  await press(app, keys.end);
  frame = plain(app.lastFrame());
  assert.match(frame, /100,000 selected/);
  assert.match(frame, /OPS-1 /);
  const last = engine.queries.at(-1);
  assert.ok(last && (last.offset ?? 0) <= 100_000 - 16 && (last.offset ?? 0) + (last.limit ?? 0) >= 100_000, 'the last rows fetched');
  assert.ok((last?.offset ?? 0) >= 100_000 - 4 * 16, 'and not many more');
  app.unmount();
});

test('`/` filters as you type, Enter opens the row with request, answer, attempts; Esc goes back', async () => {
  const engine = new EngineDouble();
  engine.fillLog(500, (id) => logRow(id, id % 50 === 0
    ? { status: 'Failed', error: 'Jira answered 400: summary: Field required', ticketKey: null, ticketUrl: null }
    : {}));
  const { app, modes } = await mount(engine);
  await press(app, '/');
  await waitUntil(() => modes.at(-1) === 'edit', 'edit mode while typing a filter (1–5, q and ? are text then)');
  await type(app, 'failed');
  let frame = plain(app.lastFrame());
  assert.match(frame, /10 rows \(filtered\)/);
  assert.doesNotMatch(frame, /OPS-499/);
  await press(app, keys.enter);
  await waitUntil(() => modes.at(-1) === 'navigate', 'navigation mode after Enter');
  await press(app, keys.down, keys.enter);
  frame = plain(app.lastFrame());
  assert.match(frame, /Log row 450/);
  assert.match(frame, /Attempts\s+1/);
  assert.match(frame, /Request sent/);
  assert.match(frame, /Field required/);
  await press(app, keys.escape);
  frame = plain(app.lastFrame());
  assert.match(frame, /10 rows \(filtered\)/);
  await press(app, keys.escape);
  assert.match(plain(app.lastFrame()), /500 rows/);
  app.unmount();
});

test('a free-text filter shows the first page at once and its count once typing pauses', async () => {
  const engine = new EngineDouble();
  engine.fillLog(2_000);
  const counted: Array<string | undefined> = [];
  const countLog = engine.countLog.bind(engine);
  engine.countLog = (q = {}) => {
    counted.push(q.text);
    return countLog(q);
  };
  // The pause before counting runs on a fake clock: a loaded machine cannot make it pass early.
  const clock = new FakeClock();
  const memory: PaneMemory = new Map();
  memory.set('log.view', new LogViewStore(engine, { timers: { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h as never) } }));
  const { app } = await mount(engine, 20, memory);
  await press(app, '/');
  await type(app, 'alarm-19');
  let frame = plain(app.lastFrame());
  assert.match(frame, /counting rows… \(filtered\)/);
  assert.match(frame, /alarm-1999 /, 'the matching rows are drawn before the count');
  assert.ok(!counted.includes('alarm-19'), 'not counted while typing');
  await inAct(() => clock.advance(TEXT_COUNT_DELAY_MS));
  frame = await waitForFrame(app.lastFrame, (f) => /111 rows \(filtered\)/.test(f));
  assert.equal(counted.at(-1), 'alarm-19', 'counted for the filter as typed');
  app.unmount();
});
