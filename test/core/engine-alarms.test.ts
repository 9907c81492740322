// The alarms table and linking, end to end against the built-in simulator through the real
// REST client: every GUID seen is an alarm that follows its work; a GUID linked to an existing
// ticket sends its later UPDATEs there; unlinking takes that back. Fake time; HTTP on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor } from './engine-harness.js';
import { simulated } from '../helpers/simulated-jira.js';


const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];

test('every GUID seen is an alarm: lines counted, pending while work waits, then open, resolved or failed', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template } });
  await h.send('AL-1|CREATE|summary;disk full|');
  let alarm = h.store.getAlarm('AL-1');
  assert.equal(alarm?.state, 'pending');
  await runFor(h, 5000, 500);
  alarm = h.store.getAlarm('AL-1');
  assert.equal(alarm?.state, 'open');
  assert.equal(alarm?.lines, 1);
  assert.equal(alarm?.lastAction, 'Create');
  const key = sim.issues()[0].key;
  assert.equal(alarm?.ticketKey, key);
  assert.equal(alarm?.ticketUrl, `${sim.url}/browse/${key}`);

  await h.send('AL-1|UPDATE|status;Done|');
  await runFor(h, 5000, 500);
  alarm = h.store.getAlarm('AL-1');
  assert.equal(alarm?.lines, 2);
  assert.equal(alarm?.lastAction, 'Update');
  assert.equal(alarm?.ticketStatus, 'Done');
  assert.equal(alarm?.state, 'resolved');

  // A CREATE Jira refuses for good: the alarm says failed. (Another project: the socket's own
  // check of allowed values judges only the template's project, so Jira is the one to refuse.)
  await h.send('AL-2|CREATE|summary;x|project;NOSUCH|');
  await runFor(h, 5000, 500);
  assert.equal(h.store.getAlarm('AL-2')?.state, 'failed');

  const page = await h.engine.queryAlarms({ state: 'resolved' });
  assert.deepEqual(page.rows.map((a) => a.guid), ['AL-1']);
  assert.equal((await h.engine.queryAlarms({})).total, 2);
});

test('link then UPDATE goes to the linked ticket; unlink refuses later UPDATEs and takes the label off', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template } });
  // A ticket someone made by hand, and an alarm with a ticket of its own.
  const manual = await client.createIssue({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'the incident' } });
  await h.send('LK-1|CREATE|summary;link down|');
  await runFor(h, 5000, 500);
  const own = h.store.getTicket('LK-1')?.ticketKey;
  assert.ok(own && own !== manual.key);

  const linked = await h.engine.linkAlarm('LK-1', manual.key.toLowerCase());
  assert.equal(linked.ok, true, JSON.stringify(linked));
  assert.equal(h.store.getTicket('LK-1')?.ticketKey, manual.key);
  const alarm = h.store.getAlarm('LK-1');
  assert.equal(alarm?.ticketKey, manual.key);
  assert.equal(alarm?.ticketStatus, 'To Do');
  assert.equal(alarm?.lastAction, 'Link');
  assert.ok(h.events.some((e) => e.type === 'linked' && e.ticketKey === manual.key));

  await h.send('LK-1|UPDATE|comment;seen again|');
  await runFor(h, 5000, 500);
  const target = sim.issues().find((i) => i.key === manual.key)!;
  assert.deepEqual(target.comments.map((c) => (c as { body: unknown }).body), ['seen again']);
  assert.ok((target.fields.labels as string[]).includes('jiraline-LK-1'));
  const first = sim.issues().find((i) => i.key === own)!;
  assert.equal(first.comments.length, 0);
  const [row] = h.store.queryLog({ guid: 'LK-1', limit: 1 });
  assert.equal(row.status, 'Ok');
  assert.equal(row.ticketKey, manual.key);

  const unlinked = await h.engine.unlinkAlarm('LK-1');
  assert.equal(unlinked.ok, true, JSON.stringify(unlinked));
  assert.equal(h.store.getTicket('LK-1'), undefined);
  assert.equal(h.store.getAlarm('LK-1')?.ticketKey, null);
  assert.ok(!(sim.issues().find((i) => i.key === manual.key)!.fields.labels as string[]).includes('jiraline-LK-1'));
  const [reply] = await h.send('LK-1|UPDATE|comment;after unlink|');
  assert.match(reply, /^ERR LK-1 GUID has no ticket/);
});

test('link refuses what it cannot do: an unknown ticket, a bad key, a GUID with work waiting, unlink without a link', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template } });
  const missing = await h.engine.linkAlarm('LR-1', 'OPS-999');
  assert.equal(missing.ok, false);
  assert.match(missing.ok ? '' : missing.error, /^check the key: Jira has no ticket OPS-999/);
  assert.equal(h.store.getTicket('LR-1'), undefined);
  const bad = await h.engine.linkAlarm('LR-1', 'not a key');
  assert.match(bad.ok ? '' : bad.error, /not a ticket key/);
  const none = await h.engine.unlinkAlarm('LR-1');
  assert.match(none.ok ? '' : none.error, /not linked to a ticket/);

  sim.setFaults({ failureRate: 1, failureStatus: 503, retryAfterSeconds: 60 });
  await h.send('LR-2|CREATE|summary;waiting|');
  await h.engine.whenIdle();
  const busy = await h.engine.linkAlarm('LR-2', 'OPS-1');
  assert.match(busy.ok ? '' : busy.error, /has commands waiting/);
  sim.setFaults({});
});

test('the alarms table is bounded by alarms.maxEntries, and an alarm with work pending is never dropped', async (t) => {
  const { sim, client } = await simulated(t);
  const h = await harness(t, { port: client, catalogue: false, config: { template, alarms: { maxEntries: 3 } } });
  sim.setFaults({ failureRate: 1, failureStatus: 503, retryAfterSeconds: 600 });
  await h.send('B-0|CREATE|summary;stuck|');
  await h.engine.whenIdle();
  sim.setFaults({});
  for (let i = 1; i <= 5; i++) {
    await h.clock.advance(1000);
    await h.send(`B-${i}|CREATE|summary;n${i}|`);
    await h.engine.whenIdle();
  }
  await runFor(h, 2000, 500);
  const page = await h.engine.queryAlarms({});
  const guids = page.rows.map((a) => a.guid);
  assert.ok(guids.includes('B-0'), `the pending alarm stays: ${guids.join(',')}`);
  assert.ok(page.total <= 4, `bounded: ${guids.join(',')}`);
  assert.ok(guids.includes('B-5'));
  assert.ok(!guids.includes('B-1'));
});
