// The journal: commits between snapshots are appended as records and replayed when the store
// (or a reader) opens what a crash left. Torn last records are ignored, damage in the middle
// costs only the records it hits (journal-damage.test.ts), a journal that belongs to an older snapshot is not
// applied twice, and what a rolled-back block or a failed write did never diverges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, openStoreSnapshot, type Store } from '../../source/store/index.js';
import { journalFileFor, journalRecord, OpsCoder } from '../../source/store/journal.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

/** The data directory as a SIGKILL would leave it now: copies of the database file and its journal. */
async function crashCopy(store: Store): Promise<TempDir> {
  const copy = await makeTempDir();
  await copyFile(store.file, join(copy.dir, 'jiraline.db'));
  await copyFile(journalFileFor(store.file), join(copy.dir, 'jiraline.journal'));
  return copy;
}

/**
 * Runs fn on a store in a temp directory; `crash()` makes a crash copy of it (kept for
 * cleanup). The store, the copies and the directory are closed and removed afterwards.
 */
async function withCrashableStore(fn: (store: Store, crash: () => Promise<TempDir>) => Promise<void>): Promise<void> {
  const temp = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  const copies: TempDir[] = [];
  try {
    await fn(store, async () => {
      const copy = await crashCopy(store);
      copies.push(copy);
      return copy;
    });
  } finally {
    await store.close();
    for (const copy of copies) await copy.cleanup();
    await temp.cleanup();
  }
}

async function logIds(dir: string): Promise<number[]> {
  const reader = await openStoreSnapshot(dir);
  try {
    return reader.queryLog({}).map((r) => r.id).sort((a, b) => a - b);
  } finally {
    reader.close();
  }
}

test('commits after the last snapshot are in the journal: a crash loses none, and the restart writes them into the file', async () => {
  await withCrashableStore(async (store, crash) => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      ids.push(store.insertLog(logRow({ guid: `g${i}` })));
      if (i % 3 === 0) store.updateLog(ids[0], { status: 'Ok', ticketKey: `OPS-${i}` });
      store.addStats('2026-11-28', 1, 0);
      await store.commit();
    }
    const snapshotsBefore = store.stats().snapshots;
    assert.ok(store.stats().journalBytes > 0, 'the commits went to the journal');
    const copy = await crash();
    assert.deepEqual(await logIds(copy.dir), ids, 'a reader replays the journal');

    const restarted = await openStore({ dir: copy.dir });
    try {
      assert.deepEqual(restarted.queryLog({}).map((r) => r.id).sort((a, b) => a - b), ids);
      assert.equal(restarted.getLog(ids[0])?.ticketKey, 'OPS-18');
      assert.deepEqual(restarted.statsTotals(), { created: 20, updated: 0 });
      assert.equal(restarted.stats().snapshots, 1, 'the replayed state was written as a new snapshot');
      assert.equal(restarted.stats().journalBytes, 0);
      // Ids go on from where they were: AUTOINCREMENT state came back with the rows.
      assert.equal(restarted.insertLog(logRow()), store.insertLog(logRow()));
    } finally {
      await restarted.close();
    }
    assert.equal(store.stats().snapshots, snapshotsBefore, 'commits made no snapshot of their own');
  });
});

test('an unfinished last record (cut short, or a tail of zeros) is ignored; the commits before it stay', async () => {
  await withCrashableStore(async (store, crash) => {
    const a = store.insertLog(logRow({ guid: 'a' }));
    await store.commit();
    const b = store.insertLog(logRow({ guid: 'b' }));
    await store.commit();
    const generation = (await readFile(journalFileFor(store.file))).readUInt32BE(4);
    const torn = journalRecord(new OpsCoder().encode([['DELETE FROM log', []]]), generation, 2);
    for (const tail of [torn.subarray(0, torn.length - 3), torn.subarray(0, 5), Buffer.alloc(40)]) {
      const copy = await crash();
      await appendFile(join(copy.dir, 'jiraline.journal'), tail);
      assert.deepEqual(await logIds(copy.dir), [a, b]);
      const restarted = await openStore({ dir: copy.dir });
      assert.deepEqual(restarted.queryLog({}).map((r) => r.id).sort((x, y) => x - y), [a, b]);
      await restarted.close();
    }
  });
});

test('a damaged record with commits after it costs only itself: the rest replay, the journal is kept aside, the database file is not touched until then', async () => {
  await withCrashableStore(async (store, crash) => {
    for (let i = 0; i < 3; i += 1) {
      store.insertLog(logRow({ guid: `g${i}` }));
      await store.commit();
    }
    const copy = await crash();
    const journal = join(copy.dir, 'jiraline.journal');
    const bytes = await readFile(journal);
    bytes[16 + 24 + 3] ^= 0xff; // inside the first record's payload
    await writeFile(journal, bytes);
    const reader = await openStoreSnapshot(copy.dir);
    assert.deepEqual(reader.queryLog({}).map((r) => r.guid).sort(), ['g1', 'g2']);
    reader.close();
    assert.deepEqual(await readFile(journal), bytes, 'a reader leaves the journal byte for byte as it was');
    const restarted = await openStore({ dir: copy.dir });
    try {
      assert.deepEqual(restarted.queryLog({}).map((r) => r.guid).sort(), ['g1', 'g2']);
      assert.equal(restarted.journalRecovery?.lost, 1);
      assert.deepEqual(await readFile(restarted.journalRecovery?.keptAs ?? ''), bytes);
    } finally {
      await restarted.close();
    }
  });
});

test('a journal left from before the last snapshot is not applied again', async () => {
  await withCrashableStore(async (store, crash) => {
    const a = store.insertLog(logRow({ guid: 'a' }));
    store.addStats('2026-11-28', 1, 0);
    await store.commit();
    const oldJournal = await readFile(journalFileFor(store.file));
    await store.checkpoint(); // the file now holds row a; a new journal starts
    const copy = await crash();
    // A crash between the new snapshot and its new journal leaves the old journal beside it.
    await writeFile(join(copy.dir, 'jiraline.journal'), oldJournal);
    const restarted = await openStore({ dir: copy.dir });
    try {
      assert.deepEqual(restarted.queryLog({}).map((r) => r.id), [a], 'row a once, not twice');
      assert.deepEqual(restarted.statsTotals(), { created: 1, updated: 0 }, 'counted once');
    } finally {
      await restarted.close();
    }
  });
});

test('a block rolled back by transaction() leaves nothing in the journal; ids stay in step after a replay', async () => {
  await withCrashableStore(async (store, crash) => {
    const a = store.insertLog(logRow({ guid: 'a' }));
    assert.throws(() => store.transaction(() => {
      store.insertLog(logRow({ guid: 'undone' }));
      store.setMeta('undone', 'yes');
      throw new Error('no');
    }));
    const b = store.insertLog(logRow({ guid: 'b' }));
    await store.commit();
    const copy = await crash();
    const restarted = await openStore({ dir: copy.dir });
    try {
      assert.deepEqual(restarted.queryLog({}).map((r) => r.guid).sort(), ['a', 'b']);
      assert.equal(restarted.getMeta('undone'), undefined);
      assert.deepEqual([restarted.getLog(a)?.guid, restarted.getLog(b)?.guid], ['a', 'b'], 'the same ids as the running store');
    } finally {
      await restarted.close();
    }
  });
});

test('after a failed journal write the next write is a whole snapshot, so nothing committed goes missing', async () => {
  await withCrashableStore(async (store, crash) => {
    const a = store.insertLog(logRow({ guid: 'a' }));
    await store.commit();
    // The writer thread dies under the append (as a crash of the thread would): the append is
    // sent to the thread, as after a slow sync, and the thread is ended in place of delivering it.
    const b = store.insertLog(logRow({ guid: 'b' }));
    type Thread = { postMessage(message: unknown): void; terminate(): Promise<number> };
    const writer = (store as unknown as { durability: { writer: { thread(): Thread; threadAppendsLeft: number } } }).durability.writer;
    const realThread = writer.thread.bind(writer);
    writer.thread = () => {
      writer.thread = realThread; // only this once: the snapshot after it gets a working thread
      const thread = realThread();
      thread.postMessage = () => void thread.terminate();
      return thread;
    };
    writer.threadAppendsLeft = 1;
    await assert.rejects(store.commit());
    const snapshots = store.stats().snapshots;
    const c = store.insertLog(logRow({ guid: 'c' }));
    await store.commit();
    assert.equal(store.stats().snapshots, snapshots + 1, 'the retry wrote a snapshot, not a record after a gap');
    const copy = await crash();
    assert.deepEqual(await logIds(copy.dir), [a, b, c]);
  });
});

test('an append that fails on the calling thread makes the next write a whole snapshot too', async () => {
  await withCrashableStore(async (store, crash) => {
    const a = store.insertLog(logRow({ guid: 'a' }));
    await store.commit();
    // The journal as the store appends to it becomes unwritable (a read-only descriptor in its place).
    const writer = (store as unknown as { durability: { writer: { journalFd: number | null; threadAppendsLeft: number } } }).durability.writer;
    assert.notEqual(writer.journalFd, null, 'the record was appended on the calling thread');
    closeSync(writer.journalFd!);
    writer.journalFd = openSync(journalFileFor(store.file), 'r');
    // On a loaded machine the first sync may have been slow and sent the next appends to the thread: not this one.
    writer.threadAppendsLeft = 0;
    const b = store.insertLog(logRow({ guid: 'b' }));
    await assert.rejects(store.commit());
    const snapshots = store.stats().snapshots;
    const c = store.insertLog(logRow({ guid: 'c' }));
    await store.commit();
    assert.equal(store.stats().snapshots, snapshots + 1, 'the retry wrote a snapshot');
    const copy = await crash();
    assert.deepEqual(await logIds(copy.dir), [a, b, c]);
  });
});

test('a clean close leaves everything in the file; the next open goes on with the same journal', async () => {
  const temp = await makeTempDir();
  let store = await openStore({ dir: temp.dir });
  const a = store.insertLog(logRow({ guid: 'a' }));
  await store.commit();
  await store.close();
  store = await openStore({ dir: temp.dir });
  let copy: TempDir | null = null;
  try {
    assert.equal(store.stats().snapshots, 0, 'no snapshot needed at open');
    const b = store.insertLog(logRow({ guid: 'b' }));
    await store.commit();
    copy = await crashCopy(store);
    assert.deepEqual(await logIds(copy.dir), [a, b]);
  } finally {
    await store.close();
    await copy?.cleanup();
    await temp.cleanup();
  }
});

test('parameters that JSON cannot carry (non-finite numbers) survive the journal', () => {
  const ops: Array<[string, Array<string | number | null>]> = [
    ['UPDATE log SET attempts = ? WHERE id = ?', [Number.POSITIVE_INFINITY, 1]],
    ['UPDATE log SET attempts = ? WHERE id = ?', [Number.NEGATIVE_INFINITY, 2]],
    ['UPDATE log SET error = ?, time = ? WHERE id = ?', ['{"$":"x"}', Number.NaN, 3]],
  ];
  assert.deepEqual(new OpsCoder().decode(new OpsCoder().encode(ops)), ops);
  assert.throws(() => new OpsCoder().encode([['INSERT INTO t VALUES (?)', [Uint8Array.of(1) as never]]]), /strings, numbers and nulls/);
});

test('a statement is spelled out once per record and numbered after within it, so each record reads on its own', () => {
  const writer = new OpsCoder();
  const insert = 'INSERT INTO log (guid) VALUES (?) RETURNING id';
  const first = writer.encode([[insert, ['a'], 1], ['DELETE FROM log WHERE id = ?', [1]], [insert, ['b'], 2]]);
  const second = writer.encode([[insert, ['c'], 3]]);
  assert.equal(first.split(insert).length - 1, 1, 'the text travels once in a record');
  assert.ok(second.includes(insert), 'and again in the next one');
  assert.deepEqual(new OpsCoder().decode(second), [[insert, ['c'], 3]], 'a record decodes without the ones before it');
  assert.deepEqual(new OpsCoder().decode(first), [[insert, ['a'], 1], ['DELETE FROM log WHERE id = ?', [1]], [insert, ['b'], 2]]);
  // The older format numbered across records: its reader keeps the numbering.
  const legacy = new OpsCoder(true);
  const one = legacy.encode([[insert, ['a']]]);
  const two = legacy.encode([[insert, ['b']]]);
  assert.ok(!two.includes(insert));
  const reader = new OpsCoder(true);
  assert.deepEqual([reader.decode(one), reader.decode(two)], [[[insert, ['a']]], [[insert, ['b']]]]);
  assert.throws(() => new OpsCoder(true).decode(two), /never defined/);
});

test('statistics kept in memory until a commit reach the journal with it: a crash copy and the lock-free reader see them once', async () => {
  await withCrashableStore(async (store, crash) => {
    store.addStats('2026-11-29', 2, 0);
    store.insertLog(logRow({ guid: 'a' }));
    await store.commit();
    store.addStats('2026-11-29', 0, 5); // not committed: a crash now loses it, as it would any change
    const copy = await crash();
    const reader = await openStoreSnapshot(copy.dir);
    try {
      assert.deepEqual(reader.statsTotals(), { created: 2, updated: 0 });
      assert.deepEqual(reader.statsDays('2026-11-29', '2026-11-29'), [{ day: '2026-11-29', created: 2, updated: 0 }]);
    } finally {
      reader.close();
    }
  });
});
