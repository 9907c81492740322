// `jiraline log --follow`: keeps printing rows as they come and as they change status, like
// `tail -f`. It never takes the data directory's lock: it reads the committed state the way
// `jiraline log` does (the database file with its journal replayed), again whenever either
// file changed, so it works beside a running daemon or app.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LogRow } from '../core/ports.js';
import { databaseFileName, openStoreSnapshot, type StoreReader } from '../store/index.js';
import { journalFileFor } from '../store/journal.js';

/** How often the files are looked at (a stat each; the store is read only when one changed). */
export const FOLLOW_POLL_MS = 500;
/** Pending rows watched for their outcome; past this, the oldest are no longer watched. */
export const FOLLOW_MAX_WATCHED = 10_000;

/** Options of followLog. */
export interface FollowOptions {
  dir: string;
  /** Only rows with this status are printed (a row is printed when it reaches it). */
  status?: LogRow['status'];
  /** The newest row already printed (or skipped) by the caller; later rows are new. */
  afterId: number;
  /** Rows the caller saw Pending: printed again when their status changes (if it matches). */
  pending: number[];
  /** logSignature(dir) taken before the caller read the rows: a commit after it is not missed. */
  since: string;
  print(rows: LogRow[]): void;
  /** Ends the loop (Ctrl-C ends the process anyway). */
  signal?: AbortSignal;
  pollMs?: number;
}

/** What changes whenever the committed state may have: the database file's and the journal's size, time and inode. */
export function logSignature(dir: string): Promise<string> {
  return signature(join(resolve(dir), databaseFileName));
}

async function signature(file: string): Promise<string> {
  const parts = await Promise.all([file, journalFileFor(file)].map((f) => stat(f).then((s) => `${s.size}:${s.mtimeMs}:${s.ino}`, () => '-')));
  return parts.join('|');
}

/** The rows newer than afterId, oldest first: newest-first pages until one reaches afterId, so a burst is never skipped. */
function rowsAfter(reader: StoreReader, afterId: number): LogRow[] {
  const page = 500;
  const fresh: LogRow[] = [];
  for (let offset = 0; ; offset += page) {
    const rows = reader.queryLog({ offset, limit: page });
    for (const row of rows) {
      if (row.id <= afterId) return fresh.reverse();
      fresh.push(row);
    }
    if (rows.length < page) return fresh.reverse();
  }
}

/** Follows the log until the signal aborts; see the file comment. */
export async function followLog(options: FollowOptions): Promise<void> {
  const file = join(resolve(options.dir), databaseFileName);
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  let afterId = options.afterId;
  const watched = new Set(options.pending);
  let seen = options.since;
  const aborted = new Promise<void>((done) => options.signal?.addEventListener('abort', () => done(), { once: true }));
  while (!options.signal?.aborted) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([aborted, new Promise<void>((done) => { timer = setTimeout(done, pollMs); })]);
    clearTimeout(timer);
    if (options.signal?.aborted) break;
    const now = await signature(file);
    if (now === seen) continue;
    seen = now;
    const reader = await openStoreSnapshot(options.dir);
    try {
      const out: LogRow[] = [];
      // Rows watched since they were Pending and now finished (or gone: pruned).
      for (const id of [...watched]) {
        const row = reader.getLog(id);
        if (row && row.status === 'Pending') continue;
        watched.delete(id);
        if (row && (options.status === undefined || row.status === options.status)) out.push(row);
      }
      for (const row of rowsAfter(reader, afterId)) {
        afterId = Math.max(afterId, row.id);
        if (row.status === 'Pending') watched.add(row.id);
        if (options.status === undefined || row.status === options.status) out.push(row);
      }
      while (watched.size > FOLLOW_MAX_WATCHED) watched.delete(watched.values().next().value as number);
      if (out.length > 0) options.print(out.sort((a, b) => a.id - b.id));
    } finally {
      reader.close();
    }
  }
}
