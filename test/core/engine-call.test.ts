// CALL lines: custom endpoints from the config, through the real client against the
// simulator. Parameters reach the right path with the right body; an unknown endpoint or a
// missing parameter is refused at once; a 503 is retried as an update's would be.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { type JiraClient } from '../../source/jira/index.js';
import { type Simulator } from '../../source/simulator/index.js';
import { parseConfig, ConfigError } from '../../source/core/config.js';
import { harness, runFor, type Harness } from './engine-harness.js';
import { simulated } from '../helpers/simulated-jira.js';

const endpoints = {
  'add-watcher': { method: 'POST' as const, path: 'rest/api/2/issue/{key}/watchers', body: '{param:user}' },
  'log-work': { method: 'POST' as const, path: 'rest/api/2/issue/{key}/worklog', body: { timeSpent: '{param:spent}', comment: 'alarm {guid}: {param:note}' } },
  'link': { method: 'POST' as const, path: 'rest/api/2/issueLink',
    body: { type: { name: 'Relates' }, inwardIssue: { key: '{key}' }, outwardIssue: { key: '{param:other}' } } },
  'assign': { method: 'PUT' as const, path: '/rest/api/2/issue/{key}/assignee', body: { name: '{param:who}' } },
};


async function withEndpoints(t: TestContext, client: JiraClient): Promise<Harness> {
  const h = await harness(t, { port: client, catalogue: false, config: {
    template: [{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'issuetype', value: 'Incident', mode: 'Include' }],
  } });
  h.engine.setConfig({ ...h.config, endpoints });
  return h;
}

const issueOf = (sim: Simulator, guid: string) => sim.issues().find((i) => (i.fields.labels as string[] | undefined)?.includes(`jiraline-${guid}`));

test('CALLs with parameters reach the right path with the right body, in the GUID\'s order, each logged as a Call', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await withEndpoints(t, client);
  await h.send('CALL-0|CREATE|summary;other incident|');
  assert.deepEqual(await h.send(
    'CALL-1|CREATE|summary;db down|',
    'CALL-1|CALL|endpoint;add-watcher|user;jsmith|',
    'CALL-1|CALL|endpoint;log-work|spent;1h 30m|note;restarted db|',
    'CALL-1|CALL|endpoint;assign|who;oncall|',
  ), ['OK CALL-1 queued', 'OK CALL-1 queued', 'OK CALL-1 queued', 'OK CALL-1 queued']);
  await h.engine.whenIdle();
  const other = issueOf(sim, 'CALL-0');
  assert.ok(other);
  assert.deepEqual(await h.send(`CALL-1|CALL|endpoint;link|other;${other.key}|`), ['OK CALL-1 queued']);
  await h.engine.whenIdle();

  const issue = issueOf(sim, 'CALL-1');
  assert.ok(issue);
  assert.deepEqual(issue.watchers, ['jsmith']);
  assert.equal(issue.worklogs?.length, 1);
  assert.equal(issue.worklogs?.[0].timeSpentSeconds, 5400);
  assert.equal(issue.worklogs?.[0].comment, 'alarm CALL-1: restarted db');
  assert.deepEqual(issue.fields.assignee, { accountId: 'oncall', name: 'oncall', displayName: 'oncall' });
  const links = issue.fields.issuelinks as Array<{ type: { name: string }; outwardIssue?: { key: string } }>;
  assert.deepEqual(links.map((l) => [l.type.name, l.outwardIssue?.key]), [['Relates', other.key]]);
  const rows = h.store.queryLog({ guid: 'CALL-1' }).reverse();
  assert.deepEqual(rows.map((r) => [r.action, r.status]), [['Create', 'Ok'], ['Call', 'Ok'], ['Call', 'Ok'], ['Call', 'Ok'], ['Call', 'Ok']]);
  assert.deepEqual(JSON.parse(rows[1].request ?? '{}'), { endpoint: 'add-watcher', method: 'POST', path: `rest/api/2/issue/${issue.key}/watchers`, body: 'jsmith' });
  assert.equal(rows[1].ticketKey, issue.key);
  assert.equal(h.engine.getSnapshot().stats.updated.total, 0, 'a CALL is no ticket update in the statistics');
});

test('an unknown endpoint, a missing parameter, a CALL on {key} for a GUID without a ticket: ERR at once', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await withEndpoints(t, client);
  const [unknown, missing, noName, noTicket] = await h.send(
    'CALL-2|CALL|endpoint;add-wacher|user;x|',
    'CALL-2|CALL|endpoint;log-work|spent;1h|',
    'CALL-2|CALL|user;x|',
    'CALL-2|CALL|endpoint;add-watcher|user;x|',
  );
  assert.match(unknown, /^ERR CALL-2 unknown endpoint 'add-wacher' — the config's endpoints: add-watcher, log-work, link, assign$/);
  assert.match(missing, /^ERR CALL-2 endpoint 'log-work' needs note;value$/);
  assert.match(noName, /^ERR CALL-2 CALL needs endpoint;NAME/);
  assert.match(noTicket, /^ERR CALL-2 GUID has no ticket/);
  await h.engine.whenIdle();
  assert.equal(h.store.countLog(), 0, 'nothing refused is logged or queued');
  assert.equal(sim.issues().length, 0);
});

test('an endpoint with an unknown placeholder is refused when the config is read', () => {
  assert.throws(() => parseConfig({ endpoints: { bad: { method: 'POST', path: 'rest/api/2/issue/{ticket}/watchers' } } }),
    (e: unknown) => e instanceof ConfigError && /endpoints\.bad.*unknown placeholder \{ticket\}/.test(e.message));
  assert.throws(() => parseConfig({ endpoints: { bad: { path: 'x', body: { a: '{param:}' } } } }), /unknown placeholder/);
  assert.ok(parseConfig({ endpoints: { ok: { path: 'rest/api/2/issue/{key}', body: ['{guid}', { n: 1 }] } } }));
});

test('a CALL refused with 503 stays Pending, is retried, and reaches Jira once', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await withEndpoints(t, client);
  await h.send('CALL-3|CREATE|summary;x|');
  await h.engine.whenIdle();
  sim.setFaults({ failureRate: 1, failureStatus: 503, failureWritesOnly: true, retryAfterSeconds: 2 });
  assert.deepEqual(await h.send('CALL-3|CALL|endpoint;add-watcher|user;jsmith|'), ['OK CALL-3 queued']);
  await h.engine.whenIdle();
  const [row] = h.store.queryLog({ guid: 'CALL-3', limit: 1 });
  assert.equal(row.status, 'Pending');
  assert.match(row.error ?? '', /Service Unavailable/);
  assert.equal(issueOf(sim, 'CALL-3')?.watchers, undefined);
  sim.setFaults({});
  await runFor(h, 30_000);
  assert.equal(h.store.getLog(row.id)?.status, 'Ok');
  assert.ok((h.store.getLog(row.id)?.attempts ?? 0) >= 2);
  assert.deepEqual(issueOf(sim, 'CALL-3')?.watchers, ['jsmith']);
});
