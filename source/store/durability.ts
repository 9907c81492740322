// What each group commit writes: the mutations since the last commit as one journal record,
// or — at open, at close, after a failed write, and once the journal has grown to about the
// database's size — a whole snapshot of the database, which starts a new journal.
// A journal record costs what the commit changed; a snapshot costs the whole database, and
// the GUID → ticket map in it only grows (42,000 tickets made every commit 3 MB).
import type { Db } from './database.js';
import { journalHeader, journalRecord, OpsCoder } from './journal.js';
import { WriteThread } from './write-thread.js';
import { MAX_LOADABLE_BYTES } from './load.js';

/** One write: a journal record, or a snapshot with the header of the journal that follows it. */
export type Persist =
  | { kind: 'append'; record: Uint8Array; size: number }
  | { kind: 'snapshot'; bytes: Uint8Array; header: Uint8Array; size: number };

/** The journal is replaced by a snapshot once it holds this much, or twice the database, whichever is more… */
const minJournalBytes = 4 * 1024 * 1024;
/** …but never more than this: a restart replays it all. */
const maxJournalBytes = 16 * 1024 * 1024;

/** Journal records between commits of the in-memory batch transaction (database.ts). */
const settleEvery = 64;

/** Counters for tests and the benchmark. */
export interface DurabilityStats {
  /** Snapshots written (each replaces the database file and starts a journal). */
  snapshots: number;
  /** Bytes of the last snapshot. */
  lastSnapshotBytes: number;
  /** Bytes in the current journal. */
  journalBytes: number;
}

/** Chooses and performs each write of the store; see the file comment. */
export class Durability {
  private readonly writer: WriteThread;
  private generation: number;
  private snapshotWanted: boolean;
  private journalBytes = 0;
  /** The next record's sequence number in the current journal. */
  private sequence = 0;
  private readonly coder = new OpsCoder();
  private commitsSinceSettle = 0;
  private readonly counters: DurabilityStats = { snapshots: 0, lastSnapshotBytes: 0, journalBytes: 0 };

  /**
   * `generation`: the snapshot the database was loaded from (its application_id).
   * `reuseJournal`: its journal is clean and appends may go on in it; else a snapshot comes first.
   */
  constructor(private readonly db: Db, file: string, generation: number, reuseJournal: boolean) {
    this.writer = new WriteThread(file);
    this.generation = generation;
    this.snapshotWanted = !reuseJournal;
    db.startRecording();
  }

  /** The next write will be a whole snapshot (open, close, checkpoint). */
  wantSnapshot(): void {
    this.snapshotWanted = true;
  }

  /** Captures, synchronously, what the next write makes durable. */
  capture(): Persist {
    const { db } = this;
    // After SQLite lost changes by itself, writing the rest would persist a state no caller saw.
    if (db.broken) throw db.broken;
    const ops = db.takeOps();
    try {
      if (this.snapshotWanted || this.journalBytes >= this.journalLimit()) return this.captureSnapshot();
      const record = journalRecord(this.coder.encode(ops), this.generation, this.sequence);
      // The in-memory transaction that batches mutations only bounds its undo log now (the
      // journal, not an export, makes commits durable): it is committed every so often.
      if (++this.commitsSinceSettle >= settleEvery) {
        db.settle();
        this.commitsSinceSettle = 0;
      }
      this.sequence += 1;
      return { kind: 'append', record, size: record.length };
    } catch (error) {
      // These ops are gone from the journal's stream: only a snapshot can stand for them now.
      this.snapshotWanted = true;
      throw error;
    }
  }

  private captureSnapshot(): Persist {
    const { db } = this;
    // Never 0, the application_id of a database no snapshot has written.
    this.generation = ((this.generation + 1) >>> 0) || 1;
    db.raw.exec(`PRAGMA application_id = ${this.generation | 0}`);
    db.settle();
    this.commitsSinceSettle = 0;
    const bytes = db.raw.export();
    // A snapshot the next start could not load would strand everything in it: refuse to write
    // it (the commit fails, its lines get ERR) and keep the last one that loads.
    if (bytes.length > MAX_LOADABLE_BYTES) {
      throw new Error(`the database has grown to ${bytes.length} bytes, more than a start can load back (${MAX_LOADABLE_BYTES}); lower log.maxEntries or queue.maxBytes and restart`);
    }
    this.snapshotWanted = false;
    this.journalBytes = 0;
    this.sequence = 0;
    this.coder.reset();
    return { kind: 'snapshot', bytes, header: journalHeader(this.generation), size: bytes.length };
  }

  private journalLimit(): number {
    return Math.min(maxJournalBytes, Math.max(minJournalBytes, 2 * this.counters.lastSnapshotBytes));
  }

  /** Performs a captured write. After a failure the next write is a snapshot: the journal may miss this one. */
  async write(persist: Persist): Promise<void> {
    try {
      if (persist.kind === 'append') {
        await this.writer.append(persist.record);
        this.journalBytes += persist.size;
      } else {
        await this.writer.snapshot(persist.bytes, persist.header);
        this.counters.snapshots += 1;
        this.counters.lastSnapshotBytes = persist.size;
      }
    } catch (error) {
      this.snapshotWanted = true;
      throw error;
    }
  }

  /** A copy of the counters. */
  stats(): DurabilityStats {
    return { ...this.counters, journalBytes: this.journalBytes };
  }

  /** Ends the writer thread (after the last write). */
  close(): Promise<void> {
    return this.writer.close();
  }
}
