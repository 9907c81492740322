// `jiraline doctor`: every check a start depends on, one line each, with what to do about a
// failure — and a wrong password taken from the environment is blamed on the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runDoctor } from '../../source/daemon/doctor-command.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

async function doctor(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; checks: Array<Record<string, string>> }> {
  let out = '';
  const io = { stdout: { write: (t: string) => { out += t; } }, stderr: { write: () => undefined }, env, stdin: process.stdin };
  const code = await runDoctor([...args, '--json'], { io, keychain: null });
  const checks = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  let text = '';
  await runDoctor(args, { io: { ...io, stdout: { write: (t: string) => { text += t; } } }, keychain: null });
  return { code, out: text, checks };
}

test('all is well: Jira answers, the login works, the template can be created, the data directory and port are fine', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: 'pw' } });
  t.after(() => sim.close());
  const env = { HOME: tmp.dir, JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: 'pw' };
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ jira: { url: sim.url }, template: [
    { field: 'project', value: 'OPS', mode: 'Include' }, { field: 'issuetype', value: 'Incident', mode: 'Include' }] }));
  const { code, checks, out } = await doctor(['--config', config, '--data-dir', join(tmp.dir, 'data'), '--listen', '127.0.0.1:0'], env);
  assert.equal(code, 0, out);
  assert.deepEqual(checks.map((c) => [c.name, c.status]), [
    ['node', 'ok'], ['config', 'ok'], ['credentials', 'ok'], ['jira', 'ok'], ['login', 'ok'], ['template', 'ok'], ['data', 'ok'], ['socket', 'ok']]);
  assert.match(out, /✓ login +signed in as Ops Bot \(ops-bot\) — credentials from environment/i);
  assert.match(out, /✓ template +may create Incident in OPS/);
  assert.doesNotMatch(out, /pw\b/, 'no secret printed');
});

test('a wrong password from the environment: the fix names the environment, not jiraline auth set alone; a busy port and an unknown issue type are named', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: 'right' } });
  t.after(() => sim.close());
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  t.after(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ jira: { url: sim.url } }));
  const wrong = await doctor(['--config', config, '--data-dir', join(tmp.dir, 'data'), '--listen', `127.0.0.1:${port}`],
    { HOME: tmp.dir, JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: 'wrong' });
  assert.equal(wrong.code, 1);
  const login = wrong.checks.find((c) => c.name === 'login');
  assert.equal(login?.status, 'fail');
  assert.match(login?.fix ?? '', /JIRALINE_USER\/JIRALINE_PASSWORD .* in the environment, which outrank jiraline auth set/);
  assert.equal(wrong.checks.find((c) => c.name === 'socket')?.status, 'fail');
  assert.match(wrong.out, /✗ socket +127\.0\.0\.1:\d+ cannot be bound/);

  writeFileSync(config, JSON.stringify({ jira: { url: sim.url }, template: [
    { field: 'project', value: 'OPS', mode: 'Include' }, { field: 'issuetype', value: 'Epic Saga', mode: 'Include' }] }));
  const badType = await doctor(['--config', config, '--data-dir', join(tmp.dir, 'data'), '--listen', 'off'],
    { HOME: tmp.dir, JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: 'right' });
  const template = badType.checks.find((c) => c.name === 'template');
  assert.equal(template?.status, 'fail');
  assert.match(template?.fix ?? '', /use one of: .*Incident/);
});

test('a broken config stops the checks at the config, saying what is wrong; no URL is demo mode', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ jira: { urll: 'x' } }));
  const broken = await doctor(['--config', config], { HOME: tmp.dir });
  assert.equal(broken.code, 1);
  assert.deepEqual(broken.checks.map((c) => c.name), ['node', 'config']);
  assert.match(broken.checks[1].detail, /did you mean jira\.url\?/);

  mkdirSync(join(tmp.dir, 'data'), { mode: 0o755 });
  writeFileSync(config, '{}');
  const demo = await doctor(['--config', config, '--data-dir', join(tmp.dir, 'data'), '--listen', 'off'], { HOME: tmp.dir });
  assert.equal(demo.checks.find((c) => c.name === 'jira')?.status, 'skip');
  const data = demo.checks.find((c) => c.name === 'data');
  assert.equal(data?.status, 'warn');
  assert.equal(data?.fix, `chmod 700 ${join(tmp.dir, 'data')}`);
});
