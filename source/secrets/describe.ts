// A credential as a person may see it: the method, the username, and a mask that shows
// the last four characters only of a secret long enough (API tokens, keys) that four
// characters give nothing away; a short password shows as **** alone.
import type { Credentials, CredentialSource } from '../core/ports.js';

const SHOW_TAIL_FROM = 16;

/** `****` plus the last four characters when the secret has at least 16. */
export function maskSecret(value: string): string {
  return value.length >= SHOW_TAIL_FROM ? `****${value.slice(-4)}` : '****';
}

/** Masked, e.g. "basic ops-bot / ****1234", "key ****abcd", "none". */
export function describeCredentials(c: Credentials | null): string {
  if (c === null) return 'none';
  if (c.method === 'basic') return `basic ${c.username} / ${maskSecret(c.password.reveal())}`;
  return `key ${maskSecret(c.key.reveal())}`;
}

/** How a source reads in `auth show` and on the app's status line. */
export function describeSource(source: CredentialSource): string {
  switch (source) {
    case 'environment': return 'environment (JIRALINE_USER + JIRALINE_PASSWORD or JIRALINE_AUTH_KEY)';
    case 'keychain': return 'OS keychain (service "jiraline")';
    case 'file': return 'credentials.json (mode 0600)';
    case 'none': return 'none';
  }
}
