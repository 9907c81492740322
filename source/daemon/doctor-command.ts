// `jiraline doctor`: checks, one line each, what a start needs — Node.js, the config file,
// the credentials and where they come from, Jira (reachable, the credentials accepted, the
// template's project and issue type creatable), the data directory (mode, lock, database)
// and the socket (an engine answering PING, or the port free) — and says what to do about
// each that fails. Like `flutter doctor`: read-only, changes nothing, exit 1 if a check failed.
import { createConnection, createServer } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { engineOptions, parseCommandArgs } from '../cli-args.js';
import { ConfigError, type Config } from '../core/config.js';
import { splitHostPort } from '../core/host-port.js';
import type { JiraPort } from '../core/ports.js';
import { createJiraClient } from '../jira/index.js';
import { createSecretStore, describeSource } from '../secrets/index.js';
import { loadKeytar } from '../secrets/keychain.js';
import { openStoreSnapshot } from '../store/index.js';
import { pidAlive } from '../store/lock.js';
import { processIo, type CommandIo } from './command-io.js';
import { resolveSettings, type Settings } from './settings.js';

const usage = `Usage: jiraline doctor [--json] [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--jira-url URL]
  Checks what jiraline needs — Node.js, the config, the credentials, Jira, the data
  directory, the socket — and says what to do about each problem. Changes nothing.
  Exit 0 when every check passed (warnings allowed), 1 when one failed, 2 for bad usage.
`;

/** One check's outcome. */
export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to do, for warn and fail. */
  fix?: string;
}

/** What the checks may take from outside (tests pass their own). */
export interface DoctorDeps {
  io: CommandIo;
  keychain?: 'auto' | null;
  nodeVersion?: string;
}

const MIN_NODE = [20, 18] as const;
/** The longest a Jira check waits: a doctor answers in seconds, whatever timeoutSeconds says. */
const JIRA_CHECK_MS = 10_000;

// Text from Jira (a server title, a display name) is shown on a terminal: no control characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 200);

function nodeCheck(version: string): Check {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { name: 'node', status: 'ok', detail: `Node.js ${version}` }
    : { name: 'node', status: 'fail', detail: `Node.js ${version}`, fix: `install Node.js ${MIN_NODE.join('.')} or newer (20.x LTS)` };
}

async function jiraChecks(settings: Settings, config: Config, credentials: Awaited<ReturnType<ReturnType<typeof createSecretStore>['load']>>): Promise<Check[]> {
  if (settings.demo) return [{ name: 'jira', status: 'skip', detail: 'no Jira URL: the app runs in demo mode', fix: 'set jira.url in the config, --jira-url or JIRALINE_URL (or run jiraline init)' }];
  const url = config.jira.url as string;
  let client: JiraPort & { close(): Promise<void> };
  try {
    client = createJiraClient({
      baseUrl: url, ticketLocation: config.jira.ticketLocation, credentials: credentials.credentials, caFile: config.jira.caFile,
      insecure: config.jira.insecure, bypassProxy: config.jira.bypassProxy, timeoutMs: Math.min(JIRA_CHECK_MS, config.jira.timeoutSeconds * 1000),
    });
  } catch (error) {
    return [{ name: 'jira', status: 'fail', detail: (error as Error).message, fix: 'correct jira.url, jira.caFile or the proxy settings' }];
  }
  const out: Check[] = [];
  try {
    try {
      const info = await client.serverInfo();
      out.push({ name: 'jira', status: 'ok', detail: `${url} answers: ${info.deploymentType} ${printable(info.version)}${info.serverTitle ? ` "${printable(info.serverTitle)}"` : ''}` });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403) {
        // It answered: the Jira is there, the credentials are what it refused.
        out.push({ name: 'jira', status: 'ok', detail: `${url} answers (and asks for valid credentials)` });
        out.push({ name: 'login', status: 'fail', detail: printable((error as Error).message), fix: credentialFix(credentials.source) });
      } else {
        out.push({ name: 'jira', status: 'fail', detail: `${url}: ${printable((error as Error).message)}`, fix: 'check the URL, the network path (proxy: HTTPS_PROXY/NO_PROXY, jira.bypassProxy) and TLS (jira.caFile)' });
      }
      return out;
    }
    try {
      const me = await client.myself();
      out.push({ name: 'login', status: 'ok', detail: `signed in as ${printable(me.displayName)}${me.name ? ` (${printable(me.name)})` : ''} — credentials from ${describeSource(credentials.source)}` });
    } catch (error) {
      out.push({ name: 'login', status: 'fail', detail: printable((error as Error).message), fix: credentialFix(credentials.source) });
      return out;
    }
    out.push(await templateCheck(client, config));
  } finally {
    await client.close().catch(() => undefined);
  }
  return out;
}

// Where to mend credentials depends on where they came from: the environment outranks a
// stored secret, so `auth set` alone changes nothing while JIRALINE_PASSWORD is set.
function credentialFix(source: string): string {
  if (source === 'environment') return 'the credentials come from JIRALINE_USER/JIRALINE_PASSWORD or JIRALINE_AUTH_KEY in the environment, which outrank jiraline auth set: correct or unset them';
  return 'store the right ones with jiraline auth set (or u in the Configuration pane)';
}

async function templateCheck(client: JiraPort, config: Config): Promise<Check> {
  const value = (field: string) => config.template.find((r) => r.field.toLowerCase() === field && r.mode === 'Include')?.value;
  const project = value('project');
  const issueType = value('issuetype');
  if (!project) return { name: 'template', status: 'warn', detail: 'the template has no project', fix: 'add a project row in the Creation pane (automatic CREATEs need one)' };
  try {
    const types = await client.createMetaIssueTypes(project);
    const names = types.map((t) => printable(t.name));
    if (issueType && !types.some((t) => t.name.toLowerCase() === issueType.toLowerCase() || t.id === issueType)) {
      return { name: 'template', status: 'fail', detail: `project ${project} has no issue type "${issueType}" these credentials may create`, fix: `use one of: ${names.join(', ') || '(none)'}` };
    }
    return { name: 'template', status: 'ok', detail: `may create ${issueType ?? 'issues'} in ${project}` };
  } catch (error) {
    return { name: 'template', status: 'fail', detail: `project ${project}: ${printable((error as Error).message)}`, fix: 'check the project key in the template and the user\'s Create Issues permission' };
  }
}

async function dataDirChecks(dir: string): Promise<{ checks: Check[]; enginePid: number | null }> {
  const info = await stat(dir).catch(() => null);
  if (info === null) return { checks: [{ name: 'data', status: 'ok', detail: `${dir} does not exist yet (the first start makes it, mode 0700)` }], enginePid: null };
  if (!info.isDirectory()) return { checks: [{ name: 'data', status: 'fail', detail: `${dir} is not a directory`, fix: 'point --data-dir / JIRALINE_DATA_DIR at a directory' }], enginePid: null };
  const checks: Check[] = [];
  const mode = info.mode & 0o777;
  checks.push((mode & 0o077) === 0
    ? { name: 'data', status: 'ok', detail: `${dir} (mode 0${mode.toString(8)})` }
    : { name: 'data', status: 'warn', detail: `${dir} is open to other users (mode 0${mode.toString(8)})`, fix: `chmod 700 ${dir}` });
  const holder = Number((await readFile(join(dir, 'jiraline.lock'), 'utf8').catch(() => '')).trim());
  const enginePid = Number.isInteger(holder) && holder > 0 && pidAlive(holder) ? holder : null;
  checks.push({ name: 'engine', status: 'ok', detail: enginePid !== null ? `an engine runs on it (pid ${enginePid})` : 'no engine runs on it' });
  try {
    const reader = await openStoreSnapshot(dir);
    try {
      checks.push({ name: 'database', status: 'ok', detail: `readable: ${reader.countLog()} log rows, ${reader.countLog({ status: 'Pending' })} pending` });
    } finally {
      reader.close();
    }
  } catch (error) {
    checks.push({ name: 'database', status: 'fail', detail: (error as Error).message, fix: 'move the database aside to start afresh (it is never overwritten)' });
  }
  return { checks, enginePid };
}

async function socketCheck(config: Config, enginePid: number | null): Promise<Check> {
  if (config.listen === 'off') return { name: 'socket', status: 'skip', detail: 'off (listen: off)' };
  const hp = splitHostPort(config.listen);
  if (hp === null) return { name: 'socket', status: 'fail', detail: `listen ${config.listen} is not HOST:PORT` };
  if (enginePid !== null) {
    const answer = await ping(hp.host, hp.port, config.socketToken);
    return answer === 'PONG'
      ? { name: 'socket', status: 'ok', detail: `${config.listen} answers PING` }
      : { name: 'socket', status: 'fail', detail: `the engine (pid ${enginePid}) does not answer PING on ${config.listen}: ${answer}`, fix: 'check the engine\'s listen address (jiraline status, the daemon log)' };
  }
  const free = await portFree(hp.host, hp.port);
  return free === true
    ? { name: 'socket', status: 'ok', detail: `${config.listen} is free for the engine` }
    : { name: 'socket', status: 'fail', detail: `${config.listen} cannot be bound: ${free}`, fix: 'another program uses the port: choose another with --listen, or stop it' };
}

function ping(host: string, port: number, token: string | null): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let text = '';
    const done = (answer: string) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.on('error', (error) => done(error.message));
    socket.on('connect', () => socket.end(`${token ? `AUTH ${token}\n` : ''}PING\n`));
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const lines = text.split('\n');
      if (lines.includes('PONG')) done('PONG');
      else if (lines.some((l) => l.startsWith('ERR'))) done(printable(lines.find((l) => l.startsWith('ERR')) ?? ''));
    });
    socket.on('end', () => done(text.includes('PONG') ? 'PONG' : 'the connection closed'));
  });
}

function portFree(host: string, port: number): Promise<true | string> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve(error.message));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

const doctorOptions = { ...engineOptions, json: { type: 'boolean' } } as const;

/** Runs every check, in order; a check that cannot run after an earlier failure is left out. */
async function runChecks(values: ReturnType<typeof parseCommandArgs<typeof doctorOptions>>['values'], deps: DoctorDeps): Promise<Check[]> {
  const checks: Check[] = [nodeCheck(deps.nodeVersion ?? process.version)];
  let settings: Settings;
  try {
    settings = resolveSettings(values, deps.io.env, 'tui');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    checks.push({ name: 'config', status: 'fail', detail: error.message, fix: 'correct the file (jiraline init writes a new one)' });
    return checks;
  }
  const configExists = await stat(settings.configPath).then(() => true, () => false);
  checks.push({ name: 'config', status: 'ok', detail: `${settings.configPath}${configExists ? '' : ' (none: defaults)'}` });

  const secrets = createSecretStore({ configDir: settings.configDir, env: deps.io.env, keychain: deps.keychain ?? 'auto' });
  const credentials = await secrets.load();
  const keytar = deps.keychain === null ? null : await loadKeytar();
  const keychainNote = keytar === null || keytar.ok ? '' : ` (OS keychain: ${keytar.reason})`;
  if (credentials.credentials === null) {
    checks.push({ name: 'credentials', status: settings.demo ? 'warn' : 'fail', detail: `none${keychainNote}`,
      fix: 'jiraline auth set (or JIRALINE_USER + JIRALINE_PASSWORD, or JIRALINE_AUTH_KEY)' });
  } else {
    checks.push({ name: 'credentials', status: credentials.warning ? 'warn' : 'ok',
      detail: `${describeSource(credentials.source)}${credentials.warning ? `: ${credentials.warning}` : ''}${keychainNote}`,
      ...(credentials.warning ? { fix: 'see the warning' } : {}) });
  }

  const data = await dataDirChecks(settings.dataDir);
  checks.push(...await jiraChecks(settings, settings.config, credentials));
  checks.push(...data.checks);
  checks.push(await socketCheck(settings.config, data.enginePid));
  return checks;
}

const marks: Record<Check['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** Runs `jiraline doctor`; returns the exit code. */
export async function runDoctor(args: string[], deps: DoctorDeps = { io: processIo() }): Promise<number> {
  const { values } = parseCommandArgs('doctor', args, doctorOptions);
  if (values.help) {
    deps.io.stdout.write(usage);
    return 0;
  }
  const checks = await runChecks(values, deps);
  if (values.json) {
    for (const check of checks) deps.io.stdout.write(`${JSON.stringify(check)}\n`);
  } else {
    for (const c of checks) {
      deps.io.stdout.write(`${marks[c.status]} ${c.name.padEnd(11)} ${c.detail}\n`);
      if (c.fix && c.status !== 'ok') deps.io.stdout.write(`  ${' '.repeat(11)} → ${c.fix}\n`);
    }
  }
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
