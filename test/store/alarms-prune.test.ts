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

test('the bound holds line after line as the engine applies it: lines for GUIDs already there add no row, new ones do, a link adds one, an undone transaction none', async () => {
  const temp = await makeTempDir();
  try {
    const store = await openStore({ dir: temp.dir, jira: jiraA });
    const count = () => store.queryAlarms({}).total;
    const bound = 20;
    let at = 1_000;
    // Far below the bound, then up to it: nothing goes.
    for (let i = 0; i < bound; i++) {
      seen(store, `g-${i}`, at++);
      assert.equal(store.pruneAlarmsToCount(bound), 0);
    }
    assert.equal(count(), bound);
    // At the bound: lines for GUIDs that have a row (two in one batch among them) take nothing away.
    for (let i = 0; i < 5; i++) {
      seen(store, `g-${i}`, at++);
      seen(store, `g-${i}`, at++);
      assert.equal(store.pruneAlarmsToCount(bound), 0, `a line for g-${i} again adds no row`);
    }
    // Each new GUID at the bound: the least recently seen goes.
    for (let i = 100; i < 110; i++) {
      seen(store, `g-${i}`, at++);
      assert.equal(store.pruneAlarmsToCount(bound), 1, `g-${i} is a new row`);
      assert.equal(count(), bound);
    }
    // Several new and old GUIDs in one batch.
    for (let i = 200; i < 203; i++) seen(store, `g-${i}`, at++);
    seen(store, 'g-0', at++);
    assert.equal(store.pruneAlarmsToCount(bound), 3);
    // A link (an alarm made without a line) and an undone transaction.
    store.ensureAlarm('linked', 'Link', at++);
    store.updateAlarm('linked', { state: 'open' });
    assert.equal(store.pruneAlarmsToCount(bound), 1);
    assert.throws(() => store.transaction(() => {
      store.noteAlarmLine('undone-1', 'Create', at++);
      store.noteAlarmLine('undone-2', 'Create', at++);
      assert.equal(store.getAlarm('undone-1')?.guid, 'undone-1');
      throw new Error('no');
    }));
    assert.equal(store.pruneAlarmsToCount(bound), 0, 'the undone lines added no row');
    assert.equal(count(), bound);
    // The bound lowered, then a line more.
    assert.equal(store.pruneAlarmsToCount(bound - 5), 5);
    seen(store, 'g-300', at++);
    assert.equal(store.pruneAlarmsToCount(bound - 5), 1);
    assert.equal(count(), bound - 5);
    assert.ok(store.getAlarm('g-300'));
    await store.close();
  } finally {
    await temp.cleanup();
  }
});
