// The one serialised form of a credential, shared by the keychain entry and credentials.json:
// the username travels with the password, so one entry is all a reader needs.
import type { Credentials } from '../core/ports.js';
import { makeSecret } from './secret.js';

/** The JSON kept in the keychain entry and in credentials.json. */
type Stored =
  | { version: 1; method: 'basic'; username: string; password: string }
  | { version: 1; method: 'key'; key: string };

/** Serialises credentials (revealing them: the result must only go to a secret store). */
export function encodeCredentials(c: Credentials): string {
  const stored: Stored = c.method === 'basic'
    ? { version: 1, method: 'basic', username: c.username, password: c.password.reveal() }
    : { version: 1, method: 'key', key: c.key.reveal() };
  return `${JSON.stringify(stored, null, 2)}\n`;
}

/** Parses what encodeCredentials wrote; an error message never quotes the text (it holds a secret). */
export function decodeCredentials(text: string): Credentials {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('not valid JSON');
  }
  const o = raw as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object') throw new Error('not a JSON object');
  if (o.method === 'basic' && typeof o.username === 'string' && o.username !== '' && typeof o.password === 'string' && o.password !== '') {
    return { method: 'basic', username: o.username, password: makeSecret(o.password) };
  }
  if (o.method === 'key' && typeof o.key === 'string' && o.key !== '') {
    return { method: 'key', key: makeSecret(o.key) };
  }
  throw new Error('expected {"method": "basic", "username", "password"} or {"method": "key", "key"}');
}

/** Whether two credentials are the same (used to check that the keychain really kept a write). */
export function sameCredentials(a: Credentials | null, b: Credentials): boolean {
  if (a === null || a.method !== b.method) return false;
  if (a.method === 'basic' && b.method === 'basic') return a.username === b.username && a.password.reveal() === b.password.reveal();
  return a.method === 'key' && b.method === 'key' && a.key.reveal() === b.key.reveal();
}
