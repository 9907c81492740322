// The alarms table keeps its hot-path writes (a line accepted, a ticket's copy, the settle
// that follows) in memory until the next read or commit. What a reader sees, what a commit
// holds after a crash, and what an undone transaction leaves must be as if each was written
// at once, in order, for every GUID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '../../source/store/index.js';
import { journalFileFor } from '../../source/store/journal.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const jira = 'https://a.example.test';
const ticket = (guid: string, key: string) => ({ guid, ticketId: key.replace(/\D/g, ''), ticketKey: key, ticketUrl: `${jira}/browse/${key}` });

/** Lines, tickets and settles of many GUIDs, interleaved the way a burst of lines and their answers are. */
function work(store: Store): void {
  links(store);
  for (let i = 0; i < 150; i++) store.noteAlarmLine(`g-${i}`, 'Create', 1_000 + i);
  for (let i = 0; i < 150; i += 2) store.noteAlarmLine(`g-${i}`, 'Update', 2_000 + i); // a second line: 2 lines
  for (let i = 0; i < 150; i++) {
    store.setTicket(ticket(`g-${i}`, `OPS-${i + 1}`));
    if (i % 3 !== 0) store.settleAlarm(`g-${i}`, i % 5 === 0 ? 'failed' : 'ok');
  }
  // Lines of GUIDs new to the table, the last thing before the commit.
  for (let i = 0; i < 100; i++) store.noteAlarmLine(`n-${i}`, 'Create', 5_000 + i);
}

function links(store: Store): void {
  // Linked to a resolved ticket, then the same ticket again: still resolved; then another: status cleared, open.
  store.ensureAlarm('r-1', 'Link', 3_000);
  store.setTicket(ticket('r-1', 'OPS-900'));
  store.updateAlarm('r-1', { ticketStatus: 'Done', ticketResolved: true, state: 'resolved' });
  store.noteAlarmLine('r-1', 'Update', 3_001);
  store.setTicket(ticket('r-1', 'OPS-900'));
  store.settleAlarm('r-1', 'ok');
  store.noteAlarmLine('r-2', 'Create', 3_002);
  store.setTicket(ticket('r-2', 'OPS-901'));
  store.settleAlarm('r-2', 'ok');
  store.updateAlarm('r-2', { ticketStatus: 'Done', ticketResolved: true, state: 'resolved' });
  store.noteAlarmLine('r-2', 'Update', 3_003);
  store.setTicket(ticket('r-2', 'OPS-902'));
  store.setTicket(ticket('r-2', 'OPS-901'));
  store.settleAlarm('r-2', 'ok');
  // Settled again with no new ticket copy: a resolved ticket keeps the alarm resolved; a failure fails it.
  store.noteAlarmLine('r-3', 'Create', 3_004);
  store.setTicket(ticket('r-3', 'OPS-903'));
  store.settleAlarm('r-3', 'ok');
  store.updateAlarm('r-3', { ticketStatus: 'Done', ticketResolved: true, state: 'resolved' });
  store.noteAlarmLine('r-3', 'Update', 3_005);
  store.settleAlarm('r-3', 'ok');
  store.noteAlarmLine('r-4', 'Create', 3_006);
  store.setTicket(ticket('r-4', 'OPS-904'));
  store.settleAlarm('r-4', 'ok');
  store.noteAlarmLine('r-4', 'Update', 3_007);
  store.settleAlarm('r-4', 'failed');
}

function check(store: Store): void {
  const { rows, total } = store.queryAlarms({});
  assert.equal(total, 254);
  for (let i = 0; i < 100; i++) {
    const row = rows.find((r) => r.guid === `n-${i}`);
    assert.equal(row?.state, 'pending', `n-${i} is there, pending`);
    assert.equal(row?.lines, 1);
  }
  for (let i = 0; i < 150; i++) {
    const row = rows.find((r) => r.guid === `g-${i}`);
    assert.ok(row, `g-${i} is there`);
    assert.equal(row.lines, i % 2 === 0 ? 2 : 1, `g-${i}: every line counted`);
    assert.equal(row.firstSeen, 1_000 + i);
    assert.equal(row.lastSeen, i % 2 === 0 ? 2_000 + i : 1_000 + i);
    assert.equal(row.lastAction, i % 2 === 0 ? 'Update' : 'Create');
    assert.equal(row.ticketKey, `OPS-${i + 1}`, `g-${i}: its ticket`);
    const state = i % 3 === 0 ? 'pending' : i % 5 === 0 ? 'failed' : 'open';
    assert.equal(row.state, state, `g-${i}: settled as told`);
  }
  const r1 = store.getAlarm('r-1');
  assert.equal(r1?.ticketStatus, 'Done', 'the same ticket keeps its status');
  assert.equal(r1?.state, 'resolved', 'and settles resolved');
  assert.equal(r1?.lines, 1);
  const r2 = store.getAlarm('r-2');
  assert.equal(r2?.ticketKey, 'OPS-901');
  assert.equal(r2?.ticketStatus, null, 'a ticket changed in between: its status is no longer known');
  assert.equal(r2?.state, 'open');
  const r3 = store.getAlarm('r-3');
  assert.equal(r3?.ticketKey, 'OPS-903');
  assert.equal(r3?.ticketStatus, 'Done', 'no new copy: the status stays');
  assert.equal(r3?.state, 'resolved');
  const r4 = store.getAlarm('r-4');
  assert.equal(r4?.ticketKey, 'OPS-904');
  assert.equal(r4?.state, 'failed');
}

test('alarms read back as written, in each GUID\'s order, before and after a crash replays the last commit', async () => {
  const temp = await makeTempDir();
  const copy = await makeTempDir();
  try {
    const store = await openStore({ dir: temp.dir, jira });
    work(store);
    await store.commit();
    // A crash: the files as the commit left them (nothing read the table before it).
    await copyFile(store.file, join(copy.dir, 'jiraline.db'));
    await copyFile(journalFileFor(store.file), join(copy.dir, 'jiraline.journal'));
    check(store);
    await store.close();
    const restarted = await openStore({ dir: copy.dir, jira });
    check(restarted);
    await restarted.close();
  } finally {
    await temp.cleanup();
    await copy.cleanup();
  }
});

test('an undone transaction leaves no alarm change behind, and keeps those from before it', async () => {
  const temp = await makeTempDir();
  try {
    const store = await openStore({ dir: temp.dir, jira });
    store.noteAlarmLine('before', 'Create', 1_000);
    store.setTicket(ticket('before', 'OPS-1'));
    assert.throws(() => store.transaction(() => {
      store.settleAlarm('before', 'ok');
      store.setTicket(ticket('inside-2', 'OPS-2'));
      store.noteAlarmLine('inside', 'Create', 2_000);
      throw new Error('undo');
    }), /undo/);
    await store.commit();
    assert.equal(store.getAlarm('inside'), undefined, 'the line inside is undone');
    const before = store.getAlarm('before');
    assert.equal(before?.ticketKey, 'OPS-1', 'the ticket copy from before stays');
    assert.equal(before?.state, 'pending', 'the settle inside is undone');
    assert.equal(store.queryAlarms({}).total, 1);
    await store.close();
  } finally {
    await temp.cleanup();
  }
});
