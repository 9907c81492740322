// The Log pane's R (retry a Failed row) and C (cancel a Pending one, asking first), and its
// Ticket ID column, on the engine double.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { LogPane } from '../../source/ui/panes/log-pane.js';
import { EngineDouble, logRow } from '../helpers/ui-engine-double.js';
import { keys, makeServices, mount as mountTree, plain, press, waitUntil } from './support.js';

async function mount(engine: EngineDouble, width = 100) {
  const { services } = makeServices(engine);
  return mountTree(
    <LogPane services={services} snapshot={engine.getSnapshot()} isActive width={width} height={20} setMode={() => undefined} memory={new Map()} />,
  );
}

test('R retries the selected row and says what the engine answered', async () => {
  const engine = new EngineDouble();
  engine.fillLog(3, (id) => logRow(id, id === 2 ? { status: 'Failed', error: 'Jira answered 400' } : {}));
  const app = await mount(engine);
  await press(app, keys.down);
  await press(app, 'R');
  await waitUntil(() => engine.rowActions.length > 0, 'the retry asked of the engine');
  assert.deepEqual(engine.rowActions, ['retry 2']);
  await waitUntil(() => /log row 2 retried as row 1002/.test(plain(app.lastFrame())), 'the answer shown');
  app.unmount();
});

test('C asks first: n leaves the row, y cancels it', async () => {
  const engine = new EngineDouble();
  engine.fillLog(3, (id) => logRow(id, id === 3 ? { status: 'Pending', ticketKey: null } : {}));
  const app = await mount(engine);
  await press(app, 'C');
  await waitUntil(() => /Cancel log row 3 .*\[y\] yes \[n\] no/.test(plain(app.lastFrame())), 'the question');
  await press(app, 'n');
  await waitUntil(() => !/Cancel log row/.test(plain(app.lastFrame())), 'the question gone');
  assert.deepEqual(engine.rowActions, [], 'n cancels nothing');
  await press(app, 'C');
  await waitUntil(() => /Cancel log row 3/.test(plain(app.lastFrame())), 'asked again');
  await press(app, 'y');
  await waitUntil(() => /log row 3 cancelled/.test(plain(app.lastFrame())), 'the answer shown');
  assert.deepEqual(engine.rowActions, ['cancel 3']);
  app.unmount();
});

test('the Ticket ID column is shown from 100 columns', async () => {
  const engine = new EngineDouble();
  engine.fillLog(2);
  const app = await mount(engine, 100);
  const frame = plain(app.lastFrame());
  assert.match(frame, /Ticket ID/);
  assert.match(frame, /10002 /, 'the id of row 2');
  app.unmount();
});

test('a shows Jira\'s answers to the row, with hostile text neutralised; A shows every answer; Esc goes back', async () => {
  const engine = new EngineDouble();
  engine.fillLog(2);
  const answer = (id: number, logId: number, body: string) => ({ id, time: Date.parse('2026-11-28T10:00:00'), method: 'POST', path: '/rest/api/2/issue',
    status: 400, durationMs: 12, body, guid: `alarm-${logId}`, logId });
  engine.responseRows = [
    answer(2, 2, '{"errorMessages":["evil \u001b]8;;http://evil\u0007click\u001b[2J"]}'),
    answer(1, 1, '{"errorMessages":["other row"]}'),
  ];
  const app = await mount(engine);
  await press(app, 'a');
  await waitUntil(() => /Jira's answers to log row 2/.test(plain(app.lastFrame())) && /POST \/rest\/api\/2\/issue\s+400/.test(plain(app.lastFrame())), 'the row\'s answers');
  const raw = app.lastFrame() ?? '';
  assert.ok(!raw.includes('\u001b]8;;http://evil'), 'no hyperlink forged by the body');
  assert.ok(!raw.includes('\u001b[2J'), 'no screen clear from the body');
  assert.match(plain(raw), /evil/);
  assert.doesNotMatch(plain(raw), /other row/, 'only this row\'s answers');
  await press(app, keys.escape);
  await waitUntil(() => /Ticket ID/.test(plain(app.lastFrame())), 'back to the table');
  await press(app, 'A');
  await waitUntil(() => /other row/.test(plain(app.lastFrame())), 'every answer');
  app.unmount();
});
