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

/** One mutation as it ran: its SQL, parameters, and for an INSERT the id it gave. The journal replays them in order. */
export type Op = [sql: string, params: Params, id?: number];

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
    this.beginBatch();
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      statement.step();
      this.ops?.push([sql, params]);
    } catch (error) {
      this.checkBatch(error);
      throw error;
    } finally {
      statement.reset();
    }
    return this.raw.getRowsModified();
  }

  /** Runs SQL without parameters that changes the database (e.g. PRAGMA incremental_vacuum); recorded like run(). */
  exec(sql: string): void {
    this.beginBatch();
    try {
      this.raw.exec(sql);
      this.ops?.push([sql, []]);
    } catch (error) {
      this.checkBatch(error);
      throw error;
    }
  }

  // The mutations made since the last takeOps(), while recording (the store's journal).
  // Only statements that succeeded are kept, and a rolled-back savepoint drops its own.
  private ops: Op[] | null = null;

  /** Starts keeping every successful mutation for takeOps(). */
  startRecording(): void {
    this.ops ??= [];
  }

  /** The mutations recorded since the last call, in the order they ran. */
  takeOps(): Op[] {
    const ops = this.ops ?? [];
    if (this.ops) this.ops = [];
    return ops;
  }

  /** Runs recorded mutations again, in order (the journal after a restart); recording stays off. */
  replay(ops: readonly Op[]): void {
    for (const [sql, params, id] of ops) {
      if (id !== undefined) this.replayInsert(sql, params, id);
      else if (params.length === 0) this.raw.exec(sql);
      else this.run(sql, params);
    }
  }

  // An INSERT gets the id it had when it first ran, also when a commit before it was lost
  // to damage: AUTOINCREMENT gives max(sequence, largest id) + 1, so the sequence is raised
  // to just below the id first. Later records change rows by id; a shifted id would make
  // them change the wrong row.
  private replayInsert(sql: string, params: Params, id: number): void {
    const table = /^INSERT INTO (\w+) /.exec(sql)?.[1];
    if (table === undefined || !Number.isSafeInteger(id) || id < 1) throw new Error(`not an insert with an id: ${sql.slice(0, 60)}`);
    this.run('UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?', [id - 1, table, id - 1]);
    this.run('INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)', [table, id - 1, table]);
    const given = this.insert(sql, params);
    if (given !== id) throw new Error(`the insert into ${table} was given id ${given}, not ${id}: the journal does not fit the database`);
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

  /** Runs an INSERT … RETURNING id and returns that id: one statement where an insert and a
   *  last_insert_rowid() query were two (both showed in the accept path's profile). */
  insert(sql: string, params: Params = []): number {
    this.beginBatch();
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      if (!statement.step()) throw new Error('INSERT … RETURNING gave no row');
      const id = Number(statement.get()[0]);
      this.ops?.push([sql, params, id]);
      return id;
    } catch (error) {
      this.checkBatch(error);
      throw error;
    } finally {
      statement.reset();
    }
  }

  /** Runs fn (synchronous) so that it applies whole or not at all: a savepoint, rolled back if fn throws. */
  transaction<T>(fn: () => T): T {
    this.beginBatch();
    const name = `sp${this.depth}`;
    this.raw.exec(`SAVEPOINT ${name}`);
    this.depth += 1;
    const mark = this.ops?.length ?? 0;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new TypeError('transaction(fn): fn must be synchronous');
    } catch (error) {
      this.raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      if (this.ops) this.ops.length = mark;
      this.checkBatch(error);
      throw error;
    } finally {
      this.depth -= 1;
    }
    this.raw.exec(`RELEASE ${name}`);
    return result;
  }

  // Write batching. The file on disk is written from export(), never from SQLite's own
  // commits, so committing every statement would only copy dirty pages around the wasm
  // file system (most of an insert's cost). Instead one transaction stays open across
  // mutations and settle() commits it just before an export.
  private batching = false;
  private batchOpen = false;
  private depth = 0;
  /** Set when SQLite rolled back the open batch by itself (out of memory …): its changes are gone. */
  broken: Error | null = null;

  /** Keeps one transaction open across mutations until settle(). */
  enableBatching(): void {
    this.batching = true;
  }

  private beginBatch(): void {
    if (!this.batching || this.batchOpen) return;
    this.raw.exec('BEGIN');
    this.batchOpen = true;
  }

  /** Commits the open batch, so that export() copies a whole database. */
  settle(): void {
    if (!this.batchOpen) return;
    this.raw.exec('COMMIT');
    this.batchOpen = false;
  }

  // Most failed statements undo only themselves; a few (out of memory, disk full) make SQLite
  // roll back the whole transaction. BEGIN succeeding tells the latter apart: then the batch's
  // changes are lost, and the store must say so rather than carry on.
  private checkBatch(error: unknown): void {
    if (!this.batchOpen) return;
    try {
      this.raw.exec('BEGIN');
    } catch {
      return; // still inside the batch: only the statement was undone
    }
    this.broken ??= new Error(`the database lost its uncommitted changes after an error (${(error as Error).message}); restart jiraline`);
  }

  /** Frees the statements and the database. */
  close(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.columnNames.clear();
    this.raw.close();
  }
}
