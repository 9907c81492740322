// A CREATE whose answer was lost while Jira goes on making it: looked up over the settle window
// before it is sent again (one ticket), and, where a second ticket still slipped through, the
// duplicate check after the window repairs it as alarms.onDuplicate says.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { harness, runFor, type ConfigOverrides, type Harness } from './engine-harness.js';
import { FakeJira, networkError } from '../helpers/fake-jira.js';
import { EarlyClock, FakeClock } from '../helpers/fake-clock.js';
import type { CreatedIssue, IssuePayload } from '../../source/core/ports.js';

/**
 * The next `count` creates time out on the client, and Jira makes each of them `lateMs` later
 * (as behind a gateway that answered 504 while Jira went on).
 */
function lateCreates(jira: FakeJira, clock: FakeClock, lateMs: number, count = 1): void {
  const original = jira.createIssue.bind(jira);
  let left = count;
  jira.createIssue = (body: IssuePayload): Promise<CreatedIssue> => {
    if (left <= 0) return original(body);
    left--;
    clock.setTimeout(() => void original(body).catch(() => undefined), lateMs);
    return Promise.reject(networkError('timeout'));
  };
}

async function setUp(t: TestContext, config: ConfigOverrides, lateMs: number, count = 1): Promise<Harness> {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  lateCreates(jira, clock, lateMs, count);
  return harness(t, { clock, jira, config });
}

function labelled(h: Harness, guid: string) {
  return h.jira.created().filter((i) => ((i.fields.labels as string[] | undefined) ?? []).includes(`jiraline-${guid}`));
}

test('a CREATE Jira makes 3 s after the timeout is found while settling: one ticket, the update lands on it, the row said settling', async (t) => {
  const h = await setUp(t, { jira: { settleSeconds: 8 } }, 3000);
  assert.deepEqual(await h.send('S1|CREATE|summary;disk full|', 'S1|UPDATE|comment;still full|'), ['OK S1 queued', 'OK S1 queued']);
  // The timeout, then the first lookup after the 1 s back-off: nothing yet.
  await runFor(h, 1500, 500);
  assert.equal(labelled(h, 'S1').length, 0, 'Jira has not made it yet');
  const [create] = h.store.queryLog({ guid: 'S1', limit: 10 }).filter((r) => r.action === 'Create');
  assert.equal(create.status, 'Pending');
  assert.match(create.error ?? '', /^settling: Jira did not answer this CREATE/);
  assert.equal(h.engine.status('S1')?.settling, true, 'STATUS says settling');
  assert.equal(h.engine.getSnapshot().exactlyOnce.settling, 1, 'the status line counts it');
  assert.ok(h.events.some((e) => e.type === 'settling' && e.guid === 'S1'));
  assert.equal(h.jira.callsOf('editIssue').length, 0, 'the update waits behind its settling CREATE');
  await runFor(h, 30_000, 500);
  const issues = labelled(h, 'S1');
  assert.equal(issues.length, 1, 'one ticket: the one Jira made late, adopted');
  assert.equal(h.jira.callsOf('createIssue').length, 1, 'the CREATE was never sent again');
  assert.deepEqual(issues[0].comments, ['still full'], 'the update landed on it');
  assert.equal(h.store.countLog({ status: 'Pending' }), 0);
  assert.equal(h.engine.status('S1')?.settling, undefined);
  assert.equal(h.engine.getSnapshot().exactlyOnce.settling, 0);
});

test('other GUIDs go on while one settles', async (t) => {
  const h = await setUp(t, { jira: { settleSeconds: 20 } }, 15_000);
  await h.send('W1|CREATE|summary;late|');
  await runFor(h, 2000, 500);
  await h.send('W2|CREATE|summary;on time|');
  await runFor(h, 1000, 500);
  assert.equal(labelled(h, 'W2').length, 1, 'W2 did not wait for W1');
  assert.equal(h.engine.status('W1')?.settling, true);
  await runFor(h, 30_000, 1000);
  assert.equal(labelled(h, 'W1').length, 1);
});

for (const how of ['close', 'label', 'leave'] as const) {
  test(`with the settle window at zero a second ticket slips through, and the check after the window repairs it (onDuplicate ${how})`, async (t) => {
    // timeoutSeconds 2: the derived window, when the check is made, is 9 s; Jira makes the first try 3 s late.
    const h = await setUp(t, { jira: { settleSeconds: 0, timeoutSeconds: 2 }, alarms: { onDuplicate: how } }, 3000);
    await h.send('D1|CREATE|summary;disk full|comment;first words|');
    await runFor(h, 2000, 500);
    assert.equal(labelled(h, 'D1').length, 1, 'sent again after one lookup found nothing');
    const mapped = h.engine.status('D1')?.ticketKey;
    await runFor(h, 2000, 500);
    assert.equal(labelled(h, 'D1').length, 2, 'Jira made the first try too: a duplicate');
    assert.equal(h.engine.getSnapshot().exactlyOnce.repairChecks, 1, 'a check is waiting');
    await runFor(h, 10_000, 500);
    const [kept, dup] = [labelled(h, 'D1').find((i) => i.key === mapped)!, labelled(h, 'D1').find((i) => i.key !== mapped)!];
    assert.deepEqual(kept.comments, ['first words'], 'the kept ticket is the one that took the CREATE\'s steps');
    assert.equal(kept.status, 'To Do');
    const labels = dup.fields.labels as string[];
    if (how === 'leave') {
      assert.deepEqual([labels.includes('jiraline-duplicate'), dup.comments, dup.status], [false, [], 'To Do'], 'left as it is');
    } else {
      assert.ok(labels.includes('jiraline-duplicate'), 'marked');
      assert.ok(labels.includes('jiraline-D1'), 'never stripped of its label, never deleted');
    }
    if (how === 'close') {
      assert.equal(dup.status, 'Done');
      assert.equal(dup.comments.length, 1);
      assert.match(dup.comments[0], new RegExp(`^Duplicate of ${kept.key}`));
      assert.deepEqual(h.jira.links, [['Duplicate', dup.key, kept.key]], 'linked as a duplicate of the kept one');
    } else {
      assert.deepEqual(h.jira.links, [], 'only close links');
    }
    if (how === 'label') assert.deepEqual([dup.comments, dup.status], [[], 'To Do']);
    const repairs = h.store.queryLog({ guid: 'D1', limit: 10 }).filter((r) => r.action === 'Repair');
    assert.equal(repairs.length, 1, 'one Repair row');
    assert.equal(repairs[0].ticketKey, dup.key);
    assert.match(repairs[0].error ?? '', new RegExp(`^duplicate of ${kept.key}`));
    assert.equal(h.engine.getSnapshot().exactlyOnce.duplicatesRepaired, 1);
    assert.equal(h.engine.getSnapshot().exactlyOnce.repairChecks, 0);
    assert.ok(h.events.some((e) => e.type === 'repaired' && e.ticketKey === dup.key && e.keptKey === kept.key));
  });
}

test('four late creates close the gate and are held before its probe may go; its timer running 1 ms early still lets the probe go: nothing stays Pending', async (t) => {
  const clock = new EarlyClock();
  const jira = new FakeJira(clock);
  lateCreates(jira, clock, 3000, 4);
  // The first draw is the gate's back-off as it closes (1.25 s), every later one a unit's own
  // retry (1 s): the four units are due, and held, before the gate lets its first probe go.
  let draws = 0;
  const h = await harness(t, { clock, jira, random: () => (draws++ === 0 ? 1 : 0), config: { jira: { settleSeconds: 0, timeoutSeconds: 2 } } });
  const guids = ['L0', 'L1', 'L2', 'L3'];
  await h.send(...guids.map((g) => `${g}|CREATE|summary;disk full on ${g}|`), ...guids.map((g) => `${g}|UPDATE|description;checked ${g}|`));
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().connection.state, 'down', 'the four timeouts closed the gate');
  await runFor(h, 1200, 100);
  assert.equal(h.engine.schedulerCounts().held, 4, 'all four due and held before the gate\'s moment');
  assert.equal(h.jira.callsOf('search').length, 0, 'no probe yet');
  await runFor(h, 60_000, 500);
  const pending = h.store.queryLog({ limit: 100 }).filter((r) => r.status === 'Pending');
  assert.deepEqual(pending.map((r) => [r.guid, r.action, r.attempts, r.nextAttemptAt !== null && r.nextAttemptAt < clock.now()]), [],
    'no row left Pending with its retry time long past');
  assert.equal(h.engine.getSnapshot().connection.state, 'ok', 'the probe was answered: the gate opened');
  for (const g of guids) {
    const open = labelled(h, g).filter((i) => !(i.fields.labels as string[]).includes('jiraline-duplicate'));
    assert.equal(open.length, 1, `one open ticket for ${g} once the duplicate check ran`);
    assert.equal(open[0].fields.description, `checked ${g}`, `the update of ${g} landed on it`);
  }
});

test('a check left by a stop is made at the next start; the counter survives the restart', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  lateCreates(jira, clock, 3000);
  const config: ConfigOverrides = { jira: { settleSeconds: 0, timeoutSeconds: 2 } };
  const first = await harness(t, { clock, jira, config });
  await first.send('R1|CREATE|summary;disk full|');
  await runFor(first, 2000, 500);
  await first.close();
  await clock.advance(5000); // Jira makes the late one meanwhile
  assert.equal(labelled(first, 'R1').length, 2);
  const second = await harness(t, { clock, jira, config, temp: first.temp });
  await runFor(second, 5000, 500);
  assert.equal(second.store.queryLog({ guid: 'R1', limit: 10 }).filter((r) => r.action === 'Repair').length, 1);
  assert.equal(labelled(second, 'R1').filter((i) => (i.fields.labels as string[]).includes('jiraline-duplicate')).length, 1);
  await second.close();
  const third = await harness(t, { clock, jira, config, temp: first.temp });
  assert.equal(third.engine.getSnapshot().exactlyOnce.duplicatesRepaired, 1);
  assert.equal(third.engine.getSnapshot().exactlyOnce.repairChecks, 0, 'made once, not again');
});

test('a lookup that finds several adopts the oldest and repairs the others; a marked duplicate is never adopted', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const h = await harness(t, { clock, jira });
  const fields = { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'made twice before' };
  await jira.createIssue({ fields: { ...fields, labels: ['jiraline-duplicate', 'jiraline-M1'] } }); // OPS-1: repaired long ago
  await jira.createIssue({ fields: { ...fields, labels: ['jiraline-M1'] } }); // OPS-2
  jira.script('createIssue', { after: networkError() }); // OPS-3: made, answer lost
  await h.send('M1|CREATE|summary;again|');
  await runFor(h, 5000, 500);
  assert.equal(h.engine.status('M1')?.ticketKey, 'OPS-2', 'the oldest not marked as a duplicate');
  assert.equal(jira.created().length, 3, 'not sent a third time');
  const repairs = h.store.queryLog({ guid: 'M1', limit: 10 }).filter((r) => r.action === 'Repair');
  assert.deepEqual(repairs.map((r) => r.ticketKey), ['OPS-3']);
  assert.equal(jira.created().find((i) => i.key === 'OPS-3')?.status, 'Done');
});
