// A data directory's GUID → ticket map belongs to the Jira it was made on. Demo mode keeps
// to a directory of its own; pointing jiraline at another Jira puts the first one's map and
// waiting commands aside (reported at start, never sent to the other Jira), and pointing it
// back brings them back. Refused lines leave a trace in the daemon's log and the counters.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime, type Runtime } from '../../source/daemon/runtime.js';
import { createJsonLog, type LogRecord } from '../../source/daemon/json-log.js';
import { runStats } from '../../source/daemon/stats-command.js';
import { jiraIdentity } from '../../source/core/jira-identity.js';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';
import { connectClient } from './helpers/line-client.js';

interface Started {
  runtime: Runtime;
  records: LogRecord[];
  stop(): Promise<void>;
}

/** A runtime as `jiraline daemon` (or, with url null, the demo app) starts it, on `dataDir`. */
async function start(t: TestContext, dir: string, url: string | null, extra: Record<string, string> = {}): Promise<Started> {
  const flags = { 'data-dir': join(dir, 'data'), listen: '127.0.0.1:0', config: join(dir, 'config.json'), ...(url ? { 'jira-url': url } : {}), ...extra };
  // A --config that does not exist is refused: the first start makes the file.
  if (!existsSync(flags.config)) writeFileSync(flags.config, '{}');
  const settings = resolveSettings(flags, { HOME: dir }, url ? 'daemon' : 'tui');
  const records: LogRecord[] = [];
  const runtime = await startRuntime(settings, { env: {}, keychain: null, onLog: (r) => records.push(r) });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await runtime.stop(0);
  };
  t.after(stop);
  await runtime.engine.whenIdle();
  return { runtime, records, stop };
}

async function simulator(t: TestContext): Promise<Simulator> {
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  t.after(() => sim.close());
  return sim;
}

/** Someone else's ticket on a Jira (made without jiraline, so without any jiraline label). */
async function othersTicket(sim: Simulator, project: string): Promise<string> {
  const answer = await fetch(`${sim.url}/rest/api/2/issue`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fields: { project: { key: project }, issuetype: { name: 'Task' }, summary: 'not yours' } }),
  });
  return ((await answer.json()) as { key: string }).key;
}

test('demo, then a real Jira on the same data directory: nothing made in demo reaches the real Jira', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const demo = await start(t, tmp.dir, null);
  assert.deepEqual(await demo.runtime.engine.submitLine('alarm-1|CREATE|summary;disk full|'), 'OK alarm-1 queued');
  await demo.runtime.engine.whenIdle();
  const [demoTicket] = demo.runtime.simulator!.issues();
  assert.equal(demoTicket.key, 'DEMO-1');
  await demo.stop();

  // The real Jira has its own DEMO-1, someone else's.
  const real = await simulator(t);
  const theirs = await othersTicket(real, 'DEMO');
  assert.equal(theirs, 'DEMO-1');
  const prod = await start(t, tmp.dir, real.url);
  assert.equal(prod.runtime.store.binding.others.length, 0, 'the demo map never came into this directory');
  const before = real.requestCount();
  assert.equal(await prod.runtime.engine.submitLine('alarm-1|UPDATE|comment;alarm from prod|'), 'ERR alarm-1 GUID has no ticket — send a CREATE first');
  assert.equal(prod.runtime.engine.status('alarm-1'), null, 'STATUS does not answer with the demo address');
  await prod.runtime.engine.whenIdle();
  assert.equal(real.requestCount(), before, 'no request reached the real Jira for the demo ticket');
  assert.deepEqual(real.issue('DEMO-1')!.comments, []);
  // A CREATE for the GUID makes a ticket of its own on the real Jira.
  assert.equal(await prod.runtime.engine.submitLine('alarm-1|CREATE|summary;disk full|'), 'OK alarm-1 queued');
  await prod.runtime.engine.whenIdle();
  assert.equal(prod.runtime.engine.status('alarm-1')?.ticketKey, 'OPS-1');
  assert.deepEqual(real.issue('DEMO-1')!.comments, []);
});

test('switching the Jira URL back and forth keeps each Jira\'s map; commands for one Jira never go to the other', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // One update an hour: the second update of g1 waits for Jira A when the URL changes.
  writeFileSync(join(tmp.dir, 'config.json'), JSON.stringify({ updates: { maxUpdates: 1, intervalSeconds: 3600, retryForHours: 24 } }));
  const a = await simulator(t);
  const b = await simulator(t);
  const [idA, idB] = [jiraIdentity(a.url), jiraIdentity(b.url)];

  let run = await start(t, tmp.dir, a.url);
  const engineA = run.runtime.engine;
  assert.equal(await engineA.submitLine('g1|CREATE|summary;on A|'), 'OK g1 queued');
  await engineA.whenIdle();
  assert.equal(await engineA.submitLine('g1|UPDATE|comment;one|'), 'OK g1 queued');
  await engineA.whenIdle();
  assert.equal(await engineA.submitLine('g1|UPDATE|comment;two|'), 'OK g1 queued');
  await engineA.whenIdle();
  assert.equal(engineA.pendingCount(), 1, 'the second update waits for the throttle');
  assert.deepEqual(a.issue('OPS-1')!.comments.map((c) => c.body), ['one']);
  await run.stop();

  run = await start(t, tmp.dir, b.url);
  const changed = run.records.find((r) => r.event === 'jira-changed');
  assert.ok(changed, 'the start says the Jira changed');
  assert.equal(changed.from, idA);
  assert.equal(changed.to, idB);
  assert.deepEqual(changed.mapped, { [idA]: 1 });
  assert.match(String(changed.message), new RegExp(`1 GUID mapped to tickets of ${idA.replace(/[.:/]/g, '\\$&')} does not apply here`));
  const waiting = run.records.find((r) => r.event === 'jira-pending-elsewhere');
  assert.deepEqual(waiting?.pending, { [idA]: 1 }, 'the command for A is reported, not lost');
  assert.ok(run.runtime.warnings.some((w) => /wait Pending for their own Jira/.test(w)), 'the app shows it too');
  const engineB = run.runtime.engine;
  assert.equal(engineB.pendingCount(), 0, 'A\'s command is not B\'s');
  assert.equal(engineB.status('g1'), null);
  assert.match(await engineB.submitLine('g1|UPDATE|comment;to B?|'), /^ERR g1 GUID has no ticket/);
  assert.equal(await engineB.submitLine('g1|CREATE|summary;on B|'), 'OK g1 queued');
  await engineB.whenIdle();
  assert.equal(b.issues().length, 1);
  assert.deepEqual(b.issue('OPS-1')!.comments, [], 'nothing meant for A reached B');
  assert.equal(engineB.status('g1')?.ticketUrl, `${b.url}/browse/OPS-1`);
  // The log keeps A's rows readable, marked with their Jira.
  const rows = engineB.queryLog({ guid: 'g1' });
  assert.deepEqual(rows.map((r) => r.jira), [idB, idA, idA, idA]);
  await run.stop();

  run = await start(t, tmp.dir, a.url);
  const back = run.records.find((r) => r.event === 'jira-changed');
  assert.equal(back?.from, idB);
  assert.equal(back?.current, 1, 'A\'s map is back');
  assert.equal(run.runtime.engine.pendingCount(), 1, 'A\'s waiting update is back in the queue');
  assert.equal(run.runtime.engine.status('g1')?.ticketUrl, `${a.url}/browse/OPS-1`);
  assert.deepEqual(a.issues().length, 1);
});

test('a refused line leaves a warning in the daemon log with its GUID and reason, and counts in the statistics', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await simulator(t);
  const run = await start(t, tmp.dir, sim.url);
  const c = await connectClient(run.runtime.listenAddress!);
  t.after(() => c.destroy());
  await c.write('alarm-9|CRATE|summary;typo\n');
  await c.write(`alarm-10|CREATE|summary;${'x'.repeat(70 * 1024)}\n`);
  await c.write('alarm-11|CREATE|summary;fine\n');
  const replies = await c.waitFor(3);
  assert.match(replies[0], /^ERR alarm-9 /);
  assert.equal(replies[1], 'ERR - line too long');
  assert.equal(replies[2], 'OK alarm-11 queued');

  const refused = run.records.filter((r) => r.event === 'refused');
  assert.equal(refused.length, 2);
  assert.equal(refused[0].guid, 'alarm-9');
  assert.match(String(refused[0].reason), /CRATE/);
  assert.deepEqual([refused[1].guid, refused[1].reason], [null, 'line too long']);
  // As the daemon writes it: one JSON line with its level.
  let written = '';
  createJsonLog((text) => (written += text), () => 0)(refused[0]);
  assert.deepEqual(Object.keys(JSON.parse(written)).slice(0, 3), ['time', 'event', 'level']);
  assert.equal(JSON.parse(written).level, 'warning');

  assert.equal(run.runtime.engine.getSnapshot().stats.refused.total, 2, 'the engine snapshot counts them');
  await run.runtime.engine.whenIdle();
  await run.stop();
  const stats = captureIo();
  assert.equal(await runStats(['--json', '--data-dir', join(tmp.dir, 'data')], stats.io), 0);
  const json = JSON.parse(stats.out());
  assert.deepEqual(json.refused, { total: 2, today: 2, yesterday: 0 });
  assert.deepEqual(json.created, { total: 1, today: 1, yesterday: 0 }, 'the existing keys are as they were');
});
