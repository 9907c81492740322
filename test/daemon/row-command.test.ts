// `jiraline retry LOGID` and `jiraline cancel LOGID` end to end against the simulator: asked of
// a running daemon over its control socket, and done in the data directory when none runs.
// What they did holds across a restart: a retry is sent, a cancelled update never is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonSetup, type StartedDaemon } from '../helpers/daemon-setup.js';
import { runCli } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'row-pw';

test('retry of a Failed row and cancel of a Pending one, by the running daemon and with none, survive a restart', async (t) => {
  const setup = await daemonSetup(t, { auth: { user, password } });
  const { sim, tmp, dataDir, env } = setup;
  // A command failing for a passing reason gives up at once (retryForHours 0); one automatic
  // update an hour, so the next one waits, Pending, as long as the test needs.
  const strict = join(tmp.dir, 'strict.json');
  writeFileSync(strict, JSON.stringify({ updates: { retryForHours: 0, maxUpdates: 1, intervalSeconds: 3600 } }));
  const open = join(tmp.dir, 'open.json');
  writeFileSync(open, JSON.stringify({ updates: { maxUpdates: 1000, intervalSeconds: 1 } }));
  const args = (config: string) => ['--config', config, ...setup.args];
  const cli = (...words: string[]) => runCli([...words, '--data-dir', dataDir, '--config', strict, '--jira-url', sim.url], env);

  let daemon: StartedDaemon = await setup.start(args(strict));
  await daemon.waitFor((r) => r.event === 'jira' && r.state === 'ok');
  const client = await connectClient(daemon.address);
  t.after(() => client.destroy());
  const send = async (line: string) => {
    const before = client.received.length;
    await client.write(`${line}\n`);
    return (await client.waitFor(before + 1))[before];
  };

  // Two CREATEs that end Failed while Jira refuses writes.
  sim.setFaults({ failureRate: 1, failureStatus: 503, failureWritesOnly: true });
  assert.equal(await send('RC-1|CREATE|summary;first alarm|'), 'OK RC-1 queued');
  assert.equal(await send('RC-3|CREATE|summary;third alarm|'), 'OK RC-3 queued');
  const failed1 = await daemon.waitFor((r) => r.event === 'failed' && r.guid === 'RC-1', 120_000);
  const failed3 = await daemon.waitFor((r) => r.event === 'failed' && r.guid === 'RC-3', 120_000);
  sim.setFaults({});

  // Online: the daemon retries RC-1.
  const retried = await cli('retry', String(failed1.logId));
  assert.equal(retried.code, 0, retried.stderr);
  assert.match(retried.stdout, new RegExp(`log row ${String(failed1.logId)} retried as row \\d+`));
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'RC-1' && r.action === 'Create', 120_000);

  // A ticket with one update sent; the next waits for the throttle, Pending, and is cancelled.
  assert.equal(await send('RC-2|CREATE|summary;second alarm|'), 'OK RC-2 queued');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'RC-2' && r.action === 'Create', 120_000);
  assert.equal(await send('RC-2|UPDATE|comment;one|'), 'OK RC-2 queued');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'RC-2' && r.action === 'Update', 120_000);
  assert.equal(await send('RC-2|UPDATE|comment;two|'), 'OK RC-2 queued');
  const pendingRow = await pendingRowOf(dataDir, env, 'RC-2');
  const cancelled = await cli('cancel', String(pendingRow));
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, /cancelled/);
  await daemon.waitFor((r) => r.event === 'cancelled' && r.logId === pendingRow);

  // Another Pending update, then the daemon stops: with no engine, retry and cancel act on the directory.
  assert.equal(await send('RC-2|UPDATE|comment;three|'), 'OK RC-2 queued');
  const pendingRow3 = await pendingRowOf(dataDir, env, 'RC-2');
  assert.notEqual(pendingRow3, pendingRow);
  client.destroy();
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  const offlineCancel = await cli('cancel', String(pendingRow3));
  assert.equal(offlineCancel.code, 0, offlineCancel.stderr);
  const offlineRetry = await cli('retry', String(failed3.logId));
  assert.equal(offlineRetry.code, 0, offlineRetry.stderr);
  assert.match(offlineRetry.stdout, /retried as row \d+/);
  const again = await cli('retry', String(failed3.logId));
  assert.equal(again.code, 1, 'a row is retried once');
  assert.match(again.stderr, /retried already/);

  // The restart (the throttle lifted): the offline retry is sent, the cancelled updates never are.
  daemon = await setup.start(args(open));
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'RC-3' && r.action === 'Create', 120_000);
  const c2 = await connectClient(daemon.address);
  t.after(() => c2.destroy());
  await c2.write('RC-2|UPDATE|comment;four|\n');
  assert.equal((await c2.waitFor(1))[0], 'OK RC-2 queued');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'RC-2' && r.action === 'Update', 120_000);
  const rc2 = sim.issues().find((i) => (i.fields.labels as string[] | undefined)?.includes('jiraline-RC-2'));
  assert.ok(rc2);
  assert.deepEqual(rc2.comments.map((c) => bodyText(c.body)), ['one', 'four'], 'the cancelled updates never reached Jira');
  assert.equal(sim.issues().filter((i) => (i.fields.labels as string[] | undefined)?.includes('jiraline-RC-1')).length, 1);
  assert.equal(sim.issues().filter((i) => (i.fields.labels as string[] | undefined)?.includes('jiraline-RC-3')).length, 1);

  const log = await runCli(['log', '--json', '--data-dir', dataDir], env);
  const rows = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; status: string; error: string | null });
  const byId = new Map(rows.map((r) => [r.id, r]));
  assert.equal(byId.get(pendingRow)?.status, 'Cancelled');
  assert.equal(byId.get(pendingRow3)?.status, 'Cancelled');
  assert.equal(byId.get(Number(failed1.logId))?.status, 'Failed');
  assert.match(byId.get(Number(failed1.logId))?.error ?? '', /retried as log row/);
  daemon.child.kill('SIGTERM');
  await daemon.exited;
});

/** The newest row of a GUID, which must be Pending. */
async function pendingRowOf(dataDir: string, env: Record<string, string>, guid: string): Promise<number> {
  const { stdout } = await runCli(['log', '--json', '--status', 'Pending', '--data-dir', dataDir], env);
  const rows = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; guid: string });
  const mine = rows.filter((r) => r.guid === guid);
  assert.ok(mine.length > 0, `a Pending row of ${guid}`);
  return mine[mine.length - 1].id;
}

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}
