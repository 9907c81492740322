// The log (SPEC §7). The Log pane pages through it on every keypress, up to 100,000 rows:
// pages are newest first by id, and every filter but free text has an index (status, id),
// (guid, id) or (ticket_key, id) that SQLite walks backwards, stopping at the page's end.
import type { LogQuery, LogRow } from '../core/ports.js';
import type { Db, Params } from './database.js';
import { fromRow, insertSql, updateSql, type ColumnMap } from './columns.js';

const columns: ColumnMap = {
  id: { column: 'id' },
  type: { column: 'type' },
  action: { column: 'action' },
  time: { column: 'time' },
  guid: { column: 'guid' },
  status: { column: 'status' },
  ticketId: { column: 'ticket_id' },
  ticketKey: { column: 'ticket_key' },
  ticketUrl: { column: 'ticket_url' },
  error: { column: 'error' },
  lines: { column: 'lines' },
  request: { column: 'request' },
  response: { column: 'response' },
  attempts: { column: 'attempts' },
  nextAttemptAt: { column: 'next_attempt_at' },
};
const { id: _id, ...insertColumns } = columns;

/** The WHERE clause and its parameters for the filter parts of a query. */
function where(query: Omit<LogQuery, 'offset' | 'limit'>): { clause: string; params: Params } {
  const parts: string[] = [];
  const params: Params = [];
  if (query.status !== undefined) {
    parts.push('status = ?');
    params.push(query.status);
  }
  if (query.guid !== undefined) {
    parts.push('guid = ?');
    params.push(query.guid);
  }
  if (query.ticketKey !== undefined) {
    parts.push('ticket_key = ?');
    params.push(query.ticketKey);
  }
  if (query.text !== undefined && query.text !== '') {
    // LIKE is case-insensitive for ASCII. ESCAPE makes every row's match a third slower, so
    // it is only used when the text holds a character LIKE would take as a wildcard.
    const special = /[\\%_]/.test(query.text);
    const pattern = `%${special ? query.text.replace(/[\\%_]/g, (c) => `\\${c}`) : query.text}%`;
    // One numbered parameter used four times; it comes last, so later plain ?s number after it.
    const slot = `?${params.length + 1}`;
    const like = special ? `LIKE ${slot} ESCAPE '\\'` : `LIKE ${slot}`;
    parts.push(`(guid ${like} OR ticket_key ${like} OR error ${like} OR action ${like})`);
    params.push(pattern);
  }
  return { clause: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Read access to the log; shared by the store and the lock-free snapshot reader. */
export class LogReader {
  constructor(protected readonly db: Db) {}

  /** One row by id. */
  get(id: number): LogRow | undefined {
    const row = this.db.get('SELECT * FROM log WHERE id = ?', [id]);
    return row ? fromRow<LogRow>(columns, row) : undefined;
  }

  /** Rows matching the filter, newest first, from offset, at most limit. */
  query(query: LogQuery): LogRow[] {
    const { clause, params } = where(query);
    const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    return this.db
      .all(`SELECT * FROM log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`, [...params, limit, offset])
      .map((row) => fromRow<LogRow>(columns, row));
  }

  /** How many rows match the filter. */
  count(query: Omit<LogQuery, 'offset' | 'limit'> = {}): number {
    const { clause, params } = where(query);
    return Number(this.db.get(`SELECT count(*) AS n FROM log ${clause}`, params)?.n ?? 0);
  }
}

/** The log table with writes and retention. */
export class LogTable extends LogReader {
  // Pruning to maxEntries runs after every insert; counting 100,000 rows each time would
  // cost more than the insert, so the total is kept here and adjusted on every change.
  private total: number;

  constructor(db: Db, private readonly changed: () => void) {
    super(db);
    this.total = this.count();
  }

  /** Counts the rows again (after a rollback undid inserts or deletes). */
  recount(): void {
    this.total = this.count();
  }

  /** Adds a row; returns its id. */
  insert(row: Omit<LogRow, 'id'>): number {
    const { sql, params } = insertSql('log', insertColumns, row);
    const id = this.db.insert(sql, params);
    this.total += 1;
    this.changed();
    return id;
  }

  /** Changes the given fields of a row (an unknown id changes nothing). */
  update(id: number, patch: Partial<Omit<LogRow, 'id'>>): void {
    const statement = updateSql('log', insertColumns, id, patch);
    if (!statement) return;
    this.db.run(statement.sql, statement.params);
    this.changed();
  }

  /** Deletes the oldest non-Pending rows beyond maxEntries; returns how many went. */
  pruneToCount(maxEntries: number): number {
    const excess = this.total - Math.max(0, Math.floor(maxEntries));
    if (excess <= 0) return 0;
    if (excess === 1) {
      // The steady state at the cap: one row in, one out. A lookup and a delete by id cost a
      // third of the general statement below (its IN list is built as a temporary table).
      const oldest = this.db.get("SELECT id FROM log WHERE status != 'Pending' ORDER BY id LIMIT 1");
      return oldest ? this.removed(this.db.run('DELETE FROM log WHERE id = ?', [oldest.id])) : 0;
    }
    const removed = this.db.run(
      "DELETE FROM log WHERE id IN (SELECT id FROM log WHERE status != 'Pending' ORDER BY id LIMIT ?)",
      [excess],
    );
    return this.removed(removed);
  }

  /** Deletes non-Pending rows whose time is before `before`; returns how many went. */
  pruneOlderThan(before: number): number {
    return this.removed(this.db.run("DELETE FROM log WHERE time < ? AND status != 'Pending'", [before]));
  }

  private removed(count: number): number {
    if (count > 0) {
      this.total -= count;
      this.changed();
    }
    return count;
  }
}
