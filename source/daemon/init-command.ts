// `jiraline init`: the first-run wizard, as `jira init` of jira-cli does it — the Jira URL
// (checked: it must answer), the way to sign in (username + password or API token, or an
// Authorization Key), the login checked against Jira, the project and issue type picked from
// what Jira lets these credentials create; then the config is written (atomically, keeping
// every other key) and the secret stored (keychain, else the 0600 file). On a terminal it
// asks; otherwise every answer comes from flags and the secret from the first line of stdin.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { writeFileAtomic } from '../atomic-file.js';
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { ConfigError, parseConfig } from '../core/config.js';
import type { Credentials, JiraPort, ServerInfo } from '../core/ports.js';
import { createJiraClient } from '../jira/index.js';
import { createSecretStore, describeSource, makeSecret } from '../secrets/index.js';
import { readFirstLine, readHidden, type RawInput } from '../secrets/prompt.js';
import type { SecretStoreOptions } from '../secrets/store.js';
import type { CommandIo } from './command-io.js';
import { processIo } from './command-io.js';
import { resolveConfigPath } from './settings.js';

const usage = `Usage: jiraline init [--config FILE] [--url URL] [--auth basic|key] [--username U]
                     [--project KEY] [--issue-type NAME]
  Sets jiraline up for a Jira: checks the URL and the login, picks the project and issue
  type automatic CREATEs use, writes the config file and stores the secret (OS keychain,
  else credentials.json, mode 0600). On a terminal it asks for what the flags leave out;
  otherwise --url is required and the password or key is the first line of stdin.
`;

/** How the wizard asks (a terminal, or scripted answers in tests). */
export interface Asker {
  /** A visible answer; '' means the default. */
  ask(question: string): Promise<string>;
  /** A hidden answer. */
  secret(question: string): Promise<string>;
}

/** What init uses from outside. */
export interface InitDeps {
  io: CommandIo;
  /** Absent: a terminal asker when stdin is a TTY, none otherwise. */
  asker?: Asker | null;
  keychain?: SecretStoreOptions['keychain'];
}

// Text from Jira shown on the terminal: no control characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 120);

function terminalAsker(io: CommandIo): Asker | null {
  const stdin = io.stdin as CommandIo['stdin'] & { setRawMode?: (on: boolean) => unknown };
  if (stdin.isTTY !== true || typeof stdin.setRawMode !== 'function') return null;
  return {
    async ask(question) {
      const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
      try {
        return (await rl.question(question)).trim();
      } finally {
        rl.close();
      }
    },
    secret: (question) => readHidden(io.stdin as unknown as RawInput, io.stderr, question),
  };
}

/** The existing config file as raw JSON (kept: init changes only its own keys); {} when there is none. */
function readRaw(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`config file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, '');
  }
  if (text.trim() === '') return {};
  const raw = JSON.parse(text) as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`config file ${path}: expected a JSON object`, '');
  return raw as Record<string, unknown>;
}

/** Runs `jiraline init`; returns the exit code. */
export async function runInit(args: string[], deps: InitDeps = { io: processIo() }): Promise<number> {
  const { values } = parseCommandArgs('init', args, {
    config: { type: 'string' }, url: { type: 'string' }, auth: { type: 'string' }, username: { type: 'string' },
    project: { type: 'string' }, 'issue-type': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  const { io } = deps;
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (values.auth !== undefined && values.auth !== 'basic' && values.auth !== 'key') throw new UsageError('jiraline init: --auth is basic or key');
  const asker = deps.asker === undefined ? terminalAsker(io) : deps.asker;
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const configPath = resolveConfigPath(values.config, io.env);
  let raw: Record<string, unknown>;
  try {
    raw = readRaw(configPath);
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError(`config file ${configPath}: not valid JSON (${error.message}); fix or move it, then run init again`, '');
    throw error;
  }
  const current = (key: string) => ((raw.jira ?? {}) as Record<string, unknown>)[key];
  const need = async (flag: string | undefined, question: string, fallback?: string): Promise<string> => {
    if (flag !== undefined && flag !== '') return flag;
    if (asker === null) {
      if (fallback !== undefined) return fallback;
      throw new UsageError(`jiraline init: ${question.replace(/[:?]\s*(\[.*\])?\s*$/, '')} — pass it as a flag (see jiraline init --help) or run init on a terminal`);
    }
    const answer = await asker.ask(fallback ? `${question} [${fallback}] ` : `${question} `);
    return answer || fallback || '';
  };

  // 1. Where Jira is, and that it answers.
  const url = (await need(values.url, 'Jira URL (https://jira.example.com or https://you.atlassian.net):', typeof current('url') === 'string' ? current('url') as string : undefined)).replace(/\/+$/, '');
  parseConfig({ jira: { url } }, '--url');
  const probe = createJiraClient({ baseUrl: url, credentials: null, timeoutMs: 10_000 });
  let info: ServerInfo | null = null;
  try {
    info = await probe.serverInfo();
    say(`✓ ${url}: Jira ${info.deploymentType} ${printable(info.version)}`);
  } catch (error) {
    const status = (error as { status?: number }).status ?? 0;
    if (status === 0) {
      say(`✗ ${url} did not answer: ${printable((error as Error).message)}`);
      say('  check the address, the proxy (HTTPS_PROXY/NO_PROXY) and TLS (jira.caFile in the config), then run init again');
      return 1;
    }
    say(`✓ ${url} answers (it wants credentials first)`);
  } finally {
    await probe.close().catch(() => undefined);
  }
  const cloud = info?.deploymentType === 'Cloud' || /\.atlassian\.net$/i.test(new URL(url).hostname);

  // 2. How to sign in, and that the login works.
  const method = (values.auth ?? (cloud ? 'basic'
    : await need(undefined, 'Sign in with 1) username + password or 2) an Authorization Key (personal access token)?', '1'))) as string;
  const byKey = method === 'key' || method === '2';
  let credentials: Credentials;
  const readSecret = async (question: string): Promise<string> => {
    if (asker !== null) return asker.secret(question);
    const line = await readFirstLine(io.stdin);
    (io.stdin as { destroy?: () => void }).destroy?.();
    return line ?? '';
  };
  if (byKey) {
    const key = await readSecret('Authorization Key: ');
    if (!key) throw new UsageError('jiraline init: no key given (type it at the prompt, or send it on stdin)');
    credentials = { method: 'key', key: makeSecret(key) };
  } else {
    const configuredUser = ((raw.auth ?? {}) as Record<string, unknown>).username;
    const username = await need(values.username, cloud ? 'E-mail address of your Atlassian account:' : 'Username:', typeof configuredUser === 'string' ? configuredUser : undefined);
    if (!username) throw new UsageError('jiraline init: no username given (--username)');
    const password = await readSecret(cloud ? `API token for ${username} (id.atlassian.com → Security → API tokens): ` : `Password for ${username}: `);
    if (!password) throw new UsageError('jiraline init: no password given (type it at the prompt, or send it on stdin)');
    credentials = { method: 'basic', username, password: makeSecret(password) };
  }
  const jira = createJiraClient({ baseUrl: url, credentials, timeoutMs: 10_000 });
  try {
    try {
      const me = await jira.myself();
      say(`✓ signed in as ${printable(me.displayName)}`);
    } catch (error) {
      say(`✗ Jira refused the login: ${printable((error as Error).message)}`);
      say('  nothing was written; run init again with the right credentials');
      return 1;
    }

    // 3. What automatic CREATEs make: a project and an issue type these credentials may create.
    const template = Array.isArray(raw.template) ? raw.template as Array<{ field?: string; value?: string }> : [];
    const templated = (field: string) => template.find((r) => r.field?.toLowerCase() === field)?.value;
    const project = (await need(values.project, 'Project key for new tickets:', templated('project'))).toUpperCase();
    if (!project) throw new UsageError('jiraline init: no project given (--project)');
    const issueType = await pickIssueType(jira, project, values['issue-type'] ?? templated('issuetype'), asker, say);
    if (issueType === null) return 1;

    // 4. Write the config (every other key kept) and store the secret.
    const next = structuredClone(raw) as Record<string, any>;
    next.jira = { ...(next.jira ?? {}), url };
    next.auth = byKey ? { ...(next.auth ?? {}), method: 'key', username: null }
      : { ...(next.auth ?? {}), method: 'basic', username: (credentials as { username: string }).username };
    const rest = template.filter((r) => !['project', 'issuetype'].includes(r.field?.toLowerCase() ?? ''));
    next.template = [{ field: 'project', value: project, mode: 'Include' }, { field: 'issuetype', value: issueType, mode: 'Include' }, ...rest];
    parseConfig(next, `config for ${configPath}`);
    await writeFileAtomic(configPath, `${JSON.stringify(next, null, 2)}\n`);
    say(`✓ wrote ${configPath}`);
    const store = createSecretStore({ configDir: dirname(configPath), env: io.env, keychain: deps.keychain ?? 'auto' });
    const saved = await store.save(credentials);
    say(`✓ credentials stored in ${saved.source === 'keychain' ? describeSource('keychain') : store.file}`);
    if (saved.warning) say(`  ${saved.warning}`);
    io.stdout.write(`jiraline is set up for ${url} (project ${project}, ${issueType}).\n`
      + 'Next: jiraline doctor (checks everything), jiraline daemon (the headless engine), jiraline (the app).\n');
    return 0;
  } finally {
    await jira.close().catch(() => undefined);
  }
}

// The issue type: the one given if the project has it, else a choice among those it has.
async function pickIssueType(jira: JiraPort, project: string, wanted: string | undefined, asker: Asker | null, say: (text: string) => void): Promise<string | null> {
  let types: Array<{ id: string; name: string }>;
  try {
    types = (await jira.createMetaIssueTypes(project)).filter((t) => !t.subtask);
  } catch (error) {
    say(`✗ project ${project}: ${printable((error as Error).message)}`);
    say('  check the key (it is the prefix of the project\'s tickets, e.g. OPS in OPS-12) and the Create Issues permission');
    return null;
  }
  if (types.length === 0) {
    say(`✗ these credentials may create no issue type in ${project}: ask a Jira admin for the Create Issues permission`);
    return null;
  }
  const match = wanted ? types.find((t) => t.name.toLowerCase() === wanted.toLowerCase() || t.id === wanted) : undefined;
  if (match) {
    say(`✓ ${project}: may create ${printable(match.name)}`);
    return match.name;
  }
  const list = types.map((t, i) => `${i + 1}) ${printable(t.name)}`).join('  ');
  if (asker === null) {
    say(`✗ ${wanted ? `project ${project} has no issue type "${wanted}"` : 'no issue type given (--issue-type)'}; it has: ${list}`);
    return null;
  }
  for (;;) {
    const answer = (await asker.ask(`Issue type for new tickets — ${list}: `)).trim();
    const byNumber = types[Number(answer) - 1];
    const chosen = byNumber ?? types.find((t) => t.name.toLowerCase() === answer.toLowerCase());
    if (chosen) return chosen.name;
    say(`  "${printable(answer)}" is none of them: type its number or its name`);
  }
}
