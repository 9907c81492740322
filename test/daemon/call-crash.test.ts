// A CALL line is as durable as an UPDATE: acknowledged, refused by Jira (503) and waiting for
// its retry when the daemon is SIGKILLed, it is sent by the next daemon on the data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetup, type StartedDaemon } from '../helpers/daemon-setup.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'call-pw';

test('a CALL retried after a 503 survives a SIGKILL and reaches Jira once after the restart', async (t) => {
  const setup = await daemonSetup(t, {
    auth: { user, password },
    config: { endpoints: { 'add-watcher': { method: 'POST', path: 'rest/api/2/issue/{key}/watchers', body: '{param:user}' } } },
  });
  const { sim } = setup;

  let daemon: StartedDaemon = await setup.start();
  const client = await connectClient(daemon.address);
  t.after(() => client.destroy());
  await client.write('K-1|CREATE|summary;link down|\n');
  assert.equal((await client.waitFor(1))[0], 'OK K-1 queued');
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'K-1' && r.action === 'Create', 120_000);

  sim.setFaults({ failureRate: 1, failureStatus: 503, failureWritesOnly: true, retryAfterSeconds: 1 });
  await client.write('K-1|CALL|endpoint;add-watcher|user;jsmith|\nK-1|CALL|endpoint;nope|\n');
  const replies = await client.waitFor(3);
  assert.equal(replies[1], 'OK K-1 queued');
  assert.match(replies[2], /^ERR K-1 unknown endpoint 'nope'/);
  await daemon.waitFor((r) => r.event === 'retry' && r.guid === 'K-1', 120_000);
  client.destroy();
  daemon.kill();
  await daemon.exited;

  sim.setFaults({});
  daemon = await setup.start();
  await daemon.waitFor((r) => r.event === 'sent' && r.guid === 'K-1' && r.action === 'Call', 120_000);
  const issue = sim.issues().find((i) => (i.fields.labels as string[] | undefined)?.includes('jiraline-K-1'));
  assert.deepEqual(issue?.watchers, ['jsmith']);
  assert.equal(sim.issues().length, 1);
  daemon.child.kill('SIGTERM');
  await daemon.exited;
});
