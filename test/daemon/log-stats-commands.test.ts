// `jiraline log` and `jiraline stats` read the persisted file — also while an engine holds
// the data directory's lock — and print exactly the documented log and statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../source/store/index.js';
import type { LogRow } from '../../source/core/ports.js';
import { localDay } from '../../source/core/clock.js';
import { runLog } from '../../source/daemon/log-command.js';
import { runStats } from '../../source/daemon/stats-command.js';
import { localIso } from '../../source/core/local-time.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';

const base: Omit<LogRow, 'id'> = {
  type: 'Automatic', action: 'Create', time: Date.parse('2026-11-27T09:00:00Z'), guid: null, status: 'Pending',
  ticketId: null, ticketKey: null, ticketUrl: null, error: null, lines: 1, request: null, response: null, attempts: 0, nextAttemptAt: null,
};

test('log --json: the documented keys, null where empty, local time with offset, newest last; --limit keeps the newest', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const store = await openStore({ dir: tmp.dir });
  t.after(() => store.close());
  store.insertLog({ ...base, type: 'Manual', time: base.time });
  store.insertLog({ ...base, guid: 'alarm-1', status: 'Ok', time: base.time + 1000, ticketId: '10001', ticketKey: 'OPS-1', ticketUrl: 'http://j/browse/OPS-1' });
  store.insertLog({ ...base, guid: 'alarm-1', action: 'Update', status: 'Failed', time: base.time + 2000, lines: 3, error: 'priority: not valid' });
  await store.commit();

  const all = captureIo();
  assert.equal(await runLog(['--json', '--data-dir', tmp.dir], all.io), 0);
  const rows = all.out().trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 3);
  assert.deepEqual(Object.keys(rows[0]), ['type', 'action', 'time', 'guid', 'status', 'ticketId', 'ticketKey', 'ticketUrl', 'error', 'lines', 'jira', 'id']);
  assert.deepEqual(rows[0], { type: 'Manual', action: 'Create', time: localIso(base.time), guid: null, status: 'Pending',
    ticketId: null, ticketKey: null, ticketUrl: null, error: null, lines: 1, jira: null, id: 1 });
  assert.match(rows[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.equal(Date.parse(rows[0].time), base.time, 'the local time with its offset names the same moment');
  assert.deepEqual(rows.map((r) => r.status), ['Pending', 'Ok', 'Failed'], 'newest last');
  assert.equal(rows[1].ticketUrl, 'http://j/browse/OPS-1');
  assert.deepEqual([rows[2].error, rows[2].lines, rows[2].action], ['priority: not valid', 3, 'Update']);

  const two = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runLog(['--json', '--limit', '2'], two.io), 0);
  assert.deepEqual(two.out().trimEnd().split('\n').map((l) => JSON.parse(l).status), ['Ok', 'Failed']);

  const table = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runLog([], table.io), 0);
  const lines = table.out().trimEnd().split('\n');
  assert.match(lines[0], /^Row\s+Type\s+Action\s+Time\s+GUID\s+Status\s+Lines\s+Ticket ID\s+Ticket Key\s+Ticket URL\s+Error Message$/);
  assert.equal(lines.length, 4);
  assert.match(lines[2], /^2\s+Automatic\s+Create\s+\S+ \S+\s+alarm-1\s+Ok\s+1\s+10001\s+OPS-1\s+http:\/\/j\/browse\/OPS-1\s+-$/);
  assert.match(lines[3], /Failed\s+3\s+-\s+-\s+-\s+priority: not valid$/);
});

test('log on a data directory without a database says so, printing nothing on stdout; bad --limit is a usage error', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const io = captureIo();
  await assert.rejects(runLog(['--json', '--data-dir', tmp.dir], io.io), /no engine data in/);
  assert.equal(io.out(), '');
  await assert.rejects(runLog(['--limit', 'ten', '--data-dir', tmp.dir], captureIo().io), /--limit expects a whole number/);
  await assert.rejects(runLog(['--colour'], captureIo().io), /jiraline log: Unknown option '--colour'/);
});

test('stats --json: created, updated and total as total/today/yesterday by local day', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const store = await openStore({ dir: tmp.dir });
  t.after(() => store.close());
  const now = new Date(2026, 10, 28, 0, 30).getTime();
  store.addStats(localDay(now), 2, 5);
  store.addStats(localDay(now - 3600_000), 1, 0, 3);
  store.addStats('2026-11-01', 4, 4);
  await store.commit();

  const json = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runStats(['--json'], json.io, () => now), 0);
  assert.deepEqual(JSON.parse(json.out()), {
    created: { total: 7, today: 2, yesterday: 1 },
    updated: { total: 9, today: 5, yesterday: 0 },
    total: { total: 16, today: 7, yesterday: 1 },
    refused: { total: 3, today: 0, yesterday: 3 },
  });
  assert.equal(json.out().split('\n').length, 2, 'one line');

  const table = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runStats([], table.io, () => now), 0);
  assert.deepEqual(table.out().trimEnd().split('\n').map((l) => l.split(/\s+/)), [
    ['Tickets', 'Total', 'Today', 'Yesterday'],
    ['Created', '7', '2', '1'],
    ['Updated', '9', '5', '0'],
    ['Total', '16', '7', '1'],
    ['Refused', 'lines', '(answered', 'ERR):', '3', 'in', 'total,', '0', 'today,', '3', 'yesterday'],
  ]);
});
