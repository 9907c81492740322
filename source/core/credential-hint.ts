// What to fix when Jira refuses the credentials depends on where they came from: the
// environment outranks `jiraline auth set`, so telling a user whose password came from
// JIRALINE_PASSWORD to run `auth set` would change nothing.
import type { CredentialSource } from './ports.js';

/** Where to correct refused credentials, as a phrase: the variables when they came from the environment. */
export function credentialFix(source: CredentialSource | null | undefined, method: 'basic' | 'key' | null = null): string {
  if (source !== 'environment') return '`jiraline auth set`';
  const vars = method === 'key' ? 'JIRALINE_AUTH_KEY' : method === 'basic' ? 'JIRALINE_USER/JIRALINE_PASSWORD' : 'JIRALINE_USER/JIRALINE_PASSWORD or JIRALINE_AUTH_KEY';
  return `${vars} in jiraline's environment (they were used, and outrank \`jiraline auth set\`): correct or unset them and restart`;
}
