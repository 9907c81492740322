// The log. The Log pane pages through it on every keypress, up to 100,000 rows:
// pages are newest first by id, and every filter but free text has an index (status, id),
// (guid, id) or (ticket_key, id) that SQLite walks backwards, stopping at the page's end.
// See docs/architecture.md#the-log-statistics-and-pruning.
import type { LogQuery, LogRow } from '../core/ports.js';
import type { Db, Params } from './database.js';
import { countWhere, fromRow, insertSql, newestFirst, TableIds, updateSql, type ColumnMap } from './columns.js';

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
  jira: { column: 'jira' },
};
const { id: _id, ...insertColumns } = columns;
/** The columns of a brief row: all but the request sent and Jira's answer (kept up to 2 KB each). */
const { request: _request, response: _response, ...briefColumns } = columns;
const briefSelect = Object.values(briefColumns).map((c) => c.column).join(', ');

/** Whether a query filters nothing (the whole log). */
function unfiltered(query: Omit<LogQuery, 'offset' | 'limit'>): boolean {
  return query.status === undefined && query.guid === undefined && query.jira === undefined
    && query.ticketKey === undefined && (query.text === undefined || query.text === '');
}

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
  if (query.jira !== undefined) {
    parts.push('jira = ?');
    params.push(query.jira);
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
    // A brief page reads neither big column out of SQLite: the attached apps' list, twenty times a second.
    return newestFirst<LogRow>(this.db, 'log', columns, where(query), query, query.brief ? briefSelect : '*');
  }

  /** How many rows match the filter. */
  count(query: Omit<LogQuery, 'offset' | 'limit'> = {}): number {
    return countWhere(this.db, 'log', where(query));
  }
}

/** Larger than any row id (ids are below 2^53): stands for "no row of this status". */
const noRow = Number.MAX_SAFE_INTEGER;
const oldestFinishedSql = 'SELECT min(' +
  ['Ok', 'Failed', 'Cancelled'].map((status) => `coalesce((SELECT min(id) FROM log WHERE status = '${status}'), ${noRow})`).join(', ') +
  ') AS id';

/** The log table with writes and retention. */
export class LogTable extends LogReader {
  // Pruning to maxEntries runs after every insert; counting 100,000 rows each time would
  // cost more than the insert, so the total is kept here and adjusted on every change.
  private total: number;
  // False once a prune found every finished row gone: until a row finishes, none can go, and
  // during an outage (every new row Pending) each insert would look again for nothing.
  private anyFinished = true;
  private readonly ids: TableIds;

  constructor(db: Db, private readonly changed: () => void, private readonly jira: string) {
    super(db);
    this.total = super.count();
    this.ids = new TableIds(db, 'log');
  }

  /** Counts the rows again (after a rollback undid inserts or deletes). */
  recount(): void {
    this.total = super.count();
    this.anyFinished = true;
    this.ids.forget();
  }

  /** The whole log's size is the kept total: every snapshot asks it, and count(*) walks every row. */
  override count(query: Omit<LogQuery, 'offset' | 'limit'> = {}): number {
    return unfiltered(query) ? this.total : super.count(query);
  }

  /** Adds a row (marked with the Jira the store is bound to, unless it names one); returns its id. */
  insert(row: Omit<LogRow, 'id'>): number {
    const id = this.ids.peek();
    const { sql, params } = insertSql('log', insertColumns, { ...row, jira: row.jira ?? this.jira }, id);
    this.db.run(sql, params);
    this.ids.used();
    this.total += 1;
    if (row.status !== 'Pending') this.anyFinished = true;
    this.changed();
    return id;
  }

  /** Changes the given fields of a row (an unknown id changes nothing). */
  update(id: number, patch: Partial<Omit<LogRow, 'id'>>): void {
    const statement = updateSql('log', insertColumns, id, patch);
    if (!statement) return;
    this.db.run(statement.sql, statement.params);
    if (patch.status !== undefined && patch.status !== 'Pending') this.anyFinished = true;
    this.changed();
  }

  /**
   * Deletes the oldest non-Pending rows beyond maxEntries; returns how many went.
   *
   * Pending rows stay, and while Jira is down they pile up at the old end of the table. A
   * search by `status != 'Pending'` walks the table from its oldest row, through every one of
   * them, on every insert: with 8,000 lines waiting this cost 400 µs a line, and it grows with
   * the outage. The (status, id) index gives the oldest Ok and the oldest Failed rows directly;
   * the k oldest of both end at a bound, and everything finished up to the bound goes.
   */
  pruneToCount(maxEntries: number): number {
    const excess = this.total - Math.max(0, Math.floor(maxEntries));
    if (excess <= 0 || !this.anyFinished) return 0;
    const bound = this.oldestFinishedBound(excess);
    if (bound === null) {
      this.anyFinished = false;
      return 0;
    }
    if (excess === 1) return this.removed(this.db.run('DELETE FROM log WHERE id = ?', [bound]));
    return this.removed(this.db.run("DELETE FROM log WHERE status IN ('Ok', 'Failed', 'Cancelled') AND id <= ?", [bound]));
  }

  /** The id of the k-th oldest finished row (or of the newest, when fewer are finished); null when none is. */
  private oldestFinishedBound(k: number): number | null {
    if (k === 1) {
      // The steady state at the cap: one row in, one out — every line, at a steady feed. The
      // oldest of each finished status on the (status, id) index, in one statement (three cost
      // three times the statement's own overhead); min() of a NULL is NULL, hence the coalesce.
      const id = this.db.get(oldestFinishedSql)?.id;
      return typeof id === 'number' && id < noRow ? id : null;
    }
    const ids = [
      ...this.db.all("SELECT id FROM log WHERE status = 'Ok' ORDER BY id LIMIT ?", [k]),
      ...this.db.all("SELECT id FROM log WHERE status = 'Failed' ORDER BY id LIMIT ?", [k]),
      ...this.db.all("SELECT id FROM log WHERE status = 'Cancelled' ORDER BY id LIMIT ?", [k]),
    ].map((row) => Number(row.id)).sort((a, b) => a - b);
    return ids.length === 0 ? null : ids[Math.min(k, ids.length) - 1];
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
