// The log reads every attached app makes after an update are answered once: the same
// question from three apps is one query; another question, an answer an update interval
// old, or a change asked meanwhile (cleared by the server) gets a fresh one; a bad
// question is refused as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedReads } from '../../source/control/shared-reads.js';
import type { EngineApi } from '../../source/core/engine-api.js';
import type { LogQuery } from '../../source/core/ports.js';

function fakeEngine() {
  const asked: string[] = [];
  let rows = 3;
  const engine = {
    queryLog: (query: LogQuery) => {
      asked.push(`query ${JSON.stringify(query)}`);
      return Array.from({ length: Math.min(rows, query.limit ?? 50) }, (_, i) => ({ id: rows - i }));
    },
    countLog: (query: object) => {
      asked.push(`count ${JSON.stringify(query)}`);
      return rows;
    },
  } as unknown as EngineApi;
  return { engine, asked, add: () => (rows += 1) };
}

test('three apps asking the same rows and count after an update: one query each, the same answer', () => {
  const { engine, asked } = fakeEngine();
  let now = 1000;
  const reads = new SharedReads(engine, 50, () => now);
  const answers = [0, 1, 2].map(() => [reads.answer('queryLog', { offset: 0, limit: 26 }), reads.answer('countLog', {})]);
  assert.deepEqual(answers[1], answers[0]);
  assert.deepEqual(answers[2], answers[0]);
  assert.deepEqual(JSON.parse(answers[0][0].toString()), [{ id: 3 }, { id: 2 }, { id: 1 }]);
  assert.equal(answers[0][1].toString(), '3');
  assert.equal(asked.length, 2);
  // Another window or filter is its own question.
  reads.answer('queryLog', { offset: 26, limit: 26 });
  reads.answer('countLog', { status: 'Failed' });
  assert.equal(asked.length, 4);
  now += 10;
  reads.answer('countLog', {});
  assert.equal(asked.length, 4, 'still within the interval');
});

test('a shared answer is never older than the interval, nor kept past a clear', () => {
  const { engine, asked, add } = fakeEngine();
  let now = 1000;
  const reads = new SharedReads(engine, 50, () => now);
  assert.equal(reads.answer('countLog', {}).toString(), '3');
  add();
  now += 50;
  assert.equal(reads.answer('countLog', {}).toString(), '4', 'an interval later, asked afresh');
  add();
  reads.clear();
  assert.equal(reads.answer('countLog', {}).toString(), '5', 'after a clear (an update went out, or a change was asked), asked afresh');
  assert.equal(asked.length, 3);
});

test('only the log reads are shared; only requests that change nothing keep the answers', () => {
  const { engine } = fakeEngine();
  const reads = new SharedReads(engine, 50);
  assert.equal(reads.shares('queryLog'), true);
  assert.equal(reads.shares('countLog'), true);
  for (const method of ['getLogRow', 'submitLine', 'execute', 'status']) assert.equal(reads.shares(method), false, method);
  for (const method of ['queryLog', 'countLog', 'getLogRow', 'engineStatus']) assert.equal(reads.keeps(method), true, method);
  for (const method of ['submitLine', 'execute', 'retryRow', 'cancelRow', 'resetStats', 'saveConfig', 'whenIdle', 'checkConnection']) {
    assert.equal(reads.keeps(method), false, method);
  }
});

test('a bad question is refused as the method refuses it, and nothing is kept for it', () => {
  const { engine, asked } = fakeEngine();
  const reads = new SharedReads(engine, 50);
  assert.throws(() => reads.answer('queryLog', { limit: -1 }), /limit: expected a whole number/);
  assert.throws(() => reads.answer('countLog', { status: 'Nope' }), /status is Pending, Ok, Failed or Cancelled/);
  assert.throws(() => reads.answer('countLog', [1]), /expected an object/);
  assert.equal(asked.length, 0);
});
