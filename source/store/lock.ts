// The lock file that keeps a second engine off a data directory. It holds the owner's pid.
// It is made by writing a private file and hard-linking it into place: link() fails
// atomically when the lock exists, and the lock is never seen empty or half-written.
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreLockedError } from './errors.js';

/** A held lock. */
export interface Lock {
  readonly file: string;
  /** True when a lock left by a dead process was taken over. */
  readonly tookOverStale: boolean;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

// Lock files this process holds. A lock naming our own pid that is not among them was left
// by an earlier process that had the same pid: in a container the engine is pid 1 on every
// start, so after a kill -9 the restart would otherwise refuse itself forever.
const heldHere = new Set<string>();

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function parsePid(text: string): number | null {
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Takes `jiraline.lock` in dir for pid; throws StoreLockedError when a live process holds it. */
export async function acquireLock(dir: string, pid: number): Promise<Lock> {
  const file = join(dir, 'jiraline.lock');
  const mine = `${file}.${pid}.${process.hrtime.bigint()}`;
  await writeFile(mine, `${pid}\n`, { mode: 0o600 });
  let tookOverStale = false;
  try {
    // A few rounds cover another engine taking over the same stale lock at the same moment.
    for (let round = 0; round < 5; round += 1) {
      try {
        await placeLock(mine, file, pid);
        return makeLock(file, pid, tookOverStale);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue; // it went away meanwhile: try again
      const holder = parsePid(text);
      const leftByOurPid = holder === process.pid && !heldHere.has(file);
      if (holder !== null && pidAlive(holder) && !leftByOurPid) throw new StoreLockedError(holder, dir);
      if (holder === null && (await youngerThan(file, 2_000))) {
        // Possibly another engine between creating it and writing its pid (the O_EXCL way).
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      // Stale (dead pid, or unreadable content): move it aside under a name of our own,
      // then check that what we moved is still the stale lock and not a fresh one.
      const aside = `${file}.stale.${pid}.${process.hrtime.bigint()}`;
      try {
        await rename(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = await readFile(aside, 'utf8').catch(() => null);
      if (moved !== null && moved !== text) {
        // We moved someone's live lock: put it back (fails harmlessly if another took its place).
        await link(aside, file).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        continue;
      }
      await unlink(aside).catch(() => undefined);
      tookOverStale = true;
    }
    throw new Error(`could not take the lock ${file}: it keeps changing; is another jiraline starting?`);
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

async function youngerThan(file: string, ms: number): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs < ms;
}

// Hard links fail atomically with EEXIST. A file system without them (some network or FUSE
// mounts) gets O_EXCL instead, which is as atomic but shows an empty lock for an instant.
async function placeLock(mine: string, file: string, pid: number): Promise<void> {
  try {
    await link(mine, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    await writeFile(file, `${pid}\n`, { flag: 'wx', mode: 0o600 });
  }
}

function makeLock(file: string, pid: number, tookOverStale: boolean): Lock {
  let released = false;
  heldHere.add(file);
  return {
    file,
    tookOverStale,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text !== null && parsePid(text) === pid) await unlink(file).catch(() => undefined);
    },
  };
}
