// The queue of accepted commands: kept until done, so a restart resumes exactly where the
// process stopped.
import type { QueuedCommand } from '../core/ports.js';
import type { Db } from './database.js';
import { fromRow, insertSql, TableIds, updateSql, type ColumnMap } from './columns.js';

const columns: ColumnMap = {
  id: { column: 'id' },
  type: { column: 'type' },
  kind: { column: 'kind' },
  guid: { column: 'guid' },
  line: { column: 'line' },
  payload: { column: 'payload' },
  state: { column: 'state' },
  attempts: { column: 'attempts' },
  nextAttemptAt: { column: 'next_attempt_at' },
  acceptedAt: { column: 'accepted_at' },
  firstSentAt: { column: 'first_sent_at' },
  logId: { column: 'log_id' },
  throttleCounted: { column: 'throttle_counted', kind: 'bool' },
};
const { id: _id, ...updateColumns } = columns;
// The Jira a command is for is set once, at insert, from the store's binding.
const insertColumns: ColumnMap = { ...updateColumns, jira: { column: 'jira' } };

/**
 * The commands table. Only the commands for the Jira the store is bound to are open here:
 * those accepted for another Jira wait, Pending, until jiraline points at that Jira again.
 */
export class QueueTable {
  private readonly ids: TableIds;
  /**
   * Whether a failed command may be stored (null: not known). Pruning the log looks for the
   * failed commands that lost their row after every turn that added one — every line at the
   * log's cap — and there usually are none: then it asks nothing.
   */
  private mayHaveFailed: boolean | null = null;

  constructor(private readonly db: Db, private readonly changed: () => void, private readonly jira: string) {
    this.ids = new TableIds(db, 'commands');
  }

  /** Stores a new command for this Jira; returns its id (accept order). */
  insert(command: Omit<QueuedCommand, 'id'>): number {
    const id = this.ids.peek();
    const { sql, params } = insertSql('commands', insertColumns, { ...command, jira: this.jira }, id);
    if (command.state === 'failed') this.mayHaveFailed = true;
    this.db.run(sql, params);
    this.ids.used();
    this.changed();
    return id;
  }

  /** After a rollback: the next id is read from the database again, and whether a command is failed. */
  forgetIds(): void {
    this.ids.forget();
    this.mayHaveFailed = null;
  }

  /** Changes the given fields of a command (an unknown id changes nothing). */
  update(id: number, patch: Partial<Omit<QueuedCommand, 'id'>>): void {
    const statement = updateSql('commands', updateColumns, id, patch);
    if (!statement) return;
    if (patch.state === 'failed') this.mayHaveFailed = true;
    this.db.run(statement.sql, statement.params);
    this.changed();
  }

  /** One command by id. */
  get(id: number): QueuedCommand | undefined {
    const row = this.db.get('SELECT * FROM commands WHERE id = ?', [id]);
    return row ? fromRow<QueuedCommand>(columns, row) : undefined;
  }

  /** Commands for this Jira queued or in flight, in accept order. */
  open(): QueuedCommand[] {
    return this.db
      .all("SELECT * FROM commands WHERE state IN ('queued', 'inflight') AND jira = ? ORDER BY id", [this.jira])
      .map((row) => fromRow<QueuedCommand>(columns, row));
  }

  /** The latest command of a GUID for this Jira. */
  latestFor(guid: string): QueuedCommand | undefined {
    const row = this.db.get('SELECT * FROM commands WHERE jira = ? AND guid = ? ORDER BY id DESC LIMIT 1', [this.jira, guid]);
    return row ? fromRow<QueuedCommand>(columns, row) : undefined;
  }

  /** Deletes one command (a finished one: its log row tells its story). */
  delete(id: number): void {
    if (this.db.run('DELETE FROM commands WHERE id = ?', [id]) > 0) this.changed();
  }

  /** The commands a Failed log row carries, kept so that the row can be retried (oldest first). */
  failedOf(logId: number): QueuedCommand[] {
    return this.db
      .all("SELECT * FROM commands WHERE state = 'failed' AND log_id = ? ORDER BY id", [logId])
      .map((row) => fromRow<QueuedCommand>(columns, row));
  }

  /**
   * Deletes the failed commands whose log row is gone. A failed command's row is Failed (a
   * retried row gives its commands up), so every one below the oldest Failed row has lost its row.
   */
  dropOrphanFailed(): number {
    if (this.mayHaveFailed === false) return 0;
    const oldest = this.db.get("SELECT min(id) AS id FROM log WHERE status = 'Failed'")?.id;
    const removed = typeof oldest === 'number'
      ? this.db.run("DELETE FROM commands WHERE state = 'failed' AND log_id < ?", [oldest])
      : this.db.run("DELETE FROM commands WHERE state = 'failed'");
    // On the partial index of failed commands: one look.
    this.mayHaveFailed = this.db.get("SELECT 1 AS one FROM commands WHERE state = 'failed' LIMIT 1") !== undefined;
    if (removed > 0) this.changed();
    return removed;
  }

  /** Deletes done/failed commands accepted before `before`; returns how many went. */
  purgeFinished(before: number): number {
    const removed = this.db.run("DELETE FROM commands WHERE state IN ('done', 'failed') AND accepted_at < ?", [before]);
    if (removed > 0) this.changed();
    return removed;
  }
}
