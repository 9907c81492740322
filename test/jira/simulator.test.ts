// The client against the built-in simulator, Data Center and Cloud: every call end to end,
// and the error paths the simulator produces the way Jira does (400 field errors, 401,
// 404, 410 switch-over, 429 with Retry-After, an HTML 503).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { Credentials, Secret } from '../../source/core/ports.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const opsBot: Credentials = { method: 'basic', username: 'ops-bot', password: secret('sim-pass-1') };

let dc: Simulator;
let cloud: Simulator;
let dcClient: JiraClient;
let cloudClient: JiraClient;

before(async () => {
  dc = await startSimulator({ mode: 'datacenter', auth: { user: 'ops-bot', password: 'sim-pass-1' } });
  cloud = await startSimulator({ mode: 'cloud', auth: { user: 'ops-bot', password: 'sim-pass-1' } });
  dcClient = createJiraClient({ baseUrl: dc.url + '/', ticketLocation: '/rest/api/2/issue', credentials: opsBot, env: {} });
  cloudClient = createJiraClient({ baseUrl: cloud.url, ticketLocation: 'rest/api/3/issue', credentials: opsBot, env: {} });
});
after(async () => {
  await dcClient.close();
  await cloudClient.close();
  await dc.close();
  await cloud.close();
});

const newIssue = (summary: string, extra: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary, ...extra },
});

test('serverInfo and myself: Data Center and Cloud', async () => {
  assert.equal((await dcClient.serverInfo()).deploymentType, 'DataCenter');
  assert.equal(dcClient.deploymentType, 'DataCenter');
  assert.equal((await cloudClient.serverInfo()).deploymentType, 'Cloud');
  const me = await dcClient.myself();
  assert.equal(me.name, 'ops-bot');
  assert.equal(me.displayName, 'Ops Bot');
  const cloudMe = await cloudClient.myself();
  assert.equal(cloudMe.accountId, '5b10ac8d82e05b22cc7d4ef5');
});

test('fields: the catalogue holds system fields and the custom fields of every type', async () => {
  const fields = await dcClient.fields();
  const byId = new Map(fields.map((f) => [f.id, f]));
  assert.equal(byId.get('summary')?.custom, false);
  assert.equal(byId.get('customfield_10010')?.name, 'Severity');
  assert.equal(byId.get('customfield_10012')?.schema?.type, 'array');
  assert.equal(byId.get('customfield_10011')?.schema?.type, 'number');
});

test('createmeta: issue types and fields on Data Center ({values}) and Cloud ({issueTypes}/{fields})', async () => {
  for (const client of [dcClient, cloudClient]) {
    const types = await client.createMetaIssueTypes('OPS');
    assert.deepEqual(types.map((t) => t.name).sort(), ['Bug', 'Incident', 'Task']);
    const incident = types.find((t) => t.name === 'Incident')!;
    const fields = await client.createMetaFields('OPS', incident.id);
    const summary = fields.find((f) => f.fieldId === 'summary');
    assert.equal(summary?.required, true);
    const severity = fields.find((f) => f.fieldId === 'customfield_10010');
    assert.ok(severity?.allowedValues?.some((v) => v.value === 'Sev1'), 'Severity offers Sev1');
  }
});

test('project statuses: one entry per issue type, as Jira\'s IssueTypeWithStatus; the client keeps the distinct names', async () => {
  for (const [sim, client] of [[dc, dcClient], [cloud, cloudClient]] as const) {
    const raw = await fetch(`${sim.url}/rest/api/2/project/OPS/statuses`, { headers: { authorization: `Basic ${Buffer.from('ops-bot:sim-pass-1').toString('base64')}` } });
    const body = await raw.json() as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(body) && body.length === 3, 'one entry per issue type of OPS');
    for (const type of body) {
      for (const key of ['id', 'name', 'self', 'statuses', 'subtask']) assert.ok(key in type, `issue type entry has ${key}`);
      for (const status of type.statuses as Array<Record<string, unknown>>) {
        for (const key of ['id', 'name', 'self', 'statusCategory']) assert.ok(key in status, `status has ${key}`);
      }
    }
    assert.deepEqual(await client.projectStatuses!('OPS'), ['To Do', 'In Progress', 'Done']);
    await assert.rejects(client.projectStatuses!('NOPE'), (e: unknown) => e instanceof JiraError && e.status === 404);
  }
});

test('create, edit (fields and update verbs), comment, get: the simulator holds what was sent', async () => {
  const created = await dcClient.createIssue(newIssue('Disk full on db-1', { labels: ['jiraline-G1'], customfield_10010: { value: 'Sev2' } }));
  assert.match(created.key, /^OPS-\d+$/);
  assert.equal(dcClient.browseUrl(created.key), `${dc.url}/browse/${created.key}`);
  await dcClient.editIssue(created.key, { fields: { summary: 'Disk full on db-1 (90%)' }, update: { labels: [{ add: 'storage' }] } });
  await dcClient.addComment(created.key, 'Paged the DBA');
  const held = dc.issue(created.key)!;
  assert.equal(held.fields.summary, 'Disk full on db-1 (90%)');
  assert.deepEqual([...(held.fields.labels as string[])].sort(), ['jiraline-G1', 'storage']);
  assert.equal(held.comments.length, 1);
  assert.equal(held.comments[0].body, 'Paged the DBA');
  const got = await dcClient.getIssue(created.key, ['summary', 'labels']);
  assert.equal(got.key, created.key);
  assert.equal(got.fields.summary, 'Disk full on db-1 (90%)');
});

test('API 3 on Cloud: a comment goes as an Atlassian Document', async () => {
  const created = await cloudClient.createIssue(newIssue('Cloud ticket'));
  await cloudClient.addComment(created.key, 'first\nsecond');
  const body = cloud.issue(created.key)!.comments[0].body as { type: string; content: unknown[] };
  assert.equal(body.type, 'doc');
  assert.equal(body.content.length, 1);
});

test('transitions: listed with their target status; transitionTo moves the issue; no match lists the targets', async () => {
  const { key } = await dcClient.createIssue(newIssue('Transition me'));
  const transitions = await dcClient.transitions(key);
  assert.ok(transitions.every((t) => t.to.name !== ''), 'every transition names its target status');
  const moved = await dcClient.transitionTo(key, 'in progress');
  assert.equal(moved.to.name, 'In Progress');
  assert.equal(dc.issue(key)!.status, 'In Progress');
  await assert.rejects(dcClient.transitionTo(key, 'Teleported'), (e: unknown) => {
    assert.ok(e instanceof JiraError);
    assert.equal(e.cause_, 'no-transition');
    assert.equal(e.retryable, false);
    assert.match(e.message, /"Done"/);
    return true;
  });
  await dcClient.transitionTo(key, 'Done');
  assert.equal(dc.issue(key)!.status, 'Done');
});

test('search: Data Center /rest/api/2/search finds by label', async () => {
  const { key } = await dcClient.createIssue(newIssue('Find me', { labels: ['jiraline-FIND-1'] }));
  const result = await dcClient.search('labels = jiraline-FIND-1', { fields: ['labels', 'summary'] });
  assert.deepEqual(result.issues.map((i) => i.key), [key]);
  assert.deepEqual(result.issues[0].fields.labels, ['jiraline-FIND-1']);
  assert.equal(result.total, 1);
});

test('search on Cloud without knowing the deployment: the 410 from /search switches to /search/jql', async () => {
  const client = createJiraClient({ baseUrl: cloud.url, credentials: opsBot, env: {} });
  try {
    const { key } = await client.createIssue(newIssue('Find me on Cloud', { labels: ['jiraline-FIND-2'] }));
    const before = cloud.requestCount();
    const result = await client.search('labels = jiraline-FIND-2', { fields: ['labels'] });
    assert.deepEqual(result.issues.map((i) => i.key), [key]);
    assert.equal(cloud.requestCount() - before, 2, 'one 410, then /search/jql');
    await client.search('labels = jiraline-FIND-2');
    assert.equal(cloud.requestCount() - before, 3, 'remembered: straight to /search/jql');
  } finally {
    await client.close();
  }
});

test('400: a missing summary and an unknown field come back as field errors', async () => {
  await assert.rejects(dcClient.createIssue({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' } } }), (e: unknown) => {
    assert.ok(e instanceof JiraError);
    assert.equal(e.status, 400);
    assert.equal(e.retryable, false);
    assert.ok('summary' in e.fieldErrors, JSON.stringify(e.fieldErrors));
    return true;
  });
  await assert.rejects(dcClient.createIssue(newIssue('x', { customfield_99999: 'y' })), (e: unknown) =>
    e instanceof JiraError && e.status === 400 && /customfield_99999/.test(e.detail()));
});

test('401 with a wrong password, and no secret in the error', async () => {
  const client = createJiraClient({ baseUrl: dc.url, credentials: { method: 'basic', username: 'ops-bot', password: secret('wrong-Pass-42') }, env: {} });
  try {
    await assert.rejects(client.myself(), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 401);
      assert.ok(e.isAuth);
      assert.match(e.message, /check the username and API token — `jiraline auth set`/);
      assert.ok(!`${e.message}${e.detail()}`.includes('wrong-Pass-42'));
      return true;
    });
  } finally {
    await client.close();
  }
});

test('404: an unknown issue, and a wrong Ticket Location URL', async () => {
  await assert.rejects(dcClient.getIssue('OPS-99999'), (e: unknown) => e instanceof JiraError && e.status === 404 && /Ticket Location URL/.test(e.message));
  const wrong = createJiraClient({ baseUrl: dc.url, ticketLocation: 'rest/api/2/issues', credentials: opsBot, env: {} });
  try {
    await assert.rejects(wrong.createIssue(newIssue('nowhere')), (e: unknown) => e instanceof JiraError && e.status === 404 && /check the Jira URL and the Ticket Location URL/.test(e.message));
  } finally {
    await wrong.close();
  }
});

test('faults: 429 with Retry-After, and an HTML 503 page', async () => {
  const sim = await startSimulator({ mode: 'datacenter', auth: null, faults: { failureRate: 1, failureStatus: 429, retryAfterSeconds: 7 } });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, env: {} });
  try {
    await assert.rejects(client.createIssue(newIssue('x')), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 429);
      assert.equal(e.retryable, true);
      assert.equal(e.retryAfterMs, 7000);
      return true;
    });
    sim.setFaults({ failureRate: 1, failureStatus: 503, htmlErrors: true });
    await assert.rejects(client.createIssue(newIssue('x')), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 503);
      assert.equal(e.retryable, true);
      assert.ok(e.messages.length === 1 && !e.messages[0].includes('<'), JSON.stringify(e.messages));
      return true;
    });
    sim.setFaults({});
    assert.match((await client.createIssue(newIssue('after the storm'))).key, /^OPS-/);
  } finally {
    await client.close();
    await sim.close();
  }
});

test('an Authorization Key is sent as Bearer and accepted by a token-checking Jira', async () => {
  const sim = await startSimulator({ mode: 'datacenter', auth: { token: 'pat-abc-123' } });
  const good = createJiraClient({ baseUrl: sim.url, credentials: { method: 'key', key: secret('pat-abc-123') }, env: {} });
  const prefixed = createJiraClient({ baseUrl: sim.url, credentials: { method: 'key', key: secret('Bearer pat-abc-123') }, env: {} });
  const bad = createJiraClient({ baseUrl: sim.url, credentials: { method: 'key', key: secret('pat-nope') }, env: {} });
  try {
    assert.equal((await good.serverInfo()).deploymentType, 'DataCenter');
    assert.equal((await prefixed.serverInfo()).deploymentType, 'DataCenter');
    await assert.rejects(bad.myself(), (e: unknown) => e instanceof JiraError && e.status === 401 && /Authorization Key/.test(e.message));
  } finally {
    await Promise.all([good.close(), prefixed.close(), bad.close()]);
    await sim.close();
  }
});
