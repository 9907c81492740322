// The simulator's request and response shapes held against Jira's OpenAPI schemas
// (fixtures/openapi-v3.json, copied from ../shared/jira) and against the recorded answers in fixtures/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { checkSchema, fixture, loadSchemas, shapeDiff } from './schema-check.js';
import { call, createBody } from './sim-client.js';

const schemas = loadSchemas();
const valid = (name: string, value: unknown, allowExtra: string[] = []) => assert.deepEqual(checkSchema(schemas, name, value, allowExtra), [], `${name} violations`);

describe('the schema checker itself', () => {
  test('finds missing required keys, wrong types, undeclared keys and bad array items', () => {
    assert.deepEqual(checkSchema(schemas, 'CreatedIssue', { id: '1', key: 'A-1', self: 'x' }), []);
    assert.match(checkSchema(schemas, 'CreatedIssue', { id: 1, key: 'A-1' }).join('\n'), /\$\.id: expected string, got integer/);
    assert.match(checkSchema(schemas, 'CreatedIssue', { id: '1', bogus: true }).join('\n'), /\$\.bogus: not allowed/);
    assert.match(checkSchema(schemas, 'FieldCreateMetadata', { name: 'x' }).join('\n'), /missing required 'fieldId'/);
    assert.match(checkSchema(schemas, 'ErrorCollection', { errorMessages: [3], errors: {} }).join('\n'), /errorMessages\[0\]: expected string/);
    assert.match(checkSchema(schemas, 'ErrorCollection', { errorMessages: [], errors: { a: 1 } }).join('\n'), /errors\.a: expected string/);
  });
  test('shapeDiff reports a missing key and a changed type', () => {
    assert.deepEqual(shapeDiff({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' }, d: 1 }), []);
    assert.deepEqual(shapeDiff({ a: 1, b: { c: 'x' } }, { a: '2', b: {} }), ['$.a: recorded number, simulator string', '$.b.c: missing in the simulator\'s answer']);
  });
  test('the recorded examples of the spec pass the schemas they illustrate', () => {
    valid('IssueUpdateDetails', fixture('spec-example__editIssue-request-update-verbs.json'));
    valid('SearchAndReconcileResults', fixture('spec-example__search-jql-200.json'));
    valid('ErrorCollection', fixture('spec-example__createIssue-400.json'));
    valid('CreatedIssue', fixture('spec-example__createIssue-201.json'));
  });
});

for (const mode of ['cloud', 'datacenter'] as const) {
  describe(`${mode}: answers have Jira's shapes`, () => {
    let sim: Simulator;
    let key: string;
    const api = mode === 'cloud' ? 3 : 2;
    before(async () => {
      sim = await startSimulator({ mode });
      const description = api === 3
        ? { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Test description' }] }] }
        : 'Test description';
      const body = createBody({ description, labels: ['jiraline-G1'], priority: { name: 'High' } });
      valid('IssueUpdateDetails', body);
      const res = await call(sim.url, 'POST', `/rest/api/${api}/issue`, body);
      assert.equal(res.status, 201);
      key = res.body.key;
    });
    after(() => sim.close());

    test('serverInfo is a ServerInformation and matches the recorded one', async () => {
      const res = await call(sim.url, 'GET', '/rest/api/2/serverInfo');
      // The recorded Cloud answer carries defaultLocale though the OpenAPI description omits it.
      valid('ServerInformation', res.body, ['$.defaultLocale']);
      assert.deepEqual(shapeDiff(fixture('jira-cli__serverinfo.json'), res.body), []);
      assert.equal(res.body.deploymentType, mode === 'cloud' ? 'Cloud' : 'DataCenter');
      assert.equal(res.body.baseUrl, sim.url);
    });

    test('project statuses are IssueTypeWithStatus entries, one per issue type of the project', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/project/OPS/statuses`);
      assert.equal(res.status, 200);
      assert.equal(res.body.length, 3);
      res.body.forEach((t: unknown, i: number) => assert.deepEqual(checkSchema(schemas, 'IssueTypeWithStatus', t), [], `issue type ${i}`));
      assert.equal((await call(sim.url, 'GET', `/rest/api/${api}/project/NOPE/statuses`)).status, 404);
    });

    test('myself is a User: accountId on Cloud, name on Data Center', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/myself`);
      valid('User', res.body);
      assert.equal(res.body.displayName, 'Ops Bot');
      if (mode === 'cloud') assert.equal(res.body.accountId, '5b10ac8d82e05b22cc7d4ef5');
      else assert.equal(res.body.name, 'ops-bot');
    });

    test('field lists FieldDetails with every custom field type, like the recorded catalogue', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/field`);
      assert.equal(res.status, 200);
      res.body.forEach((f: unknown, i: number) => assert.deepEqual(checkSchema(schemas, 'FieldDetails', f), [], `field ${i}`));
      const byId = new Map(res.body.map((f: { id: string }) => [f.id, f]));
      // Each recorded field against ours of the same type (the simulator has no time tracking).
      const counterpart: Record<string, string> = { fixVersions: 'fixVersions', customfield_10111: 'customfield_10011', timespent: 'customfield_10011' };
      for (const recorded of fixture<Array<{ id: string }>>('jira-cli__fields.json')) {
        const ignore = recorded.id === 'timespent' ? ['$.schema.system'] : [];
        assert.deepEqual(shapeDiff(recorded, byId.get(counterpart[recorded.id]), ignore), [], recorded.id);
      }
      const customTypes = res.body.filter((f: { custom: boolean }) => f.custom).map((f: { schema: { custom: string } }) => f.schema.custom.split(':')[1]);
      assert.deepEqual(customTypes.sort(), ['cascadingselect', 'datepicker', 'datetime', 'float', 'labels', 'multiselect', 'select', 'textarea', 'url', 'userpicker']);
    });

    test('priority lists Priority objects shaped like the recorded ones', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/priority`);
      res.body.forEach((p: unknown) => valid('Priority', p));
      assert.deepEqual(res.body.map((p: { name: string }) => p.name), ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
      assert.deepEqual(shapeDiff(fixture('go-jira__all_priorities.json'), res.body), []);
    });

    test('project lists Project objects', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/project`);
      res.body.forEach((p: unknown) => valid('Project', p));
      assert.deepEqual(res.body.map((p: { key: string; id: string }) => `${p.key}:${p.id}`), ['OPS:10000', 'DEMO:10001']);
      const one = await call(sim.url, 'GET', `/rest/api/${api}/project/OPS`);
      valid('Project', one.body);
      assert.deepEqual(one.body.components.map((c: { name: string }) => c.name), ['Database', 'Network']);
    });

    test('get issue is an IssueBean like the recorded issue; rich text per API version', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/issue/${key}`);
      valid('IssueBean', res.body);
      assert.deepEqual(shapeDiff(fixture('jira-cli__issue.json'), res.body,
        mode === 'cloud' ? [] : ['$.fields.description']), []);
      const other = await call(sim.url, 'GET', `/rest/api/${api === 3 ? 2 : 3}/issue/${key}?fields=description,summary`);
      assert.deepEqual(Object.keys(other.body.fields).sort(), ['description', 'summary']);
      if (api === 3) assert.equal(other.body.fields.description, 'Test description');
      else assert.deepEqual(other.body.fields.description.type, 'doc');
    });

    test('transitions is a Transitions list like the recorded ones, each with its target status', async () => {
      const res = await call(sim.url, 'GET', `/rest/api/${api}/issue/${key}/transitions`);
      valid('Transitions', res.body);
      assert.deepEqual(shapeDiff(fixture('jira-cli__transitions.json'), res.body), []);
      assert.deepEqual(shapeDiff(fixture('go-jira__transitions.json'), res.body, ['$.transitions[].fields']), []);
      assert.deepEqual(res.body.transitions.map((t: { id: string; to: { name: string } }) => `${t.id}>${t.to.name}`), ['11>In Progress', '21>Done']);
    });

    test('a comment answer is a Comment', async () => {
      const body = { body: api === 3 ? { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] } : 'hi' };
      const res = await call(sim.url, 'POST', `/rest/api/${api}/issue/${key}/comment`, body);
      assert.equal(res.status, 201);
      valid('Comment', res.body);
      const list = await call(sim.url, 'GET', `/rest/api/${api}/issue/${key}/comment`);
      valid('PageOfComments', list.body);
    });

    test('create answers 201 CreatedIssue like the recorded ones; a refusal is an ErrorCollection', async () => {
      const res = await call(sim.url, 'POST', `/rest/api/${api}/issue`, { ...createBody(), transition: { id: '11' } });
      assert.equal(res.status, 201);
      valid('CreatedIssue', res.body);
      assert.deepEqual(shapeDiff(fixture('jira-cli__create.json'), res.body), []);
      assert.deepEqual(shapeDiff(fixture('spec-example__createIssue-201.json'), res.body), []);
      assert.equal(sim.issue(res.body.key)?.status, 'In Progress');
      const bad = await call(sim.url, 'POST', `/rest/api/${api}/issue`, { fields: { project: { key: 'OPS' } } });
      assert.equal(bad.status, 400);
      valid('ErrorCollection', bad.body);
      assert.deepEqual(shapeDiff(fixture('spec-example__createIssue-400.json'), bad.body), []);
    });
  });
}

describe('createmeta: the Cloud and the Data Center 9 shapes', () => {
  test('Cloud: issueTypes and fields pages, as PageOfCreateMeta… schemas say', async () => {
    const sim = await startSimulator({ mode: 'cloud' });
    try {
      const types = await call(sim.url, 'GET', '/rest/api/3/issue/createmeta/OPS/issuetypes');
      valid('PageOfCreateMetaIssueTypes', types.body);
      assert.deepEqual(types.body.issueTypes.map((t: { name: string }) => t.name), ['Incident', 'Task', 'Bug']);
      const fields = await call(sim.url, 'GET', `/rest/api/3/issue/createmeta/OPS/issuetypes/${types.body.issueTypes[0].id}`);
      valid('PageOfCreateMetaIssueTypeWithField', fields.body);
      const severity = fields.body.fields.find((f: { fieldId: string }) => f.fieldId === 'customfield_10010');
      assert.deepEqual(severity.allowedValues.map((o: { value: string }) => o.value), ['Sev1', 'Sev2', 'Sev3', 'Sev4']);
      assert.deepEqual(fields.body.fields.filter((f: { required: boolean }) => f.required).map((f: { fieldId: string }) => f.fieldId).sort(),
        ['issuetype', 'project', 'summary']);
      const old = await call(sim.url, 'GET', '/rest/api/3/issue/createmeta?projectKeys=OPS&expand=projects.issuetypes.fields');
      valid('IssueCreateMetadata', old.body);
      assert.deepEqual(shapeDiff(fixture('jira-cli__createmeta.json'), old.body), []);
    } finally {
      await sim.close();
    }
  });

  test('Data Center 9: values pages with isLast, like the recorded one; the old expand form is gone', async () => {
    const sim = await startSimulator({ mode: 'datacenter' });
    try {
      const types = await call(sim.url, 'GET', '/rest/api/2/issue/createmeta/DEMO/issuetypes');
      assert.deepEqual(shapeDiff(fixture('jira-cli__createmetav9.json'), types.body), []);
      assert.deepEqual(types.body.values.map((t: { name: string }) => t.name), ['Task', 'Bug', 'Incident']);
      types.body.values.forEach((t: unknown) => valid('IssueTypeDetails', t));
      const fields = await call(sim.url, 'GET', '/rest/api/2/issue/createmeta/OPS/issuetypes/10003?startAt=2&maxResults=3');
      assert.equal(fields.body.startAt, 2);
      assert.equal(fields.body.values.length, 3);
      assert.equal(fields.body.isLast, false);
      for (const f of fields.body.values) {
        assert.equal(typeof f.fieldId, 'string');
        assert.equal(typeof f.required, 'boolean');
        assert.equal(typeof f.schema.type, 'string');
      }
      const page = await call(sim.url, 'GET', `/rest/api/2/issue/createmeta/OPS/issuetypes/10003?startAt=${fields.body.total - 1}`);
      assert.equal(page.body.isLast, true);
      const old = await call(sim.url, 'GET', '/rest/api/2/issue/createmeta?projectKeys=OPS&expand=projects.issuetypes.fields');
      assert.equal(old.status, 404);
      const missing = await call(sim.url, 'GET', '/rest/api/2/issue/createmeta/NOPE/issuetypes');
      assert.equal(missing.status, 404);
      valid('ErrorCollection', missing.body);
      const wrongType = await call(sim.url, 'GET', '/rest/api/2/issue/createmeta/OPS/issuetypes/99999');
      assert.equal(wrongType.status, 404);
    } finally {
      await sim.close();
    }
  });
});
