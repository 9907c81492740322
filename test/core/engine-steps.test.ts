// A unit's done steps survive a restart: an update whose edit (carrying a comment) went
// through but whose transition is still being retried must not send the edit again after
// the engine restarts — the comment would appear twice on the ticket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './engine-harness.js';
import { FakeJira, httpError } from '../helpers/fake-jira.js';
import { FakeClock } from '../helpers/fake-clock.js';

test('after a restart, an update whose edit and comment Jira already took sends only its transition', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  assert.equal(await first.engine.submitLine('R1|CREATE|summary;disk full|'), 'OK R1 queued');
  await first.engine.whenIdle();
  const key = jira.created()[0].key;

  jira.script('transitionTo', httpError(503));
  assert.equal(await first.engine.submitLine('R1|UPDATE|priority;High|comment;paged once|status;Done|'), 'OK R1 queued');
  await first.engine.whenIdle();
  assert.equal(jira.callsOf('editIssue').length, 1, 'the edit went through');
  assert.equal(jira.callsOf('addComment').length, 1, 'the comment went through');
  assert.equal(first.engine.status('R1')?.status, 'Pending', 'the transition waits for its retry');
  await first.close();

  const second = await harness(t, { clock, jira, temp: first.temp });
  t.after(() => second.close());
  await clock.advance(5_000);
  await second.engine.whenIdle();
  const issue = jira.created().find((i) => i.key === key)!;
  assert.deepEqual(issue.comments, ['paged once'], 'the comment is on the ticket once');
  assert.equal(jira.callsOf('editIssue').length, 1, 'the edit was not sent again');
  assert.equal(jira.callsOf('addComment').length, 1, 'the comment was not sent again');
  assert.equal(issue.status, 'Done');
  assert.equal(second.engine.status('R1')?.status, 'Ok');
});

test('an edit with comments an older version left in flight is looked up by its last comment, not sent again', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  await first.send('L1|CREATE|summary;disk full|');
  await first.engine.whenIdle();
  const key = jira.created()[0].key;
  await first.close();
  // What an older jiraline left: the UPDATE pending, its edit (with the comment inside) in flight,
  // and Jira had written it.
  const second = await harness(t, { clock, jira, temp: first.temp, noStart: true });
  await second.send('L1|UPDATE|comment;still full|');
  const row = second.store.queryLog({ guid: 'L1' })[0];
  second.store.setMeta(`unit:l${row.id}`, JSON.stringify({ serverErrors: 0, edited: false, commentsDone: 0, transitioned: false, editInFlight: { since: clock.now() } }));
  await jira.addComment(key, 'still full');
  await second.close();
  const third = await harness(t, { clock, jira, temp: first.temp });
  t.after(() => third.close());
  await clock.advance(5_000);
  await third.engine.whenIdle();
  assert.equal(third.store.queryLog({ guid: 'L1' })[0].status, 'Ok');
  assert.deepEqual(jira.created()[0].comments, ['still full'], 'once');
  assert.equal(jira.callsOf('addComment').length, 1, 'not sent again');
});
