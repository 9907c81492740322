// The fallback file: mode 0600 whatever the umask, atomic, round-trips, and a wider mode
// or a broken file is reported without quoting its content.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSecret } from '../../source/secrets/index.js';
import { credentialsFilePath, readCredentialsFile, writeCredentialsFile, removeCredentialsFile } from '../../source/secrets/file-store.js';

const base = mkdtempSync(join(tmpdir(), 'jiraline-secrets-file-'));
after(() => rmSync(base, { recursive: true, force: true }));

test('written with mode 0600 in a 0700 directory even under umask 000, and read back the same', async () => {
  const dir = join(base, 'umask', 'jiraline');
  const path = credentialsFilePath(dir);
  const old = process.umask(0);
  try {
    await writeCredentialsFile(path, { method: 'basic', username: 'ops-bot', password: makeSecret('p@ss "quoted" \\ ünïcode') });
  } finally {
    process.umask(old);
  }
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const read = await readCredentialsFile(path);
  assert.equal(read.warning, undefined);
  assert.equal(read.mode, 0o600);
  assert.ok(read.credentials?.method === 'basic');
  assert.equal(read.credentials.username, 'ops-bot');
  assert.equal(read.credentials.password.reveal(), 'p@ss "quoted" \\ ünïcode');
  assert.deepEqual(readdirSync(dir), ['credentials.json'], 'no temporary file is left behind');
});

test('a key round-trips, and rewriting a 0644 file leaves it 0600', async () => {
  const path = credentialsFilePath(join(base, 'key'));
  await writeCredentialsFile(path, { method: 'basic', username: 'a', password: makeSecret('b') });
  chmodSync(path, 0o644);
  await writeCredentialsFile(path, { method: 'key', key: makeSecret('Bearer abc.def') });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const read = await readCredentialsFile(path);
  assert.ok(read.credentials?.method === 'key');
  assert.equal(read.credentials.key.reveal(), 'Bearer abc.def');
});

test('a file others can read is reported with its mode and the chmod to run; it is still used', async () => {
  const path = credentialsFilePath(join(base, 'wide'));
  await writeCredentialsFile(path, { method: 'basic', username: 'ops-bot', password: makeSecret('pw-wide') });
  for (const mode of [0o644, 0o640, 0o604]) {
    chmodSync(path, mode);
    const read = await readCredentialsFile(path);
    assert.equal(read.warning, `credentials file ${path} has mode 0${mode.toString(8)}: other users may read it; run chmod 600 ${path}`);
    assert.equal(read.credentials?.method, 'basic');
  }
  chmodSync(path, 0o400);
  assert.equal((await readCredentialsFile(path)).warning, undefined);
});

test('an absent file is no credentials and no warning; a broken one is a warning that quotes nothing', async () => {
  const path = credentialsFilePath(join(base, 'broken'));
  assert.deepEqual(await readCredentialsFile(path), { credentials: null, mode: null });
  await writeCredentialsFile(path, { method: 'key', key: makeSecret('x') });
  writeFileSync(path, '{"method": "basic", "password": "leaky-half-secret"');
  const read = await readCredentialsFile(path);
  assert.equal(read.credentials, null);
  assert.match(read.warning ?? '', /is not usable \(not valid JSON\); run jiraline auth set to rewrite it/);
  assert.ok(!read.warning?.includes('leaky'));
  writeFileSync(path, '{"method": "basic", "password": "leaky-half-secret"}');
  const missing = await readCredentialsFile(path);
  assert.match(missing.warning ?? '', /expected \{"method": "basic"/);
  assert.ok(!missing.warning?.includes('leaky'));
});

test('removal says whether there was a file', async () => {
  const path = credentialsFilePath(join(base, 'remove'));
  await writeCredentialsFile(path, { method: 'key', key: makeSecret('k') });
  assert.ok(readFileSync(path, 'utf8').includes('"method": "key"'));
  assert.equal(await removeCredentialsFile(path), true);
  assert.equal(await removeCredentialsFile(path), false);
});
