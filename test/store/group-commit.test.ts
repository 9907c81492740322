// Group commit: many commits share few writes, a commit resolves only once its data is in
// the file, a failed write rejects its waiters and the next commit writes again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GroupCommit } from '../../source/store/persist.js';
import { journalFileFor } from '../../source/store/journal.js';
import { openStore, openStoreSnapshot } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { logRow } from './rows.js';

/** A write function the test finishes by hand, recording what each write held. */
function manualWriter() {
  const writes: Array<{ bytes: Uint8Array; finish(error?: Error): void }> = [];
  let active = 0;
  let maxActive = 0;
  const write = (bytes: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      writes.push({ bytes, finish: (error) => { active -= 1; if (error) reject(error); else resolve(); } });
    });
  return { writes, write, maxActive: () => maxActive };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('commits during a write share the next write; at most one write in flight', async () => {
  let state = 0;
  const writer = manualWriter();
  const group = new GroupCommit(() => Uint8Array.of(state), writer.write, 0);
  const resolved: number[] = [];

  state = 1; group.touch();
  const first = [1, 2, 3].map((n) => group.commit().then(() => resolved.push(n)));
  await waitUntil(() => writer.writes.length === 1, 'write 1 to start');
  assert.deepEqual([...writer.writes[0].bytes], [1]);

  // while the first write runs, more changes and commits arrive
  const during: Promise<number>[] = [];
  for (let n = 4; n <= 50; n += 1) {
    state = n; group.touch();
    during.push(group.commit().then(() => resolved.push(n)));
  }
  await tick(); await tick();
  assert.equal(writer.writes.length, 1, 'no second write while the first is in flight');
  assert.deepEqual(resolved, [], 'nothing resolves before its write is done');

  writer.writes[0].finish();
  await Promise.all(first);
  assert.deepEqual(resolved.sort((a, b) => a - b), [1, 2, 3], 'the first write resolves only its own commits');
  await waitUntil(() => writer.writes.length === 2, 'write 2 to start');
  assert.deepEqual([...writer.writes[1].bytes], [50], 'the second write holds every change made before it');
  writer.writes[1].finish();
  await Promise.all(during);
  assert.equal(resolved.length, 50);
  assert.equal(writer.writes.length, 2, '50 commits, 2 writes');
  assert.equal(writer.maxActive(), 1);
  assert.equal(group.stats().writes, 2);

  // nothing changed since: commit resolves without writing
  await group.commit();
  assert.equal(writer.writes.length, 2);
});

test('a commit made during a write but with nothing new waits for that write only', async () => {
  const writer = manualWriter();
  const group = new GroupCommit(() => Uint8Array.of(1), writer.write, 0);
  group.touch();
  const a = group.commit();
  await waitUntil(() => writer.writes.length === 1, 'write 1 to start');
  let bResolved = false;
  const b = group.commit().then(() => { bResolved = true; });
  await tick();
  assert.equal(bResolved, false, 'the change is not on disk yet');
  writer.writes[0].finish();
  await Promise.all([a, b]);
  assert.equal(writer.writes.length, 1);
});

test('a failed write rejects its commits; the next commit writes again', async () => {
  const writer = manualWriter();
  const group = new GroupCommit(() => Uint8Array.of(7), writer.write, 0);
  group.touch();
  const failed = group.commit();
  await waitUntil(() => writer.writes.length === 1, 'write 1 to start');
  writer.writes[0].finish(new Error('ENOSPC: no space left on device'));
  await assert.rejects(failed, /ENOSPC/);
  assert.equal(group.stats().failedWrites, 1);
  assert.equal(group.idle, false, 'the change is still not on disk');

  const retried = group.commit();
  await waitUntil(() => writer.writes.length === 2, 'write 2 to start');
  assert.deepEqual([...writer.writes[1].bytes], [7]);
  writer.writes[1].finish();
  await retried;
  assert.equal(group.idle, true);
});

test('commits asked for within the delay window share one write', async () => {
  const writer = manualWriter();
  const group = new GroupCommit(() => Uint8Array.of(0), writer.write, 20);
  group.touch();
  const a = group.commit();
  await new Promise((resolve) => setTimeout(resolve, 1));
  group.touch();
  const b = group.commit();
  await waitUntil(() => writer.writes.length === 1, 'write 1 to start');
  writer.writes[0].finish();
  await Promise.all([a, b]);
  assert.equal(writer.writes.length, 1);
});

/** The log ids persisted in dir: the database file with its journal, as a reader (or a restart) finds them. */
async function rowsPersisted(dir: string): Promise<number[]> {
  const reader = await openStoreSnapshot(dir);
  try {
    return reader.queryLog({}).map((row) => row.id).sort((a, b) => a - b);
  } finally {
    reader.close();
  }
}

test('store: a commit resolves only when its rows are persisted; concurrent commits make few writes', async () => {
  const temp = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  try {
    const writesAtOpen = store.stats().writes;
    const id = store.insertLog(logRow({ guid: 'first' }));
    const journalSize = statSync(journalFileFor(store.file)).size;
    const pending = store.commit();
    // Read at once (the write starts after the group-commit window): nothing went to disk yet.
    assert.equal(statSync(journalFileFor(store.file)).size, journalSize, 'not persisted before the commit runs');
    await pending;
    assert.ok(statSync(journalFileFor(store.file)).size > journalSize, 'the commit went to the journal');
    assert.deepEqual(await rowsPersisted(temp.dir), [id]);

    // 500 "lines" arriving on separate event-loop turns, each waiting for its commit
    const ids: number[] = [];
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 500; i += 1) {
      ids.push(store.insertLog(logRow({ guid: `g${i}` })));
      commits.push(store.commit());
      if (i % 25 === 0) await tick();
    }
    await Promise.all(commits);
    const writes = store.stats().writes - writesAtOpen;
    assert.ok(writes <= 1 + 20 + 2, `500 commits took ${writes} writes`);
    assert.deepEqual(await rowsPersisted(temp.dir), [id, ...ids]);
  } finally {
    await store.close();
    await temp.cleanup();
  }
});

test('store: a snapshot that fails rejects the commit, keeps the old file, and the next commit succeeds', async () => {
  const temp = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  try {
    const kept = store.insertLog(logRow({ guid: 'kept' }));
    await store.checkpoint();
    const before = await readFile(store.file);

    // a directory where the temp file goes makes the write fail, as a full disk would
    const blocker = join(temp.dir, 'jiraline.db.tmp');
    await mkdir(blocker);
    const lost = store.insertLog(logRow({ guid: 'later' }));
    await assert.rejects(store.checkpoint(), /EISDIR|directory/);
    assert.deepEqual(await readFile(store.file), before, 'the committed file is untouched');
    assert.equal(store.stats().failedWrites, 1);

    await rmdir(blocker);
    await store.commit();
    assert.deepEqual(await rowsPersisted(temp.dir), [kept, lost], 'the retried write holds the change');
  } finally {
    await store.close();
    await temp.cleanup();
  }
});

test('store: when SQLite itself rolls back the pending changes (database full), commits fail instead of writing a state nobody saw', async () => {
  const temp = await makeTempDir();
  let store = await openStore({ dir: temp.dir });
  try {
    const committed = store.insertLog(logRow({ guid: 'committed' }));
    await store.commit();
    const lost = store.insertLog(logRow({ guid: 'lost' }));
    // Reach into the store's sql.js database to cap its size: the only way to make SQLite
    // abandon a whole transaction (as out-of-memory would) from a test.
    const raw = (store as unknown as { db: { raw: { exec(sql: string): Array<{ values: unknown[][] }> } } }).db.raw;
    raw.exec(`PRAGMA max_page_count = ${Number(raw.exec('PRAGMA page_count')[0].values[0][0]) + 2}`);
    // An UPDATE that outgrows the file: SQLite abandons the whole transaction. (An INSERT …
    // RETURNING, as the store's inserts are, runs in a statement journal and undoes only itself.)
    assert.throws(() => {
      for (let i = 1; i <= 1_000; i += 1) store.updateLog(lost, { request: 'x'.repeat(3_000 * i) });
    }, /full/);
    await assert.rejects(store.commit(), /lost its uncommitted changes.*restart jiraline/);
    await assert.rejects(store.close(), /lost its uncommitted changes/);

    store = await openStore({ dir: temp.dir });
    assert.deepEqual(store.queryLog({}).map((r) => r.id), [committed], 'the file holds the last committed state');
    assert.notEqual(lost, committed);
  } finally {
    await store.close();
    await temp.cleanup();
  }
});
