// The lock file: one engine per data directory; a lock left by a dead process is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, StoreLockedError } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

/** The pid of a process that has exited (spawned, waited for). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

const exists = (path: string) => access(path).then(() => true, () => false);

test('a lock naming our own pid that this process does not hold is stale (pid 1 in a container after kill -9)', async () => {
  const temp = await makeTempDir();
  try {
    await writeFile(join(temp.dir, 'jiraline.lock'), `${process.pid}\n`, { mode: 0o600 });
    const store = await openStore({ dir: temp.dir });
    assert.equal(store.tookOverStaleLock, true);
    await store.close();
  } finally {
    await temp.cleanup();
  }
});

test('a second store on the same directory is refused naming the running pid', async () => {
  const temp = await makeTempDir();
  const first = await openStore({ dir: temp.dir });
  try {
    assert.equal((await readFile(join(temp.dir, 'jiraline.lock'), 'utf8')).trim(), String(process.pid));
    await assert.rejects(openStore({ dir: temp.dir }), (error: unknown) => {
      assert.ok(error instanceof StoreLockedError);
      assert.equal(error.pid, process.pid);
      assert.match(error.message, new RegExp(`another jiraline engine \\(pid ${process.pid}\\) is using ${temp.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; stop it first or use --data-dir`));
      return true;
    });
    // the refused open did not disturb the holder
    assert.equal((await readFile(join(temp.dir, 'jiraline.lock'), 'utf8')).trim(), String(process.pid));
    first.insertLog(logRow());
    await first.commit();
  } finally {
    await first.close();
    await temp.cleanup();
  }
});

test('a lock held by another live process is refused with that pid', async () => {
  const temp = await makeTempDir();
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await writeFile(join(temp.dir, 'jiraline.lock'), `${holder.pid}\n`);
    await assert.rejects(openStore({ dir: temp.dir }), (error: unknown) =>
      error instanceof StoreLockedError && error.pid === holder.pid && error.message.includes(`pid ${holder.pid}`));
    assert.equal(await exists(join(temp.dir, 'jiraline.db')), false, 'nothing was created behind the lock');
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    await temp.cleanup();
  }
});

test('a lock left by a dead process is taken over and reported', async () => {
  const temp = await makeTempDir();
  try {
    const pid = await deadPid();
    await writeFile(join(temp.dir, 'jiraline.lock'), `${pid}\n`);
    const store = await openStore({ dir: temp.dir });
    assert.equal(store.tookOverStaleLock, true);
    assert.equal((await readFile(join(temp.dir, 'jiraline.lock'), 'utf8')).trim(), String(process.pid));
    await store.close();
    assert.equal(await exists(join(temp.dir, 'jiraline.lock')), false, 'released on close');

    const again = await openStore({ dir: temp.dir });
    assert.equal(again.tookOverStaleLock, false, 'a clean open reports no takeover');
    await again.close();
  } finally {
    await temp.cleanup();
  }
});

test('a lock file without a pid: taken over when old, left alone while it may be being written', async () => {
  const temp = await makeTempDir();
  try {
    const lock = join(temp.dir, 'jiraline.lock');
    await writeFile(lock, '');
    await assert.rejects(openStore({ dir: temp.dir }), /could not take the lock/);
    assert.equal(await readFile(lock, 'utf8'), '', 'a fresh empty lock is not taken');

    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    const store = await openStore({ dir: temp.dir });
    assert.equal(store.tookOverStaleLock, true);
    await store.close();
  } finally {
    await temp.cleanup();
  }
});

test('two opens racing for one directory: exactly one wins', async () => {
  const temp = await makeTempDir();
  try {
    await writeFile(join(temp.dir, 'jiraline.lock'), `${await deadPid()}\n`);
    const results = await Promise.allSettled([openStore({ dir: temp.dir }), openStore({ dir: temp.dir })]);
    const opened = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(opened.length, 1);
    assert.ok(refused[0].status === 'rejected' && refused[0].reason instanceof StoreLockedError);
    await (opened[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof openStore>>>).value.close();
  } finally {
    await temp.cleanup();
  }
});
