// Binding a data directory's contents to the Jira they were made on. A directory keeps the
// GUID → ticket map, the queue and the log of every Jira it was ever pointed at; at open the
// store is bound to one of them, and only that Jira's map and queue are in use. Pointing
// jiraline at another Jira puts the first one's aside (nothing is deleted, the log rows stay
// readable, marked with their Jira); pointing it back brings them back.
import { UNBOUND_JIRA } from '../core/jira-identity.js';
import type { Db } from './database.js';

/** What one Jira has in the directory. */
export interface JiraShare {
  jira: string;
  /** GUIDs mapped to a ticket of this Jira. */
  tickets: number;
  /** Commands accepted for this Jira and not finished. */
  pending: number;
}

/** The outcome of binding the directory to a Jira at open. */
export interface JiraBinding {
  /** The Jira the store is bound to. */
  jira: string;
  /** The Jira the directory was bound to before, when it was another one; else null. */
  previous: string | null;
  /** Rows from before jiraline bound its data to a Jira, given to this one now. */
  adopted: number;
  /** What this Jira has here. */
  current: JiraShare;
  /** What the other Jiras have here (kept, unused while bound to this one). */
  others: JiraShare[];
  /** Whether binding changed the database (the store writes a snapshot at open then). */
  changed: boolean;
}

/** The meta key naming the Jira the directory was last bound to. */
const CURRENT_KEY = 'jira.current';
/** The engine's notes about the Jira it talks to (its field catalogue, its serverInfo): kept per Jira. */
const PER_JIRA_META = ['catalogue', 'serverInfo'];

function metaGet(db: Db, key: string): string | undefined {
  const row = db.get('SELECT value FROM meta WHERE key = ?', [key]);
  return row ? String(row.value) : undefined;
}

function metaSet(db: Db, key: string, value: string): void {
  db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}

/** The meta key a Jira's own copy of `key` is kept under while another Jira is bound. */
export function parkedMetaKey(jira: string, key: string): string {
  return `jira:${jira}:${key}`;
}

/** Binds the directory's database to `jira`; see the file comment. An unbound store (tests) changes nothing. */
export function bindJira(db: Db, jira: string): JiraBinding {
  let previous: string | null = null;
  let adopted = 0;
  let changed = false;
  if (jira !== UNBOUND_JIRA) {
    db.transaction(() => {
      const before = metaGet(db, CURRENT_KEY);
      for (const table of ['tickets', 'commands', 'log']) adopted += db.run(`UPDATE ${table} SET jira = ? WHERE jira = ?`, [jira, UNBOUND_JIRA]);
      if (before !== undefined && before !== jira) {
        previous = before;
        for (const key of PER_JIRA_META) {
          const mine = metaGet(db, key);
          if (mine !== undefined) metaSet(db, parkedMetaKey(before, key), mine);
          const theirs = metaGet(db, parkedMetaKey(jira, key));
          if (theirs !== undefined) metaSet(db, key, theirs);
          else db.run('DELETE FROM meta WHERE key = ?', [key]);
          db.run('DELETE FROM meta WHERE key = ?', [parkedMetaKey(jira, key)]);
        }
      }
      if (before !== jira) metaSet(db, CURRENT_KEY, jira);
      changed = adopted > 0 || before !== jira;
    });
  }
  const shares = jiraShares(db);
  const current = shares.find((s) => s.jira === jira) ?? { jira, tickets: 0, pending: 0 };
  return { jira, previous, adopted, current, others: shares.filter((s) => s.jira !== jira), changed };
}

/** Every Jira that has mapped GUIDs or open commands in the directory. */
export function jiraShares(db: Db): JiraShare[] {
  const shares = new Map<string, JiraShare>();
  const share = (jira: string) => {
    let s = shares.get(jira);
    if (!s) shares.set(jira, (s = { jira, tickets: 0, pending: 0 }));
    return s;
  };
  for (const row of db.all('SELECT jira, count(*) AS n FROM tickets GROUP BY jira')) share(String(row.jira)).tickets = Number(row.n);
  for (const row of db.all("SELECT jira, count(*) AS n FROM commands WHERE state IN ('queued', 'inflight') GROUP BY jira")) {
    share(String(row.jira)).pending = Number(row.n);
  }
  return [...shares.values()].sort((a, b) => a.jira.localeCompare(b.jira));
}
