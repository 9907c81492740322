// Jira's answers recorded for the Responses view, through the real client against the
// simulator: each answer filed under its GUID and log row, the body cut to 2 KB, no secret
// in it even when Jira echoes the credentials back, the table bounded by responses.maxEntries.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';
import { startSimulator, type Simulator, type SimulatorFaults } from '../../source/simulator/index.js';
import type { Credentials, JiraResponse, Secret } from '../../source/core/ports.js';
import { RESPONSE_FLUSH_MS, RESPONSE_SLICE_ROWS } from '../../source/core/engine-responses.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeJira } from '../helpers/fake-jira.js';
import { waitUntil } from '../helpers/wait-until.js';
import { runResponses } from '../../source/daemon/responses-command.js';
import { captureIo } from '../daemon/helpers/capture-io.js';
import { harness, type ConfigOverrides } from './engine-harness.js';

const PASSWORD = 'Resp0nse-s3cret-pw';
const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const basic: Credentials = { method: 'basic', username: 'ops-bot', password: secret(PASSWORD) };
const basicHeader = Buffer.from(`ops-bot:${PASSWORD}`).toString('base64');

async function simulated(t: TestContext, faults: SimulatorFaults = {}): Promise<{ sim: Simulator; client: JiraClient }> {
  const sim = await startSimulator({ mode: 'datacenter', auth: { user: 'ops-bot', password: PASSWORD }, faults });
  const client = createJiraClient({ baseUrl: sim.url, credentials: basic, timeoutMs: 5000, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

const config = (extra: ConfigOverrides = {}): ConfigOverrides => ({
  template: [{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'issuetype', value: 'Incident', mode: 'Include' }],
  ...extra,
});

test('every answer is recorded with method, path, status and duration, filed under its GUID and log row', async (t) => {
  const { client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: config() });
  await h.send('RESP-1|CREATE|summary;disk full|');
  await h.engine.whenIdle();
  await h.send('RESP-1|UPDATE|comment;cleaned|');
  await h.engine.whenIdle();
  const [update, create] = h.store.queryLog({ guid: 'RESP-1' });
  assert.equal(update.status, 'Ok');

  const ofCreate = await h.engine.responses({ logId: create.id });
  const post = ofCreate.find((r) => r.method === 'POST' && /\/issue$/.test(r.path));
  assert.ok(post, `the create's answer among ${JSON.stringify(ofCreate.map((r) => `${r.method} ${r.path}`))}`);
  assert.equal(post.status, 201);
  assert.equal(post.guid, 'RESP-1');
  assert.ok(post.durationMs >= 0);
  assert.match(post.body, new RegExp(create.ticketKey ?? 'no key'));
  const ofUpdate = await h.engine.responses({ logId: update.id });
  assert.ok(ofUpdate.length >= 1 && ofUpdate.every((r) => r.logId === update.id && r.guid === 'RESP-1'));
  assert.ok(ofUpdate.some((r) => r.method === 'POST' || r.method === 'PUT'));
  const all = await h.engine.responses({});
  assert.ok(all.some((r) => r.path.includes('serverInfo') && r.guid === null), 'answers made for no command are kept too');
  assert.ok((await h.engine.responses({ guid: 'RESP-1' })).length >= ofCreate.length + ofUpdate.length);
});

test('a body that echoes the credentials is recorded without them, cut to 2 KB; `jiraline responses` shows it as one line', async (t) => {
  const { client } = await simulated(t, { hostile: { mode: 'echo-credentials', createsOnly: true } });
  const h = await harness(t, { port: client, catalogue: false, config: config() });
  await h.send('ECHO-1|CREATE|summary;x|');
  await h.engine.whenIdle();
  const [row] = h.store.queryLog({ guid: 'ECHO-1' });
  assert.equal(row.status, 'Failed');
  const answers = await h.engine.responses({ logId: row.id });
  assert.ok(answers.length >= 1);
  for (const answer of answers) {
    assert.equal(answer.status, 400);
    assert.ok(!answer.body.includes(PASSWORD), 'the password never recorded');
    assert.ok(!answer.body.includes(basicHeader), 'nor the Basic header');
    assert.ok(!answer.body.includes(PASSWORD.slice(0, 6)), 'nor the start of it');
    assert.match(answer.body, /\*\*\*\*/);
    assert.ok(Buffer.byteLength(answer.body) <= 2048 + 40, `at most 2 KB and a note, got ${Buffer.byteLength(answer.body)}`);
  }
  await h.store.commit();
  const io = captureIo({ JIRALINE_DATA_DIR: h.temp.dir });
  assert.equal(await runResponses(['--json', '--guid', 'ECHO-1'], io.io), 0);
  const printed = io.out();
  assert.ok(printed.length > 0);
  assert.ok(!printed.includes(PASSWORD));
  const table = captureIo({ JIRALINE_DATA_DIR: h.temp.dir });
  assert.equal(await runResponses(['--limit', '5'], table.io), 0);
  assert.ok(!table.out().includes(PASSWORD));
  assert.match(table.out(), /^Time\s+Method\s+Path\s+Status/);
  assert.equal(table.out().trimEnd().split('\n').length, 1 + Math.min(5, h.store.countResponses()), 'one line per answer');
});

test('the table keeps the newest responses.maxEntries', async (t) => {
  const { client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: config() });
  h.engine.setConfig({ ...h.config, responses: { maxEntries: 3 } });
  for (let i = 0; i < 4; i++) await h.send(`MAX-${i}|CREATE|summary;s|`);
  await h.engine.whenIdle();
  const kept = await h.engine.responses({});
  assert.equal(kept.length, 3);
  assert.equal(h.store.countResponses(), 3);
  assert.ok(kept.some((r) => r.guid === 'MAX-3'), 'the newest stay');
});

test("a second's answers are written a slice per turn, so the lines arriving meanwhile are not held up; all of them get written", async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const heard: { listener: ((response: JiraResponse) => void) | null } = { listener: null };
  Object.assign(jira, { observeResponses: (listener: (response: JiraResponse) => void) => (heard.listener = listener) });
  const h = await harness(t, { jira, clock, catalogue: false, config: config() });
  // The inserts of one turn run without a break: a microtask after the first one ends the turn's count.
  const perTurn: number[] = [];
  const insert = h.store.insertResponses.bind(h.store);
  h.store.insertResponses = (rows) => {
    if (perTurn.length === 0 || perTurn[perTurn.length - 1] < 0) {
      perTurn.push(0);
      queueMicrotask(() => (perTurn[perTurn.length - 1] = -perTurn[perTurn.length - 1]));
    }
    perTurn[perTurn.length - 1] += rows.length;
    insert(rows);
  };
  const answers = 5 * RESPONSE_SLICE_ROWS + 3;
  const hear = heard.listener;
  assert.ok(hear !== null, 'the engine listens to the answers');
  for (let i = 0; i < answers; i++) {
    hear({ time: i, method: 'GET', path: `/rest/api/2/issue/OPS-${i}`, status: 200, durationMs: 1, body: '{}', tag: null });
  }
  await h.clock.advance(RESPONSE_FLUSH_MS);
  await waitUntil(() => h.store.countResponses() === answers, () => `all ${answers} answers written (${h.store.countResponses()} so far)`);
  const slices = perTurn.map((n) => Math.abs(n));
  assert.ok(slices.length >= 6, `written over several turns: ${JSON.stringify(slices)}`);
  assert.ok(slices.every((n) => n <= RESPONSE_SLICE_ROWS), `at most ${RESPONSE_SLICE_ROWS} a turn: ${JSON.stringify(slices)}`);
});
