// Accepting Advanced lines: refusals, what a line becomes, durability before OK, group
// commits, and a failed commit leaving nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStoreSnapshot, type Store } from '../../source/store/index.js';
import { harness } from './engine-harness.js';
import { httpError } from '../helpers/fake-jira.js';

test('refused lines get ERR with the GUID (or -) and store nothing', async (t) => {
  const h = await harness(t);
  const replies = await h.send(
    'no pipes at all',
    'A1|FROB|summary;x|',
    'A2|CREATE|Nonexistent Field;x|',
    'A3|UPDATE|summary;changed|',
    'A4|CREATE|customfield_10011;not-a-number|',
    'A5|CALL|endpoint;x|',
  );
  assert.match(replies[0], /^ERR - /);
  assert.match(replies[1], /^ERR A1 .*FROB/i);
  assert.match(replies[2], /^ERR A2 .*Nonexistent Field/);
  assert.equal(replies[3], 'ERR A3 GUID has no ticket — send a CREATE first');
  assert.match(replies[4], /^ERR A4 /);
  assert.match(replies[5], /^ERR A5 unknown endpoint 'x' — the config has no endpoints/);
  await h.engine.whenIdle();
  assert.equal(h.store.countLog(), 0);
  assert.equal(h.store.openCommands().length, 0);
  assert.equal(h.jira.calls.filter((c) => c.method !== 'serverInfo' && c.method !== 'myself' && c.method !== 'fields' && !c.method.startsWith('createMeta')).length, 0);
  assert.equal(h.events.filter((e) => e.type === 'accepted').length, 0);
});

test('OK comes only once the command is on disk: a reader of the file sees it', async (t) => {
  const h = await harness(t, { noStart: true });
  const [reply] = await h.send('G1|CREATE|summary;Disk full on db01|');
  assert.equal(reply, 'OK G1 queued');
  const reader = await openStoreSnapshot(h.temp.dir);
  try {
    const rows = reader.queryLog({});
    assert.equal(rows.length, 1);
    assert.equal(rows[0].guid, 'G1');
    assert.equal(rows[0].status, 'Pending');
    assert.equal(rows[0].action, 'Create');
    assert.equal(rows[0].time, h.clock.now());
  } finally {
    reader.close();
  }
});

test('many lines at once share group commits and all get OK', async (t) => {
  const h = await harness(t, { noStart: true });
  const before = h.store.stats().writes;
  const lines = Array.from({ length: 200 }, (_, i) => `G${i}|CREATE|summary;alarm ${i}|`);
  const replies = await h.send(...lines);
  assert.deepEqual(replies, lines.map((_, i) => `OK G${i} queued`));
  const writes = h.store.stats().writes - before;
  assert.ok(writes < 50, `${writes} writes for 200 lines: commits were not grouped`);
  assert.equal(h.engine.pendingCount(), 200);
});

test('an accepted CREATE makes one ticket; a CREATE resent for the GUID updates it instead', async (t) => {
  const h = await harness(t);
  assert.deepEqual(await h.send('R1|CREATE|summary;first|priority;High|'), ['OK R1 queued']);
  // Resent while the first is still pending, and again after it is done.
  assert.deepEqual(await h.send('R1|CREATE|summary;second|'), ['OK R1 queued']);
  await h.engine.whenIdle();
  assert.deepEqual(await h.send('R1|CREATE|project;DEMO|summary;third|'), ['OK R1 queued']);
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 1, 'one ticket per GUID');
  const issue = h.jira.created()[0];
  assert.equal(issue.fields.summary, 'third');
  assert.deepEqual(issue.fields.project, { key: 'OPS' }, 'a resent CREATE never moves the ticket');
  assert.ok((issue.fields.labels as string[]).includes('jiraline-R1'));
  const actions = h.store.queryLog({}).reverse().map((r) => `${r.action}:${r.status}`);
  assert.deepEqual(actions, ['Create:Ok', 'Update:Ok', 'Update:Ok']);
  assert.deepEqual(h.engine.status('R1'), { guid: 'R1', status: 'Ok', ticketKey: 'OPS-1', ticketUrl: 'https://jira.example.test/browse/OPS-1' });
  assert.equal(h.engine.status('never-seen'), null);
});

test('after a CREATE that ended Failed, a new CREATE tries again', async (t) => {
  const h = await harness(t);
  h.jira.script('createIssue', httpError(400, { fieldErrors: { summary: 'Summary is too long' } }));
  await h.send('F1|CREATE|summary;x|');
  await h.engine.whenIdle();
  assert.equal(h.engine.status('F1')?.status, 'Failed');
  assert.equal(await h.engine.submitLine('F1|UPDATE|comment;hello|'), 'ERR F1 GUID has no ticket — send a CREATE first');
  assert.equal(await h.engine.submitLine('F1|CREATE|summary;y|'), 'OK F1 queued');
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 1);
  assert.equal(h.engine.status('F1')?.status, 'Ok');
  assert.equal(h.jira.callsOf('createIssue').length, 2);
});

test('without a catalogue ever fetched, lines are accepted unchecked and resolved when sent', async (t) => {
  const h = await harness(t, { catalogue: false, noStart: true });
  h.jira.script('fields', httpError(503), httpError(503));
  h.jira.script('serverInfo', httpError(503));
  // Unknown to any catalogue: accepted now (Jira is down), refused by the composer when sent.
  assert.equal(await h.engine.submitLine('N1|CREATE|summary;ok|Story Points;3|'), 'OK N1 queued');
  assert.equal(await h.engine.submitLine('N2|CREATE|summary;ok|Bogus Field;3|'), 'OK N2 queued');
  await h.engine.start();
  await h.engine.whenIdle();
  await h.clock.advance(5000);
  await h.engine.whenIdle();
  assert.equal(h.engine.status('N1')?.status, 'Ok');
  assert.equal(h.jira.created()[0].fields.customfield_10011, 3);
  assert.equal(h.engine.status('N2')?.status, 'Failed');
  assert.match(h.store.queryLog({ guid: 'N2' })[0].error ?? '', /Bogus Field/);
  assert.notEqual(h.engine.catalogue(), null, 'the catalogue is kept once Jira answers');
});

/** A store whose next commit fails (as on a full disk), then works again. */
function failNextCommit(store: Store): { store: Store; arm(): void } {
  let fail = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return () => {
          if (fail) {
            fail = false;
            return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
          }
          return target.commit();
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, arm: () => { fail = true; } };
}

test('a failed commit answers ERR and the line is never sent, even after later commits', async (t) => {
  let control!: ReturnType<typeof failNextCommit>;
  const h = await harness(t, { wrapStore: (s) => (control = failNextCommit(s)).store });
  control.arm();
  const reply = await h.engine.submitLine('D1|CREATE|summary;lost?|');
  assert.match(reply, /^ERR D1 could not store the command: ENOSPC/);
  assert.equal(await h.engine.submitLine('D2|CREATE|summary;fine|'), 'OK D2 queued');
  await h.engine.whenIdle();
  assert.deepEqual(h.jira.created().map((i) => i.fields.summary), ['fine']);
  assert.equal(h.engine.pendingCount(), 0);
  // D1 is no ticket-to-be: an UPDATE for it is refused, and a restart does not resurrect it.
  assert.equal(await h.engine.submitLine('D1|UPDATE|comment;x|'), 'ERR D1 GUID has no ticket — send a CREATE first');
  await h.close();
  const again = await harness(t, { temp: h.temp, jira: h.jira, clock: h.clock });
  await again.engine.whenIdle();
  assert.equal(h.jira.created().length, 1);
  assert.equal(again.store.countLog({ status: 'Pending' }), 0);
});
