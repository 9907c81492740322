// The engine's events reach an attached app's listeners only while it has one: the app says
// hello without events (its panes listen to none, and at a thousand lines a second they would
// be parsed twenty times a second for nothing); a listener asks for them, from then on, also
// after the engine was restarted and the app reattached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent } from '../../source/core/engine-api.js';
import { attachEngine } from '../../source/control/remote-engine.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';

test('an attached app\'s event listener hears the events from when it listens, and again after a reattach', async (t) => {
  const tmp = await makeTempDir('jl-ev-');
  const simulator = await startSimulator({ mode: 'datacenter', auth: null });
  const configPath = join(tmp.dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ jira: { maxRequestsPerSecond: 10_000, maxConcurrent: 256 } }));
  const dataDir = join(tmp.dir, 'data');
  const settings = resolveSettings({ config: configPath, 'data-dir': dataDir, listen: 'off', 'jira-url': simulator.url }, {}, 'daemon');
  let runtime = await startRuntime(settings, { env: {}, keychain: null, face: 'daemon' });
  const remote = await attachEngine(dataDir, { retryMs: 50, client: 'test-app' });
  // In this order: the app, the engine, Jira, then the directory.
  t.after(async () => {
    await remote.stop();
    await runtime.stop();
    await simulator.close();
    await tmp.cleanup();
  });

  const heard: EngineEvent[] = [];
  const accepted = (guid: string) => heard.some((e) => e.type === 'accepted' && e.guid === guid);
  assert.match(await runtime.engine.submitLine('before|CREATE|summary;b|'), /^OK /);
  await waitUntil(() => remote.getSnapshot().logCount >= 1, 'the app saw the row');
  const unlisten = remote.onEvent((event) => heard.push(event));
  // The listener's request and the next line: the events of that line arrive.
  await waitUntil(async () => {
    await runtime.engine.submitLine(`probe-${heard.length}|CREATE|summary;p|`);
    return heard.some((e) => e.type === 'accepted');
  }, 'events once listening', 30_000, 50);
  assert.equal(accepted('before'), false, 'none from before it listened');
  unlisten();

  // The engine restarts: the app reattaches and, still listening, hears the new engine's events.
  remote.onEvent((event) => heard.push(event));
  await runtime.stop();
  await waitUntil(() => remote.attachment.get().state === 'lost', 'the app saw the engine go');
  runtime = await startRuntime(settings, { env: {}, keychain: null, face: 'daemon' });
  await waitUntil(() => remote.attachment.get().state === 'attached', 'reattached');
  await waitUntil(async () => {
    await runtime.engine.submitLine(`after-${heard.length}|CREATE|summary;a|`);
    return heard.some((e) => e.type === 'accepted' && e.guid.startsWith('after-'));
  }, 'events from the restarted engine', 30_000, 50);
});
