// Stopping the daemon's runtime with a request under way: the stop signal ends it at once (no
// grace for requests in flight), and nothing acknowledged is lost — the CREATE stays open and
// the next start looks it up by its label and adopts the ticket Jira made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { jiraIdentity } from '../../source/core/jira-identity.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { openStore } from '../../source/store/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';

test('stop() with a create whose answer drips in flight: the request is ended at once, the CREATE kept and looked up by its label at the next start', { timeout: 60_000 }, async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // One byte every 5 s: the answer would take minutes, as a stuck proxy's does.
  const sim = await startSimulator({ auth: null, faults: { hostile: { mode: 'drip', createsOnly: true } } });
  t.after(() => sim.close());
  const dataDir = join(tmp.dir, 'data');
  // The client's own deadline (jira.timeoutSeconds) far beyond the test's timeout too: only the stop may end the request.
  mkdirSync(join(tmp.dir, 'config', 'jiraline'), { recursive: true });
  writeFileSync(join(tmp.dir, 'config', 'jiraline', 'config.json'), JSON.stringify({ jira: { timeoutSeconds: 600 } }));
  const settings = resolveSettings({ 'data-dir': dataDir, listen: 'off', 'jira-url': sim.url }, { HOME: tmp.dir, XDG_CONFIG_HOME: join(tmp.dir, 'config') }, 'daemon');
  const runtime = await startRuntime(settings, { env: {}, keychain: null });
  assert.equal(await runtime.engine.submitLine('drip-1|CREATE|summary;stuck answer|'), 'OK drip-1 queued');
  await waitUntil(() => sim.issues().length === 1, 'Jira made the ticket and is dripping its answer');
  // A grace far beyond the test's timeout: only ending the request at once lets stop() resolve.
  await runtime.stop(10 * 60_000);
  // Opened as the next start would: bound to the same Jira (the queue belongs to it).
  const store = await openStore({ dir: dataDir, jira: jiraIdentity(sim.url) });
  assert.deepEqual(store.openCommands().map((c) => c.guid), ['drip-1'], 'nothing acknowledged is lost: looked up by label at the next start');
  await store.close();
  // The next start: the CREATE's outcome is unknown, so it is looked up by its label and the ticket Jira made adopted.
  const next = await startRuntime(settings, { env: {}, keychain: null });
  try {
    await waitUntil(() => next.engine.status('drip-1')?.status === 'Ok', 'the CREATE is done at the next start');
    assert.equal(sim.issues().length, 1, 'adopted, not sent again: one ticket');
    assert.equal(next.engine.status('drip-1')?.ticketKey, sim.issues()[0].key);
  } finally {
    await next.stop(0);
  }
});
