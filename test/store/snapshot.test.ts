// The lock-free reader behind `jiraline log` and `jiraline stats`: it reads the file as last
// committed, while an engine holds the lock, and never writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, openStoreSnapshot } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

test('a missing database reads as empty, and nothing is created', async () => {
  const temp = await makeTempDir();
  try {
    const reader = await openStoreSnapshot(join(temp.dir, 'never-used'));
    assert.deepEqual(reader.queryLog({}), []);
    assert.equal(reader.countLog(), 0);
    assert.deepEqual(reader.statsTotals(), { created: 0, updated: 0 });
    assert.deepEqual(reader.statsDays('2026-01-01', '2026-12-31'), []);
    reader.close();
    await assert.rejects(access(join(temp.dir, 'never-used')), 'no directory made');
  } finally {
    await temp.cleanup();
  }
});

test('while an engine holds the lock, the reader sees exactly what was committed', async () => {
  const temp = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  try {
    const ok = store.insertLog(logRow({ guid: 'a', status: 'Ok', ticketKey: 'OPS-1' }));
    store.insertLog(logRow({ guid: 'b', status: 'Failed', error: 'no' }));
    store.addStats('2026-11-28', 1, 0);
    await store.commit();
    store.insertLog(logRow({ guid: 'not-yet-committed' }));

    const reader = await openStoreSnapshot(temp.dir);
    assert.equal(reader.countLog(), 2, 'the uncommitted row is not in the file yet');
    assert.deepEqual(reader.queryLog({ status: 'Ok' }).map((r) => r.id), [ok]);
    assert.deepEqual(reader.queryLog({ limit: 1 }).map((r) => r.guid), ['b'], 'newest first');
    assert.equal(reader.countLog({ text: 'ops-1' }), 1);
    assert.deepEqual(reader.statsTotals(), { created: 1, updated: 0 });
    assert.deepEqual(reader.statsDays('2026-11-28', '2026-11-28'), [{ day: '2026-11-28', created: 1, updated: 0 }]);
    reader.close();

    await store.commit();
    const later = await openStoreSnapshot(temp.dir);
    assert.equal(later.countLog(), 3);
    later.close();
    assert.deepEqual((await readdir(temp.dir)).sort(), ['jiraline.db', 'jiraline.journal', 'jiraline.lock'], 'the reader left no files behind');
  } finally {
    await store.close();
    await temp.cleanup();
  }
});
