// Searches: Cloud's /search/jql with nextPageToken (GET and POST) where the old /search
// is gone (410), Server/DC's /search with startAt, and the JQL subset jiraline uses —
// with Jira's 400 for the JQL it cannot run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { checkSchema, fixture, loadSchemas, shapeDiff } from './schema-check.js';
import { call, createBody } from './sim-client.js';

const schemas = loadSchemas();
const q = (jql: string) => encodeURIComponent(jql);

/** Makes issues: OPS-1..OPS-5 (OPS-2 Done, OPS-4 labelled jiraline-G.4), DEMO-1. */
async function seed(sim: Simulator, api: 2 | 3): Promise<void> {
  const description = api === 3 ? undefined : 'text';
  for (let n = 1; n <= 5; n++) {
    const labels = n === 4 ? ['jiraline-G.4', 'db'] : ['db'];
    const res = await call(sim.url, 'POST', `/rest/api/${api}/issue`, createBody({ summary: `Alarm ${n}`, labels, ...(description ? { description } : {}) }));
    assert.equal(res.status, 201);
  }
  await call(sim.url, 'POST', `/rest/api/${api}/issue/OPS-2/transitions`, { transition: { id: '21' } });
  await call(sim.url, 'POST', `/rest/api/${api}/issue`, { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Demo', labels: ['JIRALINE-G.4'] } });
}

const keys = (issues: Array<{ key: string }>) => issues.map((i) => i.key);

describe('cloud: /search/jql', () => {
  let sim: Simulator;
  before(async () => { sim = await startSimulator({ mode: 'cloud' }); await seed(sim, 3); });
  after(() => sim.close());

  test('the old /rest/api/{2,3}/search answers 410 with the recorded body, GET and POST', async () => {
    for (const [method, path] of [['GET', '/rest/api/3/search?jql=project%20%3D%20OPS'], ['POST', '/rest/api/2/search'], ['GET', '/rest/api/latest/search']]) {
      const res = await call(sim.url, method, path, method === 'POST' ? { jql: 'project = OPS' } : undefined);
      assert.equal(res.status, 410);
      assert.deepEqual(res.body, fixture('observed__search-410-gone.json'));
    }
  });

  test('labels = x finds the issues carrying the label (case-insensitively, as Jira does)', async () => {
    const res = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('labels = "jiraline-G.4"')}&fields=labels,summary`);
    assert.equal(res.status, 200);
    assert.deepEqual(checkSchema(schemas, 'SearchAndReconcileResults', res.body), []);
    assert.deepEqual(shapeDiff(fixture('spec-example__search-jql-200.json'), res.body, ['$.issues[].fields']), []);
    assert.deepEqual(keys(res.body.issues), ['DEMO-1', 'OPS-4']);
    assert.deepEqual(res.body.issues[1].fields.labels, ['jiraline-G.4', 'db']);
    assert.equal(res.body.isLast, true);
    assert.equal('nextPageToken' in res.body, false);
  });

  test('without fields, issues come with id, key and self only', async () => {
    const res = await call(sim.url, 'POST', '/rest/api/3/search/jql', { jql: 'key = OPS-1' });
    assert.deepEqual(res.body.issues, [{ id: sim.issue('OPS-1')!.id, key: 'OPS-1', self: `${sim.url}/rest/api/3/issue/${sim.issue('OPS-1')!.id}` }]);
  });

  test('pages with nextPageToken until isLast, by GET and by POST', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await call(sim.url, 'POST', '/rest/api/3/search/jql',
        { jql: 'project = OPS ORDER BY key ASC', maxResults: 2, fields: ['summary'], ...(token ? { nextPageToken: token } : {}) });
      assert.equal(res.status, 200);
      seen.push(...keys(res.body.issues));
      if (res.body.isLast) break;
      token = res.body.nextPageToken;
      assert.equal(typeof token, 'string');
    }
    assert.deepEqual(seen, ['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
    const first = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('project = OPS ORDER BY key DESC')}&maxResults=3`);
    assert.deepEqual(keys(first.body.issues), ['OPS-5', 'OPS-4', 'OPS-3']);
    const second = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('project = OPS ORDER BY key DESC')}&maxResults=3&nextPageToken=${first.body.nextPageToken}`);
    assert.deepEqual(keys(second.body.issues), ['OPS-2', 'OPS-1']);
    assert.equal(second.body.isLast, true);
  });

  test('a token from another query, and unbounded JQL, are refused', async () => {
    const first = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('project = OPS')}&maxResults=1`);
    const other = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('project = DEMO')}&nextPageToken=${first.body.nextPageToken}`);
    assert.equal(other.status, 400);
    const unbounded = await call(sim.url, 'GET', `/rest/api/3/search/jql?jql=${q('ORDER BY created DESC')}`);
    assert.equal(unbounded.status, 400);
    assert.deepEqual(unbounded.body, { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
  });
});

describe('datacenter: /search with startAt', () => {
  let sim: Simulator;
  before(async () => { sim = await startSimulator({ mode: 'datacenter' }); await seed(sim, 2); });
  after(() => sim.close());

  test('project = X AND resolution = Unresolved ORDER BY created DESC, paged by startAt with a total', async () => {
    const jql = q('project = OPS AND resolution = Unresolved ORDER BY created DESC, key DESC');
    const res = await call(sim.url, 'GET', `/rest/api/2/search?jql=${jql}&maxResults=3&fields=summary,status`);
    assert.equal(res.status, 200);
    assert.deepEqual(checkSchema(schemas, 'SearchResults', res.body), []);
    assert.deepEqual(shapeDiff(fixture('jira-cli__search.json'), res.body, ['$.isLast', '$.issues[].fields']), []);
    assert.equal(res.body.total, 4);
    assert.deepEqual(keys(res.body.issues), ['OPS-5', 'OPS-4', 'OPS-3']);
    assert.deepEqual(Object.keys(res.body.issues[0].fields).sort(), ['status', 'summary']);
    const next = await call(sim.url, 'POST', '/rest/api/2/search', { jql: 'project = OPS AND resolution = Unresolved ORDER BY created DESC, key DESC', startAt: 3, maxResults: 3 });
    assert.deepEqual(keys(next.body.issues), ['OPS-1']);
    assert.equal(next.body.startAt, 3);
    // The default is every navigable field, as on Server/DC.
    assert.equal(next.body.issues[0].fields.summary, 'Alarm 1');
    assert.equal(next.body.issues[0].fields.status.name, 'To Do');
  });

  test('the JQL subset: key, resolution, status, IN, NOT, OR, text, EMPTY, currentUser()', async () => {
    const run = async (jql: string) => {
      const res = await call(sim.url, 'POST', '/rest/api/2/search', { jql, fields: ['key'] });
      assert.equal(res.status, 200, `${jql}: ${JSON.stringify(res.body)}`);
      return keys(res.body.issues).sort();
    };
    assert.deepEqual(await run('key = OPS-3'), ['OPS-3']);
    assert.deepEqual(await run('issuekey in (OPS-1, "OPS-5")'), ['OPS-1', 'OPS-5']);
    assert.deepEqual(await run('project = OPS AND resolution = Done'), ['OPS-2']);
    assert.deepEqual(await run('resolution is not EMPTY'), ['OPS-2']);
    assert.deepEqual(await run('status = "Done" OR labels = "jiraline-G.4"'), ['DEMO-1', 'OPS-2', 'OPS-4']);
    assert.deepEqual(await run('project = OPS AND NOT (labels = "jiraline-G.4" OR status = Done)'), ['OPS-1', 'OPS-3', 'OPS-5']);
    assert.deepEqual(await run('project in (DEMO) AND labels != db'), ['DEMO-1']);
    assert.deepEqual(await run('summary ~ "alarm 3"'), ['OPS-3']);
    assert.deepEqual(await run('project = OPS AND reporter = currentUser() AND assignee is EMPTY AND created >= -1d'), ['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
    assert.deepEqual(await run('project = OPS AND created < "2020-01-01"'), []);
  });

  test('/search/jql does not exist on Data Center', async () => {
    assert.equal((await call(sim.url, 'GET', `/rest/api/2/search/jql?jql=${q('project = OPS')}`)).status, 404);
  });

  test("JQL it cannot run gets Jira's 400 with the reason", async () => {
    const refused = async (jql: string) => {
      const res = await call(sim.url, 'GET', `/rest/api/2/search?jql=${q(jql)}`);
      assert.equal(res.status, 400, jql);
      assert.deepEqual(checkSchema(schemas, 'ErrorCollection', res.body), []);
      assert.deepEqual(res.body.errors, {});
      assert.equal(res.body.errorMessages.length, 1);
      return res.body.errorMessages[0] as string;
    };
    assert.equal(await refused('foo = bar'), "Field 'foo' does not exist or you do not have permission to view it.");
    assert.equal(await refused('project = NOPE'), "The value 'NOPE' does not exist for the field 'project'.");
    assert.equal(await refused('key = OPS-99'), "An issue with key 'OPS-99' does not exist for field 'key'.");
    assert.equal(await refused('labels ~ db'), "The operator '~' is not supported by the 'labels' field.");
    assert.equal(await refused('status = Closed'), "The value 'Closed' does not exist for the field 'status'.");
    assert.match(await refused('project = OPS labels = db'), /^Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'labels'\. \(line 1, character 15\)$/);
    assert.match(await refused('labels = "open'), /^Error in the JQL Query: The quoted string 'open' has not been completed\./);
    assert.match(await refused('labels = jiraline-a/b'), /^Error in the JQL Query: The character '\/' is a reserved JQL character/);
    assert.match(await refused('labels = jiraline-G.4'), /^Error in the JQL Query: The character '\.' is a reserved JQL character.*character 20\)$/);
    assert.match(await refused('project = OPS ORDER BY labels'), /does not support sorting/);
    assert.match(await refused('project ='), /^Error in the JQL Query: Expecting either a value, list or function/);
    assert.match(await refused('created > yesterday'), /^Date value 'yesterday' for field 'created' is invalid/);
  });
});
