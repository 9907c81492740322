// Run in a child process by keychain.test.ts (under dbus-run-session, or with a dead D-Bus
// address): exercises createSecretStore with the real keytar and prints one RESULT line.
// Usage: node --import tsx keychain-child.ts <configDir> roundtrip|fallback
import { existsSync, statSync } from 'node:fs';
import { createSecretStore, makeSecret } from '../../../source/secrets/index.js';

const [configDir, mode] = process.argv.slice(2);
const password = 'kc-roundtrip-token-0123456789';
const store = createSecretStore({ configDir, env: {}, keychain: 'auto' });

function view(loaded: Awaited<ReturnType<typeof store.load>>) {
  const c = loaded.credentials;
  return {
    source: loaded.source,
    warning: loaded.warning ?? null,
    username: c?.method === 'basic' ? c.username : null,
    passwordMatches: c?.method === 'basic' ? c.password.reveal() === password : false,
  };
}

const saved = await store.save({ method: 'basic', username: 'ops-bot', password: makeSecret(password) });
const fileAfterSave = existsSync(store.file);
const fileMode = fileAfterSave ? statSync(store.file).mode & 0o777 : null;
const loaded = view(await store.load());
const result: Record<string, unknown> = { saved, fileAfterSave, fileMode, loaded };
if (mode === 'roundtrip') {
  result.cleared = await store.clearAll();
  result.afterClear = view(await store.load());
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
