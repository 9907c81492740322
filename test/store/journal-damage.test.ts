// A damaged journal never loses verified records silently: damage costs only the records it
// hits, the reading resynchronises at the next record that verifies, the damaged file is kept
// aside, and the start names what it could not recover. A torn last record stays the silent,
// normal case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, openStoreSnapshot } from '../../source/store/index.js';
import { journalFileFor, journalHeaderBytes, legacyJournalHeader, legacyJournalRecord, OpsCoder, recordHeadBytes } from '../../source/store/journal.js';
import { parseJournal } from '../../source/store/journal-read.js';
import { loadCommitted } from '../../source/store/load.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { command, logRow } from './rows.js';

interface Built {
  dir: TempDir;
  db: Buffer;
  journal: Buffer;
  generation: number;
  /** Each record's byte range and the GUID of the line it accepted. */
  records: Array<{ at: number; end: number; guid: string; commandId: number }>;
}

/**
 * A journal as the engine leaves one: each commit accepts a line (log row + command) and
 * moves the previous command on (an update by id), as a crash (kill -9) would leave it.
 */
async function buildJournal(n: number): Promise<Built> {
  const dir = await makeTempDir();
  const store = await openStore({ dir: dir.dir });
  const ids: number[] = [];
  try {
    for (let i = 0; i < n; i += 1) {
      const guid = `alarm-${i}`;
      const logId = store.insertLog(logRow({ guid }));
      ids.push(store.insertCommand(command({ guid, line: `${guid}|CREATE|summary;disk ${i} full|`, logId })));
      if (i > 0) store.updateCommand(ids[i - 1], { state: 'inflight', attempts: 1 });
      await store.commit();
    }
    const db = await readFile(store.file);
    const journal = await readFile(journalFileFor(store.file));
    const records: Built['records'] = [];
    for (let at = journalHeaderBytes, i = 0; at < journal.length; i += 1) {
      const end = at + recordHeadBytes + journal.readUInt32BE(at + 12);
      records.push({ at, end, guid: `alarm-${i}`, commandId: ids[i] });
      at = end;
    }
    assert.equal(records.length, n, 'one record per commit');
    return { dir, db, journal, generation: journal.readUInt32BE(4), records };
  } finally {
    // A crash: the files as they are, never closed (close would write a snapshot).
    (store as unknown as { closed: boolean }).closed = true;
    await (store as unknown as { durability: { close(): Promise<void> } }).durability.close();
    await (store as unknown as { lock: { release(): Promise<void> } }).lock.release();
  }
}

function damaged(bytes: Buffer, offset: number, xor: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] ^= xor;
  return copy;
}

/** The command rows by GUID in a crash copy with this journal, as a start would load them. */
async function loadWith(built: Built, journal: Buffer) {
  const copy = await makeTempDir();
  try {
    await writeFile(join(copy.dir, 'jiraline.db'), built.db);
    await writeFile(join(copy.dir, 'jiraline.journal'), journal);
    const loaded = await loadCommitted(join(copy.dir, 'jiraline.db'));
    const rows = loaded.db.all('SELECT id, guid, state FROM commands');
    loaded.db.close();
    return { rows: new Map(rows.map((r) => [String(r.guid), { id: Number(r.id), state: String(r.state) }])), recovery: loaded.recovery };
  } finally {
    await copy.cleanup();
  }
}

test('one damaged byte anywhere in the header or the first records: every other record is read, and each lost one is named', async () => {
  const built = await buildJournal(6);
  try {
    const firstRecords = built.records[2].end;
    for (let offset = 0; offset < firstRecords; offset += 1) {
      const contents = parseJournal(damaged(built.journal, offset, 0x5a), built.generation);
      const read = new Set(contents.commits.map((c) => c.at));
      const hit = built.records.find((r) => offset >= r.at && offset < r.end);
      assert.ok(contents.matches, `offset ${offset}: the journal still belongs to its snapshot`);
      assert.ok(contents.damaged.length > 0, `offset ${offset}: the damage is reported, not taken for a torn tail`);
      assert.equal(contents.tornTail, false, `offset ${offset}`);
      for (const record of built.records) {
        if (record === hit) continue;
        assert.ok(read.has(record.at), `offset ${offset}: the verified record at ${record.at} is read`);
      }
      if (hit) {
        assert.ok(!read.has(hit.at), `offset ${offset}: the damaged record is not applied`);
        assert.equal(contents.lostRecords, 1, `offset ${offset}: exactly one record is lost`);
        // The GUID is spelled twice (the command's guid, the start of its line): one bad byte leaves one.
        assert.ok(contents.lostGuids.includes(hit.guid), `offset ${offset}: the lost GUID is named (${contents.lostGuids.join(', ')})`);
      } else {
        assert.equal(contents.lostRecords, 0, `offset ${offset}: a damaged header costs no record`);
        assert.equal(contents.commits.length, built.records.length);
      }
    }
  } finally {
    await built.dir.cleanup();
  }
});

test('property: after damage to the first records, a start keeps every verified commit (ids in step) and names what it lost', async () => {
  const built = await buildJournal(5);
  try {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: built.records[2].end - 1 }),
      fc.integer({ min: 1, max: 255 }),
      async (offset, xor) => {
        const { rows, recovery } = await loadWith(built, damaged(built.journal, offset, xor));
        assert.ok(recovery !== null, 'the start reports the damage');
        const hit = built.records.find((r) => offset >= r.at && offset < r.end);
        if (!hit) assert.equal(recovery.lost, 0, 'a damaged header costs nothing');
        for (const [i, record] of built.records.entries()) {
          if (record === hit) {
            assert.ok(!rows.has(record.guid), 'the damaged record is not applied');
            assert.equal(recovery.lost, 1);
            assert.ok(recovery.lostGuids.includes(record.guid), `${record.guid} is named (${recovery.lostGuids.join(', ')})`);
            continue;
          }
          const row = rows.get(record.guid);
          assert.equal(row?.id, record.commandId, `${record.guid} is back with its own id`);
          // The next commit moved it on; that update, if read, hit this command and no other.
          const movedOn = i + 1 < built.records.length && built.records[i + 1] !== hit;
          assert.equal(row?.state, movedOn ? 'inflight' : 'queued', `${record.guid}'s state`);
        }
        assert.equal(rows.size, built.records.length - (hit ? 1 : 0), 'nothing else appeared or went');
      },
    ), { numRuns: 60 });
  } finally {
    await built.dir.cleanup();
  }
});

test('a damaged magic that reads as the older format ("JLJ2" → "JLJ1") is damage to the header, not an empty old journal', async () => {
  const built = await buildJournal(5);
  try {
    // Byte 3 is the format's digit: '2' xor 3 is '1'. Found by the property above (seed 418641062).
    const { rows, recovery } = await loadWith(built, damaged(built.journal, 3, 3));
    assert.ok(recovery !== null, 'the start reports the damage');
    assert.equal(recovery.lost, 0, 'a damaged header costs nothing');
    assert.deepEqual([...rows.keys()].sort(), built.records.map((r) => r.guid).sort(), 'every command is back');
  } finally {
    await built.dir.cleanup();
  }
});

test('the start after damage at byte 16 or byte 4: the other commands are there, the damaged journal is kept aside, said once', async () => {
  const built = await buildJournal(4);
  try {
    for (const offset of [4, 16]) {
      const copy = await makeTempDir();
      try {
        const journal = damaged(built.journal, offset, 0x01);
        await writeFile(join(copy.dir, 'jiraline.db'), built.db);
        await writeFile(join(copy.dir, 'jiraline.journal'), journal);
        const store = await openStore({ dir: copy.dir });
        let keptAs: string | null = null;
        try {
          const recovery = store.journalRecovery;
          assert.ok(recovery, `offset ${offset}: reported`);
          keptAs = recovery.keptAs;
          const guids = store.openCommands().map((c) => c.guid);
          if (offset === 16) {
            assert.deepEqual(guids, ['alarm-1', 'alarm-2', 'alarm-3']);
            assert.deepEqual(recovery.lostGuids, ['alarm-0']);
            assert.equal(recovery.lost, 1);
          } else {
            assert.deepEqual(guids, ['alarm-0', 'alarm-1', 'alarm-2', 'alarm-3'], 'a damaged header costs nothing');
            assert.equal(recovery.lost, 0);
          }
          assert.equal(recovery.recovered, offset === 16 ? 3 : 4);
          assert.ok(keptAs && keptAs.startsWith(join(copy.dir, 'jiraline.journal.damaged-')), String(keptAs));
          assert.deepEqual(await readFile(keptAs), journal, 'the damaged journal is kept byte for byte');
        } finally {
          await store.close();
        }
        // What was recovered is in the file now; the next start has nothing to say.
        const again = await openStore({ dir: copy.dir });
        try {
          assert.equal(again.journalRecovery, null);
          assert.equal(again.openCommands().length, offset === 16 ? 3 : 4);
        } finally {
          await again.close();
        }
        assert.ok((await readdir(copy.dir)).some((name) => keptAs?.endsWith(name)), 'the kept copy stays');
      } finally {
        await copy.cleanup();
      }
    }
  } finally {
    await built.dir.cleanup();
  }
});

test('a torn last record is silent; a whole last record that does not verify is damage, named', async () => {
  const built = await buildJournal(3);
  try {
    const last = built.records[2];
    for (const cut of [last.at + 3, last.at + recordHeadBytes + 5, last.end - 1]) {
      const { rows, recovery } = await loadWith(built, built.journal.subarray(0, cut));
      assert.equal(recovery, null, `cut at ${cut}: an unfinished append is not damage`);
      assert.deepEqual([...rows.keys()].sort(), ['alarm-0', 'alarm-1']);
    }
    const zeros = Buffer.concat([built.journal.subarray(0, last.at), Buffer.alloc(300)]);
    assert.equal((await loadWith(built, zeros)).recovery, null, 'a tail of zeros (the size grew before the data) is torn');
    const { recovery } = await loadWith(built, damaged(built.journal, last.end - 10, 0x20));
    assert.ok(recovery, 'a complete last record with a bad checksum is reported');
    assert.deepEqual(recovery.lostGuids, ['alarm-2']);
  } finally {
    await built.dir.cleanup();
  }
});

test('a journal of the older format (JLJ1) still replays; damage in it names the GUIDs after it instead of dropping them silently', async () => {
  const built = await buildJournal(1);
  try {
    // Three JLJ1 records after the same snapshot, statement numbers running across them.
    const coder = new OpsCoder(true);
    const insert = 'INSERT INTO commands (type, kind, guid, line, payload, state, attempts, next_attempt_at, accepted_at, first_sent_at, log_id, throttle_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id';
    const records = ['old-a', 'old-b', 'old-c'].map((guid) => legacyJournalRecord(coder.encode([[insert, ['Automatic', 'create', guid, `${guid}|CREATE|`, null, 'queued', 0, 1, 1, null, null, 0]]])));
    const legacy = Buffer.concat([legacyJournalHeader(built.generation), ...records]);
    const whole = await loadWith(built, legacy);
    assert.equal(whole.recovery, null);
    assert.ok(['old-a', 'old-b', 'old-c'].every((g) => whole.rows.has(g)));
    // The first record's length (byte 16) damaged: this used to read as a torn tail, silently.
    const broken = await loadWith(built, damaged(legacy, 16, 0x01));
    assert.ok(broken.recovery, 'reported');
    assert.deepEqual(broken.recovery.lostGuids, ['old-a', 'old-b', 'old-c']);
    assert.equal(broken.recovery.lost, 3);
    // The generation (byte 4) damaged: nothing is applied to the wrong snapshot, and all is named.
    const foreign = await loadWith(built, damaged(legacy, 4, 0x10));
    assert.ok(foreign.recovery?.unusable);
    assert.deepEqual(foreign.recovery.lostGuids, ['old-a', 'old-b', 'old-c']);
  } finally {
    await built.dir.cleanup();
  }
});

test('the lock-free reader (jiraline log) reads a damaged journal the same way and leaves it as it is', async () => {
  const built = await buildJournal(3);
  try {
    const copy = await makeTempDir();
    try {
      const journal = damaged(built.journal, built.records[0].at + 30, 0x44);
      await writeFile(join(copy.dir, 'jiraline.db'), built.db);
      await writeFile(join(copy.dir, 'jiraline.journal'), journal);
      const reader = await openStoreSnapshot(copy.dir);
      try {
        assert.deepEqual(reader.queryLog({}).map((r) => r.guid).sort(), ['alarm-1', 'alarm-2']);
        assert.deepEqual(reader.journalRecovery?.lostGuids, ['alarm-0'], 'the reader can say what it could not read');
        assert.equal(reader.journalRecovery?.keptAs, null, 'and copies nothing');
      } finally {
        reader.close();
      }
      assert.deepEqual(await readFile(join(copy.dir, 'jiraline.journal')), journal);
      assert.deepEqual((await readdir(copy.dir)).sort(), ['jiraline.db', 'jiraline.journal']);
    } finally {
      await copy.cleanup();
    }
  } finally {
    await built.dir.cleanup();
  }
});
