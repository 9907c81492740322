// `jiraline init`: the first-run wizard against the simulator — asked on a terminal, or from
// flags and stdin — checks the URL and the login, picks the issue type from what Jira offers,
// then writes the config (keeping the keys it does not own) and stores the secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runInit, type Asker } from '../../source/daemon/init-command.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function io(stdinText?: string) {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  return {
    io: { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } }, env: {}, stdin },
    out: () => out,
    err: () => err,
  };
}

/** Answers questions in order; records them. */
function scripted(answers: string[]): Asker & { asked: string[] } {
  const asked: string[] = [];
  const next = async (q: string) => {
    asked.push(q);
    if (answers.length === 0) throw new Error(`unexpected question: ${q}`);
    return answers.shift() as string;
  };
  return { asked, ask: next, secret: next };
}

test('on a terminal: URL, sign-in, project and a picked issue type → config written, secret stored in the 0600 file', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: 's3cret-pw' } });
  t.after(() => sim.close());
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ log: { maxEntries: 500 }, template: [{ field: 'summary', value: 'from the template', mode: 'Include' }] }));
  const term = io();
  const asker = scripted([sim.url, '1', 'ops-bot', 's3cret-pw', 'ops', 'nine', 'Task']);
  const code = await runInit(['--config', config], { io: term.io, asker, keychain: null });
  assert.equal(code, 0, term.err());
  assert.match(asker.asked[5], /^Issue type for new tickets — 1\) .*Task/);
  assert.match(term.err(), /"nine" is none of them/);
  const written = JSON.parse(readFileSync(config, 'utf8'));
  assert.equal(written.jira.url, sim.url);
  assert.deepEqual(written.auth, { method: 'basic', username: 'ops-bot' });
  assert.deepEqual(written.template.map((r: { field: string; value: string }) => [r.field, r.value]),
    [['project', 'OPS'], ['issuetype', 'Task'], ['summary', 'from the template']]);
  assert.deepEqual(written.log, { maxEntries: 500 }, 'keys init does not own are kept');
  const secrets = join(tmp.dir, 'credentials.json');
  assert.equal(statSync(secrets).mode & 0o777, 0o600);
  assert.doesNotMatch(readFileSync(config, 'utf8'), /s3cret/, 'the secret is not in the config');
  assert.doesNotMatch(term.out() + term.err(), /s3cret/, 'nor printed');
  assert.match(term.out(), /jiraline is set up for .* \(project OPS, Task\)/);
});

test('from flags and stdin (no terminal); a refused login writes nothing; an unknown issue type lists the ones there are', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: 'right' } });
  t.after(() => sim.close());
  const config = join(tmp.dir, 'config.json');
  const flags = ['--config', config, '--url', sim.url, '--auth', 'basic', '--username', 'ops-bot', '--project', 'OPS'];

  const refused = io('wrong\n');
  assert.equal(await runInit([...flags, '--issue-type', 'Incident'], { io: refused.io, asker: null, keychain: null }), 1);
  assert.match(refused.err(), /✗ Jira refused the login/);
  assert.equal(existsSync(config), false, 'nothing written');

  const unknown = io('right\n');
  assert.equal(await runInit([...flags, '--issue-type', 'Saga'], { io: unknown.io, asker: null, keychain: null }), 1);
  assert.match(unknown.err(), /project OPS has no issue type "Saga"; it has: 1\) .*Incident/);

  const good = io('right\n');
  assert.equal(await runInit([...flags, '--issue-type', 'incident'], { io: good.io, asker: null, keychain: null }), 0, good.err());
  assert.equal(JSON.parse(readFileSync(config, 'utf8')).template[1].value, 'Incident');

  const missing = io('right\n');
  await assert.rejects(runInit(['--config', join(tmp.dir, 'other.json')], { io: missing.io, asker: null, keychain: null }),
    /Jira URL .* pass it as a flag/);
});
