// `jiraline daemon` end to end: a child process, real TCP, the real engine, store and
// client, against the simulator. What an operator sees: replies, tickets in Jira, the
// log and the statistics, the JSON-lines log, a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SimIssue } from '../../source/simulator/index.js';
import { runLog } from '../../source/daemon/log-command.js';
import { runStats } from '../../source/daemon/stats-command.js';
import { localDay } from '../../source/core/clock.js';
import { createSecretStore, makeSecret } from '../../source/secrets/index.js';
import { daemonSetup } from '../helpers/daemon-setup.js';
import { waitUntil } from '../helpers/wait-until.js';
import { captureIo } from './helpers/capture-io.js';
import { isolatedEnv } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'pw-Secr3t-e2e';

const labelsOf = (issue: SimIssue) => (issue.fields.labels as string[] | undefined) ?? [];
const withLabel = (issues: SimIssue[], guid: string) => issues.filter((i) => labelsOf(i).includes(`jiraline-${guid}`));

test('CREATE then UPDATE make one updated ticket; bad lines get ERR beside good ones; STATUS, log and stats agree', async (t) => {
  const setup = await daemonSetup(t, { auth: { user, password } });
  const { sim, dataDir } = setup;
  const daemon = await setup.start();
  await daemon.waitFor((r) => r.event === 'jira' && r.state === 'ok');

  const c = await connectClient(daemon.address);
  t.after(() => c.destroy());
  // Every ticket below is counted on a day between this one and the day of the stats check.
  const firstDay = localDay(Date.now());
  await c.write([
    'E1|CREATE|summary;Disk full on db-7|priority;High|',
    'E1|UPDATE|summary;Disk full on db-7 (cleared)|comment;freed 20 GB|status;Done|labels;+cleared|',
    'bad line',
    'E2|UPDATE|summary;x|',
    'E4|FROB|summary;x|',
    'E5|CREATE|summary;Second alarm|',
    'PING',
  ].join('\n') + '\n');
  const replies = await c.waitFor(7);
  assert.equal(replies[0], 'OK E1 queued');
  assert.equal(replies[1], 'OK E1 queued');
  assert.match(replies[2], /^ERR - /);
  assert.match(replies[3], /^ERR E2 .*ticket/i);
  assert.match(replies[4], /^ERR E4 .*FROB/);
  assert.equal(replies[5], 'OK E5 queued');
  assert.equal(replies[6], 'PONG');

  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'E1' && r.action === 'Update');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'E5');
  // The catalogue was fetched right after the start-up check: an unknown field is refused at once.
  await c.write('E6|CREATE|nosuchfield;1|\n');
  assert.match((await c.waitFor(8))[7], /^ERR E6 .*nosuchfield/);

  const issues = sim.issues();
  assert.equal(issues.length, 2, 'one ticket per CREATE, none for refused lines');
  const [e1] = withLabel(issues, 'E1');
  assert.ok(e1, 'the ticket carries jiraline-E1');
  assert.equal(e1.fields.summary, 'Disk full on db-7 (cleared)');
  assert.equal(e1.status, 'Done');
  assert.equal(e1.comments.length, 1);
  assert.ok(labelsOf(e1).includes('cleared'));
  assert.equal((e1.fields.priority as { name: string }).name, 'High');
  assert.equal((e1.fields.project as { key: string }).key, 'OPS', 'the default template applies');
  assert.equal(withLabel(issues, 'E5').length, 1);

  await c.write('STATUS E1\nSTATUS E2\n');
  const status = (await c.waitFor(10)).slice(8);
  assert.deepEqual(status, [`OK E1 Ok ${e1.key} ${sim.url}/browse/${e1.key}`, 'ERR E2 unknown GUID']);

  // log and stats read the file while the daemon holds the lock. A row's end reaches the file
  // with the next commit (at most LAZY_COMMIT_MS after it, longer on a loaded machine): read
  // until the update's row is there, as an operator running `jiraline log` again would.
  type Row = Record<string, unknown>;
  let rows: Row[] = [];
  await waitUntil(async () => {
    const log = captureIo({ JIRALINE_DATA_DIR: dataDir });
    assert.equal(await runLog(['--json'], log.io), 0);
    rows = log.out().trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
    return rows.length === 3 && rows.every((r) => r.status === 'Ok');
  }, () => `every row Ok in jiraline log; got ${JSON.stringify(rows.map((r) => [r.guid, r.action, r.status]))}`);
  assert.deepEqual(rows.map((r) => [r.guid, r.action, r.status, r.ticketKey, r.lines, r.error]), [
    ['E1', 'Create', 'Ok', e1.key, 1, null],
    ['E1', 'Update', 'Ok', e1.key, 1, null],
    ['E5', 'Create', 'Ok', withLabel(issues, 'E5')[0].key, 1, null],
  ]);
  assert.equal(rows[0].ticketUrl, `${sim.url}/browse/${e1.key}`);
  assert.equal(rows[0].type, 'Automatic');
  const stats = captureIo({ JIRALINE_DATA_DIR: dataDir });
  const checkedAt = Date.now();
  assert.equal(await runStats(['--json'], stats.io, () => checkedAt), 0);
  const counted = JSON.parse(stats.out()) as Record<string, { total: number; today: number; yesterday: number }>;
  const expected = { created: 2, updated: 1, total: 3 };
  if (localDay(checkedAt) === firstDay) {
    assert.deepEqual(counted, {
      created: { total: 2, today: 2, yesterday: 0 },
      updated: { total: 1, today: 1, yesterday: 0 },
      total: { total: 3, today: 3, yesterday: 0 },
      // The four bad lines above: answered ERR, counted.
      refused: { total: 4, today: 4, yesterday: 0 },
    });
  } else {
    // The run crossed local midnight: each ticket counts today or yesterday, never both.
    for (const [name, n] of Object.entries(expected)) {
      assert.equal(counted[name].total, n, name);
      assert.equal(counted[name].today + counted[name].yesterday, n, `${name}: today + yesterday`);
    }
  }

  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  assert.equal(exit.code, 0, daemon.stderr());
  const events = daemon.records.map((r) => r.event);
  for (const e of ['start', 'listening', 'jira', 'accepted', 'sent', 'stopping', 'stopped']) assert.ok(events.includes(e), `logged ${e}`);
  assert.ok(daemon.records.every((r) => typeof r.time === 'string' && typeof r.event === 'string'), 'every line is a {time, event} object');
  const everything = daemon.stdout() + daemon.stderr();
  assert.ok(!everything.includes(password), 'the password never appears');
  assert.ok(!everything.includes(Buffer.from(`${user}:${password}`).toString('base64')), 'nor the Basic header');
});

test('lines are accepted and queued while Jira is down, and sent once it answers', async (t) => {
  // "Jira" is a port we hold throughout: first every connection is dropped (down), then
  // connections are passed through to the simulator (up). Holding it avoids racing other
  // processes for a port freed and bound again.
  const setup = await daemonSetup(t, { auth: { user, password } });
  const { sim } = setup;
  let up = false;
  const open = new Set<Socket>();
  const gate = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    if (!up) return socket.destroy();
    const target = connect(Number(new URL(sim.url).port), '127.0.0.1');
    target.on('error', () => socket.destroy());
    socket.pipe(target).pipe(socket);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => {
    for (const socket of open) socket.destroy();
    gate.close(resolve);
  }));
  const port = (gate.address() as { port: number }).port;

  const daemon = await setup.start(['--jira-url', `http://127.0.0.1:${port}`, '--data-dir', setup.dataDir, '--listen', '127.0.0.1:0']);
  const down = await daemon.waitFor((r) => r.event === 'jira' && r.state === 'down');
  assert.equal(typeof down.error, 'string');

  const c = await connectClient(daemon.address);
  t.after(() => c.destroy());
  await c.write('D1|CREATE|summary;queued while down|\nD1|UPDATE|comment;still down|\n');
  assert.deepEqual(await c.waitFor(2), ['OK D1 queued', 'OK D1 queued']);
  await daemon.waitFor((r) => r.event === 'retry' && r.guid === 'D1');

  assert.equal(sim.issues().length, 0);
  up = true;
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'D1' && r.action === 'Update', 60_000);
  const tickets = withLabel(sim.issues(), 'D1');
  assert.equal(tickets.length, 1);
  assert.equal(tickets[0].fields.summary, 'queued while down');
  assert.equal(tickets[0].comments.length, 1);

  daemon.child.kill('SIGINT');
  assert.equal((await daemon.exited).code, 0);
});

test('paused on a wrong password, SIGHUP reads the fixed credentials and the queue is sent', async (t) => {
  const setup = await daemonSetup(t, { auth: { user, password } });
  const { sim } = setup;
  // No credentials in the environment: the daemon reads them from the file only.
  const env = isolatedEnv(setup.tmp.dir);
  // The daemon's config directory: $XDG_CONFIG_HOME/jiraline; credentials.json there.
  const secrets = createSecretStore({ configDir: join(env.XDG_CONFIG_HOME, 'jiraline'), env: {}, keychain: null });
  await secrets.save({ method: 'basic', username: user, password: makeSecret('not-the-password') });
  const daemon = await setup.start(setup.args, env);

  const c = await connectClient(daemon.address);
  t.after(() => c.destroy());
  await c.write('H1|CREATE|summary;sent after SIGHUP|\n');
  assert.deepEqual(await c.waitFor(1), ['OK H1 queued']);
  await daemon.waitFor((r) => r.event === 'paused');
  assert.equal(sim.issues().length, 0);

  await secrets.save({ method: 'basic', username: user, password: makeSecret(password) });
  daemon.child.kill('SIGHUP');
  const changed = await daemon.waitFor((r) => r.event === 'credentials-changed');
  assert.equal(changed.source, 'file');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'H1');
  assert.equal(withLabel(sim.issues(), 'H1').length, 1);

  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0);
  assert.ok(!(daemon.stdout() + daemon.stderr()).includes(password), 'the password never appears');
});
