// The engine end to end against the built-in simulator through the real REST client: the
// bodies the composer makes are what a Jira accepts, the label search finds what a CREATE
// made, and passing failures are retried. Fake time; real HTTP on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type JiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { IssuePayload, JiraPort } from '../../source/core/ports.js';
import { harness, runFor } from './engine-harness.js';
import { simulated } from '../helpers/simulated-jira.js';


const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
  { field: 'priority', value: 'Medium', mode: 'Include' as const },
];

test('CREATE then merged UPDATEs against the simulator: one ticket with every change', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template, updates: { maxUpdates: 1, intervalSeconds: 60 } } });
  assert.equal(h.engine.getSnapshot().connection.state, 'ok');
  assert.equal(await h.engine.submitLine('SIM-1|CREATE|summary;db01 disk full|Severity;Sev2|comment;paged on-call|status;In Progress|'),
    'OK SIM-1 queued');
  await h.engine.whenIdle();
  await h.send('SIM-1|UPDATE|comment;first|');
  await h.engine.whenIdle();
  await h.send('SIM-1|UPDATE|summary;db01 disk 95%|labels;+disk|comment;second|', 'SIM-1|UPDATE|Story Points;3|comment;third|status;Done|');
  await runFor(h, 60_000, 10_000);
  const issues = sim.issues();
  assert.equal(issues.length, 1);
  const issue = issues[0];
  assert.equal(issue.fields.summary, 'db01 disk 95%');
  assert.deepEqual((issue.fields.customfield_10010 as { value: string }).value, 'Sev2');
  assert.equal(issue.fields.customfield_10011, 3);
  assert.deepEqual([...(issue.fields.labels as string[])].sort(), ['disk', 'jiraline-SIM-1']);
  assert.equal(issue.comments.length, 4);
  assert.equal(issue.status, 'Done');
  const rows = h.store.queryLog({ guid: 'SIM-1' }).reverse();
  assert.deepEqual(rows.map((r) => [r.action, r.status, r.lines]), [['Create', 'Ok', 1], ['Update', 'Ok', 1], ['Update', 'Ok', 2]]);
  assert.equal(rows[0].ticketUrl, `${sim.url}/browse/${issue.key}`);
  assert.deepEqual(h.engine.getSnapshot().stats.updated.today, 2);
});

test('503s from the simulator are retried until it answers', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template } });
  sim.setFaults({ failureRate: 1, failureStatus: 503, retryAfterSeconds: 2 });
  await h.send('SIM-2|CREATE|summary;flapping|');
  await h.engine.whenIdle();
  assert.equal(h.engine.status('SIM-2')?.status, 'Pending');
  assert.equal(sim.issues().length, 0);
  sim.setFaults({});
  await runFor(h, 10_000, 1000);
  assert.equal(h.engine.status('SIM-2')?.status, 'Ok');
  assert.equal(sim.issues().length, 1);
});

/** The real client, but the answer of the first create for `guid` is lost after Jira made the ticket. */
function losingFirstAnswer(client: JiraClient, guid: string): JiraPort {
  let lost = false;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'createIssue') {
        return async (body: IssuePayload) => {
          const created = await target.createIssue(body);
          if (!lost && (body.fields?.labels as string[]).includes(`jiraline-${guid}`)) {
            lost = true;
            throw new JiraError({ status: 0, message: 'request timed out', cause: 'timeout' });
          }
          return created;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const mode of ['datacenter', 'cloud'] as const) {
  test(`a lost CREATE answer is found by the label search (${mode}): exactly one ticket`, async (t) => {
    const { sim, client } = await simulated(t, mode);
    const h = await harness(t, { port: losingFirstAnswer(client, 'SIM-3'), catalogue: false, config: { template } });
    // Another GUID whose label starts the same: the lookup must not take it.
    await h.send('SIM-3x|CREATE|summary;neighbour|');
    await h.engine.whenIdle();
    // Users are names on Data Center and account ids on Cloud.
    const user = mode === 'cloud' ? '5b10ac8d82e05b22cc7d4ef5' : 'ops-bot';
    await h.send(`SIM-3|CREATE|summary;lost answer|assignee;${user}|`);
    await runFor(h, 5_000, 1000);
    const mine = sim.issues().filter((i) => (i.fields.labels as string[]).includes('jiraline-SIM-3'));
    assert.equal(mine.length, 1, 'one ticket for the GUID');
    assert.equal(sim.issues().length, 2);
    assert.equal(h.engine.status('SIM-3')?.ticketKey, mine[0].key);
    assert.equal(h.engine.status('SIM-3x')?.status, 'Ok');
    const assignee = mine[0].fields.assignee as Record<string, string>;
    if (mode === 'cloud') assert.equal(assignee.accountId, '5b10ac8d82e05b22cc7d4ef5');
    else assert.equal(assignee.name, 'ops-bot');
  });
}
