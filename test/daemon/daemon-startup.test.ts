// How `jiraline daemon` refuses to start: bad usage and configuration (exit 2, one line
// naming what is at fault), a data directory another daemon holds (exit 2 naming its pid),
// a database it cannot read (exit 1 naming the file, which is left untouched) — and how
// it takes over the lock of a daemon killed with -9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { isolatedEnv, runCli, spawnDaemon, startDaemon } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

test('bad usage and bad configuration exit 2 with one line naming the fault', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const env = isolatedEnv(tmp.dir);
  const configFile = join(tmp.dir, 'config', 'jiraline', 'config.json');
  const [noUrl, badListen, badEnv] = await Promise.all([
    runCli(['daemon', '--data-dir', join(tmp.dir, 'd1')], env),
    runCli(['daemon', '--jira-url', 'http://127.0.0.1:9', '--listen', 'everywhere'], env),
    runCli(['daemon', '--listen', '127.0.0.1:0'], { ...env, JIRALINE_URL: 'jira.example.com' }),
  ]);
  assert.equal(noUrl.code, 2);
  assert.equal(noUrl.stderr, `no Jira URL: set --jira-url, JIRALINE_URL or jira.url in ${configFile} (or --demo)\n`);
  assert.equal(badListen.code, 2);
  assert.match(badListen.stderr, /^--listen: expected HOST:PORT \(e\.g\. 127\.0\.0\.1:7465\) or off\n$/);
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.stderr, /^JIRALINE_URL: expected an http\(s\) URL/);

  mkdirSync(join(tmp.dir, 'config', 'jiraline'), { recursive: true });
  writeFileSync(configFile, JSON.stringify({ jira: { url: 'http://127.0.0.1:9' }, updates: { maxUpdates: 'ten' } }));
  const badKey = await runCli(['daemon', '--listen', '127.0.0.1:0'], env);
  assert.equal(badKey.code, 2);
  assert.match(badKey.stderr, new RegExp(`^config file ${configFile}: error in updates\\.maxUpdates: .*\\n$`));
  assert.equal(badKey.stdout.split('\n').filter((l) => l.includes('"listening"')).length, 0, 'it never started');

  // A setting only the runtime can check (the CA file is read when the client is built).
  writeFileSync(configFile, JSON.stringify({ jira: { url: 'https://127.0.0.1:9', caFile: join(tmp.dir, 'no-such-ca.pem') } }));
  const badCa = await runCli(['daemon', '--listen', '127.0.0.1:0', '--data-dir', join(tmp.dir, 'd2')], env);
  assert.equal(badCa.code, 2);
  assert.match(badCa.stderr, /no-such-ca\.pem/);
  const failed = badCa.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; exitCode?: number }).find((r) => r.event === 'start-failed');
  assert.equal(failed?.exitCode, 2, 'the start-failed record names the exit code the process ends with');
});

test('a live lock: a second daemon on the same directory exits 2 naming the pid; after kill -9 a restart takes over', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({});
  t.after(() => sim.close());
  const env = isolatedEnv(tmp.dir, { JIRALINE_USER: 'u', JIRALINE_PASSWORD: 'p' });
  const args = ['--jira-url', sim.url, '--data-dir', join(tmp.dir, 'data'), '--listen', '127.0.0.1:0'];
  const first = await startDaemon(args, env);
  t.after(() => first.kill());

  const second = spawnDaemon(args, env);
  t.after(() => second.kill());
  const refused = await second.exited;
  assert.equal(refused.code, 2);
  assert.match(second.stderr(), new RegExp(`\\(pid ${first.pid}\\)`));
  assert.equal(second.stderr().trimEnd().split('\n').length, 1, 'one line');
  const records = second.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; exitCode?: number; error?: string });
  assert.deepEqual(records.map((r) => r.event), ['start', 'start-failed'], 'stdout says the start failed, and no listening follows');
  assert.equal(records[1].exitCode, 2);
  assert.match(records[1].error ?? '', new RegExp(`pid ${first.pid}`));

  // An acknowledged line, then kill -9: the stale lock is taken over and the line is still there.
  const c = await connectClient(first.address);
  t.after(() => c.destroy());
  await c.write('L1|CREATE|summary;before the kill|\n');
  assert.deepEqual(await c.waitFor(1), ['OK L1 queued']);
  first.kill();
  await first.exited;

  const third = await startDaemon(args, env);
  t.after(() => third.kill());
  const lock = await third.waitFor((r) => r.event === 'lock');
  assert.equal(lock.tookOverStale, true);
  const c3 = await connectClient(third.address);
  t.after(() => c3.destroy());
  await c3.write('STATUS L1\n');
  assert.match((await c3.waitFor(1))[0], /^OK L1 (Pending|Ok) /);
  third.child.kill('SIGTERM');
  assert.equal((await third.exited).code, 0);
});

test('a database file that cannot be read: exit 1 naming the file, and the file is left as it was', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const dataDir = join(tmp.dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'jiraline.db');
  const garbage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0x5a)]);
  writeFileSync(file, garbage, { mode: 0o600 });
  const result = await runCli(['daemon', '--jira-url', 'http://127.0.0.1:9', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    isolatedEnv(tmp.dir, { JIRALINE_USER: 'u', JIRALINE_PASSWORD: 'p' }));
  assert.equal(result.code, 1);
  assert.ok(result.stderr.includes(file), result.stderr);
  assert.deepEqual(readFileSync(file), garbage, 'untouched');
});

test('a socket other machines can reach: refused without a socketToken (exit 2, saying how), said at start when allowed or guarded', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const env = isolatedEnv(tmp.dir);
  const open = await runCli(['daemon', '--jira-url', 'http://127.0.0.1:9', '--listen', '0.0.0.0:0', '--data-dir', join(tmp.dir, 'd1')], env);
  assert.equal(open.code, 2);
  assert.match(open.stderr, /^listen 0\.0\.0\.0:0: other machines can reach this address.*set "socketToken" in .*config\.json.*--allow-unauthenticated-remote/);
  assert.equal(open.stderr.split('\n').length, 2, 'one line');
  assert.equal(open.stdout.split('\n').filter((l) => l.includes('"listening"')).length, 0, 'it never listened');

  const sim = await startSimulator({});
  t.after(() => sim.close());
  // Loopback stays quiet; an explicit choice starts, and the log says what is exposed.
  const allowed = await startDaemon(['--jira-url', sim.url, '--listen', '0.0.0.0:0', '--allow-unauthenticated-remote', '--data-dir', join(tmp.dir, 'd2')], env);
  t.after(() => allowed.kill());
  await allowed.waitFor((r) => r.event === 'warning' && /0\.0\.0\.0:0, which other machines can reach, WITHOUT a socketToken/.test(String(r.message)));
  const quiet = await startDaemon(['--jira-url', sim.url, '--listen', '127.0.0.1:0', '--data-dir', join(tmp.dir, 'd3')], env);
  t.after(() => quiet.kill());
  assert.equal(quiet.records.filter((r) => /other machines can reach/.test(String(r.message))).length, 0, 'loopback says nothing');
});

test('a start that fails on its configuration writes a start-failed record on stdout (exit 2), for a supervisor that reads stdout', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const env = isolatedEnv(tmp.dir);
  const missing = join(tmp.dir, 'typo.json');
  const broken = join(tmp.dir, 'broken.json');
  writeFileSync(broken, '{\n  "listen": "127.0.0.1:0",\n}\n');
  // Spawned with a port and a directory of their own, and killed at the end: one that started
  // after all (a missing --config taken as empty) must not stay behind.
  const common = ['--jira-url', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0'];
  const noFile = spawnDaemon(['--config', missing, '--data-dir', join(tmp.dir, 'd1'), ...common], env);
  const badJson = spawnDaemon(['--data-dir', join(tmp.dir, 'd2'), ...common], { ...env, JIRALINE_CONFIG: broken });
  t.after(() => noFile.kill());
  t.after(() => badJson.kill());
  for (const [daemon, says] of [[noFile, `--config: no config file ${missing}`], [badJson, `config file ${broken}: not valid JSON at line 3, column 1`]] as const) {
    // One that starts after all is stopped at once (it would otherwise run until the suite's timeout).
    // (waitFor rejects when the child ends without listening: then its exit code decides.)
    const listening = daemon.waitFor((r) => r.event === 'listening', 60_000).then(() => 'listening', () => new Promise<never>(() => {}));
    const ended = await Promise.race([daemon.exited.then((e) => e.code), listening]);
    if (ended === 'listening') daemon.kill();
    assert.equal(ended, 2, `${says}: it started instead of refusing`);
    assert.ok(daemon.stderr().startsWith(says), daemon.stderr());
    const records = daemon.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; level?: string; error?: string; exitCode?: number });
    assert.deepEqual(records.map((r) => [r.event, r.level, r.exitCode]), [['start-failed', 'error', 2]]);
    assert.ok(records[0].error?.startsWith(says), records[0].error);
  }
});
