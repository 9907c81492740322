// Every JiraPort call against a node:http server serving recorded Jira answers (fixtures/):
// method, path, headers and body as Jira expects them, answers parsed as Jira sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient, type JiraClient, type JiraClientOptions } from '../../source/jira/index.js';
import type { Secret } from '../../source/core/ports.js';
import { JiraError } from '../../source/core/jira-error.js';
import { startRecordingServer, type Recorded, type Reply } from './helpers/recording-server.js';
import { fixture } from './helpers/fixtures.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const basic = { method: 'basic' as const, username: 'ops-bot', password: secret('api-token-1') };
const basicHeader = 'Basic ' + Buffer.from('ops-bot:api-token-1').toString('base64');

async function withServer(handler: (req: Recorded) => Reply | null, run: (client: JiraClient, requests: Recorded[]) => Promise<void>,
  options: Partial<JiraClientOptions> = {}, basePath = '') {
  const server = await startRecordingServer(handler);
  const client = createJiraClient({ baseUrl: server.url + basePath, ticketLocation: 'rest/api/2/issue', credentials: basic, env: {}, ...options });
  try {
    await run(client, server.requests);
  } finally {
    await client.close();
    await server.close();
  }
}

function assertJsonHeaders(req: Recorded, withBody: boolean) {
  assert.equal(req.headers.authorization, basicHeader);
  assert.equal(req.headers.accept, 'application/json');
  if (withBody) assert.equal(req.headers['content-type'], 'application/json');
  else assert.equal(req.headers['content-type'], undefined);
}

test('serverInfo: GET /serverInfo, deployment type read from the answer', async () => {
  await withServer(() => ({ status: 200, json: fixture('jira-cli__serverinfo.json') }), async (client, reqs) => {
    assert.equal(client.deploymentType, undefined);
    const info = await client.serverInfo();
    assert.deepEqual(info, { deploymentType: 'Cloud', version: '1001.0.0-SNAPSHOT', baseUrl: 'https://demo.atlassian.net', serverTitle: 'Jira' });
    assert.equal(client.deploymentType, 'Cloud');
    assert.equal(reqs[0].method, 'GET');
    assert.equal(reqs[0].url, '/rest/api/2/serverInfo');
    assertJsonHeaders(reqs[0], false);
  });
});

test('myself: GET /myself with the Bearer key', async () => {
  await withServer(() => ({ status: 200, json: { name: 'ops-bot', displayName: 'Ops Bot', emailAddress: 'ops@example.com', active: true } }), async (client, reqs) => {
    assert.deepEqual(await client.myself(), { name: 'ops-bot', displayName: 'Ops Bot', emailAddress: 'ops@example.com' });
    assert.equal(reqs[0].url, '/rest/api/latest/myself');
    assert.equal(reqs[0].headers.authorization, 'Bearer pat-XYZ');
  }, { ticketLocation: undefined, credentials: { method: 'key', key: secret('pat-XYZ') } });
});

test('no credentials: no Authorization header at all; setCredentials swaps them without a new client', async () => {
  await withServer(() => ({ status: 200, json: { accountId: 'abc', displayName: 'A' } }), async (client, reqs) => {
    await client.myself();
    assert.equal(reqs[0].headers.authorization, undefined);
    client.setCredentials(basic);
    await client.myself();
    assert.equal(reqs[1].headers.authorization, basicHeader);
  }, { credentials: null });
});

test('fields: GET /field, each entry kept with its schema', async () => {
  await withServer(() => ({ status: 200, json: fixture('jira-cli__fields.json') }), async (client, reqs) => {
    const fields = await client.fields();
    assert.equal(reqs[0].url, '/rest/api/2/field');
    assert.deepEqual(fields.map((f) => f.id), ['fixVersions', 'customfield_10111', 'timespent']);
    assert.deepEqual(fields[1], { id: 'customfield_10111', name: 'Original story points', custom: true,
      schema: { type: 'number', custom: 'com.atlassian.jpo:jpo-custom-field-original-story-points', customId: 10111 } });
  });
});

test('createmeta issue types: the Data Center 9 {values} shape', async () => {
  await withServer(() => ({ status: 200, json: fixture('jira-cli__createmetav9.json') }), async (client, reqs) => {
    const types = await client.createMetaIssueTypes('OPS');
    assert.deepEqual(types, [{ id: '10001', name: 'Epic', subtask: false }, { id: '10002', name: 'Task', subtask: false }, { id: '10003', name: 'Sub-task', subtask: true }]);
    assert.equal(reqs.length, 1);
    assert.match(reqs[0].url, /^\/rest\/api\/2\/issue\/createmeta\/OPS\/issuetypes\?startAt=0&maxResults=100$/);
  });
});

test('createmeta issue types: the Cloud {issueTypes} shape, followed over pages', async () => {
  const all = Array.from({ length: 150 }, (_, i) => ({ id: String(10000 + i), name: `T${i}`, subtask: false }));
  await withServer((req) => {
    const startAt = Number(new URL(req.url, 'http://x').searchParams.get('startAt'));
    return { status: 200, json: { issueTypes: all.slice(startAt, startAt + 100), startAt, maxResults: 100, total: all.length } };
  }, async (client, reqs) => {
    const types = await client.createMetaIssueTypes('OPS');
    assert.equal(types.length, 150);
    assert.equal(types[149].name, 'T149');
    assert.deepEqual(reqs.map((r) => new URL(r.url, 'http://x').searchParams.get('startAt')), ['0', '100']);
  });
});

test('createmeta fields: Cloud {fields} and Data Center {values} shapes', async () => {
  const field = { fieldId: 'customfield_10010', name: 'Severity', required: true, schema: { type: 'option', custom: 'x:select', customId: 10010 },
    allowedValues: [{ id: '1', value: 'Sev1' }], key: 'customfield_10010', operations: ['set'] };
  for (const key of ['fields', 'values']) {
    await withServer(() => ({ status: 200, json: { [key]: [field], startAt: 0, maxResults: 100, total: 1 } }), async (client, reqs) => {
      const fields = await client.createMetaFields('OPS', '10002');
      assert.equal(reqs[0].url.split('?')[0], '/rest/api/2/issue/createmeta/OPS/issuetypes/10002');
      assert.deepEqual(fields, [{ fieldId: 'customfield_10010', name: 'Severity', required: true, schema: field.schema, allowedValues: field.allowedValues }]);
    });
  }
});

test('createmeta: the old expand form only when the new endpoints 404, and then remembered', async () => {
  const old = fixture('jira-cli__createmeta.json') as { projects: Array<{ issuetypes: Array<{ fields: Record<string, unknown> }> }> };
  await withServer((req) => {
    if (req.url.includes('/createmeta/')) return { status: 404, json: { errorMessages: ['null for uri'], errors: {} } };
    return { status: 200, json: old };
  }, async (client, reqs) => {
    const types = await client.createMetaIssueTypes('TEST');
    assert.deepEqual(types, [{ id: '10001', name: 'Epic', subtask: false }]);
    assert.equal(reqs.length, 2);
    const legacy = new URL(reqs[1].url, 'http://x');
    assert.equal(legacy.pathname, '/rest/api/2/issue/createmeta');
    assert.equal(legacy.searchParams.get('projectKeys'), 'TEST');
    assert.equal(legacy.searchParams.get('expand'), 'projects.issuetypes');
    const fields = await client.createMetaFields('TEST', '10001');
    assert.equal(reqs.length, 3, 'the new endpoint is not asked again');
    const third = new URL(reqs[2].url, 'http://x');
    assert.equal(third.searchParams.get('issuetypeIds'), '10001');
    assert.equal(third.searchParams.get('expand'), 'projects.issuetypes.fields');
    assert.deepEqual(fields.map((f) => [f.fieldId, f.name, f.required]), [['customfield_10011', 'Epic Name', false], ['priority', 'Priority', false], ['customfield_10014', 'Epic Link', false]]);
  });
});

test('createmeta: a 404 from both forms is the first 404, not a silent empty list', async () => {
  await withServer((req) => (req.url.includes('/createmeta/') ? { status: 404, json: { errorMessages: ['No project could be found with key \'NOPE\'.'], errors: {} } } : { status: 200, json: { projects: [] } }),
    async (client) => {
      await assert.rejects(client.createMetaIssueTypes('NOPE'), (e: unknown) => e instanceof JiraError && e.status === 404 && /NOPE/.test(e.message));
    });
});

test('createIssue: POST {location} with the JSON body, 201 {id, key, self}', async () => {
  const payload = { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'Disk full on db-1', labels: ['jiraline-A1'] } };
  await withServer(() => ({ status: 201, json: fixture('spec-example__createIssue-201.json') }), async (client, reqs) => {
    const created = await client.createIssue(payload);
    assert.deepEqual(created, { id: '10000', key: 'ED-24', self: 'https://your-domain.atlassian.net/rest/api/3/issue/10000' });
    assert.equal(reqs[0].method, 'POST');
    assert.equal(reqs[0].url, '/rest/api/2/issue');
    assertJsonHeaders(reqs[0], true);
    assert.deepEqual(reqs[0].json, payload);
  });
  // An answer without self (jira-cli's recording) still gives a usable issue URL.
  await withServer(() => ({ status: 201, json: fixture('jira-cli__create.json') }), async (client) => {
    const created = await client.createIssue(payload);
    assert.equal(created.key, 'TEST-3');
    assert.match(created.self, /\/rest\/api\/2\/issue\/10057$/);
    assert.equal(client.browseUrl('TEST-3'), `${client.baseUrl}/browse/TEST-3`);
  });
});

test('editIssue: PUT {location}/{key} with fields and update verbs, 204', async () => {
  const body = fixture('spec-example__editIssue-request-update-verbs.json') as Record<string, unknown>;
  await withServer(() => ({ status: 204 }), async (client, reqs) => {
    await client.editIssue('OPS-7', body);
    assert.equal(reqs[0].method, 'PUT');
    assert.equal(reqs[0].url, '/rest/api/2/issue/OPS-7');
    assertJsonHeaders(reqs[0], true);
    assert.deepEqual(reqs[0].json, body);
  });
});

test('transitions and transitionTo: the transition whose target status has the name, case-insensitive', async () => {
  await withServer((req) => (req.method === 'GET' ? { status: 200, json: fixture('go-jira__transitions.json') } : { status: 204 }), async (client, reqs) => {
    const list = await client.transitions('OPS-1');
    assert.equal(reqs[0].url, '/rest/api/2/issue/OPS-1/transitions');
    assert.ok(list.length >= 1);
    // The target's status category comes along (the alarms learn from it whether the ticket is done).
    assert.deepEqual(list[0], { id: '2', name: 'Close Issue', to: { id: '10000', name: 'In Progress', statusCategory: 'in-flight' } });
    const applied = await client.transitionTo('OPS-1', 'in progress');
    assert.equal(applied.id, '2');
    const post = reqs.at(-1)!;
    assert.equal(post.method, 'POST');
    assert.equal(post.url, '/rest/api/2/issue/OPS-1/transitions');
    assert.deepEqual(post.json, { transition: { id: '2' } });
  });
});

test('transitionTo with no matching status: a final error listing the reachable statuses', async () => {
  const transitions = { transitions: [
    { id: '11', name: 'Start progress', to: { id: '3', name: 'In Progress' } },
    { id: '21', name: 'Finish', to: { id: '4', name: 'Done' } },
  ] };
  await withServer((req) => (req.url.includes('/transitions') ? { status: 200, json: transitions }
    : { status: 200, json: { id: '1', key: 'OPS-1', fields: { status: { id: '1', name: 'To Do' } } } }), async (client, reqs) => {
    await assert.rejects(client.transitionTo('OPS-1', 'Closed'), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 400);
      assert.equal(e.retryable, false);
      assert.equal(e.cause_, 'no-transition');
      assert.match(e.message, /"In Progress", "Done"/);
      assert.match(e.message, /Closed/);
      assert.match(e.detail(), /^status "[^"]+": name one of the available target statuses "In Progress", "Done" — /, 'the log row shows the choices');
      return true;
    });
    assert.ok(!reqs.some((r) => r.method === 'POST'), 'nothing applied');
  });
});

test('transitionTo a status the issue is already in: nothing to do, no error', async () => {
  await withServer((req) => (req.url.includes('/transitions') ? { status: 200, json: { transitions: [{ id: '31', name: 'Reopen', to: { id: '1', name: 'To Do' } }] } }
    : { status: 200, json: { id: '1', key: 'OPS-1', fields: { status: { id: '4', name: 'Done' } } } }), async (client, reqs) => {
    const t = await client.transitionTo('OPS-1', 'done');
    assert.equal(t.id, '');
    assert.equal(t.to.name, 'Done');
    assert.ok(!reqs.some((r) => r.method === 'POST'));
    assert.equal(reqs.at(-1)!.url, '/rest/api/2/issue/OPS-1?fields=status');
  });
});

test('addComment: a string on API 2, an Atlassian Document on API 3', async () => {
  await withServer(() => ({ status: 201, json: { id: '100' } }), async (client, reqs) => {
    assert.equal(client.apiVersion, 2);
    await client.addComment('OPS-1', 'Paged the DBA');
    assert.equal(reqs[0].method, 'POST');
    assert.equal(reqs[0].url, '/rest/api/2/issue/OPS-1/comment');
    assert.deepEqual(reqs[0].json, { body: 'Paged the DBA' });
  });
  await withServer(() => ({ status: 201, json: { id: '100' } }), async (client, reqs) => {
    assert.equal(client.apiVersion, 3);
    await client.addComment('OPS-1', 'line one\nline two');
    assert.equal(reqs[0].url, '/rest/api/3/issue/OPS-1/comment');
    assert.deepEqual(reqs[0].json, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [
      { type: 'text', text: 'line one' }, { type: 'hardBreak' }, { type: 'text', text: 'line two' }] }] } });
  }, { ticketLocation: '/rest/api/3/issue/' });
});

test('getIssue: GET {location}/{key}?fields=…; keys are path-encoded', async () => {
  await withServer(() => ({ status: 200, json: { id: '10001', ...(fixture('jira-cli__issue.json') as object) } }), async (client, reqs) => {
    const issue = await client.getIssue('TEST-1', ['summary', 'status']);
    assert.equal(reqs[0].url, '/rest/api/2/issue/TEST-1?fields=summary%2Cstatus');
    assert.equal(issue.key, 'TEST-1');
    assert.equal(issue.fields.summary, 'Bug summary');
    await client.getIssue('a/../b');
    assert.equal(reqs[1].url, '/rest/api/2/issue/a%2F..%2Fb');
  });
});

test('search on Server/Data Center: POST /rest/api/2/search with startAt', async () => {
  await withServer(() => ({ status: 200, json: { startAt: 50, maxResults: 50, total: 53, ...(fixture('jira-cli__search.json') as object) } }), async (client, reqs) => {
    const result = await client.search('labels = jiraline-A1', { startAt: 50, fields: ['labels'] });
    assert.equal(reqs[0].method, 'POST');
    assert.equal(reqs[0].url, '/rest/api/2/search');
    assertJsonHeaders(reqs[0], true);
    assert.deepEqual(reqs[0].json, { jql: 'labels = jiraline-A1', startAt: 50, maxResults: 50, fields: ['labels'] });
    assert.equal(result.total, 53);
    assert.deepEqual(result.issues.map((i) => i.key), ['TEST-1', 'TEST-2', 'TEST-3']);
  }, { deploymentType: 'DataCenter' });
});

test('search on Cloud: POST /rest/api/3/search/jql with nextPageToken paging', async () => {
  await withServer(() => ({ status: 200, json: { ...(fixture('spec-example__search-jql-200.json') as object), isLast: false, nextPageToken: 'tok-2' } }), async (client, reqs) => {
    const result = await client.search('project = OPS AND resolution = Unresolved', { maxResults: 10, nextPageToken: 'tok-1' });
    assert.equal(reqs[0].url, '/rest/api/3/search/jql');
    assert.deepEqual(reqs[0].json, { jql: 'project = OPS AND resolution = Unresolved', maxResults: 10, fields: ['*navigable'], nextPageToken: 'tok-1' });
    assert.equal(result.nextPageToken, 'tok-2');
    assert.ok(result.issues.length >= 1);
  }, { deploymentType: 'Cloud' });
});

test('search: the deployment learned from serverInfo picks the endpoint', async () => {
  await withServer((req) => (req.url.endsWith('/serverInfo') ? { status: 200, json: { deploymentType: 'Cloud', version: '1001' } } : { status: 200, json: { issues: [], isLast: true } }),
    async (client, reqs) => {
      await client.serverInfo();
      const result = await client.search('key = OPS-1');
      assert.equal(reqs[1].url, '/rest/api/3/search/jql');
      assert.equal(result.nextPageToken, undefined);
    });
});

test('search: a 410 from the removed /search switches to /search/jql, and stays switched', async () => {
  await withServer((req) => (req.url === '/rest/api/2/search' ? { status: 410, json: fixture('observed__search-410-gone.json') }
    : { status: 200, json: fixture('spec-example__search-jql-200.json') }), async (client, reqs) => {
    const first = await client.search('labels = x');
    assert.deepEqual(reqs.map((r) => r.url), ['/rest/api/2/search', '/rest/api/3/search/jql']);
    assert.ok(first.issues.length >= 1);
    await client.search('labels = y');
    assert.equal(reqs.length, 3);
    assert.equal(reqs[2].url, '/rest/api/3/search/jql');
  }, { deploymentType: 'Server' });
});

test('a Jira under a context path: every call keeps the prefix', async () => {
  await withServer(() => ({ status: 200, json: { issues: [], total: 0 } }), async (client, reqs) => {
    await client.search('labels = x');
    await client.fields().catch((e: unknown) => assert.ok(e instanceof JiraError, 'a non-list answer is a JiraError'));
    assert.deepEqual(reqs.map((r) => r.url), ['/jira/rest/api/2/search', '/jira/rest/api/latest/field']);
  }, { deploymentType: 'DataCenter', ticketLocation: 'rest/api/latest/issue' }, '/jira/');
});
