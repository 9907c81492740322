// The log reads over the control socket are shared between attached apps (answered once
// per update interval), yet an app that reads right after its own change sees the change:
// the shared answers are dropped once a request that changes something is answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectControl } from '../../source/control/control-client.js';
import { startEngineHost } from './attach-helpers.js';

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
