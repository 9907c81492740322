// The alarms table's bound (alarms.maxEntries): the oldest settled alarms go first, whichever
// Jira they were seen on, and one with work pending never goes — when a line or two goes over
// the bound (found row by row on the index) and when a lowered bound removes many at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const jiraA = 'https://a.example.test';
const jiraB = 'https://b.example.test';

function seen(store: Store, guid: string, at: number, settled = true): void {
  store.noteAlarmLine(guid, 'Create', at);
  if (settled) store.settleAlarm(guid, 'ok');
}

test('the oldest settled alarms go first across the Jiras the table holds; a pending one stays, however old', async () => {
  const temp = await makeTempDir();
  try {
    let store = await openStore({ dir: temp.dir, jira: jiraA });
    seen(store, 'a-1', 1_000);
    seen(store, 'a-3', 3_000);
    seen(store, 'a-5', 5_000);
    await store.close();
    store = await openStore({ dir: temp.dir, jira: jiraB });
    seen(store, 'b-0', 500, false);
    seen(store, 'b-2', 2_000);
    seen(store, 'b-4', 4_000);
    assert.equal(store.pruneAlarmsToCount(6), 0, 'at the bound nothing goes');
    assert.equal(store.pruneAlarmsToCount(4), 2, 'two over the bound: two go');
    assert.equal(store.getAlarm('b-2'), undefined, 'the second oldest settled, on this Jira');
    assert.ok(store.getAlarm('b-0'), 'pending: kept although the oldest');
    assert.ok(store.getAlarm('b-4'));
    await store.close();
    store = await openStore({ dir: temp.dir, jira: jiraA });
    assert.equal(store.getAlarm('a-1'), undefined, 'the oldest settled, on the other Jira');
    assert.ok(store.getAlarm('a-3') && store.getAlarm('a-5'));
    await store.close();
  } finally {
    await temp.cleanup();
  }
});

test('a bound lowered far below the table removes the oldest settled alarms in one go', async () => {
  const temp = await makeTempDir();
  try {
    const store = await openStore({ dir: temp.dir, jira: jiraA });
    for (let i = 0; i < 200; i++) seen(store, `g-${i}`, 10_000 + i, i % 50 !== 0);
    // 190 over the bound: more than the row-by-row way takes.
    assert.equal(store.pruneAlarmsToCount(10), 190);
    const left = store.queryAlarms({}).rows.map((row) => row.guid).sort();
    const pending = ['g-0', 'g-50', 'g-100', 'g-150'];
    const newest = ['g-194', 'g-195', 'g-196', 'g-197', 'g-198', 'g-199'];
    assert.deepEqual(left, [...pending, ...newest].sort(), 'the pending ones and the six newest settled');
    await store.close();
  } finally {
    await temp.cleanup();
  }
});
