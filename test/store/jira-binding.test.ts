// The store bound to one Jira: its GUID → ticket map, its open commands and new log rows are
// that Jira's; another Jira's stay in the file, unused, and come back when it is bound again.
// Rows from before the binding existed go to the first Jira bound after the upgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { openStore } from '../../source/store/index.js';
import type { LogRow, QueuedCommand } from '../../source/core/ports.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const row: Omit<LogRow, 'id'> = {
  type: 'Automatic', action: 'Create', time: 1, guid: 'g1', status: 'Pending', ticketId: null, ticketKey: null, ticketUrl: null,
  error: null, lines: 1, request: null, response: null, attempts: 0, nextAttemptAt: null,
};
const command: Omit<QueuedCommand, 'id'> = {
  type: 'Automatic', kind: 'update', guid: 'g1', line: 'g1|UPDATE|comment;x|', payload: null, state: 'queued', attempts: 0,
  nextAttemptAt: 1, acceptedAt: 1, firstSentAt: null, logId: null, throttleCounted: false,
};
const A = 'https://a.example.test';
const B = 'https://b.example.test';

test('each Jira keeps its own map, queue and notes; the rows of before the binding go to the first Jira bound', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // A directory of an earlier version: nothing bound.
  let store = await openStore({ dir: tmp.dir });
  store.setTicket({ guid: 'g1', ticketId: '1', ticketKey: 'OPS-1', ticketUrl: `${A}/browse/OPS-1` });
  store.insertLog(row);
  store.insertCommand(command);
  store.setMeta('catalogue', '["A\'s fields"]');
  await store.close();

  store = await openStore({ dir: tmp.dir, jira: A });
  assert.equal(store.binding.adopted, 3);
  assert.equal(store.binding.previous, null);
  assert.equal(store.getTicket('g1')?.ticketKey, 'OPS-1');
  assert.equal(store.openCommands().length, 1);
  assert.deepEqual(store.queryLog({}).map((r) => r.jira), [A]);
  await store.close();

  store = await openStore({ dir: tmp.dir, jira: B });
  assert.equal(store.binding.previous, A);
  assert.deepEqual(store.binding.others, [{ jira: A, tickets: 1, pending: 1 }]);
  assert.equal(store.getTicket('g1'), undefined, 'A\'s map does not apply to B');
  assert.deepEqual(store.openCommands(), [], 'A\'s command is not B\'s to send');
  assert.equal(store.latestCommandFor('g1'), undefined);
  assert.equal(store.getMeta('catalogue'), undefined, 'A\'s field catalogue is not B\'s');
  assert.equal(store.queryLog({}).length, 1, 'A\'s rows stay readable');
  store.setTicket({ guid: 'g1', ticketId: '9', ticketKey: 'OPS-9', ticketUrl: `${B}/browse/OPS-9` });
  store.insertLog({ ...row, status: 'Ok' });
  store.setMeta('catalogue', '["B\'s fields"]');
  assert.deepEqual(store.queryLog({}).map((r) => r.jira), [B, A]);
  assert.deepEqual(store.queryLog({ jira: A }).map((r) => r.jira), [A]);
  await store.close();

  store = await openStore({ dir: tmp.dir, jira: A });
  assert.equal(store.binding.previous, B);
  assert.deepEqual(store.binding.current, { jira: A, tickets: 1, pending: 1 });
  assert.equal(store.getTicket('g1')?.ticketKey, 'OPS-1', 'A\'s map is back');
  assert.equal(store.openCommands().length, 1, 'A\'s waiting command is back');
  assert.equal(store.getMeta('catalogue'), '["A\'s fields"]');
  await store.close();

  store = await openStore({ dir: tmp.dir, jira: B });
  assert.equal(store.getTicket('g1')?.ticketKey, 'OPS-9');
  assert.equal(store.getMeta('catalogue'), '["B\'s fields"]');
  assert.equal(store.binding.changed, true);
  await store.close();
  store = await openStore({ dir: tmp.dir, jira: B });
  assert.equal(store.binding.changed, false, 'the same Jira again changes nothing');
  await store.close();
});

/** Schema version 1 as released (a released migration never changes): a data directory of the version before. */
const schemaV1 = `
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
`;

test('a database of schema 1 with tickets, a waiting command and log rows opens bound to the configured Jira, nothing lost', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const SQL = await initSqlJs();
  const old = new SQL.Database();
  old.exec(schemaV1);
  old.exec('PRAGMA user_version = 1');
  old.exec("INSERT INTO tickets VALUES ('g1', '10001', 'OPS-1', 'https://a.example.test/browse/OPS-1')");
  old.exec("INSERT INTO log (type, action, time, guid, status, lines) VALUES ('Automatic', 'Create', 1, 'g1', 'Ok', 1)");
  old.exec("INSERT INTO commands (type, kind, guid, line, state, next_attempt_at, accepted_at) VALUES ('Automatic', 'update', 'g1', 'g1|UPDATE|comment;x|', 'queued', 1, 1)");
  writeFileSync(join(tmp.dir, 'jiraline.db'), old.export());
  old.close();

  const store = await openStore({ dir: tmp.dir, jira: A });
  t.after(() => store.close());
  assert.deepEqual(store.binding.current, { jira: A, tickets: 1, pending: 1 });
  assert.equal(store.binding.adopted, 3);
  assert.equal(store.getTicket('g1')?.ticketKey, 'OPS-1');
  assert.deepEqual(store.openCommands().map((c) => c.line), ['g1|UPDATE|comment;x|']);
  assert.deepEqual(store.queryLog({}).map((r) => [r.guid, r.status, r.jira]), [['g1', 'Ok', A]]);
});
