// createSecretStore: environment → keychain → file, first match wins; an absent, locked or
// hung keychain falls back to the 0600 file with a message that says why.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../../source/core/ports.js';
import { createSecretStore, makeSecret } from '../../source/secrets/index.js';
import { loadKeytar } from '../../source/secrets/keychain.js';
import { keytarMissingReason } from './helpers/keytar-presence.js';
import { AbsentKeychain, HungKeychain, LockedKeychain, MemoryKeychain } from './helpers/fake-keychain.js';

const base = mkdtempSync(join(tmpdir(), 'jiraline-secrets-store-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(base, `cfg-${++n}`);

const basic = (username: string, password: string): Credentials => ({ method: 'basic', username, password: makeSecret(password) });
const plain = (c: Credentials | null) => c === null ? null
  : c.method === 'basic' ? { method: c.method, username: c.username, password: c.password.reveal() } : { method: c.method, key: c.key.reveal() };

test('environment wins over keychain and file: user+password is basic, else the key', async () => {
  const configDir = freshDir();
  const keychain = new MemoryKeychain();
  await createSecretStore({ configDir, env: {}, keychain }).save(basic('stored', 'stored-pw'));
  const withEnv = (env: Record<string, string | undefined>) => createSecretStore({ configDir, env, keychain }).load();

  const both = await withEnv({ JIRALINE_USER: 'envuser', JIRALINE_PASSWORD: 'env-pw', JIRALINE_AUTH_KEY: 'env-key' });
  assert.equal(both.source, 'environment');
  assert.deepEqual(plain(both.credentials), { method: 'basic', username: 'envuser', password: 'env-pw' });
  assert.match(both.warning ?? '', /JIRALINE_AUTH_KEY is ignored/);

  const key = await withEnv({ JIRALINE_AUTH_KEY: 'env-key' });
  assert.equal(key.source, 'environment');
  assert.deepEqual(plain(key.credentials), { method: 'key', key: 'env-key' });
  assert.equal(key.warning, undefined);

  // Half a pair is not credentials: the stored ones are used, and the user is told why.
  const half = await withEnv({ JIRALINE_USER: 'envuser', JIRALINE_PASSWORD: '' });
  assert.equal(half.source, 'keychain');
  assert.deepEqual(plain(half.credentials), { method: 'basic', username: 'stored', password: 'stored-pw' });
  assert.equal(half.warning, 'JIRALINE_USER is set without JIRALINE_PASSWORD; it is ignored (set both for Basic auth)');

  const none = await withEnv({});
  assert.equal(none.source, 'keychain');
});

test('process.env is the default environment', async () => {
  const saved = { ...process.env };
  try {
    process.env.JIRALINE_AUTH_KEY = 'from-process-env';
    delete process.env.JIRALINE_USER;
    delete process.env.JIRALINE_PASSWORD;
    const loaded = await createSecretStore({ configDir: freshDir(), keychain: null }).load();
    assert.equal(loaded.source, 'environment');
    assert.deepEqual(plain(loaded.credentials), { method: 'key', key: 'from-process-env' });
  } finally {
    process.env = saved;
  }
});

test('a working keychain keeps the secret and nothing is written to disk; a stale file copy is removed', async () => {
  const configDir = freshDir();
  const noKeychain = createSecretStore({ configDir, env: {}, keychain: null });
  await noKeychain.save(basic('old', 'old-pw'));
  assert.ok(existsSync(noKeychain.file));
  const store = createSecretStore({ configDir, env: {}, keychain: new MemoryKeychain() });
  assert.deepEqual(await store.save(basic('ops-bot', 'new-pw')), { source: 'keychain' });
  assert.equal(existsSync(store.file), false, 'the old copy in credentials.json is gone');
  const loaded = await store.load();
  assert.equal(loaded.source, 'keychain');
  assert.deepEqual(plain(loaded.credentials), { method: 'basic', username: 'ops-bot', password: 'new-pw' });
});

test('an absent keychain (keytar rejects): saved to the 0600 file with the GitHub-CLI-style warning, loaded from it', async () => {
  const configDir = freshDir();
  const store = createSecretStore({ configDir, env: {}, keychain: new AbsentKeychain() });
  const saved = await store.save(basic('ops-bot', 'file-pw'));
  assert.equal(saved.source, 'file');
  assert.equal(saved.warning, `no keychain answered (D-Bus Secret Service: Cannot autolaunch D-Bus without X11 $DISPLAY); credentials stored in ${store.file} (mode 0600)`);
  assert.equal(statSync(store.file).mode & 0o777, 0o600);
  const loaded = await store.load();
  assert.equal(loaded.source, 'file');
  assert.deepEqual(plain(loaded.credentials), { method: 'basic', username: 'ops-bot', password: 'file-pw' });
  assert.equal(loaded.warning, `no keychain answered (D-Bus Secret Service: Cannot autolaunch D-Bus without X11 $DISPLAY); credentials read from ${store.file} (mode 0600)`);
});

test('keytar not installed, or not loadable: the reason says so', async () => {
  const missing = await loadKeytar(() => Promise.reject(Object.assign(new Error("Cannot find package 'keytar'"), { code: 'ERR_MODULE_NOT_FOUND' })));
  assert.deepEqual(missing, { ok: false, reason: 'keytar is not installed; it is optional and builds when libsecret-1-dev is present at npm install' });
  const broken = await loadKeytar(() => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file\n    at Module._extensions')));
  assert.deepEqual(broken, { ok: false, reason: 'keytar could not load: libsecret-1.so.0: cannot open shared object file' });
});

test('an installed keytar loads with the functions jiraline uses', { skip: keytarMissingReason() }, async () => {
  const real = await loadKeytar();
  assert.ok(real.ok, `keytar is installed here and must load (${real.ok ? '' : real.reason})`);
});

test('without keytar installed, loading it says it is optional and how to get it', { skip: keytarMissingReason() === undefined ? 'keytar is installed here' : undefined }, async () => {
  assert.deepEqual(await loadKeytar(), { ok: false, reason: 'keytar is not installed; it is optional and builds when libsecret-1-dev is present at npm install' });
});

test('a locked keyring that swallows writes silently is detected by reading back, and the file takes over', async () => {
  const configDir = freshDir();
  const locked = new LockedKeychain();
  const store = createSecretStore({ configDir, env: {}, keychain: locked });
  const saved = await store.save(basic('ops-bot', 'locked-pw'));
  assert.equal(saved.source, 'file');
  assert.equal(saved.warning, `no keychain answered (the keyring did not keep the secret (is it locked?)); credentials stored in ${store.file} (mode 0600)`);
  assert.deepEqual(locked.calls, ['set', 'get', 'delete'], 'the write was read back, and a possible older entry removed');
  const loaded = await store.load();
  assert.equal(loaded.source, 'file');
  assert.equal(plain(loaded.credentials)?.method, 'basic');
  assert.match(loaded.warning ?? '', /credentials read from .*\(mode 0600\); the keychain holds none/);
});

test('a hung keychain call is bounded: load and save fall back, and the keychain is not asked again', async () => {
  const configDir = freshDir();
  const hung = new HungKeychain();
  const store = createSecretStore({ configDir, env: {}, keychain: hung, keychainTimeoutMs: 30 });
  const loaded = await store.load();
  assert.equal(loaded.source, 'none');
  const saved = await store.save(basic('ops-bot', 'hung-pw'));
  assert.equal(saved.source, 'file');
  assert.match(saved.warning ?? '', /^no keychain answered \(D-Bus Secret Service: no answer within 30 ms\); credentials stored in/);
  assert.equal(hung.calls, 1);
  assert.equal((await store.load()).source, 'file');
});

test('a broken keychain entry is reported (without its content) and the file is used', async () => {
  const configDir = freshDir();
  const keychain = new MemoryKeychain();
  keychain.entries.set('jiraline/credentials', '{"method":"basic","password":"leaky-pw"}');
  await createSecretStore({ configDir, env: {}, keychain: null }).save(basic('ops-bot', 'file-pw'));
  const loaded = await createSecretStore({ configDir, env: {}, keychain }).load();
  assert.equal(loaded.source, 'file');
  assert.match(loaded.warning ?? '', /the keychain entry "jiraline" is not usable/);
  assert.ok(!loaded.warning?.includes('leaky'));
});

test('save says when environment variables will still win; clearAll removes both places and names those variables', async () => {
  const configDir = freshDir();
  const keychain = new MemoryKeychain();
  const env = { JIRALINE_AUTH_KEY: 'env-key' };
  const store = createSecretStore({ configDir, env, keychain });
  const saved = await store.save(basic('ops-bot', 'pw'));
  assert.deepEqual(saved, { source: 'keychain', warning: 'JIRALINE_AUTH_KEY set in the environment take precedence over the stored credentials' });
  await createSecretStore({ configDir, env, keychain: null }).save(basic('ops-bot', 'pw2'));
  assert.deepEqual(await store.clearAll(), { keychain: true, file: true, environment: ['JIRALINE_AUTH_KEY'] });
  assert.deepEqual(await store.clearAll(), { keychain: false, file: false, environment: ['JIRALINE_AUTH_KEY'] });
  assert.equal(keychain.entries.size, 0);
  const absent = createSecretStore({ configDir, env: {}, keychain: new AbsentKeychain() });
  assert.deepEqual(await absent.clearAll(), { keychain: { reason: 'D-Bus Secret Service: Cannot autolaunch D-Bus without X11 $DISPLAY' }, file: false, environment: [] });
});

test('no keychain configured: the file is used without keychain talk; nothing stored is "none"', async () => {
  const configDir = freshDir();
  const store = createSecretStore({ configDir, env: {}, keychain: null });
  assert.deepEqual(await store.load(), { credentials: null, source: 'none' });
  assert.deepEqual(await store.save({ method: 'key', key: makeSecret('k-123') }), { source: 'file', warning: `credentials stored in ${store.file} (mode 0600)` });
  const loaded = await store.load();
  assert.equal(loaded.source, 'file');
  assert.equal(loaded.warning, undefined);
  await store.clear();
  assert.equal((await store.load()).source, 'none');
});

test('no warning or result ever carries the secret', async () => {
  const secret = 'never-print-me-0987654321';
  const outputs: unknown[] = [];
  for (const keychain of [new AbsentKeychain(), new LockedKeychain(), new HungKeychain(), new MemoryKeychain(), null]) {
    const store = createSecretStore({ configDir: freshDir(), env: {}, keychain, keychainTimeoutMs: 20 });
    outputs.push(await store.save(basic('ops-bot', secret)), await store.load(), await store.clearAll());
  }
  const text = JSON.stringify(outputs);
  assert.ok(!text.includes(secret), text);
  assert.ok(text.includes('<secret>'), 'the loaded credentials are there, masked');
});
