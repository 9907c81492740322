// The log reads over the control socket are shared between attached apps (answered once
// per update interval), yet an app that reads right after its own change sees the change:
// the shared answers are dropped once a request that changes something is answered. The
// list travels brief (no request, no Jira answer), and a row opened in an attached app
// still shows both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectControl } from '../../source/control/control-client.js';
import type { LogRow } from '../../source/core/ports.js';
import { keys, press, waitForFrame, waitUntil } from '../ui/support.js';
import { attachApp, startEngineHost } from './attach-helpers.js';

test('a read right after a change asked over the socket shows it, however soon it comes', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const path = host.runtime.control?.path as string;
  const app = await connectControl(path, { client: 'test-app' });
  const other = await connectControl(path, { client: 'test-app' });
  t.after(() => {
    app.close();
    other.close();
  });
  // Back to back, well within one update interval: each count must include the line just accepted.
  for (let i = 0; i < 20; i++) {
    const before = await app.request<number>('countLog', {});
    // Another app asking the same meanwhile shares the answer.
    assert.equal(await other.request<number>('countLog', {}), before);
    assert.equal(await app.request<string>('submitLine', { line: `R${i}|CREATE|summary;read after write ${i}|` }), `OK R${i} queued`);
    assert.equal(await app.request<number>('countLog', {}), before + 1, `line ${i}`);
    const rows = await other.request<Array<{ guid: string }>>('queryLog', { offset: 0, limit: 5 });
    assert.equal(rows[0]?.guid, `R${i}`, 'the newest row first');
  }
});

test('brief rows leave out the request and Jira\'s answer; without brief, and by getLogRow, rows come whole', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  assert.equal(await host.runtime.engine.submitLine('W1|CREATE|summary;whole row|'), 'OK W1 queued');
  await waitUntil(() => host.runtime.engine.status('W1')?.status === 'Ok', 'W1 sent');
  const app = await connectControl(host.runtime.control?.path as string, { client: 'test-app' });
  t.after(() => app.close());
  const [brief] = await app.request<LogRow[]>('queryLog', { offset: 0, limit: 5, brief: true });
  assert.equal(brief.guid, 'W1');
  assert.equal(brief.status, 'Ok');
  assert.match(String(brief.ticketKey), /^[A-Z]+-\d+$/);
  assert.equal(brief.request, null);
  assert.equal(brief.response, null);
  // An older app asks without brief: the whole rows, as before (not the brief answer shared).
  const [whole] = await app.request<LogRow[]>('queryLog', { offset: 0, limit: 5 });
  assert.match(String(whole.request), /whole row/);
  assert.match(String(whole.response), new RegExp(String(brief.ticketKey)));
  const single = await app.request<LogRow>('getLogRow', { id: brief.id });
  assert.match(String(single.request), /whole row/);
});

test('an attached app opening a row shows the request sent and Jira\'s answer', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  assert.equal(await host.runtime.engine.submitLine('O1|CREATE|summary;opened in the app|'), 'OK O1 queued');
  await waitUntil(() => host.runtime.engine.status('O1')?.status === 'Ok', 'O1 sent');
  const key = host.runtime.engine.status('O1')?.ticketKey as string;
  const one = await attachApp(host.dataDir, 'log');
  t.after(() => one.close());
  await waitForFrame(one.app.lastFrame, (f) => new RegExp(`O1\\s+Ok\\s+${key}`).test(f));
  await press(one.app, keys.enter);
  const frame = await waitForFrame(one.app.lastFrame, (f) => f.includes('Request sent') && f.includes('opened in the app') && !f.includes('(none yet)'));
  assert.match(frame, new RegExp(key));
});
