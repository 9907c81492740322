// `jiraline auth set|show|clear`: store, show (masked) or remove the
// credentials in the place the engine reads them from. Nothing here ever prints a secret:
// values go through describeCredentials, and errors never quote what was typed.
import { readBoundedTextFile } from '../bounded-file.js';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseCommandArgs, UsageError } from '../cli-args.js';
import type { Credentials } from '../core/ports.js';
import { describeCredentials, describeSource } from './describe.js';
import { credentialsFromEnv } from './env-source.js';
import { PromptAborted, readFirstLine, readHidden, type RawInput } from './prompt.js';
import { makeSecret } from './secret.js';
import { createSecretStore, type SecretStoreOptions } from './store.js';
import { resolveConfigPath } from '../daemon/settings.js';

/** What runAuth reads and writes; the defaults are the process's own (tests pass fakes). */
export interface AuthIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  keychain?: SecretStoreOptions['keychain'];
}

const usage = `Usage:
  jiraline auth set [--config FILE] [--key] [--username U]
      store Basic credentials (username + password or API token) or, with --key, an
      Authorization Key; asks without echo on a terminal, else reads the first line of stdin
  jiraline auth show [--config FILE]
      print the credential source in use and a masked value (exit 1 when there are none)
  jiraline auth clear [--config FILE]
      remove the stored credentials from the keychain and from credentials.json
Credentials are kept in the OS keychain (service "jiraline"), or where none answers in
credentials.json (mode 0600) beside the config file. JIRALINE_USER + JIRALINE_PASSWORD or
JIRALINE_AUTH_KEY in the environment take precedence over both.
`;

const common = { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

// The auth part of the config, read leniently: a missing or broken config is the app's to
// report; here it only saves asking for a username that is already configured.
function configAuth(configPath: string): { username?: string; method?: string } {
  try {
    const auth = (JSON.parse(readBoundedTextFile(configPath)) as { auth?: Record<string, unknown> }).auth ?? {};
    return {
      ...(typeof auth.username === 'string' && auth.username !== '' ? { username: auth.username } : {}),
      ...(typeof auth.method === 'string' ? { method: auth.method } : {}),
    };
  } catch {
    return {};
  }
}

function isTerminal(io: AuthIo): boolean {
  return io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
}

async function readSecret(io: AuthIo, prompt: string): Promise<string | null> {
  if (isTerminal(io)) return readHidden(io.stdin as unknown as RawInput, io.stderr, prompt);
  const line = await readFirstLine(io.stdin);
  // A pipe whose writer stays open would keep the process alive even paused; the rest is not ours.
  (io.stdin as { destroy?: () => void }).destroy?.();
  return line;
}

async function askUsername(io: AuthIo): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
  try {
    return (await rl.question('Username: ')).trim();
  } finally {
    rl.close();
  }
}

function warn(io: AuthIo, warning: string | undefined): void {
  if (warning) io.stderr.write(`warning: ${warning}\n`);
}

async function authSet(args: string[], io: AuthIo): Promise<number> {
  const { values } = parseCommandArgs('auth set', args, { ...common, key: { type: 'boolean' }, username: { type: 'string' } });
  if (values.help) return (io.stdout.write(usage), 0);
  if (values.key && values.username !== undefined) throw new UsageError('jiraline auth set: --username goes with a password, not with --key');
  if (values.username === '') throw new UsageError('jiraline auth set: --username is empty');
  const configPath = resolveConfigPath(values.config, io.env);
  const configured = configAuth(configPath);
  let credentials: Credentials;
  if (values.key) {
    const key = await readSecret(io, 'Authorization Key: ');
    if (!key) throw new UsageError('jiraline auth set: no key given (type it at the prompt, or send it on stdin)');
    credentials = { method: 'key', key: makeSecret(key) };
  } else {
    let username = values.username ?? configured.username;
    if (username === undefined) {
      if (!isTerminal(io)) {
        throw new UsageError('jiraline auth set: --username is required when the password comes from stdin (or set auth.username in the config)');
      }
      username = await askUsername(io);
      if (username === '') throw new UsageError('jiraline auth set: no username given');
    }
    const password = await readSecret(io, `Password or API token for ${username}: `);
    if (!password) throw new UsageError('jiraline auth set: no password given (type it at the prompt, or send it on stdin)');
    credentials = { method: 'basic', username, password: makeSecret(password) };
  }
  const store = createSecretStore({ configDir: dirname(configPath), env: io.env, keychain: io.keychain ?? 'auto' });
  const saved = await store.save(credentials);
  const where = saved.source === 'keychain' ? describeSource('keychain') : store.file;
  io.stdout.write(`credentials saved: ${describeCredentials(credentials)} → ${where}\n`);
  warn(io, saved.warning);
  if (configured.method !== undefined && configured.method !== credentials.method) {
    io.stdout.write(`note: ${configPath} sets auth.method to "${configured.method}"; set it to "${credentials.method}" to use these credentials\n`);
  }
  if (credentials.method === 'basic' && configured.username !== credentials.username) {
    io.stdout.write(`To have the app show the username, set "auth": {"username": ${JSON.stringify(credentials.username)}} in ${configPath}; `
      + 'nothing else is required: the username is stored with the password.\n');
  }
  return 0;
}

async function authShow(args: string[], io: AuthIo): Promise<number> {
  const { values } = parseCommandArgs('auth show', args, common);
  if (values.help) return (io.stdout.write(usage), 0);
  const configPath = resolveConfigPath(values.config, io.env);
  const store = createSecretStore({ configDir: dirname(configPath), env: io.env, keychain: io.keychain ?? 'auto' });
  const loaded = await store.load();
  warn(io, loaded.warning);
  let source = describeSource(loaded.source);
  if (loaded.source === 'environment') source = `environment (${credentialsFromEnv(io.env).variables.join(', ')})`;
  if (loaded.source === 'file') source = `${store.file} (file)`;
  io.stdout.write(`source: ${source}\ncredentials: ${describeCredentials(loaded.credentials)}\n`);
  if (loaded.credentials === null) {
    io.stdout.write('set them with `jiraline auth set`, or JIRALINE_USER + JIRALINE_PASSWORD / JIRALINE_AUTH_KEY\n');
    return 1;
  }
  return 0;
}

async function authClear(args: string[], io: AuthIo): Promise<number> {
  const { values } = parseCommandArgs('auth clear', args, common);
  if (values.help) return (io.stdout.write(usage), 0);
  const configPath = resolveConfigPath(values.config, io.env);
  const store = createSecretStore({ configDir: dirname(configPath), env: io.env, keychain: io.keychain ?? 'auto' });
  const cleared = await store.clearAll();
  const k = cleared.keychain;
  const keychain = k === null ? 'not used' : typeof k === 'object' ? `not available (${k.reason})` : k ? 'removed' : 'nothing stored';
  io.stdout.write(`keychain: ${keychain}\n${store.file}: ${cleared.file ? 'removed' : 'nothing stored'}\n`);
  if (cleared.environment.length > 0) {
    const many = cleared.environment.length > 1;
    io.stderr.write(`warning: ${cleared.environment.join(', ')} ${many ? 'are' : 'is'} set in the environment, which jiraline cannot clear: `
      + `unset ${many ? 'them where they are' : 'it where it is'} defined (shell profile, service unit)\n`);
  }
  return 0;
}

/** `jiraline auth set|show|clear`; exit code 0 on success, 1 for `show` without credentials; UsageError on bad usage. */
export async function runAuth(args: string[], io: AuthIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'set': return await authSet(rest, io);
      case 'show': return await authShow(rest, io);
      case 'clear': return await authClear(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(usage);
        return 0;
      case undefined: throw new UsageError('jiraline auth: expected set, show or clear (see jiraline auth --help)');
      default: throw new UsageError(`jiraline auth: unknown subcommand '${sub}' (expected set, show or clear)`);
    }
  } catch (error) {
    if (error instanceof PromptAborted) {
      io.stderr.write(`jiraline auth ${sub}: ${error.message}; nothing was stored\n`);
      return 130;
    }
    throw error;
  }
}
