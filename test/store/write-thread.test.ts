// The writer thread: a snapshot replaces the database file whole with mode 0600 and starts a
// new journal with the given header; appends go to that journal; a leftover temp file (with
// a looser mode) is not reused; a failed write rejects with the system's error and the next
// one succeeds; a closed writer refuses work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLOW_SYNC_MS, THREAD_APPENDS_AFTER_SLOW, WriteThread } from '../../source/store/write-thread.js';
import { tempFileFor } from '../../source/store/persist.js';
import { journalFileFor } from '../../source/store/journal.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const header = (n: number) => Uint8Array.of(n, n, n);

test('a snapshot replaces the file whole and starts a new journal; appends follow in order; buffers are taken', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'jiraline.db');
  const journal = journalFileFor(file);
  const writer = new WriteThread(file);
  try {
    await writer.snapshot(new Uint8Array(3000).fill(1), header(1));
    await writer.append(Uint8Array.of(10));
    const second = new Uint8Array([7, 8, 9]);
    await writer.snapshot(second, header(2));
    assert.deepEqual([...await readFile(file)], [7, 8, 9], 'the second snapshot replaced the first whole');
    assert.deepEqual([...await readFile(journal)], [2, 2, 2], 'and started a journal of its own');
    assert.equal(second.length, 0, 'the bytes were moved to the thread, not copied');
    const record = Uint8Array.of(20, 21);
    await writer.append(record);
    await writer.append(Uint8Array.of(30));
    assert.deepEqual([...await readFile(journal)], [2, 2, 2, 20, 21, 30]);
    for (const path of [file, journal]) assert.equal((await stat(path)).mode & 0o777, 0o600);
    // A view on part of a larger buffer is copied, so the rest of the buffer stays usable.
    const big = new Uint8Array([1, 2, 3, 4, 5]);
    await writer.snapshot(big.subarray(1, 3), header(3));
    assert.deepEqual([...await readFile(file)], [2, 3]);
    assert.equal(big.length, 5);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a journal left clean by the last run is appended to, not replaced', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'jiraline.db');
  const journal = journalFileFor(file);
  await writeFile(journal, Uint8Array.of(5, 5), { mode: 0o600 });
  const writer = new WriteThread(file);
  try {
    await writer.append(Uint8Array.of(6));
    assert.deepEqual([...await readFile(journal)], [5, 5, 6]);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('leftover temp files are replaced, not reused with their mode', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'jiraline.db');
  const writer = new WriteThread(file);
  try {
    for (const leftover of [tempFileFor(file), tempFileFor(journalFileFor(file))]) {
      await writeFile(leftover, 'half a write');
      await chmod(leftover, 0o644);
    }
    await writer.snapshot(Uint8Array.of(42), header(1));
    assert.deepEqual([...await readFile(file)], [42]);
    assert.deepEqual([...await readFile(journalFileFor(file))], [1, 1, 1]);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(journalFileFor(file))).mode & 0o777, 0o600);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a failed snapshot rejects with the error and its code; the files keep their content; the next one succeeds', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'jiraline.db');
  const writer = new WriteThread(file);
  try {
    await writer.snapshot(Uint8Array.of(1), header(1));
    await mkdir(tempFileFor(file)); // a directory where the temp file goes, as a broken disk would
    await assert.rejects(writer.snapshot(Uint8Array.of(2), header(2)), (error: NodeJS.ErrnoException) => error.code === 'EISDIR');
    assert.deepEqual([...await readFile(file)], [1]);
    assert.deepEqual([...await readFile(journalFileFor(file))], [1, 1, 1], 'the old journal stays with the old file');
    await rmdir(tempFileFor(file));
    await writer.snapshot(Uint8Array.of(3), header(3));
    assert.deepEqual([...await readFile(file)], [3]);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a closed writer refuses to write', async () => {
  const temp = await makeTempDir();
  const writer = new WriteThread(join(temp.dir, 'jiraline.db'));
  try {
    await writer.snapshot(Uint8Array.of(1), header(1));
    await writer.close();
    await assert.rejects(writer.append(Uint8Array.of(2)), /closed/);
  } finally {
    await temp.cleanup();
  }
});

test('appends are made on the calling thread while syncs are fast; a slow sync hands the next ones to the thread, in order', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'jiraline.db');
  const journal = journalFileFor(file);
  await writeFile(journal, Uint8Array.of(5), { mode: 0o600 });
  const clock = 0;
  let syncMs = 0;
  // Each append reads the time before and after its sync: the second reading is syncMs later.
  let reading = 0;
  const writer = new WriteThread(file, () => (reading++ % 2 === 0 ? clock : clock + syncMs));
  const internals = writer as unknown as { worker: unknown; threadAppendsLeft: number };
  try {
    await writer.append(Uint8Array.of(1));
    assert.equal(internals.worker, null, 'a fast sync: no thread was needed');
    syncMs = SLOW_SYNC_MS + 1;
    await writer.append(Uint8Array.of(2)); // made here, but slow
    assert.equal(internals.worker, null);
    syncMs = 0;
    await writer.append(Uint8Array.of(3));
    assert.notEqual(internals.worker, null, 'after a slow sync the thread appends');
    assert.equal(internals.threadAppendsLeft, THREAD_APPENDS_AFTER_SLOW - 1);
    for (let i = 1; i < THREAD_APPENDS_AFTER_SLOW; i++) await writer.append(Uint8Array.of(4));
    assert.equal(internals.threadAppendsLeft, 0, 'then the calling thread takes them back');
    await writer.append(Uint8Array.of(6));
    const bytes = [...await readFile(journal)];
    assert.deepEqual(bytes.slice(0, 4), [5, 1, 2, 3], 'one journal, in order, whoever appended');
    assert.equal(bytes.length, 4 + (THREAD_APPENDS_AFTER_SLOW - 1) + 1);
    assert.equal(bytes.at(-1), 6);
    // A snapshot replaces the journal; the next append made here goes to the new one.
    await writer.snapshot(Uint8Array.of(9), header(7));
    await writer.append(Uint8Array.of(8));
    assert.deepEqual([...await readFile(journal)], [7, 7, 7, 8]);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});
