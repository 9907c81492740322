// The writer thread: each write replaces the file whole with mode 0600, a leftover temp file
// (with a looser mode) is not reused, a failed write rejects with the system's error and the
// next one succeeds, and a closed writer refuses work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteThread } from '../../source/store/write-thread.js';
import { tempFileFor } from '../../source/store/persist.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('writes replace the file whole, private, and a transferred buffer is taken', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'db');
  const writer = new WriteThread(file);
  try {
    await writer.write(new Uint8Array(3000).fill(1));
    const second = new Uint8Array([7, 8, 9]);
    await writer.write(second);
    assert.deepEqual([...await readFile(file)], [7, 8, 9], 'the second write replaced the first whole');
    assert.equal(second.length, 0, 'the bytes were moved to the thread, not copied');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    // A view on part of a larger buffer is copied, so the rest of the buffer stays usable.
    const big = new Uint8Array([1, 2, 3, 4, 5]);
    await writer.write(big.subarray(1, 3));
    assert.deepEqual([...await readFile(file)], [2, 3]);
    assert.equal(big.length, 5);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a leftover temp file is replaced, not reused with its mode', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'db');
  const writer = new WriteThread(file);
  try {
    await writeFile(tempFileFor(file), 'half a write');
    await chmod(tempFileFor(file), 0o644);
    await writer.write(Uint8Array.of(42));
    assert.deepEqual([...await readFile(file)], [42]);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a failed write rejects with the error and its code; the file keeps its content; the next write succeeds', async () => {
  const temp = await makeTempDir();
  const file = join(temp.dir, 'db');
  const writer = new WriteThread(file);
  try {
    await writer.write(Uint8Array.of(1));
    await mkdir(tempFileFor(file)); // a directory where the temp file goes, as a broken disk would
    await assert.rejects(writer.write(Uint8Array.of(2)), (error: NodeJS.ErrnoException) => error.code === 'EISDIR');
    assert.deepEqual([...await readFile(file)], [1]);
    await rmdir(tempFileFor(file));
    await writer.write(Uint8Array.of(3));
    assert.deepEqual([...await readFile(file)], [3]);
  } finally {
    await writer.close();
    await temp.cleanup();
  }
});

test('a closed writer refuses to write', async () => {
  const temp = await makeTempDir();
  const writer = new WriteThread(join(temp.dir, 'db'));
  try {
    await writer.write(Uint8Array.of(1));
    await writer.close();
    await assert.rejects(writer.write(Uint8Array.of(2)), /closed/);
  } finally {
    await temp.cleanup();
  }
});
