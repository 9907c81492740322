// The alarms table: one row per GUID seen on a Jira (source/core/alarms.ts). The Alarms pane
// pages through it on every keypress, up to alarms.maxEntries rows: pages are newest
// last_seen first, on the index (jira, last_seen) or (jira, state, last_seen), which SQLite
// walks backwards and stops at the page's end.
import { ALARM_STATES, type AlarmPage, type AlarmQuery, type AlarmRow } from '../core/alarms.js';
import type { TicketRef } from '../core/ports.js';
import type { Db, Params, Row } from './database.js';

/** An excess up to this is pruned a row at a time on the index; more (a lowered bound) in one statement. */
const fewExcess = 64;
/** Every state but pending (the states an alarm may be pruned in). */
const settledStates = ALARM_STATES.filter((state) => state !== 'pending');

/** Patchable fields → columns (a fixed map: no caller's key reaches SQL text). */
const patchColumns: Record<string, string> = {
  firstSeen: 'first_seen', lastSeen: 'last_seen', lines: 'lines', lastAction: 'last_action', ticketKey: 'ticket_key',
  ticketUrl: 'ticket_url', ticketStatus: 'ticket_status', ticketResolved: 'ticket_resolved', state: 'state',
};

function toAlarm(row: Row): AlarmRow {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    guid: String(row.guid), firstSeen: Number(row.first_seen), lastSeen: Number(row.last_seen), lines: Number(row.lines),
    lastAction: String(row.last_action) as AlarmRow['lastAction'], ticketKey: text(row.ticket_key), ticketUrl: text(row.ticket_url),
    ticketStatus: text(row.ticket_status), ticketResolved: row.ticket_resolved === null || row.ticket_resolved === undefined ? null : row.ticket_resolved === 1,
    state: String(row.state) as AlarmRow['state'], jira: String(row.jira),
  };
}

function where(query: AlarmQuery, jira: string | null): { clause: string; params: Params } {
  const parts: string[] = [];
  const params: Params = [];
  if (jira !== null) {
    parts.push('jira = ?');
    params.push(jira);
  }
  if (query.state !== undefined) {
    parts.push('state = ?');
    params.push(query.state);
  }
  if (query.text !== undefined && query.text !== '') {
    parts.push("(instr(lower(guid), ?) > 0 OR instr(lower(coalesce(ticket_key, '')), ?) > 0)");
    const lower = query.text.toLowerCase();
    params.push(lower, lower);
  }
  return { clause: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Read access; `jira` null reads every Jira's alarms (the `jiraline alarms` reader of a data directory). */
export class AlarmsReader {
  constructor(protected readonly db: Db, protected readonly jira: string | null) {}

  get(guid: string): AlarmRow | undefined {
    const row = this.jira === null
      ? this.db.get('SELECT * FROM alarms WHERE guid = ? ORDER BY last_seen DESC LIMIT 1', [guid])
      : this.db.get('SELECT * FROM alarms WHERE jira = ? AND guid = ?', [this.jira, guid]);
    return row ? toAlarm(row) : undefined;
  }

  query(query: AlarmQuery): AlarmPage {
    const { clause, params } = where(query, this.jira);
    const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const rows = limit === 0 ? [] : this.db
      .all(`SELECT * FROM alarms ${clause} ORDER BY last_seen DESC, guid DESC LIMIT ? OFFSET ?`, [...params, limit, offset])
      .map(toAlarm);
    const total = Number(this.db.get(`SELECT COUNT(*) AS n FROM alarms ${clause}`, params)?.n ?? 0);
    return { rows, total };
  }
}

/** Accepted lines' alarm upserts written by one statement (5 parameters a row, after the Jira). */
const LINES_PER_STATEMENT = 64;
/** A waiting line's values: GUID, time (first and last seen), action, ticket key and URL. */
const LINE_VALUES = 5;
const noteTexts = new Map<number, string>();

/**
 * The upsert of noteLine for `rows` lines at once; a GUID twice in it is counted twice, in order.
 * Parameters are numbered: the Jira is bound once for all rows (?1), and a line's time once for
 * both first and last seen (each value bound is a copy into SQLite, and journalled).
 */
function noteLineSql(rows: number): string {
  let sql = noteTexts.get(rows);
  if (sql === undefined) {
    const row = (i: number) => {
      const p = (k: number) => `?${2 + i * LINE_VALUES + k}`;
      return `(?1, ${p(0)}, ${p(1)}, ${p(1)}, 1, ${p(2)}, ${p(3)}, ${p(4)}, 'pending')`;
    };
    sql = 'INSERT INTO alarms (jira, guid, first_seen, last_seen, lines, last_action, ticket_key, ticket_url, state) VALUES ' +
      Array.from({ length: rows }, (_, i) => row(i)).join(', ') +
      ' ON CONFLICT (jira, guid) DO UPDATE SET ' +
      "last_seen = excluded.last_seen, lines = lines + 1, last_action = excluded.last_action, state = 'pending'";
    noteTexts.set(rows, sql);
  }
  return sql;
}

/** ticketChanged's copy of the ticket: the status stays only while the key is the same. */
const ticketSet =
  'ticket_status = CASE WHEN ticket_key IS ? THEN ticket_status ELSE NULL END, ' +
  'ticket_resolved = CASE WHEN ticket_key IS ? THEN ticket_resolved ELSE NULL END, ticket_key = ?, ticket_url = ?';

/**
 * settle with the ticket's copy waiting, as one UPDATE: ticketSet above, then settle's rule on
 * the ticket_resolved that ticketSet leaves (the old row's when the key is the same). The key
 * is bound once (?1) where it is compared and set (each string bound is a copy into SQLite).
 */
const settleWithTicket =
  'UPDATE alarms SET ticket_status = CASE WHEN ticket_key IS ?1 THEN ticket_status ELSE NULL END, ' +
  'ticket_resolved = CASE WHEN ticket_key IS ?1 THEN ticket_resolved ELSE NULL END, ticket_key = ?1, ticket_url = ?2, ' +
  "state = CASE WHEN ?3 = 'failed' THEN 'failed' WHEN (CASE WHEN ticket_key IS ?1 THEN ticket_resolved ELSE NULL END) = 1 THEN 'resolved' ELSE 'open' END " +
  'WHERE jira = ?4 AND guid = ?5';

/**
 * The alarms of the store's Jira, changed as lines are accepted and outcomes come back.
 *
 * Each ticket used to cost three statements here (an upsert per accepted line, the ticket's
 * copy when it was made, the settled state when it finished), a fifth of the store's work per
 * ticket. So the two writes of the hot path wait in memory: accepted lines are upserted 64 to
 * a statement, and a ticket's copy goes with the settle that follows it in one UPDATE. Whatever
 * waits is written before any other read or write of the table and before each commit's
 * capture (the store calls flush), so a commit holds an alarm's change together with the line
 * or outcome that caused it, and every reader sees the table as if written at once. Writes to
 * different GUIDs touch different rows, so only a GUID's own order matters, and it is kept.
 */
export class AlarmsTable extends AlarmsReader {
  /** Accepted lines not yet upserted, in order. */
  private lines: Params[] = [];
  private readonly lineGuids = new Set<string>();
  /** Tickets' copies not yet written (null: the ticket went), per GUID. */
  private readonly tickets = new Map<string, TicketRef | null>();
  /**
   * The rows the table holds (every Jira's), kept in memory: counting 10,000 alarms cost 20 µs,
   * and the bound is looked at after every turn that accepted a line — every line, at a steady
   * feed. Null: not known (counted when next needed). Far below the bound each line written
   * counts as a row added (`exact` false: an upper bound, enough to tell that nothing need go);
   * near it, the lines whose GUID has no row yet are looked up (by key) and the count stays exact.
   */
  private total: number | null = null;
  private exact = false;
  /** The bound last applied (pruneToCount). */
  private bound = Number.POSITIVE_INFINITY;

  constructor(db: Db, private readonly changed: () => void, jira: string) {
    super(db, jira);
  }

  /** Writes what waits (the store calls it before a commit captures the database, and before a transaction). */
  flush(): void {
    // Each change leaves memory once its statement ran: one that fails is undone alone and
    // stays, with what follows it, for the next flush (never written twice, never dropped).
    if (this.lines.length > 0) {
      const lines = this.lines;
      let at = 0;
      try {
        for (; at < lines.length; at += LINES_PER_STATEMENT) {
          const end = Math.min(lines.length, at + LINES_PER_STATEMENT);
          // The rows' values in one list, by a plain loop (Array.flat showed in the profile).
          const params: Params = [this.jira];
          for (let i = at; i < end; i += 1) for (const value of lines[i]) params.push(value);
          const near = this.total !== null && this.total + (end - at) > this.bound;
          const added = near ? this.newRows(lines, at, end) : end - at;
          this.db.run(noteLineSql(end - at), params);
          if (this.total !== null) this.total += added;
          if (!near) this.exact = false;
        }
      } finally {
        this.lines = lines.slice(at);
        this.lineGuids.clear();
        for (const line of this.lines) this.lineGuids.add(line[0] as string);
      }
    }
    for (const [guid, ticket] of this.tickets) {
      this.writeTicket(guid, ticket);
      this.tickets.delete(guid);
    }
  }

  /** How many of these waiting lines' GUIDs have no row yet (the rows their upsert will add). */
  private newRows(lines: Params[], at: number, end: number): number {
    const guids = new Set<string>();
    for (let i = at; i < end; i += 1) guids.add(lines[i][0] as string);
    const list = [...guids];
    const existing = Number(this.db.get(`SELECT count(*) AS n FROM alarms WHERE jira = ? AND guid IN (${list.map(() => '?').join(', ')})`,
      [this.jira, ...list])?.n ?? 0);
    return list.length - existing;
  }

  /** Drops what waits without writing it (a transaction that made it was undone). */
  discard(): void {
    this.lines = [];
    this.lineGuids.clear();
    this.tickets.clear();
    this.total = null; // rows it added or removed are gone again: counted anew when next needed
  }

  override get(guid: string): AlarmRow | undefined {
    this.flush();
    return super.get(guid);
  }

  override query(query: AlarmQuery): AlarmPage {
    this.flush();
    return super.query(query);
  }

  noteLine(guid: string, action: 'Create' | 'Update', now: number, ticket: TicketRef | undefined): void {
    // The GUID's ticket copy waiting came first: it is written first.
    if (this.tickets.has(guid)) this.flush();
    this.lines.push([guid, now, action, ticket?.ticketKey ?? null, ticket?.ticketUrl ?? null]);
    this.lineGuids.add(guid);
    this.changed();
  }

  ensure(guid: string, action: AlarmRow['lastAction'], now: number, ticket: TicketRef | undefined): void {
    this.flush();
    this.total = null; // a row added or not (a link or unlink: rare): counted anew when next needed
    this.db.run(
      'INSERT INTO alarms (jira, guid, first_seen, last_seen, lines, last_action, ticket_key, ticket_url, state) ' +
        "VALUES (?, ?, ?, ?, 0, ?, ?, ?, 'open') ON CONFLICT (jira, guid) DO UPDATE SET last_seen = excluded.last_seen, last_action = excluded.last_action",
      [this.jira, guid, now, now, action, ticket?.ticketKey ?? null, ticket?.ticketUrl ?? null],
    );
    this.changed();
  }

  update(guid: string, patch: Partial<Omit<AlarmRow, 'guid' | 'jira'>>): void {
    const fields = Object.keys(patch).filter((f) => f in patchColumns && (patch as Record<string, unknown>)[f] !== undefined);
    if (fields.length === 0) return;
    this.flush();
    const values = fields.map((f) => {
      const v = (patch as Record<string, unknown>)[f];
      return typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null);
    });
    this.db.run(`UPDATE alarms SET ${fields.map((f) => `${patchColumns[f]} = ?`).join(', ')} WHERE jira = ? AND guid = ?`,
      [...values, this.jira, guid]);
    this.changed();
  }

  /** The same rule as settledState (core/alarms.ts), in one statement (with the GUID's ticket copy, when one waits). */
  settle(guid: string, outcome: 'ok' | 'failed'): void {
    if (this.lineGuids.has(guid)) this.flush();
    if (this.tickets.has(guid)) {
      const ticket = this.tickets.get(guid) ?? null;
      this.tickets.delete(guid);
      const key = ticket?.ticketKey ?? null;
      this.db.run(settleWithTicket, [key, ticket?.ticketUrl ?? null, outcome, this.jira, guid]);
    } else {
      this.db.run(
        "UPDATE alarms SET state = CASE WHEN ? = 'failed' THEN 'failed' WHEN ticket_resolved = 1 THEN 'resolved' ELSE 'open' END WHERE jira = ? AND guid = ?",
        [outcome, this.jira, guid],
      );
    }
    this.changed();
  }

  /** The GUID's ticket changed (made, adopted, linked) or went (null): its copy here follows (written with the settle that follows, or before the next commit). */
  ticketChanged(guid: string, ticket: TicketRef | null): void {
    // Two changes in a row do not fold into one (the status kept depends on each key), nor a change after a line still waiting.
    if (this.tickets.has(guid) || this.lineGuids.has(guid)) this.flush();
    this.tickets.set(guid, ticket);
    this.changed();
  }

  private writeTicket(guid: string, ticket: TicketRef | null): void {
    const key = ticket?.ticketKey ?? null;
    this.db.run(`UPDATE alarms SET ${ticketSet} WHERE jira = ? AND guid = ?`, [key, key, key, ticket?.ticketUrl ?? null, this.jira, guid]);
  }

  /**
   * Deletes the oldest settled alarms beyond maxEntries (a pending one stays); returns how many went.
   * At the bound this runs after every batch of lines with an excess of one or a few: a search
   * over the whole table sorted by last_seen cost 1.4 ms each time at 10,000 alarms, so a few
   * are found on the (jira, state, last_seen) index instead, oldest first, per Jira the table
   * holds and per settled state.
   */
  pruneToCount(maxEntries: number): number {
    this.bound = maxEntries;
    // Nothing can be over the bound: what waits is left to go with the commit, batched.
    if (this.total !== null && this.total + this.lines.length <= maxEntries) return 0;
    this.flush();
    if (this.total === null || (!this.exact && this.total > maxEntries)) {
      this.total = Number(this.db.get('SELECT COUNT(*) AS n FROM alarms')?.n ?? 0);
      this.exact = true;
    }
    const excess = this.total - maxEntries;
    if (excess <= 0) return 0;
    let removed = 0;
    try {
      removed = excess > fewExcess ? this.db.run(
        "DELETE FROM alarms WHERE (jira, guid) IN (SELECT jira, guid FROM alarms WHERE state != 'pending' ORDER BY last_seen ASC LIMIT ?)",
        [excess],
      ) : this.pruneFew(excess);
    } catch (error) {
      this.total = null; // some may have gone before the failure
      throw error;
    }
    this.total -= removed;
    if (removed > 0) this.changed();
    return removed;
  }

  private pruneFew(excess: number): number {
    const oldest: Row[] = [];
    for (const jira of this.jiras()) {
      for (const state of settledStates) {
        oldest.push(...this.db.all('SELECT jira, guid, last_seen FROM alarms WHERE jira = ? AND state = ? ORDER BY last_seen ASC LIMIT ?', [jira, state, excess]));
      }
    }
    oldest.sort((a, b) => Number(a.last_seen) - Number(b.last_seen));
    let removed = 0;
    for (const row of oldest.slice(0, excess)) removed += this.db.run('DELETE FROM alarms WHERE jira = ? AND guid = ?', [row.jira, row.guid]);
    return removed;
  }

  /** The Jiras the table holds alarms of (one, unless the directory served another Jira before), each found on the index. */
  private jiras(): string[] {
    return this.db.all(
      'WITH RECURSIVE j(jira) AS (SELECT min(jira) FROM alarms UNION ALL SELECT (SELECT min(jira) FROM alarms WHERE jira > j.jira) FROM j WHERE j.jira IS NOT NULL) ' +
        'SELECT jira FROM j WHERE jira IS NOT NULL',
    ).map((row) => String(row.jira));
  }
}
