// Each step of a recurrence once, whatever happens to the answer: the new ticket whose
// create answer was lost is found by its label (not made twice), and a reopen whose answer was
// lost reads the ticket before moving it again. The decision itself is kept across attempts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor, type Harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeJira, networkError } from '../helpers/fake-jira.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { JiraError } from '../../source/core/jira-error.js';

/** g-1's ticket made, then resolved. */
async function resolved(h: Harness): Promise<string> {
  await h.send('g-1|CREATE|summary;link down|');
  await runFor(h, 2000);
  await h.send('g-1|UPDATE|status;Done|');
  await runFor(h, 2000);
  const key = h.engine.status('g-1')?.ticketKey as string;
  assert.equal(h.jira.issues.get(key)?.status, 'Done');
  return key;
}

test('new: the create answer lost after Jira made the ticket — found by its label, not made twice, linked once', async (t) => {
  const h = await harness(t, { config: { alarms: { onRecurrence: 'new' } } });
  const old = await resolved(h);
  h.jira.script('createIssue', { after: networkError('timeout') });
  await h.send('g-1|CREATE|summary;link down again|');
  await runFor(h, 120_000, 5000);
  const made = h.jira.created();
  assert.equal(made.length, 2, 'one new ticket, not two');
  const fresh = made[1].key;
  assert.equal(h.jira.callsOf('createIssue').length, 2, 'the original and the lost one; no third');
  assert.ok(h.jira.callsOf('search').length >= 1, 'looked up by its label');
  assert.deepEqual(h.jira.links, [['Relates', fresh, old]]);
  assert.equal(h.engine.status('g-1')?.ticketKey, fresh);
  const row = h.store.queryLog({ guid: 'g-1' })[0];
  assert.deepEqual([row.action, row.status, row.ticketKey], ['Create', 'Ok', fresh]);
  assert.equal(h.engine.getSnapshot().stats.created.total, 2, 'the new ticket counted once');
});

test('reopen: the transition answer lost after Jira took it — the ticket is read, not moved again', async (t) => {
  // Named by its target status here (the fake Jira's transitions are named "Go <status>").
  const h = await harness(t, { config: { alarms: { reopenTransition: 'To Do' } } });
  const key = await resolved(h);
  h.jira.script('transitionTo', { after: networkError('timeout') });
  await h.send('g-1|CREATE|summary;link down again|');
  await runFor(h, 120_000, 5000);
  assert.equal(h.jira.issues.get(key)?.status, 'To Do');
  assert.equal(h.jira.callsOf('transitionTo').length, 2, 'Done, then the reopen once');
  assert.equal(h.jira.created().length, 1);
  assert.equal(h.jira.issues.get(key)?.fields.summary, 'link down again');
  const row = h.store.queryLog({ guid: 'g-1' })[0];
  assert.deepEqual([row.action, row.status], ['Reopen', 'Ok']);
});

test('a link Jira refuses (unknown link type): the new ticket stands, the row says why it is not linked', async (t) => {
  const h = await harness(t, { config: { alarms: { onRecurrence: 'new', linkType: 'Causes' } } });
  await resolved(h);
  h.jira.script('linkIssues', new JiraError({ status: 404, retryable: false, message: "No issue link type with name 'Causes' found.", messages: ["No issue link type with name 'Causes' found."] }));
  await h.send('g-1|CREATE|summary;link down again|');
  await runFor(h, 10_000);
  const row = h.store.queryLog({ guid: 'g-1' })[0];
  assert.equal(row.status, 'Ok');
  assert.equal(h.jira.created().length, 2);
  assert.match(row.error ?? '', /not linked to [A-Z]+-\d+: check alarms\.linkType — .*No issue link type with name 'Causes' found\./);
});

test('a restart in the middle (the new ticket made, its link on the way): neither a second new ticket nor a new decision', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira, config: { alarms: { onRecurrence: 'new' } } });
  const old = await resolved(first);
  const release = jira.hold('linkIssues');
  await first.send('g-1|CREATE|summary;link down again|');
  await waitUntil(() => jira.callsOf('linkIssues').length === 1, 'the link is with Jira');
  await first.close(); // the engine is gone; Jira goes on and makes the link
  release();
  await flush(10);
  const fresh = jira.created()[1].key;
  // Reopened by a person meanwhile: a new decision would now say "update the old ticket".
  jira.issues.get(old)!.status = 'To Do';
  const second = await harness(t, { clock, jira, temp: first.temp, config: { alarms: { onRecurrence: 'new' } } });
  await runFor(second, 10_000);
  assert.equal(jira.created().length, 2, 'no third ticket');
  assert.equal(second.engine.status('g-1')?.ticketKey, fresh);
  const row = second.store.queryLog({ guid: 'g-1' })[0];
  assert.deepEqual([row.action, row.status, row.ticketKey], ['Create', 'Ok', fresh]);
  assert.equal(jira.issues.get(old)?.fields.summary, 'link down', 'the old ticket is not written');
});
