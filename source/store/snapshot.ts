// A read-only copy of the persisted database, taken without the lock, for `jiraline log`
// and `jiraline stats` while a daemon runs. The daemon replaces the file by rename and
// appends whole checksummed records to its journal, so the file with its journal replayed
// is always one whole committed state (load.ts).
import { join, resolve } from 'node:path';
import type { DayCount, LogQuery, LogRow, RefusedCounts, ResponseQuery, ResponseRow } from '../core/ports.js';
import { ResponsesReader } from './responses-table.js';
import { loadCommitted } from './load.js';
import type { JournalRecovery } from './journal-recovery.js';
import type { AlarmPage, AlarmQuery } from '../core/alarms.js';
import { AlarmsReader } from './alarms-table.js';
import { migrate } from './migrations.js';
import { LogReader } from './log-table.js';
import { StatsReader } from './stats-table.js';
import { databaseFileName } from './store.js';

/** What the log and stats commands read. */
export interface StoreReader {
  /** Newest first. */
  queryLog(query: LogQuery): LogRow[];
  /** One row by id (`log --follow` looks again at the rows it saw Pending). */
  getLog(id: number): LogRow | undefined;
  countLog(query?: Omit<LogQuery, 'offset' | 'limit'>): number;
  /** Jira's recorded answers, newest first. */
  queryResponses(query: ResponseQuery): ResponseRow[];
  countResponses(query?: Omit<ResponseQuery, 'offset' | 'limit'>): number;
  statsDays(fromDay: string, toDay: string): DayCount[];
  statsTotals(): { created: number; updated: number };
  statsRefused(fromDay: string, toDay: string): RefusedCounts;
  /** The alarms of every Jira the directory served, newest seen first. */
  queryAlarms(query: AlarmQuery): AlarmPage;
  /** Frees the in-memory copy. */
  close(): void;
  /** What a damaged journal cost (read in memory; the files are left as they are), or null. */
  readonly journalRecovery: JournalRecovery | null;
}

/** Reads dir's database as it is on disk now; a missing file reads as empty. Throws StoreCorruptError / StoreVersionError. */
export async function openStoreSnapshot(dir: string): Promise<StoreReader> {
  const { db, recovery } = await loadCommitted(join(resolve(dir), databaseFileName));
  // An older or absent file is brought up to date in memory only; nothing is written.
  migrate(db);
  const log = new LogReader(db);
  const stats = new StatsReader(db);
  const alarms = new AlarmsReader(db, null);
  const responses = new ResponsesReader(db);
  return {
    queryResponses: (query) => responses.query(query),
    countResponses: (query) => responses.count(query),
    queryLog: (query) => log.query(query),
    getLog: (id) => log.get(id),
    countLog: (query) => log.count(query),
    statsDays: (fromDay, toDay) => stats.days(fromDay, toDay),
    statsTotals: () => stats.totals(),
    statsRefused: (fromDay, toDay) => stats.refused(fromDay, toDay),
    queryAlarms: (query) => alarms.query(query),
    close: () => db.close(),
    journalRecovery: recovery,
  };
}
