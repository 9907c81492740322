// The Log pane reads its rows from the log-view store, never from the engine while drawing
// (an in-process engine answers with SQL, which a render would run again on every redraw),
// and the frame after a key already shows that key's window: no stale frame in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { LogPane } from '../../source/ui/panes/log-pane.js';
import { LogViewStore } from '../../source/ui/log-view-store.js';
import type { LogQuery } from '../../source/core/ports.js';
import { EngineDouble } from '../helpers/ui-engine-double.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { keys, makeServices, mount, plain, press, type, waitForFrame } from './support.js';

/** Whether React is rendering a component right now (its render function is on the stack). */
function inRender(): boolean {
  return /renderWithHooks|updateFunctionComponent|mountIndeterminateComponent/.test(new Error().stack ?? '');
}

/** An engine double that notes every log read made while React renders. */
function watchedEngine(rows: number) {
  const engine = new EngineDouble();
  engine.fillLog(rows);
  const duringRender: string[] = [];
  const queryLog = engine.queryLog.bind(engine);
  const countLog = engine.countLog.bind(engine);
  const getLogRow = engine.getLogRow.bind(engine);
  engine.queryLog = (q: LogQuery) => {
    if (inRender()) duringRender.push(`queryLog ${JSON.stringify(q)}`);
    return queryLog(q);
  };
  engine.countLog = (q = {}) => {
    if (inRender()) duringRender.push(`countLog ${JSON.stringify(q)}`);
    return countLog(q);
  };
  engine.getLogRow = (id: number) => {
    if (inRender()) duringRender.push(`getLogRow ${id}`);
    return getLogRow(id);
  };
  return { engine, duringRender };
}

test('no log query runs while the Log pane draws: paging, filtering, opening a row, new rows', async () => {
  const { engine, duringRender } = watchedEngine(10_000);
  const { services } = makeServices(engine);
  const memory = new Map();
  const app = await mount(<LogPane services={services} snapshot={engine.getSnapshot()} isActive width={100} height={20} setMode={() => undefined} memory={memory} />);
  assert.match(plain(app.lastFrame()), /OPS-10000 /);
  await press(app, keys.pageDown, keys.pageDown, keys.end, keys.up, keys.home);
  await press(app, keys.down, keys.enter);
  await waitForFrame(app.lastFrame, (f) => /Log row 9999/.test(f));
  await press(app, keys.escape);
  await press(app, '/');
  await type(app, 'failed');
  await press(app, keys.escape);
  engine.fillLog(10_001);
  await waitForFrame(app.lastFrame, (f) => /10,001 rows/.test(f) && /OPS-10001 /.test(f));
  assert.deepEqual(duringRender, [], 'log reads made during render');
  app.unmount();
});

test('the frame after a page key already holds the new rows (no frame of the old ones)', async () => {
  const { engine } = watchedEngine(10_000);
  const { services } = makeServices(engine);
  const app = await mount(<LogPane services={services} snapshot={engine.getSnapshot()} isActive width={100} height={20} setMode={() => undefined} memory={new Map()} />);
  for (const [key, first] of [[keys.pageDown, 'OPS-9984 '], [keys.pageDown, 'OPS-9968 '], [keys.end, 'OPS-16 '], [keys.pageUp, 'OPS-32 ']] as const) {
    const before = app.frames.length;
    await press(app, key);
    const after = app.frames.slice(before).map(plain);
    assert.ok(after.length >= 1, 'a frame was drawn');
    for (const frame of after) assert.match(frame, new RegExp(first), 'every frame after the key shows its window');
  }
  app.unmount();
});

test('the store answers page moves from the rows it holds and refills around them after the key', async () => {
  const engine = new EngineDouble();
  engine.fillLog(1_000);
  const clock = new FakeClock();
  const store = new LogViewStore(engine, { timers: { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h as never) } });
  store.show({}, 0, 10);
  assert.equal(store.getSnapshot().count, 1_000);
  const asked = engine.queries.length;
  store.show({}, 10, 10);
  store.show({}, 20, 10);
  assert.equal(engine.queries.length, asked, 'the next pages are already held: no query on the key');
  const block = store.getSnapshot().block;
  assert.ok(block && block.start <= 20 && block.start + block.rows.length >= 30);
  await clock.advance(1);
  assert.ok(engine.queries.length > asked, 'refilled around the new window after the key');
  store.show({}, 900, 10);
  const far = store.getSnapshot().block;
  assert.ok(far && far.start <= 900 && far.start + far.rows.length >= 910, 'a jump out of the block is read at once');
  assert.equal(far.rows[900 - far.start]?.ticketKey, 'OPS-100');
});

test('attached: a refill the engine\'s cache cannot answer exactly keeps the rows shown and asks for the new ones', async () => {
  const engine = new EngineDouble();
  engine.fillLog(1_000);
  let held = true;
  // RemoteEngine's holdsLog: whether its window cache has these rows (else it answers the nearest ones).
  const attached = Object.assign(engine, { holdsLog: () => held });
  const clock = new FakeClock();
  const store = new LogViewStore(attached, { timers: { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h as never) } });
  store.show({}, 0, 10);
  store.show({}, 20, 10);
  held = false;
  const shown = store.getSnapshot().block;
  const asked = engine.queries.length;
  await clock.advance(1);
  assert.equal(store.getSnapshot().block, shown, 'the block shown is kept until the rows arrive');
  assert.ok(engine.queries.length > asked, 'the read that fetches them was made');
  held = true;
  store.show({}, 20, 10);
  await clock.advance(1);
  assert.notEqual(store.getSnapshot().block, shown, 'once held, the block is refilled');
});
