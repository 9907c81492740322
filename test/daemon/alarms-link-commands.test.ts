// `jiraline alarms`, `jiraline link` and `jiraline unlink` end to end: a running engine (the
// runtime in-process, as the daemon runs it) against the simulator on 127.0.0.1. `link` goes
// to the engine over its control socket; with no engine running, `unlink` opens the data
// directory itself; `alarms` reads the file beside either, filtered by state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { runAlarms } from '../../source/daemon/alarms-command.js';
import { runLink } from '../../source/daemon/link-command.js';
import { createJiraClient } from '../../source/jira/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';
import { waitUntil } from '../helpers/wait-until.js';
import { attachEngine } from '../../source/control/remote-engine.js';

test('link over the control socket, UPDATE to the linked ticket, alarms listed and filtered, unlink on the data directory', async (t) => {
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  t.after(() => sim.close());
  const tmp = await makeTempDir();
  const dataDir = join(tmp.dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const env = { HOME: tmp.dir, JIRALINE_DATA_DIR: dataDir, JIRALINE_URL: sim.url };
  const settings = resolveSettings({ listen: 'off' }, env, 'daemon');
  const runtime = await startRuntime(settings, { env: {}, keychain: null });
  let running = true;
  t.after(async () => {
    if (running) await runtime.stop(0);
    await tmp.cleanup();
  });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, timeoutMs: 5000, env: {} });
  t.after(() => client.close());
  const incident = await client.createIssue({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'the incident' } });

  assert.equal(await runtime.engine.submitLine('CL-1|CREATE|summary;link down|'), 'OK CL-1 queued');
  assert.equal(await runtime.engine.submitLine('CL-2|CREATE|summary;db slow|'), 'OK CL-2 queued');
  await waitUntil(() => runtime.engine.status('CL-1')?.status === 'Ok' && runtime.engine.status('CL-2')?.status === 'Ok', 'both tickets made', 30_000);
  assert.equal(await runtime.engine.submitLine('CL-2|UPDATE|status;Done|'), 'OK CL-2 queued');
  await waitUntil(() => runtime.store.getAlarm('CL-2')?.state === 'resolved', 'CL-2 resolved', 30_000);

  const linked = captureIo(env);
  assert.equal(await runLink(['CL-1', incident.key], 'link', linked.io), 0, linked.err());
  assert.match(linked.out(), new RegExp(`^CL-1 linked to ${incident.key} \\(To Do\\) ${sim.url}/browse/${incident.key}\\n$`));
  assert.equal(runtime.store.getTicket('CL-1')?.ticketKey, incident.key, 'the running engine learnt the link');

  assert.equal(await runtime.engine.submitLine('CL-1|UPDATE|comment;it came back|'), 'OK CL-1 queued');
  await waitUntil(() => sim.issues().find((i) => i.key === incident.key)!.comments.length === 1, 'the comment on the linked ticket', 30_000);

  // An app attached over the control socket pages and filters the same alarms.
  const remote = await attachEngine(dataDir, { client: 'test' });
  try {
    const page = await remote.queryAlarms({ state: 'resolved', offset: 0, limit: 10 });
    assert.deepEqual([page.total, page.rows.map((a) => a.guid)], [1, ['CL-2']]);
    const linkedRow = (await remote.queryAlarms({ text: 'cl-1' })).rows[0];
    assert.equal(linkedRow.ticketKey, incident.key);
    const refused = await remote.linkAlarm('CL-2', 'OPS-999');
    assert.equal(refused.ok, false);
  } finally {
    await remote.stop();
  }

  // alarms reads the file while the engine holds the lock; the link waits for no snapshot: wait until it is on disk.
  await runtime.store.checkpoint();
  const all = captureIo(env);
  assert.equal(await runAlarms(['--json'], all.io), 0);
  const alarms = all.out().trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(alarms.map((a) => a.guid).sort(), ['CL-1', 'CL-2']);
  const one = alarms.find((a) => a.guid === 'CL-1');
  assert.deepEqual(Object.keys(one), ['guid', 'state', 'firstSeen', 'lastSeen', 'lines', 'lastAction', 'ticketKey', 'ticketStatus',
    'ticketResolved', 'ticketUrl', 'jira']);
  assert.equal(one.ticketKey, incident.key);
  assert.equal(one.lines, 2);
  const resolved = captureIo(env);
  assert.equal(await runAlarms(['--state', 'resolved'], resolved.io), 0);
  const lines = resolved.out().trimEnd().split('\n');
  assert.match(lines[0], /^GUID\s+State\s+First seen\s+Last seen\s+Lines\s+Last action\s+Ticket\s+Ticket status\s+Ticket URL$/);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^CL-2\s+resolved\s.*\sDone\s/);
  await assert.rejects(runAlarms(['--state', 'closed'], captureIo(env).io), /--state expects pending, open, failed, resolved/);

  // No engine now: unlink opens the data directory itself.
  await runtime.stop(0);
  running = false;
  const unlinked = captureIo(env);
  assert.equal(await runLink(['CL-1'], 'unlink', unlinked.io), 0, unlinked.err());
  assert.match(unlinked.out(), /^CL-1 unlinked/);
  assert.ok(!(sim.issues().find((i) => i.key === incident.key)!.fields.labels as string[]).includes('jiraline-CL-1'));
  const after = captureIo(env);
  assert.equal(await runAlarms(['--json'], after.io), 0);
  const cl1 = after.out().trimEnd().split('\n').map((l) => JSON.parse(l)).find((a) => a.guid === 'CL-1');
  assert.equal(cl1.ticketKey, null);
  assert.equal(cl1.lastAction, 'Unlink');

  const again = captureIo(env);
  assert.equal(await runLink(['CL-1'], 'unlink', again.io), 1);
  assert.match(again.err(), /not linked to a ticket/);
  await assert.rejects(runLink(['CL-1'], 'link', captureIo(env).io), /expects GUID KEY/);
});
