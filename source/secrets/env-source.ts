// Credentials from the environment, the first source that wins:
// JIRALINE_USER + JIRALINE_PASSWORD → Basic; otherwise JIRALINE_AUTH_KEY → key.
import type { Credentials } from '../core/ports.js';
import { makeSecret } from './secret.js';

/** What the environment holds: credentials, and a warning when it holds half of a pair. */
export interface EnvCredentials {
  credentials: Credentials | null;
  /** Names of the variables the credentials came from (for `auth clear` / `auth show`). */
  variables: string[];
  warning?: string;
}

const USER = 'JIRALINE_USER';
const PASSWORD = 'JIRALINE_PASSWORD';
const KEY = 'JIRALINE_AUTH_KEY';

// An empty variable counts as unset: `JIRALINE_PASSWORD= jiraline …` is how people unset one.
function value(env: Record<string, string | undefined>, name: string): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

/** Reads the credential variables; names every variable present so the user can tell what wins. */
export function credentialsFromEnv(env: Record<string, string | undefined>): EnvCredentials {
  const user = value(env, USER);
  const password = value(env, PASSWORD);
  const key = value(env, KEY);
  const present = [USER, PASSWORD, KEY].filter((name) => value(env, name) !== null);
  let warning: string | undefined;
  if ((user === null) !== (password === null)) {
    const [set, missing] = user === null ? [PASSWORD, USER] : [USER, PASSWORD];
    warning = `${set} is set without ${missing}; it is ignored (set both for Basic auth)`;
  }
  if (user !== null && password !== null) {
    if (key !== null) warning = `${USER} + ${PASSWORD} are used; ${KEY} is ignored while they are set`;
    return { credentials: { method: 'basic', username: user, password: makeSecret(password) }, variables: present, warning };
  }
  if (key !== null) return { credentials: { method: 'key', key: makeSecret(key) }, variables: present, warning };
  return { credentials: null, variables: present, warning };
}
