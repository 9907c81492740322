// The attached app's log: rows come a window at a time (never the whole log), paging on
// finds its rows already fetched, and a newer log version is fetched again while the
// old rows stay on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogWindowCache } from '../../source/control/log-window-cache.js';
import { MAX_LOG_WINDOW } from '../../source/control/control-protocol.js';
import type { LogQuery, LogRow } from '../../source/core/ports.js';

const total = 100_000;
const rowAt = (i: number, tag = ''): LogRow => ({
  id: total - i, type: 'Automatic', action: 'Create', time: 0, guid: `g-${i}${tag}`, status: 'Ok', ticketId: null, ticketKey: null,
  ticketUrl: null, error: null, lines: 1, request: null, response: null, attempts: 1, nextAttemptAt: null,
});

function harness() {
  const asked: LogQuery[] = [];
  const pending: Array<() => void> = [];
  let tag = '';
  let landed = 0;
  const cache = new LogWindowCache(() => ({
    queryLog: (q) => new Promise<LogRow[]>((resolve) => {
      asked.push(q);
      const from = q.offset ?? 0;
      const rows = Array.from({ length: Math.max(0, Math.min(q.limit ?? 50, total - from)) }, (_, k) => rowAt(from + k, tag));
      pending.push(() => resolve(rows));
    }),
    countLog: async () => total,
    getLogRow: async (id) => rowAt(total - id, tag),
  }), () => (landed += 1));
  const flush = async () => {
    while (pending.length > 0) pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { cache, asked, flush, setTag: (t: string) => (tag = t), landed: () => landed };
}

test('rows a window at a time; paging on is served from what was fetched ahead', async () => {
  const h = harness();
  assert.deepEqual(h.cache.queryLog({ offset: 50_000, limit: 25 }), [], 'nothing yet: asked for');
  await h.flush();
  assert.ok(h.landed() > 0, 'the app is told to draw again');
  assert.ok(h.asked.every((q) => (q.limit ?? 0) <= MAX_LOG_WINDOW), 'never more than a window');
  assert.deepEqual(h.cache.queryLog({ offset: 50_000, limit: 25 }).map((r) => r.guid), Array.from({ length: 25 }, (_, k) => `g-${50_000 + k}`));
  // Page on five times: each page is there at once, the windows ahead are fetched meanwhile.
  for (let page = 1; page <= 5; page += 1) {
    const offset = 50_000 + page * 25;
    assert.equal(h.cache.queryLog({ offset, limit: 25 })[0]?.guid, `g-${offset}`, `page ${page} at once`);
    await h.flush();
  }
  const fetched = h.asked.reduce((n, q) => n + (q.limit ?? 0), 0);
  assert.ok(fetched < 2000, `fetched ${fetched} rows of ${total}`);
});

test('a newer log version: the old rows stay shown while the new ones are fetched', async () => {
  const h = harness();
  h.cache.queryLog({ offset: 0, limit: 10 });
  await h.flush();
  h.setTag('-new');
  h.cache.setVersion(1);
  assert.equal(h.cache.queryLog({ offset: 0, limit: 10 })[0]?.guid, 'g-0', 'the old rows, not a blank table');
  assert.equal(h.cache.countLog(), 0, 'a count never fetched: asked for');
  await h.flush();
  assert.equal(h.cache.countLog(), total);
  assert.equal(h.cache.queryLog({ offset: 0, limit: 10 })[0]?.guid, 'g-0-new');
  assert.equal(h.cache.getLogRow(total), undefined, 'a single row: asked for');
  await h.flush();
  assert.equal(h.cache.getLogRow(total)?.guid, 'g-0-new');
});
