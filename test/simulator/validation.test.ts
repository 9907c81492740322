// Create and edit refuse what Jira refuses, per field type, with Jira's 400 shape and
// wording — and a refused request changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { checkSchema, fixture, loadSchemas } from './schema-check.js';
import { call, createBody } from './sim-client.js';

const schemas = loadSchemas();
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const CANNOT = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** Posts a create and returns the 400's errors map (asserting Jira's shape). */
async function refusedCreate(sim: Simulator, body: unknown, api: 2 | 3 = 2): Promise<Record<string, string>> {
  const before = sim.issues().length;
  const res = await call(sim.url, 'POST', `/rest/api/${api}/issue`, body);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.deepEqual(checkSchema(schemas, 'ErrorCollection', res.body), []);
  assert.equal(sim.issues().length, before, 'a refused create makes no issue');
  return res.body.errors;
}

describe('datacenter: create refusals', () => {
  let sim: Simulator;
  before(async () => { sim = await startSimulator({ mode: 'datacenter' }); });
  after(() => sim.close());

  test('a valid create with a field of every type is stored as Jira stores it', async () => {
    const res = await call(sim.url, 'POST', '/rest/api/2/issue', createBody({
      description: 'Line 1\nLine 2', priority: { name: 'High' }, labels: ['a', 'b'], components: [{ name: 'Database' }],
      fixVersions: [{ name: '1.0' }], assignee: { name: 'jsmith' }, duedate: '2026-12-01', environment: 'prod',
      customfield_10010: { value: 'Sev2' }, customfield_10011: 3.5, customfield_10012: [{ value: 'web' }, { id: '10111' }],
      customfield_10013: '2026-12-01T10:30:00Z', customfield_10014: '2026-11-30', customfield_10015: { name: 'ops-bot' },
      customfield_10016: 'Restart the pool', customfield_10017: ['x1'], customfield_10018: { value: 'EU', child: { value: 'Paris' } },
      customfield_10019: 'https://runbooks.example.com/db',
    }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.key, /^OPS-\d+$/);
    const f = sim.issue(res.body.key)!.fields as Record<string, any>;
    assert.equal(f.priority.name, 'High');
    assert.equal(f.assignee.name, 'jsmith');
    assert.equal(f.customfield_10010.value, 'Sev2');
    assert.deepEqual(f.customfield_10012.map((o: { value: string }) => o.value), ['web', 'db']);
    assert.equal(f.customfield_10013, '2026-12-01T10:30:00.000+0000');
    assert.equal(f.customfield_10018.child.value, 'Paris');
    assert.equal(f.reporter.name, 'ops-bot');
    assert.equal(sim.issue(res.body.key)!.status, 'To Do');
  });

  test('missing required fields: "<Field name> is required."', async () => {
    assert.deepEqual(await refusedCreate(sim, { fields: {} }), {
      project: 'Project is required.', issuetype: 'Issue Type is required.', summary: 'Summary is required.',
    });
    assert.deepEqual(await refusedCreate(sim, createBody({ summary: '  ' })), { summary: 'Summary is required.' });
  });

  test("unknown and read-only fields: Jira's \"cannot be set\"", async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_99999: 'x', status: { name: 'Done' } })), {
      customfield_99999: CANNOT('customfield_99999'), status: CANNOT('status'),
    });
  });

  test('project, issue type and priority must exist (and the type must be in the project)', async () => {
    assert.deepEqual(await refusedCreate(sim, { fields: { project: { key: 'NOPE' }, issuetype: { name: 'Task' }, summary: 's' } }),
      { project: 'Specify a valid project ID or key', issuetype: 'The issue type selected is invalid.' });
    assert.deepEqual(await refusedCreate(sim, createBody({}, 'Story')), { issuetype: 'The issue type selected is invalid.' });
    assert.deepEqual(await refusedCreate(sim, createBody({ priority: { name: 'Urgent' } })), { priority: 'The priority selected is invalid.' });
    assert.deepEqual(await refusedCreate(sim, createBody({ priority: 'High' })), { priority: 'data was not an object' });
  });

  test('select, multi-select and cascading options must be among the allowed ones', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10010: { value: 'Sev9' } })), { customfield_10010: "Option value 'Sev9' is not valid" });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10010: { id: '1' } })), { customfield_10010: "Option id '1' is not valid" });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10010: 'Sev1' })), { customfield_10010: 'data was not an object' });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10012: { value: 'web' } })), { customfield_10012: 'data was not an array' });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10012: [{ value: 'web' }, { value: 'mainframe' }] })),
      { customfield_10012: "Option value 'mainframe' is not valid" });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10018: { value: 'US', child: { value: 'Paris' } } })),
      { customfield_10018: "Option value 'Paris' is not valid for parent 'US'" });
  });

  test('users are named by name on Data Center', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ assignee: { name: 'nobody' } })), { assignee: "User 'nobody' does not exist." });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10015: { accountId: '5b10ac8d82e05b22cc7d4ef5' } })),
      { customfield_10015: "Specify a valid 'name' for On Call" });
  });

  test('numbers, dates, datetimes and URLs are checked', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10011: '3' })), { customfield_10011: 'Operation value must be a number' });
    assert.deepEqual(await refusedCreate(sim, createBody({ duedate: '2026-02-30' })), { duedate: 'Error parsing date string: 2026-02-30' });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10014: '01/12/2026' })), { customfield_10014: 'Error parsing date string: 01/12/2026' });
    assert.match((await refusedCreate(sim, createBody({ customfield_10013: 'tomorrow' }))).customfield_10013, /^Invalid date format/);
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10019: 'not a url' })), { customfield_10019: 'Not a valid URL' });
  });

  test('labels: an array of strings without spaces', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ labels: 'a,b' })), { labels: 'data was not an array' });
    assert.deepEqual(await refusedCreate(sim, createBody({ labels: ['ok', 'not ok'] })), { labels: "The label 'not ok' contains spaces which is invalid." });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10017: [1] })), { customfield_10017: 'data was not a string' });
  });

  test('components and versions must exist in the project', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ components: [{ name: 'Storage' }] })), { components: "Component name 'Storage' is not valid" });
    assert.deepEqual(await refusedCreate(sim, createBody({ fixVersions: [{ name: '2.0' }] })), { fixVersions: "Version name '2.0' is not valid" });
  });

  test('summary ≤ 255 characters and on one line; description ≤ 32,767', async () => {
    assert.equal((await call(sim.url, 'POST', '/rest/api/2/issue', createBody({ summary: 's'.repeat(255) }))).status, 201);
    assert.deepEqual(await refusedCreate(sim, createBody({ summary: 's'.repeat(256) })), { summary: 'Summary must be less than 255 characters.' });
    assert.deepEqual(await refusedCreate(sim, createBody({ summary: 'two\nlines' })), { summary: 'The summary is invalid because it contains newline characters.' });
    assert.equal((await call(sim.url, 'POST', '/rest/api/2/issue', createBody({ description: 'd'.repeat(32767) }))).status, 201);
    assert.deepEqual(await refusedCreate(sim, createBody({ description: 'd'.repeat(32768) })),
      { description: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.' });
  });

  test('on /rest/api/2 an ADF document where a string is expected is refused', async () => {
    assert.deepEqual(await refusedCreate(sim, createBody({ description: adf('x') })), { description: 'Operation value must be a string' });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10016: adf('x') })), { customfield_10016: 'Operation value must be a string' });
  });

  test('a field in both fields and update is refused', async () => {
    const errors = await refusedCreate(sim, { ...createBody({ labels: ['a'] }), update: { labels: [{ add: 'b' }] } });
    assert.deepEqual(Object.keys(errors), ['labels']);
    assert.match(errors.labels, /both 'fields' and 'update'/);
  });

  test('bad JSON is a 400 and another media type a 415, both in Jira\'s shape', async () => {
    const bad = await call(sim.url, 'POST', '/rest/api/2/issue', '{"fields": {');
    assert.equal(bad.status, 400);
    assert.deepEqual(checkSchema(schemas, 'ErrorCollection', bad.body), []);
    assert.equal(bad.body.errorMessages.length, 1);
    const form = await call(sim.url, 'POST', '/rest/api/2/issue', 'fields=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    assert.deepEqual(checkSchema(schemas, 'ErrorCollection', form.body), []);
  });
});

describe('cloud: create refusals', () => {
  let sim: Simulator;
  before(async () => { sim = await startSimulator({ mode: 'cloud' }); });
  after(() => sim.close());

  test('on /rest/api/3 plain-string rich text is refused; ADF is taken', async () => {
    const message = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    assert.deepEqual(await refusedCreate(sim, createBody({ description: 'plain' }), 3), { description: message });
    assert.deepEqual(await refusedCreate(sim, createBody({ customfield_10016: 'plain' }), 3), { customfield_10016: message });
    assert.deepEqual(await refusedCreate(sim, createBody({ environment: { type: 'paragraph' } }), 3), { environment: message });
    assert.deepEqual(await refusedCreate(sim, createBody({ summary: adf('x') }), 3), { summary: 'Operation value must be a string' });
    const ok = await call(sim.url, 'POST', '/rest/api/3/issue', createBody({ description: adf('fine') }));
    assert.equal(ok.status, 201);
    // The same issue reads back as text on /rest/api/2.
    const v2 = await call(sim.url, 'GET', `/rest/api/2/issue/${ok.body.key}?fields=description`);
    assert.equal(v2.body.fields.description, 'fine');
  });

  test('/rest/api/latest is API 2: strings are taken there', async () => {
    assert.equal((await call(sim.url, 'POST', '/rest/api/latest/issue', createBody({ description: 'plain' }))).status, 201);
  });

  test('users are named by accountId on Cloud', async () => {
    assert.match((await refusedCreate(sim, createBody({ assignee: { name: 'jsmith' } }), 3)).assignee, /accountId/);
    assert.match((await refusedCreate(sim, createBody({ assignee: { accountId: 'nope' } }), 3)).assignee, /does not exist/);
    const ok = await call(sim.url, 'POST', '/rest/api/3/issue', createBody({ assignee: { accountId: '5b10a2844c20165700ede21g' } }));
    assert.equal(ok.status, 201);
    assert.equal((sim.issue(ok.body.key)!.fields.assignee as { displayName: string }).displayName, 'John Smith');
  });
});

describe('edit, transitions and comments', () => {
  let sim: Simulator;
  let key: string;
  before(async () => {
    sim = await startSimulator({ mode: 'datacenter' });
    key = (await call(sim.url, 'POST', '/rest/api/2/issue', createBody({ labels: ['jiraline-G1', 'old'] }))).body.key;
  });
  after(() => sim.close());

  test('edit answers 204 and applies fields and the update verbs add/set/remove', async () => {
    const body = {
      fields: { summary: 'Disk full again', priority: { name: 'Highest' } },
      update: { labels: [{ add: 'new' }, { remove: 'old' }, { add: 'new' }], customfield_10012: [{ add: { value: 'db' } }], comment: [{ add: { body: 'Investigating' } }] },
    };
    assert.deepEqual(checkSchema(schemas, 'IssueUpdateDetails', body), []);
    const res = await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, body);
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    const issue = sim.issue(key)!;
    assert.equal(issue.fields.summary, 'Disk full again');
    assert.deepEqual(issue.fields.labels, ['jiraline-G1', 'new']);
    assert.deepEqual((issue.fields.customfield_10012 as Array<{ value: string }>).map((o) => o.value), ['db']);
    assert.deepEqual(issue.comments.map((c) => c.body), ['Investigating']);
    const set = await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { update: { labels: [{ set: ['jiraline-G1', 'z'] }] } });
    assert.equal(set.status, 204);
    assert.deepEqual(sim.issue(key)!.fields.labels, ['jiraline-G1', 'z']);
  });

  test("the spec's update-verbs example: refused as sent; its label verbs and summary apply", async () => {
    const recorded = fixture<{ fields: Record<string, unknown>; update: Record<string, unknown> }>('spec-example__editIssue-request-update-verbs.json');
    const fresh = (await call(sim.url, 'POST', '/rest/api/2/issue', createBody({ labels: ['blocker', 'keep'] }))).body.key;
    const whole = await call(sim.url, 'PUT', `/rest/api/2/issue/${fresh}`, recorded);
    assert.equal(whole.status, 400);
    // As sent, it names fields this Jira does not have, sets components to "" and puts
    // summary in both fields and update — each refused, and nothing applied.
    assert.deepEqual(Object.keys(whole.body.errors).sort(), ['components', 'customfield_10000', 'customfield_10010', 'summary', 'timetracking']);
    assert.match(whole.body.errors.summary, /both 'fields' and 'update'/);
    assert.deepEqual(sim.issue(fresh)!.fields.labels, ['blocker', 'keep']);
    const usable = { fields: { summary: recorded.fields.summary }, update: { labels: recorded.update.labels }, historyMetadata: (recorded as Record<string, unknown>).historyMetadata };
    assert.equal((await call(sim.url, 'PUT', `/rest/api/2/issue/${fresh}`, usable)).status, 204);
    assert.deepEqual(sim.issue(fresh)!.fields.labels, ['keep', 'triaged']);
    assert.equal(sim.issue(fresh)!.fields.summary, 'Completed orders still displaying in pending');
  });

  test('a refused edit changes nothing, even the parts that were fine', async () => {
    const before = JSON.stringify(sim.issue(key));
    const res = await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { fields: { summary: 'changed', customfield_10011: 'many' }, update: { labels: [{ add: 'x' }] } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errorMessages: [], errors: { customfield_10011: 'Operation value must be a number' } });
    assert.equal(JSON.stringify(sim.issue(key)), before);
  });

  test('edit refuses emptying a required field, moving the project, an unknown verb, and unknown issues', async () => {
    assert.deepEqual((await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { fields: { summary: '' } })).body.errors, { summary: 'Summary is required.' });
    assert.deepEqual((await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { fields: { project: { key: 'DEMO' } } })).body.errors, { project: CANNOT('project') });
    assert.match((await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { update: { summary: [{ add: 'x' }] } })).body.errors.summary, /operation 'add'/);
    assert.deepEqual((await call(sim.url, 'PUT', `/rest/api/2/issue/${key}`, { update: { comment: [{ add: { body: '' } }] } })).body.errors, { comment: 'Comment body can not be empty!' });
    const missing = await call(sim.url, 'PUT', '/rest/api/2/issue/OPS-999', { fields: { summary: 'x' } });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    assert.equal((await call(sim.url, 'GET', '/rest/api/2/issue/OPS-999')).status, 404);
  });

  test('a transition to Done sets the resolution; Reopen clears it; an unavailable one is refused', async () => {
    const bad = await call(sim.url, 'POST', `/rest/api/2/issue/${key}/transitions`, { transition: { id: '31' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { errorMessages: ["Transition id '31' is not valid for this issue."], errors: {} });
    const done = await call(sim.url, 'POST', `/rest/api/2/issue/${key}/transitions`, { transition: { id: '21' }, update: { comment: [{ add: { body: 'Fixed' } }] } });
    assert.equal(done.status, 204);
    let issue = await call(sim.url, 'GET', `/rest/api/2/issue/${key}?fields=status,resolution,resolutiondate`);
    assert.equal(issue.body.fields.status.name, 'Done');
    assert.equal(issue.body.fields.resolution.name, 'Done');
    assert.equal(typeof issue.body.fields.resolutiondate, 'string');
    assert.equal(sim.issue(key)!.comments.at(-1)!.body, 'Fixed');
    const list = await call(sim.url, 'GET', `/rest/api/2/issue/${key}/transitions`);
    assert.deepEqual(list.body.transitions.map((t: { to: { name: string } }) => t.to.name), ['To Do']);
    assert.equal((await call(sim.url, 'POST', `/rest/api/2/issue/${key}/transitions`, { transition: { id: '31' } })).status, 204);
    issue = await call(sim.url, 'GET', `/rest/api/2/issue/${key}?fields=status,resolution`);
    assert.equal(issue.body.fields.status.name, 'To Do');
    assert.equal(issue.body.fields.resolution, null);
    const screen = await call(sim.url, 'POST', `/rest/api/2/issue/${key}/transitions`, { transition: { id: '11' }, fields: { resolution: { name: 'Done' } } });
    assert.deepEqual(screen.body.errors, { resolution: CANNOT('resolution') });
    assert.equal(sim.issue(key)!.status, 'To Do');
  });

  test('comments: 201 with the comment; empty or ADF bodies refused on API 2, strings on API 3', async () => {
    const ok = await call(sim.url, 'POST', `/rest/api/2/issue/${key}/comment`, { body: 'Restarted' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.body, 'Restarted');
    assert.deepEqual((await call(sim.url, 'POST', `/rest/api/2/issue/${key}/comment`, { body: '' })).body, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
    assert.deepEqual((await call(sim.url, 'POST', `/rest/api/2/issue/${key}/comment`, { body: adf('x') })).body.errors, { comment: 'Operation value must be a string' });
    assert.deepEqual((await call(sim.url, 'POST', `/rest/api/3/issue/${key}/comment`, { body: 'plain' })).body.errors,
      { comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' });
    const v3 = await call(sim.url, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('rich') });
    assert.equal(v3.status, 201);
    assert.deepEqual(v3.body.body, adf('rich'));
  });
});
