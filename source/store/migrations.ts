// The schema, as numbered migrations. The version lives in SQLite's own header field
// (PRAGMA user_version), so it travels with the file through every export. A migration is
// never edited once released: a change is a new entry at the end.
import type { Db } from './database.js';

/** One step of the schema: applied once, in order, inside a transaction. */
interface Migration {
  version: number;
  sql: string;
}

const migrations: Migration[] = [
  {
    version: 1,
    sql: `
      -- Pages freed by pruning go back (see SqlStore.reclaim): every commit exports every
      -- page, free or not. Only possible before the first table exists.
      PRAGMA auto_vacuum = INCREMENTAL;
      -- AUTOINCREMENT: ids are accept order and are never reused after a purge or prune.
      CREATE TABLE commands (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        kind TEXT NOT NULL,
        guid TEXT,
        line TEXT,
        payload TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        accepted_at INTEGER NOT NULL,
        first_sent_at INTEGER,
        log_id INTEGER,
        throttle_counted INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX commands_state ON commands (state, id);
      CREATE INDEX commands_guid ON commands (guid, id);

      CREATE TABLE tickets (
        guid TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL,
        ticket_key TEXT NOT NULL,
        ticket_url TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        action TEXT NOT NULL,
        time INTEGER NOT NULL,
        guid TEXT,
        status TEXT NOT NULL,
        ticket_id TEXT,
        ticket_key TEXT,
        ticket_url TEXT,
        error TEXT,
        lines INTEGER NOT NULL DEFAULT 1,
        request TEXT,
        response TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER
      );
      -- Newest-first pages with a filter walk one of these backwards and stop at the page.
      CREATE INDEX log_status ON log (status, id);
      CREATE INDEX log_guid ON log (guid, id);
      CREATE INDEX log_ticket_key ON log (ticket_key, id);
      CREATE INDEX log_time ON log (time);

      CREATE TABLE stats_days (
        day TEXT PRIMARY KEY,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE stats_totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO stats_totals (id, created, updated) VALUES (1, 0, 0);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      -- Every ticket key, queued command and log row belongs to the Jira it was made on (its
      -- URL identity, source/core/jira-identity.ts): OPS-7 on one Jira is not OPS-7 on another.
      -- Rows from before are '' and go to the first Jira configured after the upgrade.
      ALTER TABLE commands ADD COLUMN jira TEXT NOT NULL DEFAULT '';
      ALTER TABLE log ADD COLUMN jira TEXT NOT NULL DEFAULT '';
      DROP INDEX commands_guid;
      CREATE INDEX commands_guid ON commands (jira, guid, id);
      CREATE TABLE tickets_by_jira (
        jira TEXT NOT NULL,
        guid TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        ticket_key TEXT NOT NULL,
        ticket_url TEXT NOT NULL,
        PRIMARY KEY (jira, guid)
      ) WITHOUT ROWID;
      INSERT INTO tickets_by_jira (jira, guid, ticket_id, ticket_key, ticket_url)
        SELECT '', guid, ticket_id, ticket_key, ticket_url FROM tickets;
      DROP TABLE tickets;
      ALTER TABLE tickets_by_jira RENAME TO tickets;
      -- Lines refused on the socket are counted like tickets: per local day and in total.
      ALTER TABLE stats_days ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stats_totals ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    sql: `
      -- One row per GUID seen, per Jira: the alarms table (source/core/alarms.ts). The link
      -- itself stays in tickets; the key and URL here are a copy the pane can page through.
      CREATE TABLE alarms (
        jira TEXT NOT NULL,
        guid TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        lines INTEGER NOT NULL DEFAULT 0,
        last_action TEXT NOT NULL,
        ticket_key TEXT,
        ticket_url TEXT,
        ticket_status TEXT,
        ticket_resolved INTEGER,
        state TEXT NOT NULL,
        PRIMARY KEY (jira, guid)
      ) WITHOUT ROWID;
      -- Newest-seen-first pages, whole or by state, walk one of these backwards.
      CREATE INDEX alarms_seen ON alarms (jira, last_seen);
      CREATE INDEX alarms_state ON alarms (jira, state, last_seen);
      -- The GUIDs an older version saw come from its log (and its map, for the ticket).
      INSERT INTO alarms (jira, guid, first_seen, last_seen, lines, last_action, ticket_key, ticket_url, state)
        SELECT g.jira, g.guid, g.first_seen, g.last_seen, g.lines,
               (SELECT action FROM log l WHERE l.jira = g.jira AND l.guid = g.guid ORDER BY id DESC LIMIT 1),
               t.ticket_key, t.ticket_url,
               CASE (SELECT status FROM log l WHERE l.jira = g.jira AND l.guid = g.guid ORDER BY id DESC LIMIT 1)
                 WHEN 'Pending' THEN 'pending' WHEN 'Failed' THEN 'failed' ELSE 'open' END
        FROM (SELECT jira, guid, MIN(time) AS first_seen, MAX(time) AS last_seen, SUM(lines) AS lines
              FROM log WHERE guid IS NOT NULL AND type = 'Automatic' GROUP BY jira, guid) g
        LEFT JOIN tickets t ON t.jira = g.jira AND t.guid = g.guid;
      `,
    },
    {
    version: 4,
    sql: `
      -- Jira's answers as heard (the Responses view): the first 2 KB of each body, secrets
      -- masked, with the GUID and log row the request was for. Bounded by responses.maxEntries.
      CREATE TABLE responses (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        guid TEXT,
        log_id INTEGER,
        jira TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX responses_guid ON responses (guid, id);
      CREATE INDEX responses_log ON responses (log_id, id);
      -- A Failed row keeps its commands for a retry; they go when the row is pruned (a range
      -- below the oldest Failed row) and are found by row when retried.
      CREATE INDEX commands_failed ON commands (log_id) WHERE state = 'failed';
    `,
  },
];

/** The newest schema version this program knows. */
export const schemaVersion = migrations[migrations.length - 1].version;

/** The schema version recorded in the database (0 for a new, empty one). */
export function readSchemaVersion(db: Db): number {
  return Number(db.get('PRAGMA user_version')?.user_version ?? 0);
}

/**
 * Brings the database up to schemaVersion; returns how many migrations ran.
 * The caller has already refused a database newer than this program.
 */
export function migrate(db: Db): number {
  const current = readSchemaVersion(db);
  let applied = 0;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.raw.exec(migration.sql);
      // PRAGMA takes no bound parameters; the version is our own integer.
      db.raw.exec(`PRAGMA user_version = ${migration.version}`);
    });
    applied += 1;
  }
  return applied;
}
