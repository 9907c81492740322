// A slow Jira, as the simulator plays it: a write made at once but answered late
// (lateWriteMs), a write made only once the client gave up (writeAfterTimeoutRate), and
// comments' entity properties kept, read back with expand=properties, or dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatorOptions } from '../../source/simulator/run-simulator.js';
import { startSimulator } from '../../source/simulator/index.js';
import { call, createBody } from './sim-client.js';
import { waitUntil } from '../helpers/wait-until.js';


test('lateWriteMs: the write is made at once, the answer comes after it; reads are not delayed', async (t) => {
  const sim = await startSimulator({ auth: null, faults: { lateWriteMs: 1500 } });
  t.after(() => sim.close());
  let answered = false;
  const pending = call(sim.url, 'POST', '/rest/api/2/issue', createBody()).then((r) => {
    answered = true;
    return r;
  });
  await waitUntil(() => sim.issues().length === 1, 'the issue is made');
  assert.equal(answered, false, 'the issue exists while its answer is still on its way');
  const read = await call(sim.url, 'GET', `/rest/api/2/issue/${sim.issues()[0].key}`);
  assert.equal(read.status, 200);
  assert.equal(answered, false, 'a read is answered at once, before the late write');
  const res = await pending;
  assert.equal(res.status, 201);
  assert.equal(res.body.key, sim.issues()[0].key);
});

test('writeAfterTimeoutRate: the write is made only once the client gave up; searches are served', async (t) => {
  const sim = await startSimulator({ auth: null, faults: { writeAfterTimeoutRate: 1 } });
  t.after(() => sim.close());
  const search = await call(sim.url, 'POST', '/rest/api/2/search', { jql: 'project = OPS' });
  assert.equal(search.status, 200, 'a search by POST is not a write');
  const abort = new AbortController();
  const pending = fetch(`${sim.url}/rest/api/2/issue`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(createBody()), signal: abort.signal }).catch((e: Error) => e);
  // The simulator says it holds the write: from then on it is made only when the client gives up.
  await waitUntil(() => sim.heldWrites() === 1, 'the simulator to hold the create');
  assert.equal(sim.requestCount(), 2);
  assert.equal(sim.issues().length, 0, 'not made while the client waits');
  abort.abort(); // the client's timeout
  assert.ok((await pending) instanceof Error);
  await waitUntil(() => sim.issues().length === 1, 'made after the client gave up');
  assert.deepEqual(sim.lateWrites(), [{ endpoint: 'POST /issue', status: 201, id: sim.issues()[0].id }], 'and told as made late');
});

test('comment properties are kept and read back with expand=properties, newest first and paged; dropCommentProperties drops them', async (t) => {
  const sim = await startSimulator({ auth: null });
  t.after(() => sim.close());
  const { body: made } = await call(sim.url, 'POST', '/rest/api/2/issue', createBody());
  const marker = { key: 'jiraline', value: { command: 'c1', step: 0 } };
  assert.equal((await call(sim.url, 'POST', `/rest/api/2/issue/${made.key}/comment`, { body: 'first', properties: [marker] })).status, 201);
  sim.setFaults({ dropCommentProperties: true });
  assert.equal((await call(sim.url, 'POST', `/rest/api/2/issue/${made.key}/comment`, { body: 'second', properties: [marker] })).status, 201);
  const bad = await call(sim.url, 'POST', `/rest/api/2/issue/${made.key}/comment`, { body: 'x', properties: { key: 'k' } });
  assert.equal(bad.status, 400);
  const page1 = await call(sim.url, 'GET', `/rest/api/2/issue/${made.key}/comment?orderBy=-created&maxResults=1&expand=properties`);
  assert.equal(page1.body.total, 2);
  assert.deepEqual(page1.body.comments.map((c: { body: string; properties: unknown }) => [c.body, c.properties]), [['second', []]]);
  const page2 = await call(sim.url, 'GET', `/rest/api/2/issue/${made.key}/comment?orderBy=-created&startAt=1&maxResults=1&expand=properties`);
  assert.deepEqual(page2.body.comments.map((c: { body: string; properties: unknown }) => [c.body, c.properties]), [['first', [marker]]]);
  const plain = await call(sim.url, 'GET', `/rest/api/2/issue/${made.key}/comment`);
  assert.equal('properties' in plain.body.comments[0], false, 'only when asked for');
  assert.equal(plain.body.comments[0].author.name, 'ops-bot');
});

test('jiraline simulator takes the slow-Jira flags', () => {
  assert.deepEqual(simulatorOptions(['--late-write-ms', '300', '--write-after-timeout-rate', '0.2', '--drop-comment-properties']),
    { host: '127.0.0.1', port: 8080, mode: 'datacenter', auth: null, faults: { lateWriteMs: 300, writeAfterTimeoutRate: 0.2, dropCommentProperties: true } });
  assert.throws(() => simulatorOptions(['--write-after-timeout-rate', '1.5']), /--write-after-timeout-rate/);
});
