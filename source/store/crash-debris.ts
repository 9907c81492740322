// Start-up cleaning of the data directory: what a crash leaves behind (see removeDebris).
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from './lock.js';
import { tempFileFor } from './persist.js';
import { journalFileFor } from './journal.js';

// What a crash can leave: the temp file of an unfinished write (the renamed file is the
// committed state, so the temp is garbage) and the private files of a lock being taken.
export async function removeDebris(dir: string, file: string): Promise<void> {
  await unlink(tempFileFor(file)).catch(() => undefined);
  await unlink(tempFileFor(journalFileFor(file))).catch(() => undefined);
  for (const name of await readdir(dir)) {
    const match = /^jiraline\.lock\.(?:stale\.)?(\d+)\.\d+$/.exec(name);
    if (match && !pidAlive(Number(match[1]))) await unlink(join(dir, name)).catch(() => undefined);
  }
}
