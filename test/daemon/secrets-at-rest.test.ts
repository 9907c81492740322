// What a running daemon leaves behind and shows, with Jira echoing the credentials back in an
// error and a ticket key and line fields full of terminal escapes: the password (Basic) or the
// API key never reaches the data directory, the config file, the daemon's output, `log`,
// `log --json`, `stats`, `status` or the control socket's messages; every file in the data
// directory is the owner's only (0600, directories 0700); and nothing printed to a terminal
// carries a raw escape sequence. (Loopback by default: settings.test.ts; socketToken on TCP:
// socket-server.test.ts; the control socket refusing another user: control-socket.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../source/simulator/index.js';
import { controlSocketPath } from '../../source/control/control-address.js';
import { PROTOCOL_VERSION } from '../../source/control/control-protocol.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isolatedEnv, runCli, startDaemon } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

/** Every file under dir (sockets and all), with its mode. */
function walk(dir: string): Array<{ path: string; mode: number; dir: boolean; file: boolean }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const s = statSync(path);
    const here = { path, mode: s.mode & 0o777, dir: s.isDirectory(), file: s.isFile() };
    return s.isDirectory() ? [here, ...walk(path)] : [here];
  });
}

/** The raw text of a control-socket session: hello, then each request's reply. */
async function controlTranscript(path: string, requests: Array<{ method: string; params?: unknown }>): Promise<string> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const replies = () => text.split('\n').filter((l) => l.includes('"type":"reply"')).length;
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  socket.write(`${JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, client: 'secrets-test' })}\n`);
  requests.forEach((r, i) => socket.write(`${JSON.stringify({ type: 'request', id: i + 1, ...r })}\n`));
  await waitUntil(() => replies() >= requests.length, () => `${requests.length} control replies; got: ${text.slice(0, 500)}`, 30_000, 20);
  socket.destroy();
  assert.equal(replies(), requests.length, `control replies: ${text.slice(0, 500)}`);
  return text;
}

// eslint-disable-next-line no-control-regex
const rawEscape = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
const escapes = '\u001b[2J\u001b]0;owned\u0007\u009b31m';

for (const kind of ['basic', 'key'] as const) {
  test(`${kind} credentials: never at rest, in output or on the control socket; files 0600; escapes never raw`, async (t) => {
    const tmp = await makeTempDir();
    t.after(() => tmp.cleanup());
    const secret = kind === 'basic' ? 'pw-S3cr3t-basic-41d0' : 'key-S3cr3t-token-93fa';
    const sim = await startSimulator({ auth: kind === 'basic' ? { user: 'ops-bot', password: secret } : { token: secret } });
    t.after(() => sim.close());
    const dataDir = join(tmp.dir, 'data');
    const config = join(tmp.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64 } }), { mode: 0o600 });
    const env = isolatedEnv(tmp.dir, kind === 'basic' ? { JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: secret } : { JIRALINE_AUTH_KEY: secret });
    const daemon = await startDaemon(['--config', config, '--jira-url', sim.url, '--data-dir', dataDir, '--listen', '127.0.0.1:0'], env);
    t.after(() => daemon.kill());
    const encoded = Buffer.from(`ops-bot:${secret}`).toString('base64');
    const leaks = (text: string) => text.includes(secret) || text.includes(encoded);

    // 1: Jira answers the CREATE with an error that echoes the credential it was sent.
    sim.setFaults({ hostile: { mode: 'echo-credentials', createsOnly: true } });
    const c = await connectClient(daemon.address);
    t.after(() => c.destroy());
    await c.write(`sec-1|CREATE|summary;echo|\n`);
    await c.waitFor(1);
    await daemon.waitFor((r) => r.event === 'failed' && r.guid === 'sec-1');
    // 2: a ticket key full of escapes, and a line whose fields are.
    sim.setFaults({ hostile: { mode: 'bad-key', createsOnly: true, key: `OPS-1${escapes}` } });
    await c.write(`sec-2|CREATE|summary;a${escapes}b|comment;c${escapes}d|\n`);
    await c.waitFor(2);
    await daemon.waitFor((r) => (r.event === 'failed' || r.event === 'sent') && r.guid === 'sec-2');
    // 3: a good answer to a line full of escapes.
    sim.setFaults({});
    await c.write(`sec-3|CREATE|summary;x${escapes}y|description;${escapes}|\n`);
    await c.waitFor(3);
    await daemon.waitFor((r) => (r.event === 'failed' || r.event === 'sent') && r.guid === 'sec-3');
    assert.ok(c.received.every((r) => !rawEscape.test(r)), `socket replies: ${JSON.stringify(c.received)}`);

    const control = await controlTranscript(await controlSocketPath(dataDir, env), [
      { method: 'queryLog', params: { limit: 50 } }, { method: 'status', params: { guid: 'sec-1' } }, { method: 'getLogRow', params: { id: 1 } },
    ]);
    assert.ok(control.includes('sec-1'), 'the control socket answered with the log');
    assert.equal(leaks(control), false, 'the credential is in no control-socket message');

    const shown: Record<string, string> = {};
    for (const args of [['log'], ['log', '--json'], ['stats'], ['status']]) {
      const run = await runCli([...args, '--data-dir', dataDir], env);
      shown[args.join(' ')] = run.stdout + run.stderr;
    }
    assert.match(shown.log, /sec-1/);
    for (const [command, text] of Object.entries(shown)) {
      assert.equal(leaks(text), false, `jiraline ${command} shows no credential`);
      assert.equal(rawEscape.test(text.replace(/\n/g, '')), false, `jiraline ${command} prints no raw control character: ${JSON.stringify(text.slice(0, 300))}`);
    }

    daemon.child.kill('SIGTERM');
    assert.equal((await daemon.exited).code, 0, daemon.stderr());
    assert.equal(leaks(daemon.stdout() + daemon.stderr()), false, 'the daemon\'s output holds no credential');
    assert.equal(leaks(readFileSync(config, 'latin1')), false, 'nor the config file');
    const files = walk(dataDir);
    assert.ok(files.some((f) => f.path.endsWith('jiraline.db')), files.map((f) => f.path).join(', '));
    for (const f of files) {
      if (f.file) assert.equal(leaks(readFileSync(f.path, 'latin1')), false, `${f.path} holds no credential`);
      assert.equal(f.mode, f.dir ? 0o700 : 0o600, `${f.path} is the owner's only`);
    }
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  });
}
