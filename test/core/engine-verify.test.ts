// A ticket the GUID → ticket map names is written only when it carries the GUID's label;
// the check is one GET of its labels per ticket, and none for a ticket the engine made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor } from './engine-harness.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeJira } from '../helpers/fake-jira.js';

/** A data directory whose map names OPS-50 for `guid` (as a backup restored over a newer Jira would). */
async function mapped(t: Parameters<typeof harness>[0], guid: string, labels: string[]) {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  jira.issues.set('OPS-50', { id: '10050', key: 'OPS-50', fields: { summary: 'someone else\'s outage', labels }, comments: [], status: 'To Do' });
  const first = await harness(t, { clock, jira, noStart: true });
  first.store.setTicket({ guid, ticketId: '10050', ticketKey: 'OPS-50', ticketUrl: jira.browseUrl('OPS-50') });
  await first.store.commit();
  await first.close();
  return harness(t, { clock, jira, temp: first.temp });
}

test('a mapped ticket without the GUID\'s label is never written: the command fails naming the ticket and the GUID', async (t) => {
  const h = await mapped(t, 'alarm-1', ['other']);
  assert.deepEqual(await h.send('alarm-1|UPDATE|comment;alarm from prod|status;Done|'), ['OK alarm-1 queued']);
  await runFor(h, 5000);
  assert.equal(h.jira.callsOf('editIssue').length, 0, 'no edit');
  assert.equal(h.jira.callsOf('transitionTo').length, 0, 'no transition');
  const issue = h.jira.issues.get('OPS-50')!;
  assert.deepEqual(issue.comments, []);
  assert.equal(issue.status, 'To Do');
  const [row] = h.store.queryLog({ guid: 'alarm-1' });
  assert.equal(row.status, 'Failed');
  assert.match(row.error ?? '', /OPS-50 does not carry the label jiraline-alarm-1/);
  assert.match(row.error ?? '', /GUID alarm-1/);
  assert.ok(h.events.some((e) => e.type === 'not-ours' && e.guid === 'alarm-1' && e.ticketKey === 'OPS-50'));
  assert.equal(h.engine.status('alarm-1')?.status, 'Failed');
});

test('a mapped ticket that carries the label is read once, then written without asking again', async (t) => {
  const h = await mapped(t, 'alarm-2', ['jiraline-alarm-2']);
  await h.send('alarm-2|UPDATE|comment;one|');
  await runFor(h, 5000);
  await h.send('alarm-2|UPDATE|comment;two|');
  await runFor(h, 5000);
  assert.equal(h.jira.callsOf('addComment').length, 2);
  assert.deepEqual(h.jira.issues.get('OPS-50')!.comments, ['one', 'two']);
  const reads = h.jira.callsOf('getIssue');
  assert.equal(reads.length, 1, 'one check per ticket');
  assert.deepEqual(reads[0].args, ['OPS-50', ['labels']]);
});

test('a ticket the engine made itself needs no check', async (t) => {
  const h = await harness(t);
  await h.send('made-1|CREATE|summary;x|');
  await runFor(h, 1000);
  await h.send('made-1|UPDATE|comment;y|');
  await runFor(h, 5000);
  assert.equal(h.jira.callsOf('addComment').length, 1);
  assert.equal(h.jira.callsOf('getIssue').length, 0);
});
