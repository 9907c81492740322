// The SecretStore (source/core/ports.ts): environment → OS keychain → credentials.json,
// first match wins. Saving goes to the keychain when one answers and keeps
// the secret, else to the 0600 file with a warning, as the GitHub CLI does.
import type { Credentials, CredentialSource, SecretStore } from '../core/ports.js';
import { decodeCredentials, encodeCredentials } from './encoding.js';
import { credentialsFromEnv } from './env-source.js';
import { credentialsFilePath, formatMode, readCredentialsFile, removeCredentialsFile, writeCredentialsFile } from './file-store.js';
import { Keychain, loadKeytar, type KeychainBackend } from './keychain.js';

/** Options of createSecretStore. */
export interface SecretStoreOptions {
  /** Directory of the config file; credentials.json lives here. */
  configDir: string;
  /** Where JIRALINE_USER / JIRALINE_PASSWORD / JIRALINE_AUTH_KEY are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** 'auto' (default): keytar if it loads; null: no keychain; or a backend (tests). */
  keychain?: 'auto' | null | KeychainBackend;
  /** Bound on each keychain call (default 3000 ms): a D-Bus call can hang. */
  keychainTimeoutMs?: number;
}

/** What `clearAll()` removed: per place, true/false, or why the keychain could not be asked. */
export interface ClearResult {
  keychain: boolean | { reason: string } | null;
  file: boolean;
  /** Credential variables set in the environment, which jiraline cannot clear. */
  environment: string[];
}

/** The SecretStore with the details `jiraline auth` shows. */
export interface JiralineSecretStore extends SecretStore {
  /** Path of the fallback credentials.json. */
  readonly file: string;
  /** Removes from keychain and file, and says what was there (clear() does the same, quietly). */
  clearAll(): Promise<ClearResult>;
}

function join(warnings: Array<string | undefined>): { warning?: string } {
  const list = warnings.filter((w): w is string => Boolean(w));
  return list.length > 0 ? { warning: list.join('; ') } : {};
}

/** Builds the credential store for a config directory. Never throws for an absent keychain. */
export function createSecretStore(options: SecretStoreOptions): JiralineSecretStore {
  const env = options.env ?? process.env;
  const file = credentialsFilePath(options.configDir);
  const choice = options.keychain === undefined ? 'auto' : options.keychain;
  const keychain = choice === null
    ? null
    : new Keychain(choice === 'auto' ? () => loadKeytar() : async () => ({ ok: true, value: choice }), options.keychainTimeoutMs);

  async function load(): Promise<{ credentials: Credentials | null; source: CredentialSource; warning?: string }> {
    const fromEnv = credentialsFromEnv(env);
    if (fromEnv.credentials) return { credentials: fromEnv.credentials, source: 'environment', ...join([fromEnv.warning]) };
    const warnings: Array<string | undefined> = [fromEnv.warning];
    let keychainNote: string | null = null;
    if (keychain) {
      const read = await keychain.read();
      if (read.ok && read.value !== null) {
        try {
          return { credentials: decodeCredentials(read.value), source: 'keychain', ...join(warnings) };
        } catch (error) {
          warnings.push(`the keychain entry "jiraline" is not usable (${(error as Error).message}); run jiraline auth set to rewrite it`);
        }
      } else if (read.ok) {
        // A locked keyring also answers "none", so this cannot promise that a move would work.
        keychainNote = 'the keychain holds none (when it is unlocked, jiraline auth set moves them there)';
      } else {
        keychainNote = `no keychain answered (${read.reason})`;
      }
    }
    const fromFile = await readCredentialsFile(file);
    warnings.push(fromFile.warning);
    if (fromFile.credentials && fromFile.mode !== null) {
      const where = `credentials read from ${file} (mode ${formatMode(fromFile.mode)})`;
      if (keychainNote) warnings.push(keychainNote.startsWith('no keychain') ? `${keychainNote}; ${where}` : `${where}; ${keychainNote}`);
      return { credentials: fromFile.credentials, source: 'file', ...join(warnings) };
    }
    return { credentials: null, source: 'none', ...join(warnings) };
  }

  async function save(credentials: Credentials): Promise<{ source: CredentialSource; warning?: string }> {
    const fromEnv = credentialsFromEnv(env);
    const shadowed = fromEnv.credentials
      ? `${fromEnv.variables.join(', ')} set in the environment take precedence over the stored credentials`
      : undefined;
    let reason: string | null = null;
    if (keychain) {
      const wrote = await keychain.write(encodeCredentials(credentials));
      if (wrote.ok) {
        // A copy left in the file from a time without keychain would be a stale secret on disk.
        let stale: string | undefined;
        try {
          await removeCredentialsFile(file);
        } catch (error) {
          stale = `could not remove the old ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); delete it by hand`;
        }
        return { source: 'keychain', ...join([shadowed, stale]) };
      }
      reason = wrote.reason;
      // An older entry would win over the file on the next load once the keyring opens again.
      await keychain.remove();
    }
    await writeCredentialsFile(file, credentials);
    const stored = `credentials stored in ${file} (mode 0600)`;
    return { source: 'file', ...join([reason !== null ? `no keychain answered (${reason}); ${stored}` : stored, shadowed]) };
  }

  async function clearAll(): Promise<ClearResult> {
    let fromKeychain: ClearResult['keychain'] = null;
    if (keychain) {
      const removed = await keychain.remove();
      fromKeychain = removed.ok ? removed.value : { reason: removed.reason };
    }
    const fromFile = await removeCredentialsFile(file);
    return { keychain: fromKeychain, file: fromFile, environment: credentialsFromEnv(env).variables };
  }

  return { file, load, save, clearAll, clear: async () => { await clearAll(); } };
}
