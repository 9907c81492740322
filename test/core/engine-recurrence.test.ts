// An alarm that comes back after its ticket was resolved, end to end against the simulator
// through the real REST client: under each `alarms.onRecurrence` policy the resolved ticket is
// reopened through the named transition, replaced by a new linked ticket, or only updated, and
// the log row says which. Also the template's placeholders filled from the line. Fake time.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { type Simulator } from '../../source/simulator/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { harness, runFor, type ConfigOverrides, type Harness } from './engine-harness.js';
import { simulated } from '../helpers/simulated-jira.js';


const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];

/** An alarm raised, its ticket resolved (Done), and the alarm raised again. */
async function recurring(t: TestContext, config: ConfigOverrides, clock?: FakeClock): Promise<{ sim: Simulator; h: Harness }> {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, clock, config: { template, ...config } });
  await h.send('g-1|CREATE|summary;link down|');
  await runFor(h, 5000);
  await h.send('g-1|UPDATE|status;Done|');
  await runFor(h, 5000);
  assert.equal(sim.issues()[0].status, 'Done', 'the ticket is resolved before the alarm comes back');
  assert.ok(sim.issues()[0].fields.resolution, 'Jira reports a resolution on Done');
  await h.send('g-1|CREATE|summary;link down again|comment;seen again|');
  await runFor(h, 5000);
  return { sim, h };
}

function rowsOf(h: Harness): Array<[string, string]> {
  return h.store.queryLog({ guid: 'g-1' }).reverse().map((r) => [r.action, r.status]);
}

test('reopen (the default): the resolved ticket goes back through the transition and is updated, logged as Reopen', async (t) => {
  const { sim, h } = await recurring(t, {});
  const issues = sim.issues();
  assert.equal(issues.length, 1, 'no second ticket');
  assert.equal(issues[0].status, 'To Do');
  assert.equal(issues[0].fields.resolution, null);
  assert.equal(issues[0].fields.summary, 'link down again');
  assert.equal(issues[0].comments.length, 1);
  assert.deepEqual(rowsOf(h), [['Create', 'Ok'], ['Update', 'Ok'], ['Reopen', 'Ok']]);
  assert.equal(h.engine.status('g-1')?.ticketKey, issues[0].key);
});

test('new: a second ticket linked to the resolved one; the GUID follows it, later UPDATEs go there', async (t) => {
  const { sim, h } = await recurring(t, { alarms: { onRecurrence: 'new' } });
  const [old, fresh] = sim.issues();
  assert.ok(fresh, 'a new ticket was made');
  assert.equal(old.status, 'Done', 'the old ticket stays resolved');
  assert.equal(old.fields.summary, 'link down');
  assert.equal(fresh.fields.summary, 'link down again');
  assert.deepEqual(fresh.fields.labels, ['jiraline-g-1']);
  assert.equal(fresh.comments.length, 1);
  const links = fresh.fields.issuelinks as Array<{ type: { name: string }; outwardIssue?: { key: string } }>;
  assert.equal(links.length, 1);
  assert.equal(links[0].type.name, 'Relates');
  assert.equal(links[0].outwardIssue?.key, old.key);
  assert.equal((old.fields.issuelinks as unknown[]).length, 1, 'the link shows on the old ticket too');
  assert.deepEqual(rowsOf(h), [['Create', 'Ok'], ['Update', 'Ok'], ['Create', 'Ok']]);
  assert.equal(h.store.queryLog({ guid: 'g-1' })[0].ticketKey, fresh.key);
  assert.equal(h.engine.getSnapshot().stats.created.today, 2);
  await h.send('g-1|UPDATE|comment;still down|');
  await runFor(h, 5000);
  assert.equal(fresh.comments.length, 2, 'the next UPDATE goes to the new ticket');
  assert.equal(old.comments.length, 0);
});

test('update: the resolved ticket is only updated, as before, logged as Update', async (t) => {
  const { sim, h } = await recurring(t, { alarms: { onRecurrence: 'update' } });
  const issues = sim.issues();
  assert.equal(issues.length, 1);
  assert.equal(issues[0].status, 'Done');
  assert.equal(issues[0].fields.summary, 'link down again');
  assert.deepEqual(rowsOf(h), [['Create', 'Ok'], ['Update', 'Ok'], ['Update', 'Ok']]);
});

test('reopen outside reopenWithinDays: a new linked ticket instead', async (t) => {
  // Our clock runs 40 days ahead of the simulator's: the ticket was resolved 40 days ago.
  const clock = new FakeClock(Date.now() + 40 * 86_400_000);
  const { sim, h } = await recurring(t, { alarms: { onRecurrence: 'reopen', reopenWithinDays: 30 } }, clock);
  const [old, fresh] = sim.issues();
  assert.equal(old.status, 'Done');
  assert.ok(fresh, 'a new ticket was made');
  assert.equal(fresh.status, 'To Do');
  assert.deepEqual(rowsOf(h).at(-1), ['Create', 'Ok']);
});

test('an unresolved ticket: a repeated CREATE only updates it, whatever the policy', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template, alarms: { onRecurrence: 'new' } } });
  await h.send('g-1|CREATE|summary;link down|');
  await runFor(h, 5000);
  await h.send('g-1|CREATE|summary;link still down|');
  await runFor(h, 5000);
  assert.equal(sim.issues().length, 1);
  assert.equal(sim.issues()[0].fields.summary, 'link still down');
  assert.deepEqual(rowsOf(h), [['Create', 'Ok'], ['Update', 'Ok']]);
});

test('reopen through a transition the ticket does not have: Failed, saying which setting to fix', async (t) => {
  const { sim, h } = await recurring(t, { alarms: { reopenTransition: 'Resurrect' } });
  assert.equal(sim.issues()[0].status, 'Done');
  const last = h.store.queryLog({ guid: 'g-1' })[0];
  assert.equal(last.status, 'Failed');
  assert.match(last.error ?? '', /alarms\.reopenTransition/);
});

test('template placeholders are filled from the line: {guid}, {field:NAME}, {date}, {now}', async (t) => {
  const { sim, client } = await simulated(t);
  const clock = new FakeClock(Date.parse('2026-11-28T10:00:00Z'));
  const h = await harness(t, { port: client, catalogue: false, clock, config: { template: [
    ...template,
    { field: 'description', value: 'alarm {guid} at {field:Severity} since {date} ({now})', mode: 'Include' },
    { field: 'labels', value: 'sev-{field:customfield_10010},{field:missing}x', mode: 'Include' },
  ] } });
  await h.send('P-1|CREATE|summary;db down|Severity;Sev2|');
  await runFor(h, 5000);
  const issue = sim.issues()[0];
  assert.ok(issue, h.store.queryLog({})[0]?.error ?? 'no ticket');
  const day = new Date(Date.parse('2026-11-28T10:00:00Z')).toLocaleDateString('sv');
  assert.equal(issue.fields.description, `alarm P-1 at Sev2 since ${day} (2026-11-28T10:00:00.000Z)`);
  assert.deepEqual([...(issue.fields.labels as string[])].sort(), ['jiraline-P-1', 'sev-Sev2', 'x']);
});
