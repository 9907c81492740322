// The engine reads a mapped ticket's labels (GET issue?fields=labels) before it writes to it:
// the simulator answers as Jira does, with only the fields asked for, labels as strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../source/simulator/index.js';

for (const mode of ['datacenter', 'cloud'] as const) {
  test(`${mode}: GET issue?fields=labels answers the issue's labels and nothing more`, async (t) => {
    const sim = await startSimulator({ mode, auth: null });
    t.after(() => sim.close());
    const api = mode === 'cloud' ? 3 : 2;
    const made = await fetch(`${sim.url}/rest/api/${api}/issue`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'x', labels: ['jiraline-alarm-1', 'disk'] } }),
    });
    assert.equal(made.status, 201);
    const { key } = (await made.json()) as { key: string };
    const got = await fetch(`${sim.url}/rest/api/${api}/issue/${key}?fields=labels`);
    assert.equal(got.status, 200);
    const issue = (await got.json()) as { key: string; fields: Record<string, unknown> };
    assert.equal(issue.key, key);
    assert.deepEqual(issue.fields, { labels: ['jiraline-alarm-1', 'disk'] });
    const missing = await fetch(`${sim.url}/rest/api/${api}/issue/OPS-999?fields=labels`);
    assert.equal(missing.status, 404, 'a ticket that is not there is a 404, as in Jira');
  });
}
