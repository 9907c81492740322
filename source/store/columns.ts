// Mapping between the camelCase records of ports.ts and snake_case columns. Patches are
// turned into UPDATE statements only through these fixed maps, so no caller-supplied key
// ever reaches SQL text.
import type { SqlValue } from 'sql.js';
import type { Db, Params, Row } from './database.js';

/** How one record field is stored. */
export interface Column {
  column: string;
  /** 'bool' fields are stored as 0/1. */
  kind?: 'bool';
}

/** Field name → column. */
export type ColumnMap = Record<string, Column>;

/** The SQL value of one field. */
export function toSql(column: Column, value: unknown): SqlValue {
  if (column.kind === 'bool') return value ? 1 : 0;
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new TypeError(`cannot store a ${typeof value} in column ${column.column}`);
}

/** A record from a row: every mapped field, read back with its type. */
export function fromRow<T>(map: ColumnMap, row: Row): T {
  const record: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(map)) {
    const value = row[column.column];
    record[field] = column.kind === 'bool' ? value === 1 : (value ?? null);
  }
  return record as T;
}

/** A filter as a WHERE clause (or '') and its parameters. */
export interface Where {
  clause: string;
  params: Params;
}

/**
 * The rows of `table` that `where` picks, newest first, from `offset`, at most `limit` (none:
 * all); `select` names the columns read (the rest come back null), else all of them.
 */
export function newestFirst<T>(db: Db, table: string, map: ColumnMap, where: Where, page: { limit?: number; offset?: number }, select = '*'): T[] {
  const limit = page.limit === undefined ? -1 : Math.max(0, Math.floor(page.limit));
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  return db
    .all(`SELECT ${select} FROM ${table} ${where.clause} ORDER BY id DESC LIMIT ? OFFSET ?`, [...where.params, limit, offset])
    .map((row) => fromRow<T>(map, row));
}

/** How many rows of `table` `where` picks. */
export function countWhere(db: Db, table: string, where: Where): number {
  return Number(db.get(`SELECT count(*) AS n FROM ${table} ${where.clause}`, where.params)?.n ?? 0);
}

// Statement texts are built once per table (and per patch shape): building them on every
// call showed up in profiles of the accept path.
const insertTexts = new Map<string, string>();
const updateTexts = new Map<string, string>();

/**
 * INSERT INTO table (…all mapped columns…) with the values of record: RETURNING the new id,
 * or, given `id` (TableIds below), naming it instead (no RETURNING).
 */
export function insertSql(table: string, map: ColumnMap, record: Record<string, unknown>, id?: number): { sql: string; params: Params } {
  const fields = Object.keys(map);
  const key = id === undefined ? table : `${table}:id`;
  let sql = insertTexts.get(key);
  if (sql === undefined) {
    const columns = fields.map((f) => map[f].column).join(', ');
    const marks = fields.map(() => '?').join(', ');
    sql = id === undefined
      ? `INSERT INTO ${table} (${columns}) VALUES (${marks}) RETURNING id`
      : `INSERT INTO ${table} (id, ${columns}) VALUES (?, ${marks})`;
    insertTexts.set(key, sql);
  }
  const params: Params = id === undefined ? [] : [id];
  for (const f of fields) params.push(toSql(map[f], record[f]));
  return { sql, params };
}

/**
 * The ids of an AUTOINCREMENT table's inserts, kept here so that an insert names its id itself
 * instead of asking for it with RETURNING: SQLite answers RETURNING through a temporary table,
 * which made each insert cost about twice as much (a log row and a command every line). The
 * next id is what AUTOINCREMENT would give — past the table's sequence and its largest id, so
 * an id is never used twice — read from the database when first needed and after anything
 * that may have undone inserts (forget). An INSERT with its id is journalled with it and
 * replays the same.
 */
export class TableIds {
  private next: number | null = null;

  constructor(private readonly db: Db, private readonly table: string) {}

  /** The id the next insert takes (not used up until `used`). */
  peek(): number {
    this.next ??= Number(this.db.get(
      `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${this.table}'), 0), coalesce((SELECT max(id) FROM ${this.table}), 0)) + 1 AS id`,
    )?.id ?? 1);
    return this.next;
  }

  /** The id from peek() was given to a row. */
  used(): void {
    if (this.next !== null) this.next += 1;
  }

  /** Reads the next id from the database again (a rollback may have undone inserts). */
  forget(): void {
    this.next = null;
  }
}

/** UPDATE table SET … WHERE id = ? for the known fields of patch; null when nothing to set. */
export function updateSql(table: string, map: ColumnMap, id: number, patch: Record<string, unknown>): { sql: string; params: Params } | null {
  const fields = Object.keys(patch).filter((f) => f in map && patch[f] !== undefined);
  if (fields.length === 0) return null;
  const shape = `${table}:${fields.join(',')}`;
  let sql = updateTexts.get(shape);
  if (sql === undefined) {
    sql = `UPDATE ${table} SET ${fields.map((f) => `${map[f].column} = ?`).join(', ')} WHERE id = ?`;
    updateTexts.set(shape, sql);
  }
  return { sql, params: [...fields.map((f) => toSql(map[f], patch[f])), id] };
}
