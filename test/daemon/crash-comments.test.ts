// Each comment once across crashes (issue 15): the daemon is SIGKILLed five times while
// 300 CREATEs carrying a comment and a status are worked through, and the simulator answers
// every write 300 ms after it made it — so most kills land while a comment Jira already
// wrote has its answer on the way. Every ticket must end with its comment exactly once and
// in its status, and no transition may have been attempted twice in a way that failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimIssue } from '../../source/simulator/index.js';
import { waitUntil } from '../helpers/wait-until.js';
import { daemonSetup, liftedLimits, type StartedDaemon } from '../helpers/daemon-setup.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'crash-pw';
const lines = 300;
/** SIGKILL when the simulator holds this many comments. */
const killAtComments = [20, 70, 120, 170, 220];

const guidOf = (issue: SimIssue) => ((issue.fields.labels as string[] | undefined) ?? []).find((l) => l.startsWith('jiraline-'))?.slice(9);

test('five SIGKILLs while 300 CREATE+comment lines are answered 300 ms after the writes: each comment exactly once', async (t) => {
  const setup = await daemonSetup(t, { auth: { user, password }, simulator: { faults: { lateWriteMs: 300 } }, config: liftedLimits });
  const { sim } = setup;
  let daemon: StartedDaemon = await setup.start();
  const records: Array<Record<string, unknown>> = [];
  const comments = () => sim.issues().reduce((n, issue) => n + issue.comments.length, 0);

  // Every line acknowledged by the first daemon (an OK means it is on disk).
  const feed = Array.from({ length: lines }, (_, i) => `cc-${i}|CREATE|summary;alarm ${i}|comment;paged for alarm ${i}|status;In Progress|`);
  const client = await connectClient(daemon.address);
  await client.write(feed.map((l) => `${l}\n`).join(''));
  client.end();
  await client.closed;
  assert.equal(client.received.filter((r) => r.startsWith('OK ')).length, lines, client.received.find((r) => !r.startsWith('OK ')));

  for (const at of killAtComments) {
    await waitUntil(() => comments() >= at, `${at} comments in Jira before the next kill`, 60_000, 2);
    daemon.kill();
    await daemon.exited;
    records.push(...daemon.records);
    daemon = await setup.start();
  }

  const settled = () => sim.issues().length >= lines && sim.issues().every((i) => i.comments.length > 0 && i.status === 'In Progress');
  await waitUntil(settled, `${lines} tickets with their comment and status`, 120_000, 100);
  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.stderr());
  records.push(...daemon.records);
  const adopted = records.filter((r) => r.event === 'adopted').length;
  t.diagnostic(`${killAtComments.length} kills; ${adopted} CREATEs adopted by label; ${sim.requestCount()} requests`);

  const byGuid = new Map<string, SimIssue[]>();
  for (const issue of sim.issues()) byGuid.set(guidOf(issue) ?? '?', [...(byGuid.get(guidOf(issue) ?? '?') ?? []), issue]);
  assert.deepEqual([...byGuid].filter(([, v]) => v.length > 1).map(([g]) => g), [], 'one ticket per GUID');
  assert.equal(byGuid.size, lines);
  const twice = sim.issues().filter((i) => i.comments.length !== 1).map((i) => `${i.key}: ${i.comments.length} comments`);
  t.diagnostic(`${twice.length} of ${lines} tickets do not have their comment exactly once`);
  assert.deepEqual(twice, [], 'each comment exactly once');
  assert.deepEqual(sim.issues().filter((i) => i.status !== 'In Progress').map((i) => i.key), [], 'every ticket moved');
  assert.deepEqual(records.filter((r) => r.event === 'failed'), [], 'nothing failed (no transition attempted twice)');
});
