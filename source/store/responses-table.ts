// Jira's answers as the client heard them (the Responses view, `jiraline responses`): newest
// first by id, bounded by responses.maxEntries, each with the GUID and log row it was for.
import type { ResponseQuery, ResponseRow } from '../core/ports.js';
import type { Db, Params } from './database.js';
import { countWhere, insertSql, newestFirst, type ColumnMap } from './columns.js';

const columns: ColumnMap = {
  id: { column: 'id' },
  time: { column: 'time' },
  method: { column: 'method' },
  path: { column: 'path' },
  status: { column: 'status' },
  durationMs: { column: 'duration_ms' },
  body: { column: 'body' },
  guid: { column: 'guid' },
  logId: { column: 'log_id' },
  jira: { column: 'jira' },
};
const { id: _id, ...insertColumns } = columns;

/** Answers written by one INSERT (insertMany): at most 640 parameters a statement, and 64 statement texts. */
const ROWS_PER_STATEMENT = 64;
const manyTexts = new Map<number, string>();
/** insertMany's columns after the id and before the Jira, in the order its rows' values are given. */
const manyColumns = ['time', 'method', 'path', 'status', 'duration_ms', 'body', 'guid', 'log_id'];
/** A row's values in insertMany: its id, then manyColumns. */
const MANY_VALUES = 1 + manyColumns.length;

/** INSERT INTO responses (id, …every other column…) VALUES (…), (…) for `rows` rows. */
function insertManySql(rows: number): string {
  let sql = manyTexts.get(rows);
  if (sql === undefined) {
    // The Jira is the same for every row: bound once (?1); a row's own values number after it.
    const row = (i: number) => `(${Array.from({ length: MANY_VALUES }, (_, k) => `?${2 + i * MANY_VALUES + k}`).join(', ')}, ?1)`;
    sql = `INSERT INTO responses (id, ${manyColumns.join(', ')}, jira) VALUES ${Array.from({ length: rows }, (_, i) => row(i)).join(', ')}`;
    manyTexts.set(rows, sql);
  }
  return sql;
}

function where(query: Omit<ResponseQuery, 'offset' | 'limit'>): { clause: string; params: Params } {
  const parts: string[] = [];
  const params: Params = [];
  if (query.guid !== undefined) {
    parts.push('guid = ?');
    params.push(query.guid);
  }
  if (query.logId !== undefined) {
    parts.push('log_id = ?');
    params.push(query.logId);
  }
  return { clause: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Read access; shared by the store and the lock-free snapshot reader. */
export class ResponsesReader {
  constructor(protected readonly db: Db) {}

  /** Answers matching the filter, newest first. */
  query(query: ResponseQuery): ResponseRow[] {
    return newestFirst<ResponseRow>(this.db, 'responses', columns, where(query), query);
  }

  /** How many answers match. */
  count(query: Omit<ResponseQuery, 'offset' | 'limit'> = {}): number {
    return countWhere(this.db, 'responses', where(query));
  }
}

/** The table with writes and its bound. */
export class ResponsesTable extends ResponsesReader {
  /** Everything at or below this id is gone already. */
  private pruned = 0;

  constructor(db: Db, private readonly changed: () => void, private readonly jira: string) {
    super(db);
  }

  /** The newest id, known after the first insert or prune (ids only grow). */
  private newest: number | null = null;

  /** Adds an answer (marked with the store's Jira); returns its id. */
  insert(row: Omit<ResponseRow, 'id'>): number {
    const { sql, params } = insertSql('responses', insertColumns, { ...row, jira: row.jira ?? this.jira });
    const id = this.db.insert(sql, params);
    this.newest = id;
    this.changed();
    return id;
  }

  /**
   * Adds answers (marked with the store's Jira) a statement per ROWS_PER_STATEMENT: a second's
   * answers one row per statement cost twice the CPU. Each gets the id an insert of its own
   * would have (ids never reused: past the newest row and the table's sequence), given in the
   * statement itself, so that the journal replays them with the same ids.
   */
  insertMany(rows: ReadonlyArray<Omit<ResponseRow, 'id'>>): void {
    if (rows.length === 0) return;
    let next = Number(this.db.get(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'responses'), 0), coalesce((SELECT max(id) FROM responses), 0)) + 1 AS id",
    )?.id ?? 1);
    for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
      const slice = rows.slice(at, at + ROWS_PER_STATEMENT);
      // Rows marked with another Jira than the store's are rare (none on the engine's path): one statement each.
      if (slice.some((row) => row.jira !== undefined && row.jira !== this.jira)) {
        for (const row of slice) {
          this.db.run(insertManySql(1), [row.jira ?? this.jira, next, row.time, row.method, row.path, row.status, row.durationMs, row.body, row.guid ?? null, row.logId ?? null]);
          next += 1;
        }
        continue;
      }
      const params: Params = [this.jira];
      for (const row of slice) {
        // In manyColumns' order, without a record copied per row.
        params.push(next, row.time, row.method, row.path, row.status, row.durationMs, row.body, row.guid ?? null, row.logId ?? null);
        next += 1;
      }
      this.db.run(insertManySql(slice.length), params);
    }
    this.newest = next - 1;
    this.changed();
  }

  /** Keeps the newest maxEntries (ids only grow: everything at or below newest − max goes). */
  prune(maxEntries: number): number {
    this.newest ??= Number(this.db.get('SELECT max(id) AS id FROM responses')?.id ?? 0);
    const bound = this.newest - Math.max(0, Math.floor(maxEntries));
    // Below the oldest kept there is nothing left to delete.
    if (bound <= this.pruned) return 0;
    this.pruned = bound;
    const removed = this.db.run('DELETE FROM responses WHERE id <= ?', [bound]);
    if (removed > 0) this.changed();
    return removed;
  }
}
