// `jiraline log --status` and `--follow`: the follower reads the committed state without the
// lock, beside a store that is open and writing (as a running daemon's is), prints new rows
// as they are committed, and prints a Pending row again when it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../source/store/index.js';
import type { LogRow } from '../../source/core/ports.js';
import { runLog } from '../../source/daemon/log-command.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';
import { waitUntil } from '../helpers/wait-until.js';

const base: Omit<LogRow, 'id'> = {
  type: 'Automatic', action: 'Create', time: Date.parse('2026-11-27T09:00:00Z'), guid: null, status: 'Pending',
  ticketId: null, ticketKey: null, ticketUrl: null, error: null, lines: 1, request: null, response: null, attempts: 0, nextAttemptAt: null,
};

test('log --status keeps the rows of one status; a bad status is a usage error', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const store = await openStore({ dir: tmp.dir });
  t.after(() => store.close());
  store.insertLog({ ...base, guid: 'a', status: 'Ok', ticketKey: 'OPS-1' });
  store.insertLog({ ...base, guid: 'b', status: 'Failed', error: 'priority: not valid' });
  store.insertLog({ ...base, guid: 'c', status: 'Pending' });
  store.insertLog({ ...base, guid: 'd', status: 'Failed', error: 'no transition' });
  await store.commit();

  const failed = captureIo();
  assert.equal(await runLog(['--json', '--status', 'failed', '--data-dir', tmp.dir], failed.io), 0);
  assert.deepEqual(failed.out().trimEnd().split('\n').map((l) => JSON.parse(l).guid), ['b', 'd']);
  const pending = captureIo();
  assert.equal(await runLog(['--status', 'Pending', '--data-dir', tmp.dir], pending.io), 0);
  assert.equal(pending.out().trimEnd().split('\n').length, 2, 'a header and one row');
  assert.match(pending.out(), /\sc\s+Pending\s/);
  await assert.rejects(runLog(['--status', 'Done', '--data-dir', tmp.dir], captureIo().io), /--status expects Pending, Ok, Failed or Cancelled, got 'Done'/);
});

test('log --follow prints rows as they are committed and a Pending row again when it ends; --status filters what it prints', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const store = await openStore({ dir: tmp.dir, jira: 'https://jira.example.test' });
  t.after(() => store.close());
  const waiting = store.insertLog({ ...base, guid: 'old', status: 'Pending' });
  await store.commit();

  const all = captureIo();
  const failedOnly = captureIo();
  const stop = new AbortController();
  t.after(() => stop.abort());
  const following = runLog(['--follow', '--json', '--data-dir', tmp.dir], all.io, { signal: stop.signal, pollMs: 5 });
  const followingFailed = runLog(['--follow', '--status', 'Failed', '--data-dir', tmp.dir], failedOnly.io, { signal: stop.signal, pollMs: 5 });
  const guids = () => all.out().trimEnd().split('\n').filter(Boolean).map((l) => `${JSON.parse(l).guid}:${JSON.parse(l).status}`);
  await waitUntil(() => guids().length === 1, 'the existing row is printed');
  assert.deepEqual(guids(), ['old:Pending']);

  store.insertLog({ ...base, guid: 'new-1', status: 'Pending' });
  store.insertLog({ ...base, guid: 'new-2', status: 'Ok', ticketKey: 'OPS-2' });
  await store.commit();
  await waitUntil(() => guids().length === 3, 'the committed rows are printed');
  assert.deepEqual(guids(), ['old:Pending', 'new-1:Pending', 'new-2:Ok']);
  assert.equal(JSON.parse(all.out().trimEnd().split('\n')[2]).jira, 'https://jira.example.test', 'each row names its Jira');

  store.updateLog(waiting, { status: 'Failed', error: 'gave up after 9 attempts' });
  await store.commit();
  await waitUntil(() => guids().length === 4, 'the ended row is printed again');
  assert.deepEqual(guids().slice(3), ['old:Failed']);
  await waitUntil(() => /old/.test(failedOnly.out()), 'the Failed follower prints it too');
  assert.match(failedOnly.out(), /Failed\s+Automatic\s+Create\s+old\s.*gave up after 9 attempts/);
  assert.doesNotMatch(failedOnly.out(), /new-1|new-2/, 'rows of other statuses are not printed');

  stop.abort();
  assert.equal(await following, 0);
  assert.equal(await followingFailed, 0);
});
