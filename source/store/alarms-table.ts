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

/** The alarms of the store's Jira, changed as lines are accepted and outcomes come back. */
export class AlarmsTable extends AlarmsReader {
  constructor(db: Db, private readonly changed: () => void, jira: string) {
    super(db, jira);
  }

  noteLine(guid: string, action: 'Create' | 'Update', now: number, ticket: TicketRef | undefined): void {
    this.db.run(
      'INSERT INTO alarms (jira, guid, first_seen, last_seen, lines, last_action, ticket_key, ticket_url, state) ' +
        "VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'pending') ON CONFLICT (jira, guid) DO UPDATE SET " +
        "last_seen = excluded.last_seen, lines = lines + 1, last_action = excluded.last_action, state = 'pending'",
      [this.jira, guid, now, now, action, ticket?.ticketKey ?? null, ticket?.ticketUrl ?? null],
    );
    this.changed();
  }

  ensure(guid: string, action: AlarmRow['lastAction'], now: number, ticket: TicketRef | undefined): void {
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
    const values = fields.map((f) => {
      const v = (patch as Record<string, unknown>)[f];
      return typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null);
    });
    this.db.run(`UPDATE alarms SET ${fields.map((f) => `${patchColumns[f]} = ?`).join(', ')} WHERE jira = ? AND guid = ?`,
      [...values, this.jira, guid]);
    this.changed();
  }

  /** The same rule as settledState (core/alarms.ts), in one statement. */
  settle(guid: string, outcome: 'ok' | 'failed'): void {
    this.db.run(
      "UPDATE alarms SET state = CASE WHEN ? = 'failed' THEN 'failed' WHEN ticket_resolved = 1 THEN 'resolved' ELSE 'open' END WHERE jira = ? AND guid = ?",
      [outcome, this.jira, guid],
    );
    this.changed();
  }

  /** The GUID's ticket changed (made, adopted, linked) or went (null): its copy here follows. */
  ticketChanged(guid: string, ticket: TicketRef | null): void {
    this.db.run(
      'UPDATE alarms SET ticket_status = CASE WHEN ticket_key IS ? THEN ticket_status ELSE NULL END, ' +
        'ticket_resolved = CASE WHEN ticket_key IS ? THEN ticket_resolved ELSE NULL END, ticket_key = ?, ticket_url = ? WHERE jira = ? AND guid = ?',
      [ticket?.ticketKey ?? null, ticket?.ticketKey ?? null, ticket?.ticketKey ?? null, ticket?.ticketUrl ?? null, this.jira, guid],
    );
    this.changed();
  }

  /**
   * Deletes the oldest settled alarms beyond maxEntries (a pending one stays); returns how many went.
   * At the bound this runs after every batch of lines with an excess of one or a few: a search
   * over the whole table sorted by last_seen cost 1.4 ms each time at 10,000 alarms, so a few
   * are found on the (jira, state, last_seen) index instead, oldest first, per Jira the table
   * holds and per settled state.
   */
  pruneToCount(maxEntries: number): number {
    const total = Number(this.db.get('SELECT COUNT(*) AS n FROM alarms')?.n ?? 0);
    const excess = total - maxEntries;
    if (excess <= 0) return 0;
    const removed = excess > fewExcess ? this.db.run(
      "DELETE FROM alarms WHERE (jira, guid) IN (SELECT jira, guid FROM alarms WHERE state != 'pending' ORDER BY last_seen ASC LIMIT ?)",
      [excess],
    ) : this.pruneFew(excess);
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
