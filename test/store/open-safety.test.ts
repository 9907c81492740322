// Opening safely: files that cannot be read are refused and never touched; a newer schema is
// refused; a crash at any moment leaves the last committed state; modes are private.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { openStore, openStoreSnapshot, StoreCorruptError, StoreVersionError } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

const exists = (path: string) => access(path).then(() => true, () => false);

/** A directory holding a committed store with `rows` log rows. */
async function committedStore(rows: number) {
  const temp = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  store.transaction(() => {
    for (let i = 0; i < rows; i += 1) store.insertLog(logRow({ guid: `g${i}`, request: 'r'.repeat(100) }));
  });
  await store.close();
  return { ...temp, file: join(temp.dir, 'jiraline.db') };
}

async function assertRefusedUntouched(dir: string, file: string, reason: RegExp) {
  const before = await readFile(file);
  await assert.rejects(openStore({ dir }), (error: unknown) => {
    assert.ok(error instanceof StoreCorruptError, `expected StoreCorruptError, got ${String(error)}`);
    assert.equal(error.file, file);
    assert.ok(error.message.includes(file), 'the message names the file');
    assert.match(error.message, /move it aside to start afresh; it was not modified/);
    assert.match(error.message, reason);
    return true;
  });
  assert.deepEqual(await readFile(file), before, 'the file is byte for byte as it was');
  assert.equal(await exists(join(dir, 'jiraline.lock')), false, 'the lock is released after the refusal');
}

test('a file that is not SQLite is refused and never overwritten', async () => {
  const temp = await makeTempDir();
  try {
    const file = join(temp.dir, 'jiraline.db');
    await writeFile(file, 'these are my notes, not a database\n'.repeat(200));
    await assertRefusedUntouched(temp.dir, file, /not an SQLite database/);
    await assert.rejects(openStoreSnapshot(temp.dir), StoreCorruptError);
  } finally {
    await temp.cleanup();
  }
});

test('an empty file is refused', async () => {
  const temp = await makeTempDir();
  try {
    const file = join(temp.dir, 'jiraline.db');
    await writeFile(file, '');
    await assertRefusedUntouched(temp.dir, file, /empty/);
  } finally {
    await temp.cleanup();
  }
});

test('a truncated database is refused and left as it is', async () => {
  const temp = await committedStore(2_000);
  try {
    const size = (await stat(temp.file)).size;
    await truncate(temp.file, Math.floor(size / 2));
    await assertRefusedUntouched(temp.dir, temp.file, /truncated/);
  } finally {
    await temp.cleanup();
  }
});

test('a database damaged in the middle is refused and left as it is', async () => {
  const temp = await committedStore(2_000);
  try {
    const bytes = await readFile(temp.file);
    // scribble over a few pages past the header and schema (page size 4096)
    bytes.fill(0x5a, 4096 * 4, 4096 * 7);
    await writeFile(temp.file, bytes);
    await assertRefusedUntouched(temp.dir, temp.file, /malformed|integrity|corrupt/i);
  } finally {
    await temp.cleanup();
  }
});

test("another program's SQLite database is refused, not migrated", async () => {
  const temp = await makeTempDir();
  try {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES (\'bread\')');
    const file = join(temp.dir, 'jiraline.db');
    await writeFile(file, db.export());
    db.close();
    await assertRefusedUntouched(temp.dir, file, /not one of jiraline/);
  } finally {
    await temp.cleanup();
  }
});

test('a database from a newer jiraline is refused clearly and left as it is', async () => {
  const temp = await committedStore(3);
  try {
    const SQL = await initSqlJs();
    const db = new SQL.Database(await readFile(temp.file));
    db.exec('PRAGMA user_version = 99');
    await writeFile(temp.file, db.export());
    db.close();
    const before = await readFile(temp.file);
    await assert.rejects(openStore({ dir: temp.dir }), (error: unknown) =>
      error instanceof StoreVersionError && error.found === 99 && /newer jiraline.*upgrade jiraline/.test(error.message));
    assert.deepEqual(await readFile(temp.file), before);
    assert.equal(await exists(join(temp.dir, 'jiraline.lock')), false);
  } finally {
    await temp.cleanup();
  }
});

test('a temp file left by a crashed write is ignored and removed; the committed state is intact', async () => {
  const temp = await committedStore(10);
  try {
    const leftover = join(temp.dir, 'jiraline.db.tmp');
    await writeFile(leftover, Buffer.alloc(5000, 0x42)); // half a write
    const store = await openStore({ dir: temp.dir });
    try {
      assert.equal(store.countLog(), 10);
      assert.equal(await exists(leftover), false);
    } finally {
      await store.close();
    }
  } finally {
    await temp.cleanup();
  }
});

test('modes: data directory 0700, database and lock 0600', async () => {
  const temp = await makeTempDir();
  try {
    const dir = join(temp.dir, 'deep', 'data');
    const store = await openStore({ dir });
    try {
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      assert.equal((await stat(join(temp.dir, 'deep'))).mode & 0o777, 0o700, 'parents it creates too');
      assert.equal((await stat(store.file)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir, 'jiraline.lock'))).mode & 0o777, 0o600);
      store.insertLog(logRow());
      await store.commit();
      assert.equal((await stat(store.file)).mode & 0o777, 0o600, 'still 0600 after a rewrite');
    } finally {
      await store.close();
    }
  } finally {
    await temp.cleanup();
  }
});

/** Runs the crash child until it has acknowledged at least `count` rows, then SIGKILLs it. */
async function runAndKill(dir: string, count: number): Promise<{ acknowledged: number[]; opened: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: number[] = [];
  let opened = '';
  let buffer = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('open ')) opened = line.slice(5);
        else acknowledged.push(Number(line));
      }
      if (acknowledged.length >= count) resolve();
    });
    child.once('exit', () => resolve());
  });
  child.kill('SIGKILL');
  await exited;
  return { acknowledged, opened };
}

test('crash: SIGKILLed while committing, every acknowledged row is there and the dead lock is taken over', async () => {
  const temp = await makeTempDir();
  try {
    const all: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const { acknowledged, opened } = await runAndKill(temp.dir, 60 + round * 37);
      assert.ok(acknowledged.length >= 60, `round ${round}: the child acknowledged ${acknowledged.length} rows`);
      assert.equal(opened, round === 0 ? 'clean' : 'took-over', 'the killed child left its lock; the next one took it over');
      all.push(...acknowledged);
    }
    const reader = await openStoreSnapshot(temp.dir);
    const present = new Set(reader.queryLog({}).map((row) => row.id));
    reader.close();
    const missing = all.filter((id) => !present.has(id));
    assert.deepEqual(missing, [], 'no acknowledged row lost');
    const store = await openStore({ dir: temp.dir });
    assert.equal(store.tookOverStaleLock, true);
    assert.equal(await exists(join(temp.dir, 'jiraline.db.tmp')), false);
    await store.close();
  } finally {
    await temp.cleanup();
  }
});

test('a database larger than can be loaded is refused before it is read, saying its size, the limit and what to do; nothing is touched', async () => {
  const temp = await makeTempDir();
  try {
    const file = join(temp.dir, 'jiraline.db');
    // A sparse file: 2 GiB + 4 KiB on disk costs nothing.
    await writeFile(file, 'SQLite format 3\0');
    await truncate(file, 2 * 1024 * 1024 * 1024 + 4096);
    const before = await stat(file);
    for (const open of [() => openStore({ dir: temp.dir }), () => openStoreSnapshot(temp.dir)]) {
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof StoreCorruptError, String(error));
        assert.match(error.message, /is 2\.00 GiB, larger than jiraline can load \(2\.00 GiB: it holds the whole database in memory\); it was not modified\. Shrink it with the sqlite3 tool/);
        return true;
      });
    }
    const after = await stat(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(await exists(join(temp.dir, 'jiraline.journal')), false, 'no journal was started');
  } finally {
    await temp.cleanup();
  }
});
