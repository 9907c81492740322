// A thin layer over sql.js: the wasm module is loaded once per process, statements are
// prepared once and reused (sql.js 1.17 keeps them valid across export()), and rows come
// back as plain objects.
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';

let sqlModule: Promise<SqlJsStatic> | null = null;

/** The sql.js module; compiled once per process because the wasm costs ~30 ms and several MB each time. */
export function loadSql(): Promise<SqlJsStatic> {
  if (!sqlModule) {
    sqlModule = initSqlJs().catch((error: unknown) => {
      sqlModule = null; // let a later call try again rather than cache the failure
      throw error;
    });
  }
  return sqlModule;
}

/** Parameters bound by position. */
export type Params = SqlValue[];

/** One row as column name → value. */
export type Row = Record<string, SqlValue>;

/** A sql.js Database with a statement cache and small run/get/all helpers. */
export class Db {
  private readonly statements = new Map<string, Statement>();
  // getAsObject() asks SQLite for every column name on every row; names are fixed per
  // statement, so they are read once (this halved the cost of reading a queue row).
  private readonly columnNames = new Map<Statement, string[]>();

  constructor(readonly raw: Database) {}

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private row(statement: Statement): Row {
    let names = this.columnNames.get(statement);
    if (!names) {
      names = statement.getColumnNames();
      this.columnNames.set(statement, names);
    }
    const values = statement.get();
    const row: Row = {};
    for (let i = 0; i < names.length; i += 1) row[names[i]] = values[i];
    return row;
  }

  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: Params = []): number {
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      statement.step();
    } finally {
      statement.reset();
    }
    return this.raw.getRowsModified();
  }

  /** The first row, or undefined. */
  get(sql: string, params: Params = []): Row | undefined {
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      return statement.step() ? this.row(statement) : undefined;
    } finally {
      statement.reset();
    }
  }

  /** Every row. */
  all(sql: string, params: Params = []): Row[] {
    const statement = this.prepared(sql);
    const rows: Row[] = [];
    try {
      statement.bind(params);
      while (statement.step()) rows.push(this.row(statement));
    } finally {
      statement.reset();
    }
    return rows;
  }

  /** The rowid of the last INSERT. */
  lastInsertId(): number {
    return Number(this.get('SELECT last_insert_rowid() AS id')!.id);
  }

  /** Runs fn inside one SQLite transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T {
    if (this.inTransaction) return fn();
    this.raw.exec('BEGIN');
    this.inTransaction = true;
    try {
      const result = fn();
      this.raw.exec('COMMIT');
      return result;
    } catch (error) {
      this.raw.exec('ROLLBACK');
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  private inTransaction = false;

  /** Frees the statements and the database. */
  close(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.columnNames.clear();
    this.raw.close();
  }
}
