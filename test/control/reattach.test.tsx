// A real daemon (a child process, demo mode) with an app attached: killed, the app says so
// at once and keeps its screen, starts no engine of its own, and is live again as soon as
// the daemon is started again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lockHolder } from '../../source/control/control-address.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { isolatedEnv, startDaemon } from '../daemon/helpers/daemon-process.js';
import { connectClient } from '../daemon/helpers/line-client.js';
import { press, waitForFrame } from '../ui/support.js';
import { attachApp } from './attach-helpers.js';

test('daemon killed → the app says so and keeps the screen → daemon started again → the app is live again', async (t) => {
  const tmp = await makeTempDir('jl-re-');
  t.after(() => tmp.cleanup());
  const dataDir = join(tmp.dir, 'data');
  const env = isolatedEnv(tmp.dir);
  // A Jira that outlives the daemon (a demo daemon keeps its data in a throwaway directory
  // that no app could attach to, and its simulator forgets its tickets when it stops).
  const sim = await startSimulator({});
  t.after(() => sim.close());
  const args = ['--jira-url', sim.url, '--data-dir', dataDir, '--listen', '127.0.0.1:0'];
  const first = await startDaemon(args, env);
  t.after(() => first.kill());
  await first.waitFor((r) => r.event === 'control');
  const feed = await connectClient(first.address);
  await feed.write('R1|CREATE|summary;before the crash|\n');
  await feed.waitFor(1);
  feed.destroy();

  const app = await attachApp(dataDir, 'log');
  t.after(() => app.close());
  await waitForFrame(app.app.lastFrame, (f) => new RegExp(`attached to pid ${first.pid}`).test(f) && /R1\s+Ok\s+OPS-1\s/.test(f));

  first.kill();
  await first.exited;
  let frame = await waitForFrame(app.app.lastFrame, (f) => f.includes(`engine pid ${first.pid} gone`));
  assert.match(frame, /went away at .*reattaching when it is back/);
  assert.match(frame, /R1\s+Ok\s+OPS-1\s/, 'the screen is kept');
  // Keys still work while it waits, and nothing started an engine here.
  await press(app.app, '4');
  await waitForFrame(app.app.lastFrame, (f) => /Created\s+1/.test(f));
  await press(app.app, '3');
  assert.equal(await lockHolder(dataDir), null, 'the app took no lock: it runs no engine of its own');

  const second = await startDaemon(args, env);
  t.after(() => second.kill());
  await waitForFrame(app.app.lastFrame, (f) => new RegExp(`attached to pid ${second.pid}`).test(f) && !f.includes('gone'));
  const feed2 = await connectClient(second.address);
  t.after(() => feed2.destroy());
  await feed2.write('R2|CREATE|summary;after the restart|\n');
  await feed2.waitFor(1);
  frame = await waitForFrame(app.app.lastFrame, (f) => /R2\s+Ok\s+OPS-\d+\s/.test(f));
  assert.match(frame, /Log 2 rows/);
});
