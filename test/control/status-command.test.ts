// `jiraline status`: what an operator (or a monitoring check) learns about the engine on a
// data directory, and the exit codes systemctl uses: 0 running, 3 not running, 2 bad usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { remoteSocketWords, runStatus } from '../../source/control/status-command.js';
import { attachEngine } from '../../source/control/remote-engine.js';
import { UsageError } from '../../source/cli-args.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator } from '../../source/simulator/index.js';
import { captureIo } from '../daemon/helpers/capture-io.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../ui/support.js';
import { startEngineHost } from './attach-helpers.js';

test('status of a running engine (text and --json), with an app attached; then of none', async (t) => {
  const host = await startEngineHost();
  let closed = false;
  t.after(() => (closed ? undefined : host.close()));
  await host.runtime.engine.checkConnection();
  await host.runtime.engine.submitLine('Q1|CREATE|summary;x|');

  let c = captureIo();
  assert.equal(await runStatus(['--data-dir', host.dataDir], c.io), 0);
  const text = c.out();
  assert.match(text, new RegExp(`jiraline engine running on ${host.dataDir}`));
  assert.match(text, new RegExp(`pid\\s+${process.pid} \\(daemon, jiraline \\d+\\.\\d+\\.\\d+\\), since \\d{4}-`));
  assert.match(text, /Jira\s+http:\/\/127\.0\.0\.1:\d+: connected as Ops Bot \(DataCenter \d/);
  assert.match(text, /; pacing \d+(\.\d+)? req\/s, \d+ at once \(the configured ceiling\), \d+ waiting$/m, 'the pace Jira is sent at, in words');
  assert.match(text, /queue\s+\d+ commands? waiting; throttle \d+\/10 per 60s/);
  assert.match(text, new RegExp(`sockets\\s+Advanced lines ${host.runtime.listenAddress}; control ${host.dataDir}/jiraline.sock`));
  assert.match(text, /attached\s+none/);
  assert.doesNotMatch(text, /other machines/, 'a loopback socket is not called reachable');

  const app = await attachEngine(host.dataDir, { client: 'jiraline-app' });
  t.after(() => app.stop());
  await waitUntil(() => (host.runtime.control?.clients().length ?? 0) === 1, 'attached');
  c = captureIo();
  assert.equal(await runStatus(['--json', '--data-dir', host.dataDir], c.io), 0);
  const json = JSON.parse(c.out()) as Record<string, unknown> & { jira: Record<string, unknown>; attached: Array<Record<string, unknown>> };
  assert.equal(json.running, true);
  assert.equal(json.pid, process.pid);
  assert.equal(json.face, 'daemon');
  assert.equal(json.jira.state, 'ok');
  assert.equal(json.jira.user, 'Ops Bot');
  assert.equal(json.jira.paused, false);
  assert.equal(typeof (json.jira.pacing as { perSecond?: unknown }).perSecond, 'number');
  assert.equal((json.jira.pacing as { limitedByJira?: unknown }).limitedByJira, false);
  assert.equal(typeof json.queueDepth, 'number');
  assert.deepEqual(json.throttle, { used: (json.throttle as { used: number }).used, max: 10, intervalSeconds: 60 });
  assert.equal(json.attached.length, 1);
  assert.equal(json.attached[0].pid, process.pid);
  assert.equal(json.socket, join(host.dataDir, 'jiraline.sock'));

  await app.stop();
  await host.close();
  closed = true;
  await mkdir(host.dataDir, { recursive: true });
  c = captureIo();
  assert.equal(await runStatus(['--data-dir', host.dataDir], c.io), 3);
  assert.match(c.out(), /no jiraline engine runs on/);
});

test('status: 3 on a directory no engine ever ran on; bad usage is a UsageError (exit 2)', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const c = captureIo();
  assert.equal(await runStatus(['--json', '--data-dir', tmp.dir], c.io), 3);
  assert.deepEqual(JSON.parse(c.out()), { running: false, dataDir: tmp.dir, engineData: false });
  await assert.rejects(runStatus(['--frobnicate'], captureIo().io), UsageError);
  await assert.rejects(runStatus(['--data-dir', join(tmp.dir, 'no-such-dir')], captureIo().io), UsageError);
});

test('status says in words when the Advanced socket is reachable from other machines, and whether a token guards it', async (t) => {
  // Tests bind loopback only: the engine runs on 127.0.0.1 with the settings a reachable
  // address gives (settings.test.ts checks which addresses those are).
  const tmp = await makeTempDir();
  const simulator = await startSimulator({ mode: 'datacenter', auth: null });
  const configPath = join(tmp.dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ socketToken: 'tok-1' }));
  const dataDir = join(tmp.dir, 'data');
  const settings = resolveSettings({ config: configPath, 'data-dir': dataDir, listen: '127.0.0.1:0', 'jira-url': simulator.url }, {}, 'daemon');
  settings.remoteListen = 'token';
  const runtime = await startRuntime(settings, { env: {}, keychain: null, face: 'daemon' });
  t.after(async () => {
    await runtime.stop();
    await simulator.close();
    await tmp.cleanup();
  });

  let c = captureIo();
  assert.equal(await runStatus(['--data-dir', dataDir], c.io), 0);
  assert.match(c.out(), new RegExp(`WARNING\\s+the Advanced socket ${runtime.listenAddress} is reachable from other machines; each connection must send AUTH with the socketToken first`));
  c = captureIo();
  assert.equal(await runStatus(['--json', '--data-dir', dataDir], c.io), 0);
  const json = JSON.parse(c.out()) as Record<string, unknown>;
  assert.equal(json.remoteListen, 'token');
  assert.match(String(json.listenWarning), /reachable from other machines/);

  // Without a token (--allow-unauthenticated-remote), and from an engine that does not report its guard.
  assert.match(remoteSocketWords('0.0.0.0:7465', 'unauthenticated') ?? '', /^the Advanced socket 0\.0\.0\.0:7465 is reachable from other machines WITHOUT a socketToken .*anyone who reaches it files tickets/);
  assert.match(remoteSocketWords('[::]:7465', undefined) ?? '', /reachable from other machines \(this engine does not say whether a socketToken guards it\)/);
  assert.equal(remoteSocketWords('127.0.0.1:7465', undefined), null);
  assert.equal(remoteSocketWords('127.0.0.1:7465', null), null);
  assert.equal(remoteSocketWords(null, undefined), null);
});
