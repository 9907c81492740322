// The Authorization header from the credentials.
import type { Credentials } from '../core/ports.js';

// A key that already names its scheme ("Basic …", "Bearer …", "Token …") is sent as it is.
const schemeWord = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+\S/;

/** The Authorization header value for these credentials, or null to send none. */
export function authorizationHeader(credentials: Credentials | null): string | null {
  if (credentials === null) return null;
  if (credentials.method === 'basic') {
    const pair = `${credentials.username}:${credentials.password.reveal()}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  const key = credentials.key.reveal().trim();
  return schemeWord.test(key) ? key : `Bearer ${key}`;
}

/** Every string that would give a credential away if it appeared in a message. */
export function secretStrings(credentials: Credentials | null): string[] {
  if (credentials === null) return [];
  const found: string[] = [];
  const header = authorizationHeader(credentials);
  if (credentials.method === 'basic') {
    found.push(credentials.password.reveal());
    if (header) found.push(header.slice('Basic '.length));
  } else {
    const key = credentials.key.reveal().trim();
    found.push(key);
    // The token part without its scheme word, too.
    const space = key.search(/\s/);
    if (schemeWord.test(key) && space > 0) found.push(key.slice(space).trim());
  }
  return found.filter((s) => s.length >= 3);
}
