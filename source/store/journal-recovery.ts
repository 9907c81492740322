// What opening the store says about a damaged journal, and the copy of it kept aside. The
// damaged file is never rewritten away: before the snapshot that starts a new journal, it
// is copied beside the database under a name that says what it is, so the loss can be
// investigated, and the start names what was recovered and what was not.
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DamagedRegion } from './journal-read.js';

/** A journal that did not read whole (a torn last record is not this: that one is normal). */
export interface JournalRecovery {
  /** The journal file. */
  journal: string;
  /** Commits replayed. */
  recovered: number;
  /** Commits that could not be replayed (at least this many). */
  lost: number;
  /** Bytes that did not verify, and where. */
  unreadableBytes: number;
  regions: DamagedRegion[];
  /** GUIDs of acknowledged lines read in what could not be replayed. */
  lostGuids: string[];
  /** Why none of the journal could be applied, or null. */
  unusable: string | null;
  /** Where the damaged journal was copied (null: not copied, e.g. by a reader without the lock). */
  keptAs: string | null;
}

/** GUIDs named in the message itself; the JSON log and the kept file hold them all. */
const namedInMessage = 20;

/** One paragraph for the daemon log, stderr and the app: what happened and what to do. */
export function recoveryMessage(recovery: JournalRecovery): string {
  const { regions } = recovery;
  const where = regions.slice(0, 3).map((r) => `${r.bytes} bytes at byte ${r.at}`).join(', ') + (regions.length > 3 ? `, and ${regions.length - 3} more` : '');
  const parts = [`the journal ${recovery.journal} is damaged (${recovery.unreadableBytes} bytes did not verify: ${where || 'none'})`];
  if (recovery.unusable) parts.push(`none of it could be applied: ${recovery.unusable}`);
  parts.push(`${recovery.recovered} commit${recovery.recovered === 1 ? '' : 's'} recovered, ${recovery.lost} lost`);
  if (recovery.lostGuids.length > 0) {
    const named = recovery.lostGuids.slice(0, namedInMessage).join(', ');
    const more = recovery.lostGuids.length > namedInMessage ? ` and ${recovery.lostGuids.length - namedInMessage} more` : '';
    parts.push(`acknowledged lines of these GUIDs may be lost — check each with STATUS or jiraline log and send it again if needed: ${named}${more}`);
  } else if (recovery.lost > 0) {
    parts.push('no GUID could be read in the damaged bytes: lines acknowledged shortly before the damage may be lost — check recent GUIDs with STATUS');
  } else {
    parts.push('no acknowledged line was lost');
  }
  parts.push(recovery.keptAs ? `the damaged journal is kept as ${recovery.keptAs}` : 'the damaged journal was left as it is');
  return parts.join('; ');
}

/** Copies the damaged journal's bytes beside it (0600, synced); returns the copy's path. */
export async function keepAside(journal: string, bytes: Uint8Array, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 0; ; n += 1) {
    const path = join(dirname(journal), `${basename(journal)}.damaged-${stamp}${n === 0 ? '' : `-${n}`}`);
    let handle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const dir = await open(dirname(journal), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return path;
  }
}
