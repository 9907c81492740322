// The store bound to one Jira: its GUID → ticket map, its open commands and new log rows are
// that Jira's; another Jira's stay in the file, unused, and come back when it is bound again.
// Rows from before the binding existed go to the first Jira bound after the upgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
