// The durable store: the StorePort of ports.ts on one sql.js database held in memory and
// persisted by group commit. Opening takes the directory's lock, refuses a file it cannot
// read (without touching it), and brings the schema up to date.
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DayCount, LogQuery, LogRow, QueuedCommand, RefusedCounts, ResponseQuery, ResponseRow, StorePort, TicketRef } from '../core/ports.js';
import type { AlarmPage, AlarmQuery, AlarmRow } from '../core/alarms.js';
import { AlarmsTable } from './alarms-table.js';
import type { Db } from './database.js';
import { acquireLock, type Lock } from './lock.js';
import { removeDebris } from './crash-debris.js';
import { loadCommitted } from './load.js';
import { migrate } from './migrations.js';
import { GroupCommit, type WriteStats } from './persist.js';
import { Durability, type DurabilityStats, type Persist } from './durability.js';
import { journalFileFor } from './journal.js';
import { keepAside, type JournalRecovery } from './journal-recovery.js';
import { QueueTable } from './queue-table.js';
import { LogTable } from './log-table.js';
import { ResponsesTable } from './responses-table.js';
import { StatsTable } from './stats-table.js';
import { MetaTable, TicketsTable } from './keyed-tables.js';
import { bindJira, type JiraBinding } from './jira-binding.js';
import { UNBOUND_JIRA } from '../core/jira-identity.js';

/** Where and how to open the store. */
export interface StoreOptions {
  /** The data directory (created 0700 if missing). */
  dir: string;
  /** The group-commit window in ms: commits asked for within it share one write (default 2). */
  commitDelayMs?: number;
  /** The pid written into the lock file (default process.pid). */
  pid?: number;
  /** The Jira to bind the directory to (jiraIdentity of its URL); default unbound (tests of the store alone). */
  jira?: string;
}

/** The opened store: StorePort plus what the daemon and tests look at. */
export interface Store extends StorePort {
  /** The database file, e.g. /var/lib/jiraline/jiraline.db. */
  readonly file: string;
  /** The data directory. */
  readonly dir: string;
  /** True when the lock of a process that no longer runs was taken over (the daemon reports it). */
  readonly tookOverStaleLock: boolean;
  /** The data directory's permission bits at open (0o700 when jiraline made it; the faces warn when others may read it). */
  readonly dirMode: number;
  /** What binding the directory to this Jira found (the start reports another Jira's map and queue). */
  readonly binding: JiraBinding;
  /** Write counters (group commit makes far fewer writes than commits). */
  stats(): WriteStats & DurabilityStats;
  /** Calls `listener` with the milliseconds each durable write took (record or snapshot, synced); returns the unsubscribe. */
  onWrite(listener: (ms: number) => void): () => void;
  /** Writes a whole snapshot of the database now (and starts a new journal); resolves when durable. */
  checkpoint(): Promise<void>;
  /** Runs the synchronous fn whole or not at all (a savepoint; undone if fn throws). Also faster for many mutations. */
  transaction<T>(fn: () => T): T;
  /** What opening found in a damaged journal (kept aside as `keptAs`), or null when it read whole. */
  readonly journalRecovery: JournalRecovery | null;
}

/** Free pages (4 KiB each) worth handing back after a prune. */
const reclaimPages = 64;
/** Rows removed (log or queue) before the free list is looked at again. */
const reclaimAfterRows = 32;

/** The database file's name inside the data directory. */
export const databaseFileName = 'jiraline.db';

/** Opens the store in options.dir: takes the lock; throws StoreLockedError, StoreCorruptError or StoreVersionError. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(dir, options.pid ?? process.pid);
  let db: Db | null = null;
  try {
    const file = join(dir, databaseFileName);
    await removeDebris(dir, file);
    const loaded = await loadCommitted(file);
    db = loaded.db;
    let recovery = loaded.recovery;
    if (recovery && loaded.journalBytes) {
      // Kept before the snapshot below starts a new journal: the damaged one is never rewritten away.
      const journal = journalFileFor(file);
      try {
        recovery = { ...recovery, keptAs: await keepAside(journal, loaded.journalBytes) };
      } catch (error) {
        throw new Error(`the journal ${journal} is damaged and copying it aside failed (${(error as Error).message}); nothing was modified: make room in ${dir} and start again`);
      }
    }
    tune(db);
    const migrated = migrate(db);
    const binding = bindJira(db, options.jira ?? UNBOUND_JIRA);
    db.enableBatching();
    // After a clean close the file holds everything and the journal goes on; otherwise a
    // snapshot at once puts the replayed journal (or a migration) into the file and starts a
    // new journal, and a new store gets a whole file for readers.
    const reuseJournal = loaded.existed && migrated === 0 && loaded.cleanJournal && !binding.changed;
    // A directory someone else made keeps its mode (it may be shared on purpose); it is reported, not changed.
    const dirMode = (await stat(dir)).mode & 0o777;
    const store = new SqlStore(db, file, dir, dirMode, lock, options.commitDelayMs ?? 2, loaded.generation, reuseJournal, recovery, binding);
    if (!reuseJournal) await store.checkpoint();
    return store;
  } catch (error) {
    db?.close();
    await lock.release();
    throw error;
  }
}

// The database is in memory and ours alone. A rollback journal in memory is all a failed
// statement needs, and an exclusive lock spares every statement the hot-journal check and
// the cache re-validation that a shared file needs (both were at the top of an insert's profile).
function tune(db: Db): void {
  db.raw.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY');
}

class SqlStore implements Store {
  private readonly committer: GroupCommit<Persist>;
  private readonly durability: Durability;
  private readonly queue: QueueTable;
  private readonly log: LogTable;
  private readonly responses: ResponsesTable;
  private readonly statsTable: StatsTable;
  private readonly tickets: TicketsTable;
  private readonly meta: MetaTable;
  private readonly alarms: AlarmsTable;
  private closed = false;
  private removedSinceReclaim = 0;

  constructor(
    private readonly db: Db,
    readonly file: string,
    readonly dir: string,
    readonly dirMode: number,
    private readonly lock: Lock,
    commitDelayMs: number,
    generation: number,
    reuseJournal: boolean,
    readonly journalRecovery: JournalRecovery | null,
    readonly binding: JiraBinding,
  ) {
    const durability = new Durability(db, file, generation, reuseJournal);
    this.durability = durability;
    // Counts and alarms' changes kept in memory go into the database just before a commit captures it.
    this.committer = new GroupCommit<Persist>(() => {
      this.statsTable.flush();
      this.alarms.flush();
      return durability.capture();
    }, (p) => durability.write(p), commitDelayMs, (p) => p.size);
    const changed = () => this.touch();
    this.queue = new QueueTable(db, changed, binding.jira);
    this.log = new LogTable(db, changed, binding.jira);
    this.responses = new ResponsesTable(db, changed, binding.jira);
    this.statsTable = new StatsTable(db, changed);
    this.tickets = new TicketsTable(db, changed, binding.jira);
    this.meta = new MetaTable(db, changed);
    this.alarms = new AlarmsTable(db, changed, binding.jira);
  }

  get jira(): string {
    return this.binding.jira;
  }

  get tookOverStaleLock(): boolean {
    return this.lock.tookOverStale;
  }

  /** Marks the database changed (every mutation passes here). */
  touch(): void {
    if (this.closed) throw new Error(`the store ${this.file} is closed`);
    this.committer.touch();
  }

  stats(): WriteStats & DurabilityStats {
    return { ...this.committer.stats(), ...this.durability.stats() };
  }

  onWrite(listener: (ms: number) => void): () => void {
    return this.committer.onWrite(listener);
  }

  checkpoint(): Promise<void> {
    this.durability.wantSnapshot();
    this.touch();
    return this.committer.commit();
  }

  transaction<T>(fn: () => T): T {
    const counts = this.statsTable.saveBuffer();
    this.alarms.flush(); // what waits from before stays whatever fn does
    try {
      return this.db.transaction(fn);
    } catch (error) {
      this.log.recount(); // rows inserted or deleted inside fn are undone
      this.queue.forgetIds(); // and so are the ids its inserts took
      this.statsTable.restoreBuffer(counts); // and so are the counts it added (or flushed)
      this.alarms.discard(); // and the alarms' changes it left waiting
      throw error;
    }
  }

  insertCommand(command: Omit<QueuedCommand, 'id'>): number {
    this.open();
    return this.queue.insert(command);
  }
  updateCommand(id: number, patch: Partial<Omit<QueuedCommand, 'id'>>): void {
    this.open();
    this.queue.update(id, patch);
  }
  getCommand(id: number): QueuedCommand | undefined {
    return this.queue.get(id);
  }
  openCommands(): QueuedCommand[] {
    return this.queue.open();
  }
  latestCommandFor(guid: string): QueuedCommand | undefined {
    return this.queue.latestFor(guid);
  }
  deleteCommand(id: number): void {
    this.open();
    this.queue.delete(id);
  }
  failedCommandsOf(logId: number): QueuedCommand[] {
    return this.queue.failedOf(logId);
  }
  purgeFinishedCommands(before: number): number {
    this.open();
    return this.reclaim(this.queue.purgeFinished(before));
  }

  getTicket(guid: string): TicketRef | undefined {
    return this.tickets.get(guid);
  }
  setTicket(ref: TicketRef): void {
    this.open();
    this.tickets.set(ref);
    this.alarms.ticketChanged(ref.guid, ref);
  }
  deleteTicket(guid: string): void {
    this.open();
    this.tickets.delete(guid);
    this.alarms.ticketChanged(guid, null);
  }

  noteAlarmLine(guid: string, action: 'Create' | 'Update', now: number, ticket?: TicketRef): void {
    this.open();
    this.alarms.noteLine(guid, action, now, ticket);
  }
  updateAlarm(guid: string, patch: Partial<Omit<AlarmRow, 'guid' | 'jira'>>): void {
    this.open();
    this.alarms.update(guid, patch);
  }
  settleAlarm(guid: string, outcome: 'ok' | 'failed'): void {
    this.open();
    this.alarms.settle(guid, outcome);
  }
  ensureAlarm(guid: string, action: AlarmRow['lastAction'], now: number): void {
    this.open();
    this.alarms.ensure(guid, action, now, this.tickets.get(guid));
  }
  getAlarm(guid: string): AlarmRow | undefined {
    return this.alarms.get(guid);
  }
  queryAlarms(query: AlarmQuery): AlarmPage {
    return this.alarms.query(query);
  }
  pruneAlarmsToCount(maxEntries: number): number {
    this.open();
    return this.reclaim(this.alarms.pruneToCount(maxEntries));
  }

  insertLog(row: Omit<LogRow, 'id'>): number {
    this.open();
    return this.log.insert(row);
  }
  updateLog(id: number, patch: Partial<Omit<LogRow, 'id'>>): void {
    this.open();
    this.log.update(id, patch);
  }
  getLog(id: number): LogRow | undefined {
    return this.log.get(id);
  }
  queryLog(query: LogQuery): LogRow[] {
    return this.log.query(query);
  }
  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number {
    return this.log.count(query);
  }
  pruneLogToCount(maxEntries: number): number {
    this.open();
    return this.reclaim(this.withFailedCommands(this.log.pruneToCount(maxEntries)));
  }
  pruneLogOlderThan(before: number): number {
    this.open();
    return this.reclaim(this.withFailedCommands(this.log.pruneOlderThan(before)));
  }
  /** Rows pruned take the failed commands kept for their retry along. */
  private withFailedCommands(rows: number): number {
    if (rows > 0) this.queue.dropOrphanFailed();
    return rows;
  }

  insertResponse(row: Omit<ResponseRow, 'id'>): number {
    this.open();
    return this.responses.insert(row);
  }
  insertResponses(rows: ReadonlyArray<Omit<ResponseRow, 'id'>>): void {
    this.open();
    this.responses.insertMany(rows);
  }
  queryResponses(query: ResponseQuery): ResponseRow[] {
    return this.responses.query(query);
  }
  countResponses(query?: Omit<ResponseQuery, 'offset' | 'limit'>): number {
    return this.responses.count(query);
  }
  pruneResponses(maxEntries: number): number {
    this.open();
    return this.reclaim(this.responses.prune(maxEntries));
  }

  addStats(day: string, created: number, updated: number, refused = 0): void {
    this.open();
    this.statsTable.add(day, created, updated, refused);
  }
  statsDays(fromDay: string, toDay: string): DayCount[] {
    return this.statsTable.days(fromDay, toDay);
  }
  statsTotals(): { created: number; updated: number } {
    return this.statsTable.totals();
  }
  statsRefused(fromDay: string, toDay: string): RefusedCounts {
    return this.statsTable.refused(fromDay, toDay);
  }
  resetStatsDaily(): void {
    this.open();
    this.statsTable.resetDaily();
  }
  resetStatsTotals(): void {
    this.open();
    this.statsTable.resetTotals();
  }

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }
  setMeta(key: string, value: string): void {
    this.open();
    this.meta.set(key, value);
  }
  deleteMeta(key: string): void {
    this.open();
    this.meta.delete(key);
  }
  metaKeys(prefix: string): string[] {
    return this.meta.keys(prefix);
  }

  commit(): Promise<void> {
    return this.committer.commit();
  }

  // A snapshot exports every page, free ones too: after a prune, hand free pages back so a
  // log cut from 100,000 rows to 1,000 is also written as 1,000. Small frees are left for
  // the next inserts to reuse, and not even counted one by one (a row goes with every line
  // at the cap): the free list is looked at once some rows have gone.
  private reclaim(removed: number): number {
    this.removedSinceReclaim += removed;
    if (this.removedSinceReclaim < reclaimAfterRows) return removed;
    this.removedSinceReclaim = 0;
    if (Number(this.db.get('PRAGMA freelist_count')?.freelist_count ?? 0) >= reclaimPages) {
      this.db.exec('PRAGMA incremental_vacuum');
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.committer.flush();
      // At rest the file should hold everything and the journal nothing, so the next open
      // goes on at once. Not needed for safety: if this fails, the next open replays the journal.
      if (!this.db.broken && this.durability.stats().journalBytes > 0) await this.checkpoint().catch(() => undefined);
    } finally {
      this.closed = true;
      this.db.close();
      await this.durability.close().catch(() => undefined);
      await this.lock.release();
    }
  }

  // Mutating a closed store would be lost silently; say so instead.
  private open(): void {
    if (this.closed) throw new Error(`the store ${this.file} is closed`);
  }
}
