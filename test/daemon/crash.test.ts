// The crash test (issue 4): the daemon as a child process is SIGKILLed several times while
// a client feeds it a few hundred lines, and restarted on the same data directory each
// time. Every line that got an OK must end as exactly one ticket (per jiraline-<GUID>
// label) in the simulator: none lost, none twice. The client does what a real one does:
// a line whose reply never came is sent again to the next daemon (a resent CREATE is safe).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimIssue } from '../../source/simulator/index.js';
import { waitUntil } from '../helpers/wait-until.js';
import { daemonSetup, liftedLimits, type StartedDaemon } from '../helpers/daemon-setup.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'crash-pw';
const creates = 240;
const updates = 60;
const kills = 4;

const labelsOf = (issue: SimIssue) => (issue.fields.labels as string[] | undefined) ?? [];

test('SIGKILL during a feed, restart: every acknowledged line is exactly one ticket', async (t) => {
  // Some latency, so that kills land while requests are in flight.
  const setup = await daemonSetup(t, { auth: { user, password }, simulator: { faults: { latencyMs: 8 } }, config: liftedLimits });
  const { sim } = setup;
  let daemon: StartedDaemon = await setup.start();

  // CREATEs, then label-adding UPDATEs of the first GUIDs (idempotent, so they can be checked after resends).
  const feed = [
    ...Array.from({ length: creates }, (_, i) => ({ guid: `crash-${i}`, line: `crash-${i}|CREATE|summary;alarm ${i}|` })),
    ...Array.from({ length: updates }, (_, i) => ({ guid: `crash-${i}`, line: `crash-${i}|UPDATE|labels;+seen-${i}|` })),
  ];
  const acked = new Set<number>();
  const errors: string[] = [];
  const killAt = [30, 90, 150, 210];
  let killed = 0;
  // What each killed daemon found at its restart, for the diagnostic line.
  let adopted = 0;
  const countAdopted = () => {
    adopted += daemon.records.filter((r) => r.event === 'adopted').length;
  };

  while (acked.size < feed.length) {
    const client = await connectClient(daemon.address);
    const killAfter = killed < kills ? killAt[killed] : Infinity;
    // Lines sent on this connection in order: reply k answers sent[k].
    const sent: number[] = [];
    let answered = 0;
    const take = () => {
      for (; answered < client.received.length; answered++) {
        const index = sent[answered];
        const reply = client.received[answered];
        if (reply.startsWith('OK ')) acked.add(index);
        else errors.push(`${feed[index].line} → ${reply}`);
      }
    };
    const todo = feed.map((_, i) => i).filter((i) => !acked.has(i));
    let wasKilled = false;
    for (let at = 0; at < todo.length && !wasKilled; at += 5) {
      const batch = todo.slice(at, at + 5);
      sent.push(...batch);
      await client.write(batch.map((i) => `${feed[i].line}\n`).join(''));
      // At most a few lines ahead of the replies, so the kills land where they are meant to.
      await waitUntil(() => {
        take();
        return sent.length - answered <= 10 || client.socket.destroyed;
      }, 'the replies to catch up with the lines sent', 60_000, 5);
      if (acked.size >= killAfter) {
        // Mid-feed, with CREATEs in flight: what was sent and not answered goes to the next daemon.
        daemon.kill();
        wasKilled = true;
      }
    }
    if (!wasKilled) {
      client.end();
      await client.closed;
      take();
    }
    client.destroy();
    if (wasKilled) {
      await daemon.exited;
      countAdopted();
      killed += 1;
      daemon = await setup.start();
    }
  }
  assert.deepEqual(errors, [], 'no line was refused');
  assert.ok(killed >= kills, `killed ${killed} times`);

  // A last kill after the feed, while the queue is still being worked through.
  if (sim.issues().length < creates) {
    daemon.kill();
    await daemon.exited;
    countAdopted();
    killed += 1;
    daemon = await setup.start();
  }

  // Wait until every acknowledged CREATE has its ticket and every UPDATE its label.
  const done = () => {
    const byGuid = new Map<string, SimIssue[]>();
    for (const issue of sim.issues()) {
      for (const label of labelsOf(issue)) if (label.startsWith('jiraline-')) byGuid.set(label.slice(9), [...(byGuid.get(label.slice(9)) ?? []), issue]);
    }
    return byGuid;
  };
  const complete = (i: number, byGuid: Map<string, SimIssue[]>) => {
    const tickets = byGuid.get(feed[i].guid) ?? [];
    return tickets.length > 0 && (i < creates || labelsOf(tickets[0]).includes(`seen-${i - creates}`));
  };
  await waitUntil(() => {
    const byGuid = done();
    return [...acked].every((i) => complete(i, byGuid));
  }, () => {
    const byGuid = done();
    return `every acknowledged line's effect in Jira; not yet: ${[...acked].filter((i) => !complete(i, byGuid)).slice(0, 5).map((i) => feed[i].line).join(', ')}`;
  }, 90_000, 200);
  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.stderr());
  countAdopted();
  t.diagnostic(`${killed} kills; ${acked.size} lines acknowledged; ${adopted} CREATEs adopted by label after a crash; ${sim.requestCount()} requests`);

  const byGuid = done();
  const missing = [...acked].filter((i) => i < creates && !byGuid.has(feed[i].guid)).map((i) => feed[i].guid);
  assert.deepEqual(missing, [], 'no acknowledged CREATE is lost');
  const twice = [...byGuid].filter(([, tickets]) => tickets.length > 1).map(([guid, tickets]) => `${guid}: ${tickets.map((x) => x.key).join(',')}`);
  assert.deepEqual(twice, [], 'no GUID has two tickets');
  const unlabelled = [...acked].filter((i) => i >= creates && !labelsOf(byGuid.get(feed[i].guid)![0]).includes(`seen-${i - creates}`));
  assert.deepEqual(unlabelled, [], 'every acknowledged UPDATE was applied');
  assert.equal(sim.issues().length, creates, 'one ticket per GUID, and nothing else');
});
