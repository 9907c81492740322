// Answers written together (insertResponses, the Responses recorder's batches): the ids an
// insert of each would have given, in order, never one used before (also after a prune took
// every row), and the same rows with the same ids after a crash replays the journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '../../source/store/index.js';
import { journalFileFor } from '../../source/store/journal.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { ResponseRow } from '../../source/core/ports.js';

const answer = (i: number): Omit<ResponseRow, 'id'> => ({
  time: 1_000 + i, method: 'POST', path: '/rest/api/2/issue', status: 201, durationMs: i % 7, body: `{"key":"OPS-${i}"}`,
  guid: i % 2 === 0 ? `g-${i}` : null, logId: i % 2 === 0 ? i : null,
});


/** A crash: the store's files copied as they are into `dir` (the database and its journal), opened there. */
async function openAfterCrash(store: Store, dir: string, jira?: string): Promise<Store> {
  await copyFile(store.file, join(dir, 'jiraline.db'));
  await copyFile(journalFileFor(store.file), join(dir, 'jiraline.journal'));
  return openStore({ dir, ...(jira ? { jira } : {}) });
}

test('answers written together get the ids one insert each would, in order, and a crash replays them with those ids', async () => {
  const temp = await makeTempDir();
  const copy = await makeTempDir();
  const store = await openStore({ dir: temp.dir });
  try {
    const first = store.insertResponse(answer(0));
    // More than one statement's worth, so the batch is split.
    store.insertResponses(Array.from({ length: 150 }, (_, i) => answer(i + 1)));
    const after = store.insertResponse(answer(151));
    assert.equal(after, first + 151, 'the batch took the 150 ids after the first, and the next insert goes on from there');
    const rows = store.queryResponses({}).reverse();
    assert.deepEqual(rows.map((r) => r.id), Array.from({ length: 152 }, (_, i) => first + i));
    assert.deepEqual(rows.map((r) => r.body), Array.from({ length: 152 }, (_, i) => `{"key":"OPS-${i}"}`), 'in the order given');
    assert.equal(rows[2].guid, 'g-2');
    assert.equal(rows[2].logId, 2);
    assert.equal(rows[3].guid, null);

    // Ids are never used twice: not after every row was pruned either.
    assert.equal(store.pruneResponses(0), 152);
    store.insertResponses([answer(200), answer(201)]);
    assert.deepEqual(store.queryResponses({}).map((r) => r.id), [after + 2, after + 1]);
    await store.commit();

    // A crash: the files as they are; the journal brings the same rows back, ids and all.
    const restarted = await openAfterCrash(store, copy.dir);
    try {
      assert.deepEqual(restarted.queryResponses({}), store.queryResponses({}));
      assert.equal(restarted.insertResponse(answer(202)), after + 3);
    } finally {
      await restarted.close();
    }
  } finally {
    await store.close();
    await copy.cleanup();
    await temp.cleanup();
  }
});

test('answers written together keep the Jira each is marked with, the store\'s own when unmarked, in order, also after a crash', async () => {
  const temp = await makeTempDir();
  const copy = await makeTempDir();
  const store = await openStore({ dir: temp.dir, jira: 'https://a.example' });
  try {
    // One slice all the store's Jira (its Jira bound once for the statement), one with another Jira among them.
    store.insertResponses(Array.from({ length: 70 }, (_, i) => answer(i)));
    store.insertResponses(Array.from({ length: 5 }, (_, i) => ({ ...answer(70 + i), ...(i === 2 ? { jira: 'https://b.example' } : {}) })));
    await store.commit();
    const rows = store.queryResponses({}).reverse();
    assert.deepEqual(rows.map((r) => r.body), Array.from({ length: 75 }, (_, i) => `{"key":"OPS-${i}"}`));
    assert.deepEqual(rows.map((r) => r.jira), Array.from({ length: 75 }, (_, i) => (i === 72 ? 'https://b.example' : 'https://a.example')));
    assert.deepEqual(rows.map((r) => r.id), Array.from({ length: 75 }, (_, i) => rows[0].id + i), 'ids in order');
    const restarted = await openAfterCrash(store, copy.dir, 'https://a.example');
    try {
      assert.deepEqual(restarted.queryResponses({}), store.queryResponses({}));
    } finally {
      await restarted.close();
    }
  } finally {
    await store.close();
    await copy.cleanup();
    await temp.cleanup();
  }
});
