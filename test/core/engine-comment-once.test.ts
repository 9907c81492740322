// Each comment once, each transition once, whatever happens to the answer: a comment step
// whose outcome is unknown (a timeout after Jira wrote it, a crash while it was on its way)
// is looked up among the issue's comments before it is sent again — by its marker, or,
// where Jira drops comment properties, by its text and author — and a transition whose
// outcome is unknown reads the issue's status first.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient } from '../../source/jira/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { JiraPort } from '../../source/core/ports.js';
import type { Store } from '../../source/store/index.js';
import { harness, runFor } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeJira, httpError, networkError } from '../helpers/fake-jira.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';

test('a comment whose answer was lost (Jira wrote it) is found by its marker and not sent again', async (t) => {
  const h = await harness(t);
  h.jira.script('addComment', { after: networkError('timeout') });
  await h.send('M1|CREATE|summary;disk full|comment;paged on-call|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.engine.status('M1')?.status, 'Ok');
  assert.deepEqual(h.jira.created()[0].comments, ['paged on-call'], 'once');
  assert.equal(h.jira.callsOf('addComment').length, 1);
  assert.ok(h.jira.callsOf('comments').length >= 1, 'looked up');
  const [, , marker] = h.jira.callsOf('addComment')[0].args as [string, string, Record<string, unknown>];
  assert.equal(marker.guid, 'M1');
  assert.equal(marker.step, 0);
});

test('a comment that never reached Jira is sent again after the lookup finds nothing', async (t) => {
  const h = await harness(t);
  h.jira.script('addComment', networkError('timeout'));
  await h.send('M2|CREATE|summary;disk full|comment;paged on-call|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.engine.status('M2')?.status, 'Ok');
  assert.deepEqual(h.jira.created()[0].comments, ['paged on-call']);
  assert.equal(h.jira.callsOf('addComment').length, 2);
});

test('a Jira that ignores comment properties: the comment is found by its text and author', async (t) => {
  const h = await harness(t);
  h.jira.dropsCommentProperties = true;
  h.jira.script('addComment', { after: networkError('timeout') });
  await h.send('M3|CREATE|summary;disk full|comment;paged on-call|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.engine.status('M3')?.status, 'Ok');
  assert.deepEqual(h.jira.created()[0].comments, ['paged on-call'], 'once');
  assert.equal(h.jira.callsOf('myself').length >= 1, true, 'the author was compared with the account in use');
});

test('a comment on its way when the engine died is looked up at the next start, not sent twice', async (t) => {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('addComment');
  await first.send('M4|CREATE|summary;disk full|comment;first|comment;second|');
  await waitUntil(() => jira.callsOf('addComment').length === 1, 'the comment is with Jira');
  await first.close(); // the engine is gone; Jira goes on and writes the comment
  release();
  await flush(10);
  assert.deepEqual(jira.created()[0].comments, ['second']);
  const second = await harness(t, { clock, jira, temp: first.temp });
  await runFor(second, 3_000, 1000);
  assert.equal(second.engine.status('M4')?.status, 'Ok');
  assert.deepEqual(jira.created()[0].comments, ['second'], 'not sent again');
});

test('a comment or transition Jira refused with 503 or 429 is sent again without a lookup (the refusal made nothing)', async (t) => {
  const h = await harness(t);
  h.jira.script('addComment', httpError(503));
  h.jira.script('transitionTo', httpError(429, { retryAfterMs: 1000 }));
  await h.send('M9|CREATE|summary;disk full|comment;paged on-call|status;Done|');
  await runFor(h, 10_000, 1000);
  assert.equal(h.engine.status('M9')?.status, 'Ok', h.store.queryLog({ guid: 'M9' })[0].error ?? '');
  assert.deepEqual(h.jira.created()[0].comments, ['paged on-call'], 'once');
  assert.equal(h.jira.created()[0].status, 'Done');
  assert.equal(h.jira.callsOf('addComment').length, 2, 'refused, then sent again');
  assert.equal(h.jira.callsOf('transitionTo').length, 2, 'refused, then sent again');
  assert.equal(h.jira.callsOf('comments').length, 0, 'no comment lookup after a refusal');
  assert.equal(h.jira.callsOf('getIssue').length, 0, 'no status read after a refusal');
});

test('a transition whose answer was lost reads the status first and is not attempted again', async (t) => {
  const h = await harness(t);
  h.jira.script('transitionTo', { after: networkError('timeout') });
  await h.send('M5|CREATE|summary;disk full|status;Done|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.engine.status('M5')?.status, 'Ok', h.store.queryLog({ guid: 'M5' })[0].error ?? '');
  assert.equal(h.jira.callsOf('transitionTo').length, 1);
  assert.equal(h.jira.created()[0].status, 'Done');
  assert.ok(h.jira.callsOf('getIssue').length >= 1, 'the status was read');
});

test('an UPDATE\'s edit carries only its fields; one whose answer was lost is sent again, and its comment goes once, marked', async (t) => {
  const h = await harness(t);
  await h.send('M6|CREATE|summary;disk full|');
  await h.engine.whenIdle();
  h.jira.script('editIssue', { after: networkError('timeout') });
  await h.send('M6|UPDATE|priority;High|comment;still full|comment;now 99%|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.store.queryLog({ guid: 'M6' })[0].status, 'Ok');
  const edits = h.jira.callsOf('editIssue');
  assert.equal(edits.length, 2, 'an edit of fields only is simply sent again');
  assert.equal((edits[1].args[1] as { update?: Record<string, unknown> }).update?.comment, undefined, 'no comment rides in the edit');
  assert.deepEqual(h.jira.created()[0].comments, ['now 99%'], 'once (the last comment of a line wins)');
  const [, , marker] = h.jira.callsOf('addComment')[0].args as [string, string, Record<string, unknown>];
  assert.equal(marker.guid, 'M6');
});

test('an UPDATE with only comments makes no edit; a comment that never reached Jira is sent again after the lookup', async (t) => {
  const h = await harness(t);
  await h.send('M7|CREATE|summary;disk full|');
  await h.engine.whenIdle();
  h.jira.script('addComment', networkError('timeout'));
  await h.send('M7|UPDATE|comment;still full|');
  await runFor(h, 5_000, 1000);
  assert.equal(h.store.queryLog({ guid: 'M7' })[0].status, 'Ok');
  assert.equal(h.jira.callsOf('editIssue').length, 0, 'no PUT for a comment-only update');
  assert.equal(h.jira.callsOf('addComment').length, 2);
  assert.deepEqual(h.jira.created()[0].comments, ['still full']);
});

test('an UPDATE carrying two comments whose second answer was lost: after the retry each is on the issue once, both marked', async (t) => {
  const h = await harness(t, { noStart: true });
  // Accepted before the start: the two updates wait together and go as one unit with two comments.
  await h.send('M8|CREATE|summary;disk full|', 'M8|UPDATE|comment;first|', 'M8|UPDATE|comment;second|');
  let calls = 0;
  const add = h.jira.addComment.bind(h.jira);
  h.jira.addComment = async (key, text, marker) => {
    await add(key, text, marker);
    // Jira wrote the second comment; its answer never came back.
    if (++calls === 2) throw networkError('timeout');
  };
  await h.engine.start();
  await runFor(h, 5_000, 1000);
  const rows = h.store.queryLog({ guid: 'M8' });
  assert.equal(rows[0].lines, 2, 'one unit for both updates');
  assert.equal(rows[0].status, 'Ok');
  assert.deepEqual(h.jira.created()[0].comments, ['first', 'second'], 'each once, in order');
  assert.equal(calls, 2, 'neither was sent again');
  const { comments } = await h.jira.comments(h.jira.created()[0].key, { startAt: 0, maxResults: 100 });
  const marks = comments.map((c) => c.marker as Record<string, unknown> | undefined).reverse();
  assert.deepEqual(marks.map((m) => [m?.guid, m?.step]), [['M8', 0], ['M8', 1]], 'both carry the marker');
});

/** The real client; the first comment's answer is lost after the simulator wrote it. */
function losingFirstComment(client: JiraPort): JiraPort {
  let lost = false;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'addComment') {
        return async (key: string, text: string, marker?: Record<string, unknown>) => {
          await target.addComment(key, text, marker);
          if (!lost) {
            lost = true;
            throw new JiraError({ status: 0, message: 'request timed out', cause: 'timeout' });
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const [mode, drop] of [['datacenter', false], ['cloud', false], ['datacenter', true], ['cloud', true]] as const) {
  test(`against the simulator (${mode}${drop ? ', comment properties dropped' : ''}): a lost comment answer leaves one comment`, async (t: TestContext) => {
    const sim = await startSimulator({ mode, auth: null, faults: { dropCommentProperties: drop } });
    const api = mode === 'cloud' ? 3 : 2;
    const client = createJiraClient({ baseUrl: sim.url, ticketLocation: `rest/api/${api}/issue`, credentials: null, timeoutMs: 5000, env: {} });
    t.after(async () => {
      await client.close();
      await sim.close();
    });
    const template = [{ field: 'project', value: 'OPS', mode: 'Include' as const }, { field: 'issuetype', value: 'Incident', mode: 'Include' as const }];
    // The simulator stamps comments with the real time; the fallback compares it with the engine's.
    const clock = new FakeClock(Date.now());
    const h = await harness(t, { clock, port: losingFirstComment(client), catalogue: false, config: { template } });
    await h.send('S1|CREATE|summary;disk full|comment;paged on-call\nsecond line|');
    await runFor(h, 5_000, 1000);
    assert.equal(h.engine.status('S1')?.status, 'Ok');
    const [issue] = sim.issues();
    assert.equal(issue.comments.length, 1, 'once');
    assert.equal(issue.comments[0].properties?.length ?? 0, drop ? 0 : 1);
  });
}

test('an UPDATE\'s comment leaves only once its in-flight mark is on disk, so a crash cannot send it twice', async (t) => {
  // The marks each finished commit wrote: what a crash at that moment would leave for the next start.
  let durable: string[] = [];
  const wrapStore = (store: Store): Store => new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return () => {
          const marks = target.metaKeys('unit:').map((k) => target.getMeta(k) ?? '');
          return target.commit().then(() => {
            durable = marks;
          });
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const h = await harness(t, { wrapStore });
  await h.send('M9|CREATE|summary;disk full|');
  await h.engine.whenIdle();
  const marked: boolean[] = [];
  const add = h.jira.addComment.bind(h.jira);
  h.jira.addComment = (key, text, marker) => {
    marked.push(durable.some((m) => m.includes('commentInFlight')));
    return add(key, text, marker);
  };
  await h.send('M9|UPDATE|priority;High|comment;still full|');
  await runFor(h, 3_000, 500);
  assert.equal(h.store.queryLog({ guid: 'M9' })[0].status, 'Ok');
  assert.deepEqual(marked, [true], 'the comment left after its mark was committed');
  assert.deepEqual(h.jira.created()[0].comments, ['still full']);
});
