// The Log pane pages through up to 100,000 rows on every keypress: filters and paging must
// give the right rows at that size (speed is measured by the benchmark, not asserted here).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRow } from '../../source/core/ports.js';
import { openStore, type Store } from '../../source/store/index.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

const total = 100_000;
let temp: TempDir;
let store: Store;
let firstId = 0;

// Row i (0-based, in insert order): status by i % 10 (0 Failed, 1 Pending, else Ok),
// GUID alarm-(i % 1000), key OPS-(i + 1) for Ok rows, an error text on Failed rows.
function rowFor(i: number): Omit<LogRow, 'id'> {
  const status: LogRow['status'] = i % 10 === 0 ? 'Failed' : i % 10 === 1 ? 'Pending' : 'Ok';
  return logRow({
    time: 1_700_000_000_000 + i * 1000,
    guid: `alarm-${i % 1000}`,
    action: i % 3 === 0 ? 'Create' : 'Update',
    status,
    ticketKey: status === 'Ok' ? `OPS-${i + 1}` : null,
    error: status === 'Failed' ? `Jira answered 400: Severity value ${i} is not valid` : null,
  });
}

before(async () => {
  temp = await makeTempDir();
  store = await openStore({ dir: temp.dir });
  store.transaction(() => {
    for (let i = 0; i < total; i += 1) {
      const id = store.insertLog(rowFor(i));
      if (i === 0) firstId = id;
    }
  });
  await store.commit();
});

after(async () => {
  await store.close();
  await temp.cleanup();
});

const indexOf = (row: LogRow) => row.id - firstId;

test('unfiltered pages, newest first, also deep in the log', () => {
  assert.equal(store.countLog(), total);
  assert.deepEqual(store.queryLog({ limit: 3 }).map(indexOf), [total - 1, total - 2, total - 3]);
  assert.deepEqual(store.queryLog({ offset: 99_990, limit: 20 }).map(indexOf), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.deepEqual(store.queryLog({ offset: 50_000, limit: 2 }).map(indexOf), [49_999, 49_998]);
  assert.deepEqual(store.queryLog({ offset: total, limit: 5 }), []);
});

test('status filter with paging', () => {
  assert.equal(store.countLog({ status: 'Pending' }), total / 10);
  const page = store.queryLog({ status: 'Pending', offset: 100, limit: 3 });
  assert.deepEqual(page.map(indexOf), [total - 9 - 1000, total - 9 - 1010, total - 9 - 1020]);
  assert.ok(page.every((row) => row.status === 'Pending'));
});

test('GUID filter, key filter, and the two combined with status', () => {
  assert.equal(store.countLog({ guid: 'alarm-7' }), total / 1000);
  assert.deepEqual(store.queryLog({ guid: 'alarm-7', limit: 2 }).map(indexOf), [99_007, 98_007]);
  assert.deepEqual(store.queryLog({ ticketKey: 'OPS-50003' }).map(indexOf), [50_002]);
  assert.equal(store.countLog({ guid: 'alarm-10', status: 'Failed' }), total / 1000, 'i % 1000 = 10 is always Failed');
  assert.equal(store.countLog({ guid: 'alarm-11', status: 'Failed' }), 0);
});

test('free text over GUID, key, error and action, with paging', () => {
  assert.deepEqual(store.queryLog({ text: 'value 4242 is' }).map(indexOf), [], 'row 4242 is Ok, so it has no error');
  assert.deepEqual(store.queryLog({ text: 'value 4240 is' }).map(indexOf), [4240]);
  assert.equal(store.countLog({ text: 'ALARM-999' }), 100, 'case-insensitive GUID match');
  assert.deepEqual(store.queryLog({ text: 'alarm-999', offset: 98, limit: 5 }).map(indexOf), [1999, 999]);
  assert.equal(store.countLog({ text: 'create' }), Math.ceil(total / 3));
});

test('pruning 100,000 rows keeps the newest finished rows and every Pending row', () => {
  const removed = store.pruneLogToCount(20_000);
  assert.equal(removed, total - 20_000);
  assert.equal(store.countLog(), 20_000);
  assert.equal(store.countLog({ status: 'Pending' }), total / 10, 'no Pending row went');
  const expected: number[] = [];
  for (let i = total - 1; expected.length < 10_000; i -= 1) if (rowFor(i).status !== 'Pending') expected.push(i);
  const finished = store.queryLog({}).filter((row) => row.status !== 'Pending').map(indexOf);
  assert.deepEqual(finished, expected, 'the finished rows left are the newest 10,000');

  assert.equal(store.pruneLogToCount(1_000), 10_000, 'over the limit with Pending rows alone: every finished row goes');
  assert.equal(store.countLog(), total / 10);
});
