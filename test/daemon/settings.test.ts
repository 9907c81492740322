// Settings: flags > env > config file > defaults, and a one-line error naming the
// flag, variable, key or file at fault for each kind of mistake.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, statSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings, saveConfig } from '../../source/daemon/settings.js';
import { ConfigError } from '../../source/core/config.js';
import { UsageError } from '../../source/cli-args.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jiraline-settings-'));
  made.push(dir);
  return dir;
}

function withConfig(content: unknown): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, file };
}

test('flags beat environment, environment beats the file, the file beats defaults', () => {
  const { dir, file } = withConfig({ listen: '127.0.0.1:1111', jira: { url: 'http://file.example:8080' } });
  const env = { JIRALINE_CONFIG: file, JIRALINE_LISTEN: '127.0.0.1:2222', JIRALINE_URL: 'http://env.example', JIRALINE_DATA_DIR: join(dir, 'env-data') };

  const all = resolveSettings({ listen: '127.0.0.1:3333', 'jira-url': 'https://flag.example', 'data-dir': join(dir, 'flag-data') }, env, 'daemon');
  assert.equal(all.listen, '127.0.0.1:3333');
  assert.equal(all.config.listen, '127.0.0.1:3333');
  assert.equal(all.config.jira.url, 'https://flag.example');
  assert.equal(all.dataDir, join(dir, 'flag-data'));
  assert.equal(all.configPath, file);
  assert.equal(all.configDir, dir);
  assert.equal(all.demo, false);

  const fromEnv = resolveSettings({}, env, 'daemon');
  assert.equal(fromEnv.listen, '127.0.0.1:2222');
  assert.equal(fromEnv.config.jira.url, 'http://env.example');
  assert.equal(fromEnv.dataDir, join(dir, 'env-data'));

  const fromFile = resolveSettings({}, { JIRALINE_CONFIG: file, HOME: dir }, 'daemon');
  assert.equal(fromFile.listen, '127.0.0.1:1111');
  assert.equal(fromFile.config.jira.url, 'http://file.example:8080');
  assert.equal(fromFile.dataDir, join(dir, '.local/share/jiraline'));

  const flagConfig = withConfig({ listen: 'off' });
  assert.equal(resolveSettings({ config: flagConfig.file, 'jira-url': 'http://x.example' }, env, 'daemon').configPath, flagConfig.file);
  assert.equal(resolveSettings({ config: flagConfig.file, 'jira-url': 'http://x.example' }, { JIRALINE_LISTEN: '' }, 'daemon').listen, 'off',
    'an empty variable counts as unset');
});

test('defaults follow XDG, falling back to ~/.config and ~/.local/share; a missing file is fine', () => {
  const home = tempDir();
  const plain = resolveSettings({ 'jira-url': 'http://j.example' }, { HOME: home }, 'daemon');
  assert.equal(plain.configPath, join(home, '.config/jiraline/config.json'));
  assert.equal(plain.dataDir, join(home, '.local/share/jiraline'));
  assert.equal(plain.listen, '127.0.0.1:7465');
  assert.equal(plain.config.updates.maxUpdates, 10);

  const xdg = resolveSettings({ 'jira-url': 'http://j.example' }, { HOME: home, XDG_CONFIG_HOME: '/etc/xdgc', XDG_DATA_HOME: '/var/xdgd' }, 'daemon');
  assert.equal(xdg.configPath, '/etc/xdgc/jiraline/config.json');
  assert.equal(xdg.dataDir, '/var/xdgd/jiraline');

  const relative = resolveSettings({ 'jira-url': 'http://j.example' }, { HOME: home, XDG_DATA_HOME: 'relative/dir' }, 'daemon');
  assert.equal(relative.dataDir, join(home, '.local/share/jiraline'), 'a relative XDG path is ignored, as the XDG spec says');
});

test('a bad value names the flag, the variable or the config key', () => {
  const { file } = withConfig({ updates: { maxUpdates: 0 } });
  const good = withConfig({});
  const expectConfigError = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  expectConfigError(() => resolveSettings({ config: good.file, listen: 'localhost' }, {}, 'daemon'), /^--listen: expected HOST:PORT/);
  expectConfigError(() => resolveSettings({ config: good.file }, { JIRALINE_LISTEN: '1.2.3.4:99999' }, 'daemon'), /^JIRALINE_LISTEN: expected HOST:PORT/);
  expectConfigError(() => resolveSettings({ config: good.file, 'jira-url': 'ftp://x' }, {}, 'daemon'), /^--jira-url: expected an http\(s\) URL/);
  expectConfigError(() => resolveSettings({ config: good.file }, { JIRALINE_URL: 'https://me:pw@jira.example' }, 'daemon'), /^JIRALINE_URL: expected an http\(s\) URL/);
  expectConfigError(() => resolveSettings({ config: file, 'jira-url': 'http://j.example' }, {}, 'daemon'),
    new RegExp(`^config file ${file}: error in updates\\.maxUpdates:`));
  const unknownKey = withConfig({ jira: { url: 'http://j.example' }, colour: 'red' });
  expectConfigError(() => resolveSettings({ config: unknownKey.file }, {}, 'daemon'), /error in colour: remove it, or use one of the keys here: jira, auth, .*listen.* — unknown key$/);
});

test('a misspelt config key gets a "did you mean", at any depth', () => {
  const typo = withConfig({ jira: { url: 'http://j.example', timeoutSecnds: 5 }, updates: { maxUpdate: 3 } });
  assert.throws(() => resolveSettings({ config: typo.file }, {}, 'daemon'), (e: unknown) => e instanceof ConfigError
    && e.message === `config file ${typo.file}: error in jira.timeoutSecnds: did you mean jira.timeoutSeconds? (or remove it) — unknown key`);
  const top = withConfig({ jira: { url: 'http://j.example' }, lisen: '127.0.0.1:1' });
  assert.throws(() => resolveSettings({ config: top.file }, {}, 'daemon'), /error in lisen: did you mean listen\? \(or remove it\) — unknown key/);
});

test('a config file that is not JSON, or cannot be read, is named', () => {
  const broken = withConfig('{"listen": "127.0.0.1:1",');
  assert.throws(() => resolveSettings({ config: broken.file }, {}, 'daemon'),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith(`config file ${broken.file}: not valid JSON`));
  const array = withConfig('[1,2]');
  assert.throws(() => resolveSettings({ config: array.file }, {}, 'daemon'),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith(`config file ${array.file}: expected a JSON object`));
  const dir = tempDir();
  mkdirSync(join(dir, 'config.json'));
  assert.throws(() => resolveSettings({ config: join(dir, 'config.json') }, {}, 'daemon'),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith(`config file ${join(dir, 'config.json')}: cannot be read`));
});

test('the daemon needs a Jira URL unless --demo; the app without one runs the demo', () => {
  const { file } = withConfig({});
  assert.throws(() => resolveSettings({ config: file }, {}, 'daemon'), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, `no Jira URL: set --jira-url, JIRALINE_URL or jira.url in ${file} (or --demo)`);
    return true;
  });
  assert.equal(resolveSettings({ config: file, demo: true }, {}, 'daemon').demo, true);
  assert.equal(resolveSettings({ config: file }, {}, 'tui').demo, true);
  assert.equal(resolveSettings({ config: file, 'jira-url': 'http://j.example' }, {}, 'tui').demo, false);
});

test('saveConfig writes atomically with mode 0600 and keeps one-run overrides out of the file', async () => {
  const { dir, file } = withConfig({ listen: '127.0.0.1:1111', jira: { url: 'http://file.example' } });
  const settings = resolveSettings({ config: file, listen: '127.0.0.1:9999', 'jira-url': 'http://flag.example' }, {}, 'tui');
  const edited = structuredClone(settings.config);
  edited.updates.maxUpdates = 42;
  await saveConfig(settings, edited);
  const written = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(written.updates.maxUpdates, 42);
  assert.equal(written.listen, '127.0.0.1:1111', 'the --listen of this run is not baked in');
  assert.equal(written.jira.url, 'http://file.example', 'nor the --jira-url');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['config.json'], 'no temp file left behind');

  // A value the user changed in the pane is written, even over an override.
  edited.jira.url = 'https://changed.example';
  await saveConfig(settings, edited);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).jira.url, 'https://changed.example');

  // A fresh config folder is created (0700).
  const home = tempDir();
  const fresh = resolveSettings({}, { HOME: home }, 'tui');
  await saveConfig(fresh, fresh.config);
  assert.equal(JSON.parse(readFileSync(fresh.configPath, 'utf8')).listen, '127.0.0.1:7465');
  assert.equal(statSync(join(home, '.config/jiraline')).mode & 0o777, 0o700);
});

test('a config file with a JSON syntax error says the line and column, not the offset', () => {
  const broken = withConfig('{\n  "listen": "127.0.0.1:1"\n  "jira": {}\n}\n');
  assert.throws(() => resolveSettings({ config: broken.file }, {}, 'daemon'), (e: unknown) => e instanceof ConfigError
    && e.message.startsWith(`config file ${broken.file}: not valid JSON at line 3, column 3 (`) && !/position/.test(e.message));
  const cut = withConfig('{\n  "listen": ');
  assert.throws(() => resolveSettings({ config: cut.file }, {}, 'daemon'), /not valid JSON at line 2, column 13 \(Unexpected end of JSON input\)/);
});

test('a --config or JIRALINE_CONFIG that does not exist is an error naming it; the default path missing is a first run', () => {
  const dir = tempDir();
  const missing = join(dir, 'typo.json');
  const env = { HOME: dir };
  assert.throws(() => resolveSettings({ config: missing, 'jira-url': 'http://j.example' }, env, 'daemon'), (e: unknown) => e instanceof ConfigError
    && e.message === `--config: no config file ${missing} — check the path (jiraline init writes one), or leave --config out to use ${join(dir, '.config/jiraline/config.json')}`);
  assert.throws(() => resolveSettings({}, { ...env, JIRALINE_CONFIG: missing }, 'tui'), (e: unknown) => e instanceof ConfigError
    && e.message.startsWith(`JIRALINE_CONFIG: no config file ${missing}`));
  assert.equal(resolveSettings({ 'jira-url': 'http://j.example' }, env, 'daemon').configPath, join(dir, '.config/jiraline/config.json'));
});
