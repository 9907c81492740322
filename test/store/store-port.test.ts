// Every StorePort method against a real store in a temp dir, and that all of it survives
// close and reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { command, logRow } from './rows.js';

async function withStore(fn: (store: Store, reopen: () => Promise<Store>) => Promise<void>): Promise<void> {
  const temp = await makeTempDir();
  let store = await openStore({ dir: temp.dir });
  try {
    await fn(store, async () => {
      await store.close();
      store = await openStore({ dir: temp.dir });
      return store;
    });
  } finally {
    await store.close();
    await temp.cleanup();
  }
}

test('queue: insert, get, update, open commands in accept order, latest per GUID, purge', async () => {
  await withStore(async (store) => {
    const a = store.insertCommand(command({ guid: 'A' }));
    const b = store.insertCommand(command({ guid: 'B', kind: 'update', line: 'B|UPDATE|comment;x|' }));
    const c = store.insertCommand(command({ guid: 'A', kind: 'update', acceptedAt: 2_000 }));
    assert.ok(a < b && b < c, 'ids follow accept order');

    assert.deepEqual(store.getCommand(b), { id: b, ...command({ guid: 'B', kind: 'update', line: 'B|UPDATE|comment;x|' }) });
    assert.equal(store.getCommand(9_999), undefined);

    store.updateCommand(a, { state: 'inflight', attempts: 1, firstSentAt: 1_500, throttleCounted: true, logId: 7 });
    const updated = store.getCommand(a)!;
    assert.equal(updated.state, 'inflight');
    assert.equal(updated.attempts, 1);
    assert.equal(updated.firstSentAt, 1_500);
    assert.equal(updated.throttleCounted, true);
    assert.equal(updated.logId, 7);
    assert.equal(updated.line, command().line, 'fields not in the patch are kept');
    store.updateCommand(a, { logId: null });
    assert.equal(store.getCommand(a)!.logId, null, 'a patch can clear a field');

    store.updateCommand(b, { state: 'done' });
    assert.deepEqual(store.openCommands().map((x) => x.id), [a, c], 'queued and inflight only, in accept order');
    assert.equal(store.latestCommandFor('A')!.id, c);
    assert.equal(store.latestCommandFor('B')!.state, 'done', 'latest of any state');
    assert.equal(store.latestCommandFor('nobody'), undefined);

    store.updateCommand(c, { state: 'failed' });
    assert.equal(store.purgeFinishedCommands(1_500), 1, 'only b: finished and accepted before 1500');
    assert.equal(store.getCommand(b), undefined);
    assert.ok(store.getCommand(a), 'an open command is never purged');
    assert.ok(store.getCommand(c), 'accepted after the cut-off');

    const d = store.insertCommand(command({ guid: 'D' }));
    assert.ok(d > c, 'ids are never reused after a purge');
  });
});

test('GUID → ticket map: set, replace, get', async () => {
  await withStore(async (store) => {
    assert.equal(store.getTicket('A'), undefined);
    store.setTicket({ guid: 'A', ticketId: '10001', ticketKey: 'OPS-1', ticketUrl: 'http://j/browse/OPS-1' });
    assert.deepEqual(store.getTicket('A'), { guid: 'A', ticketId: '10001', ticketKey: 'OPS-1', ticketUrl: 'http://j/browse/OPS-1' });
    store.setTicket({ guid: 'A', ticketId: '10002', ticketKey: 'OPS-2', ticketUrl: 'http://j/browse/OPS-2' });
    assert.equal(store.getTicket('A')!.ticketKey, 'OPS-2');
    assert.equal(store.getTicket('a'), undefined, 'GUIDs are case-sensitive');
  });
});

test('log: insert, get, update, newest-first query with filters and paging, count', async () => {
  await withStore(async (store) => {
    const first = store.insertLog(logRow({ guid: 'disk-full', time: 1 }));
    const second = store.insertLog(logRow({ guid: 'cpu_high', action: 'Update', time: 2, lines: 3 }));
    const manual = store.insertLog(logRow({ type: 'Manual', guid: null, time: 3 }));
    store.updateLog(first, { status: 'Ok', ticketId: '10000', ticketKey: 'OPS-7', ticketUrl: 'http://j/browse/OPS-7', attempts: 2, request: '{"fields":{}}', response: '201 {}' });
    store.updateLog(second, { status: 'Failed', error: 'Field Severity: Sev9 is not a valid option' });

    const row = store.getLog(first)!;
    assert.equal(row.status, 'Ok');
    assert.equal(row.ticketKey, 'OPS-7');
    assert.equal(row.request, '{"fields":{}}');
    assert.equal(row.attempts, 2);
    assert.equal(store.getLog(second)!.lines, 3);
    assert.equal(store.getLog(12345), undefined);

    assert.deepEqual(store.queryLog({}).map((r) => r.id), [manual, second, first], 'newest first');
    assert.deepEqual(store.queryLog({ limit: 2 }).map((r) => r.id), [manual, second]);
    assert.deepEqual(store.queryLog({ offset: 2, limit: 2 }).map((r) => r.id), [first]);
    assert.deepEqual(store.queryLog({ status: 'Failed' }).map((r) => r.id), [second]);
    assert.deepEqual(store.queryLog({ guid: 'disk-full' }).map((r) => r.id), [first]);
    assert.deepEqual(store.queryLog({ ticketKey: 'OPS-7' }).map((r) => r.id), [first]);
    assert.deepEqual(store.queryLog({ text: 'SEV9' }).map((r) => r.id), [second], 'text matches the error, any case');
    assert.deepEqual(store.queryLog({ text: 'ops-7' }).map((r) => r.id), [first], 'text matches the key');
    assert.deepEqual(store.queryLog({ text: 'update' }).map((r) => r.id), [second], 'text matches the action');
    assert.deepEqual(store.queryLog({ text: 'cpu_' }).map((r) => r.id), [second], '_ is literal, not a wildcard');
    assert.deepEqual(store.queryLog({ text: 'disk_' }).map((r) => r.id), []);
    assert.deepEqual(store.queryLog({ text: '%' }).map((r) => r.id), [], '% is literal');
    assert.deepEqual(store.queryLog({ status: 'Pending', text: 'create' }).map((r) => r.id), [manual]);
    assert.deepEqual(store.queryLog({ status: 'Failed', text: 'sev9', limit: 5 }).map((r) => r.id), [second], 'filters, text and paging together');

    assert.equal(store.countLog(), 3);
    assert.equal(store.countLog({ status: 'Ok' }), 1);
    assert.equal(store.countLog({ text: 'disk' }), 1);
    // A brief page (a list): the same rows, without the request and Jira's answer.
    const [brief] = store.queryLog({ guid: 'disk-full', brief: true });
    assert.deepEqual(brief, { ...store.getLog(first)!, request: null, response: null });
    const path = store.insertLog(logRow({ status: 'Failed', error: 'cannot read C:\\temp\\100%_done' }));
    assert.deepEqual(store.queryLog({ text: 'c:\\temp\\100%_' }).map((r) => r.id), [path], 'backslash, % and _ literal together');
    assert.deepEqual(store.queryLog({ text: 'c:\\temp\\100%x' }).map((r) => r.id), []);
  });
});

test('log retention: pruning to a count and by age never removes Pending rows', async () => {
  await withStore(async (store) => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      // rows 0 and 1 are old but Pending; the rest finished
      ids.push(store.insertLog(logRow({ time: 100 + i, status: i < 2 ? 'Pending' : 'Ok' })));
    }
    assert.equal(store.pruneLogToCount(10), 0, 'at the limit nothing goes');
    assert.equal(store.pruneLogToCount(7), 3);
    assert.deepEqual(store.queryLog({}).map((r) => r.id).reverse(), [ids[0], ids[1], ...ids.slice(5)], 'the oldest finished rows went; Pending stayed');
    assert.equal(store.pruneLogToCount(0), 5, 'every finished row can go');
    assert.deepEqual(store.queryLog({}).map((r) => r.id).reverse(), [ids[0], ids[1]]);
    assert.equal(store.pruneLogToCount(0), 0, 'Pending rows are never pruned, even over the limit');

    const old = store.insertLog(logRow({ time: 50, status: 'Failed' }));
    const fresh = store.insertLog(logRow({ time: 500, status: 'Ok' }));
    assert.equal(store.pruneLogOlderThan(200), 1);
    assert.equal(store.getLog(old), undefined);
    assert.ok(store.getLog(fresh));
    assert.ok(store.getLog(ids[0]), 'old Pending rows stay');
    assert.equal(store.countLog(), 3);

    // the count kept for pruning follows deletions: with 3 rows, a limit of 3 removes nothing
    assert.equal(store.pruneLogToCount(3), 0);
    const newest = store.insertLog(logRow({ status: 'Ok' }));
    assert.equal(store.pruneLogToCount(3), 1);
    assert.equal(store.countLog(), 3);
    // one over the cap (the steady state): the oldest finished row goes, never a Pending one
    assert.equal(store.getLog(fresh), undefined);
    assert.deepEqual(store.queryLog({}).map((r) => r.id).reverse(), [ids[0], ids[1], newest]);
  });
});

test('statistics: per-day counters and totals, ranges, resets', async () => {
  await withStore(async (store) => {
    store.addStats('2026-11-27', 2, 0);
    store.addStats('2026-11-28', 1, 4);
    store.addStats('2026-11-28', 1, 1);
    store.addStats('2026-11-30', 0, 1);
    assert.deepEqual(store.statsDays('2026-11-27', '2026-11-28'), [
      { day: '2026-11-27', created: 2, updated: 0 },
      { day: '2026-11-28', created: 2, updated: 5 },
    ]);
    assert.deepEqual(store.statsDays('2026-11-29', '2026-12-31'), [{ day: '2026-11-30', created: 0, updated: 1 }], 'missing days are absent');
    assert.deepEqual(store.statsTotals(), { created: 4, updated: 6 });

    store.resetStatsDaily();
    assert.deepEqual(store.statsDays('2000-01-01', '2100-01-01'), []);
    assert.deepEqual(store.statsTotals(), { created: 4, updated: 6 }, 'daily reset keeps totals');
    store.addStats('2026-11-30', 1, 0);
    store.resetStatsTotals();
    assert.deepEqual(store.statsTotals(), { created: 0, updated: 0 });
    assert.deepEqual(store.statsDays('2026-11-30', '2026-11-30'), [{ day: '2026-11-30', created: 1, updated: 0 }], 'totals reset keeps days');
  });
});

test('meta: get, set, replace', async () => {
  await withStore(async (store) => {
    assert.equal(store.getMeta('fields'), undefined);
    store.setMeta('fields', '[{"id":"summary"}]');
    store.setMeta('lastPrune', '1');
    store.setMeta('lastPrune', '2');
    assert.equal(store.getMeta('fields'), '[{"id":"summary"}]');
    assert.equal(store.getMeta('lastPrune'), '2');
  });
});

test('everything survives close and reopen', async () => {
  await withStore(async (first, reopen) => {
    const queued = first.insertCommand(command({ guid: 'P', state: 'inflight', attempts: 3, throttleCounted: true }));
    first.setTicket({ guid: 'P', ticketId: '1', ticketKey: 'OPS-1', ticketUrl: 'u' });
    const logged = first.insertLog(logRow({ guid: 'P', status: 'Ok', ticketKey: 'OPS-1' }));
    first.addStats('2026-11-28', 1, 2);
    first.setMeta('k', 'v');
    // no commit(): close() must write what is left

    const store = await reopen();
    assert.deepEqual(store.getCommand(queued), { id: queued, ...command({ guid: 'P', state: 'inflight', attempts: 3, throttleCounted: true }) });
    assert.equal(store.openCommands().length, 1);
    assert.equal(store.getTicket('P')!.ticketKey, 'OPS-1');
    assert.equal(store.getLog(logged)!.ticketKey, 'OPS-1');
    assert.deepEqual(store.statsTotals(), { created: 1, updated: 2 });
    assert.deepEqual(store.statsDays('2026-11-28', '2026-11-28'), [{ day: '2026-11-28', created: 1, updated: 2 }]);
    assert.equal(store.getMeta('k'), 'v');
    assert.ok(store.insertLog(logRow()) > logged, 'log ids continue after a reopen');
  });
});

test('a closed store refuses mutations instead of losing them', async () => {
  const temp = await makeTempDir();
  try {
    const store = await openStore({ dir: temp.dir });
    await store.close();
    assert.throws(() => store.insertLog(logRow()), /closed/);
    await store.close(); // a second close is harmless
  } finally {
    await temp.cleanup();
  }
});

test('transaction(): a throwing block is undone whole, the changes before it stay and are committed', async () => {
  await withStore(async (store, reopen) => {
    const kept = store.insertLog(logRow({ guid: 'kept', status: 'Ok' }));
    assert.throws(() => store.transaction(() => {
      store.insertLog(logRow({ guid: 'undone', status: 'Ok' }));
      store.setMeta('undone', 'yes');
      throw new Error('halfway');
    }), /halfway/);
    assert.equal(store.countLog(), 1);
    assert.equal(store.getMeta('undone'), undefined);
    // the kept count still matches the table: limit 1 with one row prunes nothing
    assert.equal(store.pruneLogToCount(1), 0);
    assert.throws(() => store.transaction(() => Promise.resolve(1)), /synchronous/, 'an async block is refused');

    // a statement that fails on its own leaves the rest of the pending changes alone
    assert.throws(() => store.insertLog({ ...logRow(), type: undefined as never }));
    await store.commit();
    const again = await reopen();
    assert.deepEqual(again.queryLog({}).map((r) => r.id), [kept]);
  });
});

test('pruning a large log shrinks the file that every snapshot writes', async () => {
  await withStore(async (store) => {
    store.transaction(() => {
      for (let i = 0; i < 5_000; i += 1) store.insertLog(logRow({ status: 'Ok', request: 'r'.repeat(500) }));
    });
    await store.checkpoint();
    const large = store.stats().lastSnapshotBytes;
    assert.equal(store.pruneLogToCount(100), 4_900);
    await store.checkpoint();
    const small = store.stats().lastSnapshotBytes;
    assert.ok(small < large / 10, `after pruning to 100 rows the file is ${small} bytes (was ${large})`);
    assert.equal(store.countLog(), 100);
  });
});

test('log retention at the cap: Ok and Failed rows go oldest first, past any number of older Pending rows', async () => {
  await withStore(async (store) => {
    // An outage: the oldest rows wait (Pending), later ones finished as Ok and Failed, interleaved.
    const pending = Array.from({ length: 50 }, () => store.insertLog(logRow({ status: 'Pending' })));
    const finished = Array.from({ length: 8 }, (_, i) => store.insertLog(logRow({ status: i % 3 === 0 ? 'Failed' : 'Ok' })));
    assert.equal(store.pruneLogToCount(57), 1, 'one over the cap: one row goes');
    assert.equal(store.getLog(finished[0]), undefined, 'the oldest finished row (a Failed one) went');
    assert.equal(store.pruneLogToCount(56), 1);
    assert.equal(store.getLog(finished[1]), undefined, 'then the oldest Ok row');
    assert.equal(store.pruneLogToCount(53), 3, 'a burst over the cap: as many rows go');
    assert.deepEqual(store.queryLog({}).map((r) => r.id).reverse(), [...pending, ...finished.slice(5)], 'the three oldest finished rows, of both kinds, went');
    assert.equal(store.pruneLogToCount(0), 3, 'every finished row can go');
    assert.equal(store.pruneLogToCount(0), 0, 'and no Pending row, however far over the cap');
    assert.equal(store.countLog(), 50);
  });
});

test('log retention at the cap, one row over: the oldest finished row goes whether Ok, Failed or Cancelled, never a Pending one', async () => {
  await withStore(async (store) => {
    const pending = store.insertLog(logRow({ status: 'Pending' }));
    const cancelled = store.insertLog(logRow({ status: 'Cancelled' }));
    const failed = store.insertLog(logRow({ status: 'Failed' }));
    const ok = store.insertLog(logRow({ status: 'Ok' }));
    const order: number[] = [];
    for (let cap = 3; cap >= 1; cap--) {
      const before = new Set(store.queryLog({}).map((r) => r.id));
      assert.equal(store.pruneLogToCount(cap), 1, `one over a cap of ${cap}: one row goes`);
      order.push(...[...before].filter((id) => !store.getLog(id)));
    }
    assert.deepEqual(order, [cancelled, failed, ok], 'oldest first, whatever its finished status');
    assert.equal(store.pruneLogToCount(0), 0, 'the Pending row stays');
    assert.ok(store.getLog(pending));
  });
});

test('a failed command kept for its retry goes when its row is pruned, also after prunes that found none, and one undone with a transaction is looked for again', async () => {
  await withStore(async (store) => {
    const finishedRow = (guid: string) => {
      const logId = store.insertLog(logRow({ guid, status: 'Ok' }));
      return logId;
    };
    // At the cap with no failed command at all: prunes find none.
    for (let i = 0; i < 5; i++) finishedRow(`ok-${i}`);
    assert.equal(store.pruneLogToCount(3), 2);
    // Then a command fails: its row Failed, the command kept for a retry.
    const failedRow = store.insertLog(logRow({ guid: 'F' }));
    const failed = store.insertCommand(command({ guid: 'F', logId: failedRow }));
    store.updateCommand(failed, { state: 'failed' });
    store.updateLog(failedRow, { status: 'Failed' });
    assert.equal(store.failedCommandsOf(failedRow).length, 1);
    // Its row goes at the cap: so does the command.
    for (let i = 5; i < 12; i++) finishedRow(`ok-${i}`);
    store.pruneLogToCount(3);
    assert.equal(store.getLog(failedRow), undefined, 'the Failed row was pruned');
    assert.equal(store.getCommand(failed), undefined, 'and took its failed command along');
    // A command stored failed from the start goes with its row too.
    const row2 = store.insertLog(logRow({ guid: 'G', status: 'Failed' }));
    const failed2 = store.insertCommand(command({ guid: 'G', logId: row2, state: 'failed' }));
    for (let i = 12; i < 20; i++) finishedRow(`ok-${i}`);
    store.pruneLogToCount(3);
    assert.equal(store.getCommand(failed2), undefined, 'a command stored failed goes with its row too');
    // One failed inside a transaction that is undone leaves nothing behind; one after it does, and goes.
    assert.throws(() => store.transaction(() => {
      const id = store.insertCommand(command({ guid: 'U' }));
      store.updateCommand(id, { state: 'failed' });
      throw new Error('no');
    }));
    const row3 = store.insertLog(logRow({ guid: 'H', status: 'Failed' }));
    const failed3 = store.insertCommand(command({ guid: 'H', logId: row3, state: 'failed' }));
    for (let i = 20; i < 28; i++) finishedRow(`ok-${i}`);
    store.pruneLogToCount(3);
    assert.equal(store.getCommand(failed3), undefined);
  });
});

test('statistics: counts are seen at once, written with the next commit, kept once across a restart, and undone with a rolled-back transaction', async () => {
  await withStore(async (store, reopen) => {
    store.addStats('2026-11-28', 2, 1);
    store.addStats('2026-11-29', 1, 0);
    store.addStats('2026-11-29', 0, 3);
    assert.deepEqual(store.statsTotals(), { created: 3, updated: 4 }, 'seen before any commit');
    assert.deepEqual(store.statsDays('2026-11-28', '2026-11-29'), [
      { day: '2026-11-28', created: 2, updated: 1 },
      { day: '2026-11-29', created: 1, updated: 3 },
    ]);
    store.addStats('2026-11-29', 1, 0); // added after a read flushed the others
    assert.throws(() => store.transaction(() => {
      store.addStats('2026-11-29', 100, 100);
      assert.equal(store.statsTotals().created, 104, 'inside, the transaction sees its own counts');
      throw new Error('undo');
    }), /undo/);
    assert.deepEqual(store.statsTotals(), { created: 4, updated: 4 }, 'the rolled-back counts are gone, the one before it kept');
    store.resetStatsTotals();
    store.addStats('2026-11-29', 1, 1);
    assert.deepEqual(store.statsTotals(), { created: 1, updated: 1 }, 'a reset clears what came before it, not what came after');
    await store.commit();

    const again = await reopen();
    assert.deepEqual(again.statsTotals(), { created: 1, updated: 1 }, 'kept once');
    assert.deepEqual(again.statsDays('2026-11-29', '2026-11-29'), [{ day: '2026-11-29', created: 3, updated: 4 }]);
  });
});

test('ids: a command and a log row undone by transaction() give their ids back, as AUTOINCREMENT does; after a reopen ids go on past every one given, also past rows removed', async () => {
  await withStore(async (store, reopen) => {
    const c1 = store.insertCommand(command({ guid: 'A' }));
    const l1 = store.insertLog(logRow({ guid: 'A' }));
    assert.throws(() => store.transaction(() => {
      store.insertCommand(command({ guid: 'undone' }));
      store.insertLog(logRow({ guid: 'undone' }));
      throw new Error('no');
    }));
    const c2 = store.insertCommand(command({ guid: 'B' }));
    const l2 = store.insertLog(logRow({ guid: 'B' }));
    assert.deepEqual([c2, l2], [c1 + 1, l1 + 1], 'the undone inserts left no gap');
    store.deleteCommand(c2);
    assert.equal(store.pruneLogToCount(0), 0, 'Pending rows stay');
    store.updateLog(l2, { status: 'Ok' });
    assert.equal(store.pruneLogToCount(1), 1);
    await store.commit();
    const again = await reopen();
    const c3 = again.insertCommand(command({ guid: 'C' }));
    const l3 = again.insertLog(logRow({ guid: 'C' }));
    assert.deepEqual([c3, l3], [c2 + 1, l2 + 1], 'not the ids of the rows removed');
    assert.equal(again.getCommand(c3)?.guid, 'C');
    assert.equal(again.getLog(l3)?.guid, 'C');
  });
});
