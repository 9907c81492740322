// Reading the database file into memory, refusing anything that is not a whole jiraline
// database, and replaying the journal that follows it. The files are only ever read here: a
// file we cannot understand is left exactly as it is, so the operator can inspect or recover it.
import { open, readFile } from 'node:fs/promises';
import { Db, loadSql, type Op } from './database.js';
import { StoreCorruptError, StoreTooLargeError, StoreVersionError } from './errors.js';
import { journalFileFor } from './journal.js';
import { guidsIn, parseJournal, type JournalContents } from './journal-read.js';
import type { JournalRecovery } from './journal-recovery.js';
import { readSchemaVersion, schemaVersion } from './migrations.js';

/** The committed state: the database file with its journal replayed. */
export interface Committed {
  db: Db;
  /** Whether the database file existed (a new store has none). */
  existed: boolean;
  /** The snapshot's generation (its application_id; 0 for a file no snapshot wrote). */
  generation: number;
  /** Commits replayed from the journal. */
  replayed: number;
  /** The journal belongs to this snapshot and holds nothing (a clean close): appends may go on in it. */
  cleanJournal: boolean;
  /** The journal did not read whole: what was recovered and what not (null: it read whole, or was only torn at its end). */
  recovery: JournalRecovery | null;
  /** The journal's bytes when recovery is set (the owner keeps them aside). */
  journalBytes: Uint8Array | null;
}

/**
 * Loads the last committed state of `file`. A reader without the lock may find the owner
 * between a new snapshot and its new journal (or read the journal after a newer snapshot
 * replaced the file it read): then it reads both again.
 */
export async function loadCommitted(file: string): Promise<Committed> {
  const journal = journalFileFor(file);
  for (let attempt = 0; ; attempt += 1) {
    const { db, existed } = await loadDatabase(file);
    try {
      const generation = existed ? Number(db.get('PRAGMA application_id')?.application_id ?? 0) >>> 0 : 0;
      const bytes = await readJournal(journal);
      if (!existed && bytes !== null && bytes.length > 0) {
        throw new StoreCorruptError(journal, `a journal without its database ${file}`);
      }
      const contents = parseJournal(bytes, generation);
      if (!contents.matches && contents.generation !== null && contents.generation > generation && attempt < 5) {
        db.close();
        continue; // a newer snapshot was written meanwhile
      }
      const { replayed, failed } = replayCommits(db, contents);
      const recovery = describe(journal, contents, replayed, failed);
      const cleanJournal = contents.matches && contents.commits.length === 0 && !contents.tornTail && !contents.legacy && recovery === null;
      return { db, existed, generation, replayed, cleanJournal, recovery, journalBytes: recovery ? bytes : null };
    } catch (error) {
      db.close();
      throw error;
    }
  }
}

// Each commit replays whole or not at all (a savepoint). One that does not apply — after a
// lost commit it may not — is counted as lost and named; the commits after it still replay.
function replayCommits(db: Db, contents: JournalContents): { replayed: number; failed: Op[][] } {
  const failed: Op[][] = [];
  let replayed = 0;
  if (contents.commits.length === 0) return { replayed, failed };
  db.transaction(() => {
    for (const commit of contents.commits) {
      try {
        db.transaction(() => db.replay(commit.ops));
        replayed += 1;
      } catch {
        failed.push(commit.ops);
      }
    }
  });
  return { replayed, failed };
}

function describe(journal: string, contents: JournalContents, replayed: number, failed: Op[][]): JournalRecovery | null {
  if (contents.damaged.length === 0 && contents.unusable === null && failed.length === 0) return null;
  const lostGuids = new Set(contents.lostGuids);
  for (const ops of failed) {
    for (const guid of guidsIn(Buffer.from(JSON.stringify(ops.map(([, params]) => params))))) lostGuids.add(guid);
  }
  return {
    journal,
    recovered: replayed,
    lost: contents.lostRecords + failed.length,
    unreadableBytes: contents.damaged.reduce((sum, region) => sum + region.bytes, 0),
    regions: contents.damaged,
    lostGuids: [...lostGuids],
    unusable: contents.unusable,
    keptAs: null,
  };
}

async function readJournal(journal: string): Promise<Uint8Array | null> {
  try {
    return await readFile(journal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreCorruptError(journal, `reading it failed: ${(error as Error).message}`);
  }
}

const sqliteMagic = 'SQLite format 3\0';

/**
 * The largest database file that is loaded. sql.js holds the database in memory and a
 * snapshot copies it whole, so a store needs two to three times its size; and Node reads or
 * writes at most 2 GiB in one call. The queue's ceiling (config queue.*) keeps a store far
 * below this; one that is larger anyway is refused with what to do, before a byte is read.
 */
export const MAX_LOADABLE_BYTES = 2 * 1024 * 1024 * 1024;

/** Reads a file in pieces (one read is limited to 2 GiB); refuses one over MAX_LOADABLE_BYTES. */
async function readWhole(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_LOADABLE_BYTES) throw new StoreTooLargeError(file, size, MAX_LOADABLE_BYTES);
    const bytes = Buffer.allocUnsafe(size);
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) return bytes.subarray(0, at); // it shrank meanwhile: the header check says so
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The database in the file, or a new empty one when the file does not exist (not yet migrated). */
export async function loadDatabase(file: string): Promise<{ db: Db; existed: boolean }> {
  const SQL = await loadSql();
  let bytes: Uint8Array;
  try {
    bytes = await readWhole(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { db: new Db(new SQL.Database()), existed: false };
    if (error instanceof StoreTooLargeError) throw error;
    throw new StoreCorruptError(file, `reading it failed: ${(error as Error).message}`);
  }
  checkHeader(file, bytes);
  let db: Db;
  try {
    db = new Db(new SQL.Database(bytes));
  } catch (error) {
    throw new StoreCorruptError(file, (error as Error).message);
  }
  try {
    checkContents(file, db);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, existed: true };
}

// Cheap checks before handing the bytes to SQLite: the magic string and a page count that
// fits in the file (a truncated copy fails here without reading every page).
function checkHeader(file: string, bytes: Uint8Array): void {
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== sqliteMagic) {
    throw new StoreCorruptError(file, bytes.length === 0 ? 'the file is empty' : 'not an SQLite database');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = view.getUint32(28);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new StoreCorruptError(file, 'bad page size in the header');
  if (bytes.length % pageSize !== 0 || pageCount * pageSize > bytes.length) {
    throw new StoreCorruptError(file, 'the file is truncated');
  }
}

function checkContents(file: string, db: Db): void {
  let check: string;
  try {
    // quick_check reads every page, so damage anywhere shows now rather than mid-run.
    check = db.raw.exec('PRAGMA quick_check').map((r) => r.values.map((v) => String(v[0])).join('; ')).join('; ');
  } catch (error) {
    throw new StoreCorruptError(file, (error as Error).message);
  }
  if (check !== 'ok') throw new StoreCorruptError(file, `SQLite integrity check: ${check.slice(0, 200)}`);
  const version = readSchemaVersion(db);
  if (version > schemaVersion) throw new StoreVersionError(file, version, schemaVersion);
  if (version === 0) {
    // Version 0 with tables in it is some other program's database: never migrate it in place.
    const tables = Number(db.get("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")?.n ?? 0);
    if (tables > 0) throw new StoreCorruptError(file, 'an SQLite database, but not one of jiraline');
  }
}
