// `jiraline simulator` as a user runs it: a child process that prints the URL it serves
// (the real port when asked for port 0) and the credentials it expects without the
// password, answers 201 and a Jira-shaped 400, and stops on SIGTERM with exit code 0.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../source/cli-args.js';
import { simulatorOptions } from '../../source/simulator/run-simulator.js';
import { call, createBody } from './sim-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = ['--import', 'tsx', 'source/cli.tsx', 'simulator'];

describe('jiraline simulator', () => {
  test('serves on the printed URL, checks credentials, answers 201 and 400, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...cli, '--listen', '127.0.0.1:0', '--user', 'ops', '--password', 'pw-s3cret', '--mode', 'cloud'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before serving: ${out}`)));
      });
      assert.notEqual(new URL(url).port, '0');
      assert.match(out, /Cloud/);
      assert.match(out, /user 'ops' \(password set\)/);
      assert.doesNotMatch(out, /pw-s3cret/);
      const auth = `Basic ${Buffer.from('ops:pw-s3cret').toString('base64')}`;
      const created = await call(url, 'POST', '/rest/api/2/issue', createBody(), { auth });
      assert.equal(created.status, 201);
      assert.match(created.body.key, /^OPS-1$/);
      const refused = await call(url, 'POST', '/rest/api/2/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' } } }, { auth });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, { errorMessages: [], errors: { summary: 'Summary is required.' } });
      assert.equal((await call(url, 'GET', '/rest/api/2/serverInfo', undefined, { auth: null })).status, 401);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.match(out, /stopped/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('a bad flag exits 2 with a one-line reason naming it', () => {
    const r = spawnSync(process.execPath, [...cli, '--listen', 'nowhere'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /--listen/);
  });

  test('every flag mistake is a UsageError naming the flag', () => {
    for (const [args, flag] of [[['--listen', 'nowhere'], '--listen'], [['--listen', '127.0.0.1:70000'], '--listen'], [['--mode', 'server'], '--mode'],
      [['--user', 'u'], '--password'], [['--token', 't', '--user', 'u', '--password', 'p'], '--token'], [['--failure-rate', '2'], '--failure-rate'],
      [['--latency', 'soon'], '--latency'], [['--bogus'], '--bogus'], [['extra'], 'extra']] as const) {
      assert.throws(() => simulatorOptions([...args]), (e: Error) => e instanceof UsageError && e.message.includes(flag), args.join(' '));
    }
    assert.deepEqual(simulatorOptions(['--listen', '[::1]:0', '--token', 'T', '--failure-rate', '0.5', '--latency', '20']),
      { host: '::1', port: 0, mode: 'datacenter', auth: { token: 'T' }, faults: { failureRate: 0.5, latencyMs: 20 } });
    assert.deepEqual(simulatorOptions([]), { host: '127.0.0.1', port: 8080, mode: 'datacenter', auth: null, faults: {} });
  });

  test('--hostile MODE (and --hostile-creates-only) make it a broken Jira; an unknown mode is named', () => {
    assert.deepEqual(simulatorOptions(['--hostile', 'drip', '--hostile-creates-only']).valueOf(),
      { host: '127.0.0.1', port: 8080, mode: 'datacenter', auth: null, faults: { hostile: { mode: 'drip', createsOnly: true } } });
    assert.deepEqual((simulatorOptions(['--hostile', 'echo-credentials']) as { faults: unknown }).faults, { hostile: { mode: 'echo-credentials' } });
    assert.throws(() => simulatorOptions(['--hostile', 'slow']), (e: Error) => e instanceof UsageError && /--hostile must be one of drip, huge, html, cut, bad-key, echo-credentials/.test(e.message));
    assert.throws(() => simulatorOptions(['--hostile-creates-only']), (e: Error) => e instanceof UsageError && /--hostile MODE/.test(e.message));
  });
});
