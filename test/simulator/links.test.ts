// Issue links in the simulator, with Jira's shapes: the link types, a link made by
// POST /issueLink (201, empty body) and shown on both issues, Jira's refusals, and the same
// link asked twice made once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { checkSchema, fixture, loadSchemas, shapeDiff } from './schema-check.js';
import { call, createBody } from './sim-client.js';

const schemas = loadSchemas();
let sim: Simulator;
let a: string;
let b: string;

before(async () => {
  sim = await startSimulator({ mode: 'datacenter', auth: null });
  a = (await call(sim.url, 'POST', '/rest/api/2/issue', createBody())).body.key;
  b = (await call(sim.url, 'POST', '/rest/api/2/issue', createBody({ summary: 'back again' }))).body.key;
});
after(() => sim.close());

test('GET /issueLinkType lists IssueLinkTypes, Relates among them', async () => {
  const res = await call(sim.url, 'GET', '/rest/api/2/issueLinkType');
  assert.equal(res.status, 200);
  assert.deepEqual(checkSchema(schemas, 'IssueLinkTypes', res.body), []);
  assert.ok(res.body.issueLinkTypes.some((t: { name: string }) => t.name === 'Relates'));
});

test('POST /issueLink: 201 with no body; the link shows on both issues as an IssueLink; asked again, made once', async () => {
  const body = { type: { name: 'Relates' }, inwardIssue: { key: b }, outwardIssue: { key: a } };
  assert.deepEqual(checkSchema(schemas, 'LinkIssueRequestJsonBean', body), []);
  const res = await call(sim.url, 'POST', '/rest/api/2/issueLink', body);
  assert.equal(res.status, 201);
  assert.equal(res.body, null);
  assert.equal((await call(sim.url, 'POST', '/rest/api/2/issueLink', body)).status, 201);
  const inward = (await call(sim.url, 'GET', `/rest/api/2/issue/${b}?fields=issuelinks`)).body.fields.issuelinks;
  const outward = (await call(sim.url, 'GET', `/rest/api/2/issue/${a}?fields=issuelinks`)).body.fields.issuelinks;
  assert.equal(inward.length, 1, 'once');
  assert.equal(outward.length, 1);
  assert.equal(inward[0].outwardIssue.key, a);
  assert.equal(outward[0].inwardIssue.key, b);
  // In an issue's field each link names the other issue only, as in the spec's recorded search.
  const recorded = fixture<{ issues: Array<{ fields: { issuelinks: unknown[] } }> }>('spec-example__search-jql-200.json').issues
    .flatMap((i) => i.fields.issuelinks ?? []) as Array<Record<string, unknown>>;
  assert.equal(recorded.length, 2, 'the recorded links');
  assert.deepEqual(shapeDiff(recorded.find((l) => l.outwardIssue), inward[0]), []);
  assert.deepEqual(shapeDiff(recorded.find((l) => l.inwardIssue), outward[0]), []);
});

test('refusals as Jira words them: an unknown link type or issue is 404, a body without its parts 400', async () => {
  const unknownType = await call(sim.url, 'POST', '/rest/api/2/issueLink', { type: { name: 'Causes' }, inwardIssue: { key: a }, outwardIssue: { key: b } });
  assert.equal(unknownType.status, 404);
  assert.deepEqual(unknownType.body.errorMessages, ["No issue link type with name 'Causes' found."]);
  assert.deepEqual(checkSchema(schemas, 'ErrorCollection', unknownType.body), []);
  assert.equal((await call(sim.url, 'POST', '/rest/api/2/issueLink', { type: { name: 'Relates' }, inwardIssue: { key: 'OPS-999' }, outwardIssue: { key: b } })).status, 404);
  assert.equal((await call(sim.url, 'POST', '/rest/api/2/issueLink', { type: { name: 'Relates' } })).status, 400);
});
