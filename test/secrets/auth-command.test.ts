// `jiraline auth set|show|clear` end to end through the real CLI in a child process, with
// the config in a temporary XDG_CONFIG_HOME and no keychain reachable (a dead D-Bus
// address); the password must never appear in anything the program prints. Then the
// terminal path (prompt without echo) in-process with a fake TTY.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runAuth, type AuthIo } from '../../source/secrets/auth-command.js';
import { resolveConfigPath } from '../../source/daemon/settings.js';
import { UsageError } from '../../source/cli-args.js';
import { createSecretStore } from '../../source/secrets/index.js';
import { AbsentKeychain } from './helpers/fake-keychain.js';
import { keytarMissingReason } from './helpers/keytar-presence.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'jiraline-auth-'));
after(() => rmSync(base, { recursive: true, force: true }));

const PASSWORD = 'Sup3r-Secret-API-token-4711';
const KEY = 'NjM0MTk5ODQ3OTk2-personal-access-token-ZZ9';

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: base, XDG_CONFIG_HOME: join(base, 'xdg'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(base, 'no-bus')}`, ...options.env };
  for (const name of ['DISPLAY', 'JIRALINE_CONFIG', 'JIRALINE_USER', 'JIRALINE_PASSWORD', 'JIRALINE_AUTH_KEY']) {
    if (!options.env?.[name]) delete env[name];
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'auth', ...args],
    { cwd: root, env, input: options.input ?? '', encoding: 'utf8', timeout: 60_000 });
  const all = `${r.stdout}${r.stderr}`;
  for (const secret of [PASSWORD, KEY]) assert.ok(!all.includes(secret), `a secret was printed by auth ${args.join(' ')}:\n${all}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const file = join(base, 'xdg', 'jiraline', 'credentials.json');
// Why no keychain answers here: a dead D-Bus address where keytar is installed; where npm
// left the optional keytar out, that it is not installed.
const noKeychain = keytarMissingReason() === undefined ? 'D-Bus Secret Service: .+' : 'keytar is not installed; .+';

test('auth set (stdin) → show → clear → show, with no keychain: the 0600 file, masked output, no secret printed', () => {
  const set = cli(['set', '--username', 'ops-bot'], { input: `${PASSWORD}\nnot-this-line\n` });
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout.split('\n')[0], `credentials saved: basic ops-bot / ****4711 → ${file}`);
  assert.match(set.stderr, new RegExp(`^warning: no keychain answered \\(${noKeychain}\\); credentials stored in ${file} \\(mode 0600\\)\\n$`));
  assert.match(set.stdout, /set "auth": \{"username": "ops-bot"\} in .*config\.json; nothing else is required/);
  assert.equal(statSync(file).mode & 0o777, 0o600);

  const show = cli(['show']);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.stdout, `source: ${file} (file)\ncredentials: basic ops-bot / ****4711\n`);
  assert.match(show.stderr, /no keychain answered/);

  const clear = cli(['clear']);
  assert.equal(clear.code, 0, clear.stderr);
  assert.match(clear.stdout, new RegExp(`^keychain: not available \\(${noKeychain}\\)\\n`));
  assert.match(clear.stdout, new RegExp(`${file}: removed\\n$`));
  assert.equal(existsSync(file), false);

  const none = cli(['show']);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /^source: none\ncredentials: none\n/);
});

// The same command in-process (cheaper than a child per call): stdin is a pipe, the keychain absent.
async function inProcess(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const out = { stdout: '', stderr: '' };
  const io: AuthIo = { stdin, stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) },
    env: { HOME: base, XDG_CONFIG_HOME: join(base, 'xdg'), ...options.env }, keychain: new AbsentKeychain() };
  const code = await runAuth(args, io);
  for (const secret of [PASSWORD, KEY]) assert.ok(!`${out.stdout}${out.stderr}`.includes(secret), `auth ${args.join(' ')} printed a secret`);
  return { code, ...out };
}

test('auth set --key from stdin; the environment wins in show; clear says env vars cannot be cleared', async () => {
  const set = await inProcess(['set', '--key'], { input: `${KEY}\r\n` });
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout, `credentials saved: key ****-ZZ9 → ${file}\n`, 'a key has no username to configure');

  const env = { JIRALINE_USER: 'envuser', JIRALINE_PASSWORD: PASSWORD };
  const show = await inProcess(['show'], { env });
  assert.equal(show.stdout, 'source: environment (JIRALINE_USER, JIRALINE_PASSWORD)\ncredentials: basic envuser / ****4711\n');

  const clear = await inProcess(['clear'], { env });
  assert.equal(clear.code, 0);
  assert.match(clear.stdout, /credentials\.json: removed/);
  assert.equal(clear.stderr, 'warning: JIRALINE_USER, JIRALINE_PASSWORD are set in the environment, which jiraline cannot clear: '
    + 'unset them where they are defined (shell profile, service unit)\n');
});

test('--config picks the directory; a configured auth.username needs no --username and no note', async () => {
  const dir = join(base, 'elsewhere');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auth: { method: 'basic', username: 'jsmith' } }));
  const set = await inProcess(['set', '--config', join(dir, 'config.json')], { input: `${PASSWORD}\n` });
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout, `credentials saved: basic jsmith / ****4711 → ${join(dir, 'credentials.json')}\n`);
  assert.equal(statSync(join(dir, 'credentials.json')).mode & 0o777, 0o600);
  const show = await inProcess(['show'], { env: { JIRALINE_CONFIG: join(dir, 'config.json') } });
  assert.match(show.stdout, /credentials: basic jsmith/);
});

test('bad usage exits 2 with one line naming the problem', async () => {
  const r = cli(['frob']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "jiraline auth: unknown subcommand 'frob' (expected set, show or clear)\n");
  // The rest in-process: the CLI turns every UsageError into exit 2 as above.
  const cases: Array<[string[], string, RegExp]> = [
    [[], '', /^jiraline auth: expected set, show or clear/],
    [['set', '--bogus'], '', /^jiraline auth set: Unknown option '--bogus'/],
    [['set', '--config', join(base, 'usage', 'config.json')], `${PASSWORD}\n`, /^jiraline auth set: --username is required when the password comes from stdin/],
    [['set', '--username', 'u', '--config', join(base, 'usage', 'config.json')], '', /^jiraline auth set: no password given/],
    [['set', '--key', '--username', 'u'], `${KEY}\n`, /^jiraline auth set: --username goes with a password/],
  ];
  for (const [args, input, reason] of cases) {
    const stdin = new PassThrough();
    stdin.end(input);
    const io: AuthIo = { stdin, stdout: { write: () => true }, stderr: { write: () => true }, env: {}, keychain: null };
    await assert.rejects(runAuth(args, io), (e: Error) => e instanceof UsageError && reason.test(e.message) && !e.message.includes('\n'));
  }
  assert.equal(existsSync(join(base, 'usage')), false, 'nothing was written');
});

test('the config path follows --config, JIRALINE_CONFIG, XDG_CONFIG_HOME (absolute only), then ~/.config', () => {
  assert.equal(resolveConfigPath('/a/b.json', { JIRALINE_CONFIG: '/c/d.json' }), '/a/b.json');
  assert.equal(resolveConfigPath(undefined, { JIRALINE_CONFIG: '/c/d.json', XDG_CONFIG_HOME: '/x' }), '/c/d.json');
  assert.equal(resolveConfigPath(undefined, { XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/jiraline/config.json');
  assert.equal(resolveConfigPath(undefined, { XDG_CONFIG_HOME: 'relative', HOME: '/h' }), '/h/.config/jiraline/config.json');
  assert.equal(resolveConfigPath(undefined, { XDG_CONFIG_HOME: '', HOME: '/h' }), '/h/.config/jiraline/config.json');
});

// A terminal: process.stdin with isTTY and setRawMode. The prompts go to stderr; nothing typed is echoed.
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(this: { isRaw: boolean }, m: boolean) { this.isRaw = m; } });
  const stdout = { text: '', write(t: string) { stdout.text += t; } };
  const stderr = Object.assign(new PassThrough(), { text: '' });
  stderr.on('data', (d) => { stderr.text += String(d); });
  return { stdin, stdout, stderr };
}

const tick = () => new Promise((r) => setImmediate(r));

test('on a terminal auth set asks for the username, then the password without echo', async () => {
  const dir = join(base, 'tty');
  const t = fakeTerminal();
  const running = runAuth(['set', '--config', join(dir, 'config.json')], { ...t, env: {}, keychain: null });
  await tick();
  t.stdin.write('ops-bot\r');
  await tick();
  for (const ch of PASSWORD) t.stdin.write(ch);
  t.stdin.write('\r');
  assert.equal(await running, 0);
  await tick();
  assert.match(t.stderr.text, /Username: /);
  assert.match(t.stderr.text, /Password or API token for ops-bot: \n/);
  assert.ok(!t.stderr.text.includes(PASSWORD) && !t.stdout.text.includes(PASSWORD));
  assert.match(t.stdout.text, /credentials saved: basic ops-bot \/ \*\*\*\*4711/);
  assert.equal(t.stdin.isRaw, false, 'the terminal is left in cooked mode');
  const loaded = await createSecretStore({ configDir: dir, env: {}, keychain: null }).load();
  assert.ok(loaded.credentials?.method === 'basic');
  assert.equal(loaded.credentials.password.reveal(), PASSWORD);
});

test('Ctrl-C at the password prompt stores nothing and exits 130', async () => {
  const dir = join(base, 'tty-cancel');
  const t = fakeTerminal();
  const running = runAuth(['set', '--username', 'u', '--config', join(dir, 'config.json')], { ...t, env: {}, keychain: null });
  await tick();
  t.stdin.write('half\u0003');
  assert.equal(await running, 130);
  await tick();
  assert.match(t.stderr.text, /jiraline auth set: cancelled; nothing was stored/);
  assert.equal(existsSync(join(dir, 'credentials.json')), false);
  await assert.rejects(runAuth(['show', '--nope'], { ...t, env: {}, keychain: null }), UsageError);
});
