// CI: the package a user installs. `npm pack` (its prepack builds dist/), then
// `npm install -g` of the tarball into a fresh prefix, offline: the production dependencies
// travel inside the tarball (bundleDependencies), so an air-gapped host needs nothing but
// the file. Then the installed `jiraline` must answer --help, run the app in demo mode (in
// tmux), and run the daemon against the installed simulator, filing a ticket through `send`.
// Loopback only; every process started here is stopped by its PID.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'jiraline-pack-'));
const prefix = join(work, 'prefix');
const started = [];
const session = `jiraline-pack-${process.pid}`;

function step(text) {
  process.stdout.write(`pack-check: ${text}\n`);
}

function fail(text) {
  throw new Error(text);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

function background(bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data') } });
  child.output = '';
  child.stdout.on('data', (d) => { child.output += d; });
  child.stderr.on('data', (d) => { child.output += d; });
  started.push(child);
  return child;
}

async function main() {
  step('npm pack');
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz')) ?? fail('npm pack made no tarball');
  step(`npm install -g --offline ${tarball} into a fresh prefix`);
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(work, tarball)],
    { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  const bin = join(prefix, 'bin', 'jiraline');

  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  if (!help.includes('jiraline daemon')) fail(`jiraline --help did not list the commands:\n${help}`);
  step('jiraline --help ok');

  const jiraPort = await freePort();
  const linePort = await freePort();
  background(bin, ['simulator', '--listen', `127.0.0.1:${jiraPort}`]);
  await until('the simulator', async () => (await fetch(`http://127.0.0.1:${jiraPort}/rest/api/2/serverInfo`).catch(() => null))?.ok);
  // A --config that does not exist is refused: both configs are files.
  for (const name of ['daemon-config.json', 'demo-config.json']) writeFileSync(join(work, name), '{}');
  const daemon = background(bin, ['daemon', '--jira-url', `http://127.0.0.1:${jiraPort}`, '--data-dir', join(work, 'daemon-data'),
    '--config', join(work, 'daemon-config.json'), '--listen', `127.0.0.1:${linePort}`]);
  await until('the daemon to listen', () => daemon.output.includes('"listening"'));
  const send = (line) => spawnSync(bin, ['send', '--listen', `127.0.0.1:${linePort}`, line], { encoding: 'utf8' }).stdout.trim();
  const queued = send('pack-1|CREATE|summary;filed by the installed package|');
  if (queued !== 'OK pack-1 queued') fail(`send answered ${JSON.stringify(queued)}; daemon said:\n${daemon.output}`);
  const status = await until('the ticket', () => { const s = send('STATUS pack-1'); return / Ok [A-Z]+-\d+ /.test(s) && s; });
  step(`jiraline daemon ok: ${status}`);

  const app = `${bin} --demo --data-dir ${join(work, 'demo-data')} --config ${join(work, 'demo-config.json')} --listen off`;
  // Without CI/CONTINUOUS_INTEGRATION: Ink draws only the last frame when it believes it runs in CI.
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', `env -u CI -u CONTINUOUS_INTEGRATION HOME=${work} ${app}`]);
  await until('the demo app\'s Creation pane', () =>
    spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout.includes('Ticket Creation Table'));
  execFileSync('tmux', ['send-keys', '-t', session, 'q']);
  await until('the app to quit on q', () => spawnSync('tmux', ['has-session', '-t', session]).status !== 0, 10_000);
  step('jiraline --demo ok');
}

main().then(
  () => { step('passed'); },
  (error) => { process.stderr.write(`pack-check: FAILED: ${error.message}\n`); process.exitCode = 1; },
).finally(async () => {
  spawnSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  // Each child is stopped and waited for: a daemon writes its last snapshot as it stops, and
  // the folder is removed only once nothing writes in it any more.
  await Promise.all(started.map((child) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGTERM');
  })));
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
});
