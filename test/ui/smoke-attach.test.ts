// The real binary in tmux attached to a real daemon: `jiraline` on the daemon's data
// directory attaches instead of refusing, shows `attached to pid N`, its Execute becomes a
// Manual row in the daemon's log, and q leaves the daemon running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { screenUntil, tmux } from './tmux.js';
import { isolatedEnv } from '../daemon/helpers/daemon-process.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

test('the real binary in tmux attaches to a running daemon: Execute → a Manual row in the daemon\'s log; q leaves the daemon running', async (t) => {
  assert.ok(existsSync(cli), `${cli} is missing: npm test builds it (npm run build)`);
  const tmp = await makeTempDir('jl-smoke-att-');
  t.after(() => tmp.cleanup());
  const dataDir = join(tmp.dir, 'data');
  // A daemon on a Jira of its own (demo mode keeps its data in a throwaway directory, which
  // no app could attach to), with a template a Manual Execute can send as it is.
  const sim = await startSimulator({});
  t.after(() => sim.close());
  const daemonConfig = join(tmp.dir, 'daemon-config.json');
  writeFileSync(daemonConfig, JSON.stringify({ template: [{ field: 'project', value: 'DEMO', mode: 'Include' },
    { field: 'issuetype', value: 'Task', mode: 'Include' }, { field: 'summary', value: 'Smoke test ticket', mode: 'Include' }] }));
  const daemon = spawn(process.execPath, [cli, 'daemon', '--jira-url', sim.url, '--config', daemonConfig, '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    { env: isolatedEnv(tmp.dir), stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    daemon.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('"event":"control"')) resolve();
    });
    daemon.on('exit', () => reject(new Error(`the daemon exited: ${out}`)));
  });

  const server = `jiraline-smoke-att-${process.pid}-${randomBytes(3).toString('hex')}`;
  t.after(() => {
    try {
      tmux(server, 'kill-server');
    } catch {
      // Already gone.
    }
  });
  tmux(server, 'new-session', '-d', '-x', '110', '-y', '30', '-s', 'smoke',
    'env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color bash --norc --noprofile');
  writeFileSync(join(tmp.dir, 'app-config.json'), '{}'); // a --config that does not exist is refused
  tmux(server, 'send-keys', '-t', 'smoke', `PS1='smoke$ '; clear; node ${cli} --data-dir ${dataDir} --config ${join(tmp.dir, 'app-config.json')}; echo EXIT=$?`, 'Enter');

  await screenUntil(server, 'attached to the daemon', (s) => s.includes(`attached to pid ${daemon.pid}`) && s.includes('connected as'));
  // The attached app yields the CPU to the daemon (nice 10, or its own if lower already): `jiraline status` names its pid.
  const status = JSON.parse(execFileSync(process.execPath, [cli, 'status', '--json', '--data-dir', dataDir], { env: isolatedEnv(tmp.dir), encoding: 'utf8' })) as { attached: Array<{ pid: number }> };
  const appPid = status.attached[0]?.pid;
  assert.ok(appPid, 'the attached app is listed with its pid');
  const stat = readFileSync(`/proc/${appPid}/stat`, 'utf8');
  const appNice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19: nice
  assert.equal(appNice, Math.max(getPriority(), 10), 'the attached app runs at nice 10');
  tmux(server, 'send-keys', '-t', 'smoke', 'x');
  let screen = await screenUntil(server, 'Created DEMO-N', (s) => /Created DEMO-\d+/.test(s));
  const key = /Created (DEMO-\d+)/.exec(screen)?.[1] as string;
  tmux(server, 'send-keys', '-t', 'smoke', '3');
  screen = await screenUntil(server, 'the Manual row', (s) => new RegExp(`Manual\\s+Create .*Ok\\s+${key}\\s`).test(s));

  tmux(server, 'send-keys', '-t', 'smoke', 'q');
  screen = await screenUntil(server, 'the shell back', (s) => s.includes('EXIT=0'));
  assert.equal(daemon.exitCode, null, 'the daemon keeps running after the app quits');
  // The daemon's own log has the Manual row (`jiraline log` reads the data directory).
  const log = execFileSync(process.execPath, [cli, 'log', '--data-dir', dataDir], { env: isolatedEnv(tmp.dir), encoding: 'utf8' });
  assert.match(log, new RegExp(`Manual\\s+Create .*Ok\\s+\\d+\\s+\\d+\\s+${key}\\s`));
  daemon.kill('SIGTERM');
  await new Promise((resolve) => daemon.once('exit', resolve));
});
