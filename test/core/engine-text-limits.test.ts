// Text shaped to Jira's limits: an alarm with a summary over 255 characters, or a
// description or comment over 32,767, makes its ticket (cut, the log row saying so)
// instead of being acknowledged and then Failed at Jira. Against the simulator, which
// refuses what Jira refuses, through the real client; on API 2 (strings) and API 3 (ADF).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { adfToText } from '../../source/core/adf.js';
import { SUMMARY_MAX, TEXT_MAX, fitSummary, fitText } from '../../source/core/text-limits.js';
import { createJiraClient } from '../../source/jira/index.js';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { harness, runFor, type Harness } from './engine-harness.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];

async function setup(t: TestContext, api: 2 | 3): Promise<{ sim: Simulator; h: Harness }> {
  const sim = await startSimulator({ mode: api === 3 ? 'cloud' : 'datacenter', auth: null });
  const client = createJiraClient({ baseUrl: sim.url, ticketLocation: `rest/api/${api}/issue`, credentials: null, timeoutMs: 5000, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  const h = await harness(t, { port: client, catalogue: false, config: { template, updates: { maxUpdates: 100, intervalSeconds: 1 } } });
  return { sim, h };
}

/** A text as the simulator holds it: a string on API 2, ADF on API 3. */
const text = (v: unknown): string => (typeof v === 'string' ? v : adfToText(v));

const longSummary = `db01 disk full: ${'x'.repeat(300)} END`;

test('the simulator refuses a summary over 255 characters as Jira does (the test below is honest)', async (t) => {
  const sim = await startSimulator({ auth: null });
  t.after(() => sim.close());
  const res = await fetch(`${sim.url}/rest/api/2/issue`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'y'.repeat(256) } }) });
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json() as { errors: unknown }).errors, { summary: 'Summary must be less than 255 characters.' });
});

for (const api of [2, 3] as const) {
  test(`a CREATE with a summary over 255 characters makes its ticket: summary cut with an ellipsis, full text atop the description (API ${api})`, async (t) => {
    const { sim, h } = await setup(t, api);
    const description = 'see the runbook';
    const comment = `c${'z'.repeat(40_000)}`;
    assert.equal(await h.engine.submitLine(`L1|CREATE|summary;${longSummary}|description;${description}|comment;${comment}|`), 'OK L1 queued');
    await runFor(h, 5_000, 1000);
    assert.equal(h.engine.status('L1')?.status, 'Ok');
    const [issue] = sim.issues();
    const summary = issue.fields.summary as string;
    assert.equal(summary.length, SUMMARY_MAX);
    assert.ok(summary.endsWith('…'));
    assert.ok(longSummary.startsWith(summary.slice(0, -1)));
    assert.equal(text(issue.fields.description), `${longSummary}\n\n${description}`);
    assert.equal(issue.comments.length, 1);
    const body = text(issue.comments[0].body);
    assert.ok(body.length <= TEXT_MAX && body.length > 30_000 && body.endsWith('…'), `comment of ${body.length}`);
    const [row] = h.store.queryLog({ guid: 'L1' });
    assert.match(row.error ?? '', /shaped to Jira's limits: summary cut to 255 characters \(the full text is at the top of the description\); a comment cut to 32,767 characters/);
  });
}

test('a CREATE whose template has no description gets one holding the full summary; a long description is cut', async (t) => {
  const { sim, h } = await setup(t, 3);
  await h.send(`L2|CREATE|summary;${longSummary}|`, `L3|CREATE|summary;short|description;${'d\n'.repeat(20_000)}|`);
  await runFor(h, 5_000, 1000);
  assert.equal(h.engine.status('L2')?.status, 'Ok');
  assert.equal(h.engine.status('L3')?.status, 'Ok');
  const [l2, l3] = sim.issues();
  assert.equal(text(l2.fields.description), longSummary);
  // The ADF document of the description fits in 32,767 characters.
  assert.ok(JSON.stringify(l3.fields.description).length <= TEXT_MAX);
  assert.match(h.store.queryLog({ guid: 'L3' })[0].error ?? '', /description cut to 32,767 characters/);
});

test('an UPDATE with a long summary does not replace the description: the full text goes as a comment', async (t) => {
  const { sim, h } = await setup(t, 2);
  await h.send('L4|CREATE|summary;short|description;keep me|');
  await runFor(h, 2_000, 1000);
  await h.send(`L4|UPDATE|summary;${longSummary}|comment;noted|`);
  await runFor(h, 5_000, 1000);
  const [row] = h.store.queryLog({ guid: 'L4' });
  assert.equal(row.status, 'Ok');
  assert.match(row.error ?? '', /summary cut to 255 characters \(the full text is in a comment\)/);
  const [issue] = sim.issues();
  assert.equal((issue.fields.summary as string).length, SUMMARY_MAX);
  assert.equal(issue.fields.description, 'keep me');
  assert.deepEqual(issue.comments.map((c) => c.body), [`Summary in full: ${longSummary}`, 'noted']);
});

test('cuts never split a surrogate pair, and line breaks in a summary become spaces', () => {
  const emoji = '😀'.repeat(200); // 400 UTF-16 units
  const cut = fitSummary(emoji).text;
  assert.ok(cut.length <= SUMMARY_MAX);
  assert.equal(cut.slice(0, -1), '😀'.repeat((cut.length - 1) / 2));
  assert.deepEqual(fitSummary('a\r\nb\nc'), { text: 'a b c', cut: true });
  const long = `a${'😀'.repeat(TEXT_MAX)}`;
  const fitted = fitText(long, 2).text;
  assert.ok(fitted.length <= TEXT_MAX);
  assert.ok(!/[\ud800-\udbff]…$/.test(fitted));
});
