// The Statistics pane on the real engine and store: tickets made and updated are counted
// today, `r` asks which counters to reset and resets only those, the chart shows today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp } from './live-app.js';
import { keys, plain, press, waitForFrame, waitUntil } from './support.js';

test('counts creates and updates; r resets daily counters, totals, or both after asking', async () => {
  const live = await startLiveApp({ pane: 'statistics' });
  const engine = live.runtime.engine;
  try {
    assert.match(plain(live.app.lastFrame()), /Created\s+0\s+0\s+0/);
    await engine.submitLine('g-1|CREATE|summary;One|');
    await engine.submitLine('g-2|CREATE|summary;Two|');
    await waitUntil(() => engine.status('g-1')?.status === 'Ok' && engine.status('g-2')?.status === 'Ok', 'created');
    await engine.submitLine('g-1|UPDATE|comment;more|');
    await waitUntil(() => engine.getSnapshot().stats.updated.total === 1, 'updated');
    const text = await waitForFrame(live.app.lastFrame, (f) => /Updated\s+1\s+1\s+0/.test(f));
    assert.match(text, /Created\s+2\s+2\s+0/);
    assert.match(text, /Total\s+3\s+3\s+0/);
    const chart = text.split('\n').filter((l) => l.includes('│') && l.includes('█'));
    assert.ok(chart.length > 0 && chart.every((l) => /██\s*$/.test(l)), 'today\'s bars, the rightmost');

    await press(live.app, 'r');
    assert.match(plain(live.app.lastFrame()), /Reset which counters\?[\s\S]*\[d\] daily\s+\[t\] totals\s+\[b\] both/);
    await press(live.app, keys.escape);
    assert.match(plain(live.app.lastFrame()), /Created\s+2\s+2\s+0/, 'Esc resets nothing');

    await press(live.app, 'r', 'd');
    let after = await waitForFrame(live.app.lastFrame, (f) => /Daily counters \(today, yesterday, the chart\) reset\./.test(f));
    assert.match(after, /Created\s+2\s+0\s+0/);
    assert.match(after, /Total\s+3\s+0\s+0/);

    await press(live.app, 'r', 't');
    after = await waitForFrame(live.app.lastFrame, (f) => /Totals reset\./.test(f));
    assert.match(after, /Created\s+0\s+0\s+0/);
  } finally {
    await live.close();
  }
});
