// Settings of the engine faces (tui, daemon): flags beat environment, environment beats
// the config file, the config file beats defaults. Every mistake is one line
// naming the flag, variable, key or file at fault, and the CLI turns it into exit 2.
import { existsSync, statSync } from 'node:fs';
import { MAX_CONFIG_BYTES, readBoundedTextFile, RefusedFileError } from '../bounded-file.js';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../cli-args.js';
import { ConfigError, parseConfig, type Config } from '../core/config.js';
import { writeFileAtomic } from '../atomic-file.js';
import { isLoopbackHost, splitHostPort } from '../core/host-port.js';

/** The resolved settings of one run of an engine face. */
export interface Settings {
  /** The config file (it may not exist yet). */
  configPath: string;
  /** The folder of the config file; credentials.json lives beside it. */
  configDir: string;
  /** The data directory holding the database and its lock. */
  dataDir: string;
  /** The effective configuration: the file's, with flag/env overrides laid over it. */
  config: Config;
  /** "off" or HOST:PORT of the Advanced socket. */
  listen: string;
  /** Run against an in-process simulator. */
  demo: boolean;
  /** The socket listens on an address other machines can reach: how it is guarded. */
  remoteListen: null | 'token' | 'unauthenticated';
}

/** The flags of tui and daemon that settings care about (cli-args engineOptions). */
export interface SettingsFlags {
  config?: string;
  'data-dir'?: string;
  listen?: string;
  'jira-url'?: string;
  demo?: boolean;
  'allow-unauthenticated-remote'?: boolean;
}

/** What flags/env replaced, so saveConfig can keep a one-run override out of the file. */
interface Overrides {
  listen?: { effective: string; inFile: unknown; fileHas: boolean };
  url?: { effective: string | null; inFile: unknown; fileHas: boolean };
}

const overridesOf = new WeakMap<Settings, Overrides>();

/** An environment value, with an empty string counted as unset (`FOO= jiraline …`). */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** An XDG base directory: the variable if it holds an absolute path, else ~/<fallback>. */
function xdgDir(env: Record<string, string | undefined>, name: string, fallback: string): string {
  const value = envValue(env, name);
  // The XDG spec says relative values are invalid and must be ignored.
  if (value !== undefined && isAbsolute(value)) return value;
  return join(envValue(env, 'HOME') ?? homedir(), fallback);
}

/**
 * Where JSON.parse stopped, as an editor shows it: "at line 3, column 5 (expected ',' or '}'
 * after property value)" instead of "at position 44".
 */
export function jsonErrorPlace(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /Unexpected end of JSON input/i.test(message) ? text.length : null;
  const why = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (offset === null) return `(${why})`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `at line ${line}, column ${column} (${why})`;
}

/** Reads the config file: missing is fine ({}); unreadable, not a file, too large or not JSON names the file. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readBoundedTextFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof RefusedFileError) {
      throw new ConfigError(`config file ${path}: cannot be read (${error.message}) — give the path of a JSON config file (--config or JIRALINE_CONFIG)`, '');
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    throw new ConfigError(`config file ${path}: cannot be read (${code ?? (error as Error).message})`, '');
  }
  if (text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON ${jsonErrorPlace(text, (error as Error).message)}`, '');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config file ${path}: expected a JSON object at the top level`, '');
  }
  return raw as Record<string, unknown>;
}

/** Validates one overriding value alone, so the error names the flag or variable. */
function checkOverride(origin: string, raw: unknown): Config {
  try {
    return parseConfig(raw, origin);
  } catch (error) {
    if (error instanceof ConfigError) {
      // "--listen: error in listen: expected …" → "--listen: expected …": the key is the flag.
      throw new ConfigError(error.message.replace(/: error in [^:]+:/, ':'), error.key);
    }
    throw error;
  }
}

/** The data directory: --data-dir, JIRALINE_DATA_DIR, $XDG_DATA_HOME/jiraline, ~/.local/share/jiraline. */
/** The config file: --config, JIRALINE_CONFIG, $XDG_CONFIG_HOME/jiraline/config.json (also `jiraline auth`'s). */
export function resolveConfigPath(flag: string | undefined, env: Record<string, string | undefined>): string {
  return resolve(flag ?? envValue(env, 'JIRALINE_CONFIG') ?? join(xdgDir(env, 'XDG_CONFIG_HOME', '.config'), 'jiraline', 'config.json'));
}

/** The data directory: --data-dir, JIRALINE_DATA_DIR, $XDG_DATA_HOME/jiraline. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag === '') throw new UsageError('--data-dir: expected a directory');
  return resolve(flag ?? envValue(env, 'JIRALINE_DATA_DIR') ?? join(xdgDir(env, 'XDG_DATA_HOME', '.local/share'), 'jiraline'));
}

/**
 * The data directory a reading command (`log`, `stats`) looks at. A directory named by
 * --data-dir or JIRALINE_DATA_DIR that does not exist is a typo, not an empty log.
 */
export function existingDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  const dir = resolveDataDir(flag, env);
  const named = flag !== undefined ? '--data-dir' : envValue(env, 'JIRALINE_DATA_DIR') !== undefined ? 'JIRALINE_DATA_DIR' : null;
  if (named !== null && !existsSync(dir)) throw new UsageError(`${named}: no directory ${dir} — check the path (the engine creates it on its first start)`);
  requireDirectory(dir, named);
  return dir;
}

/** A data directory that exists must be a directory: a file there is a wrong path, not a damaged database. */
function requireDirectory(dir: string, named: string | null): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    return; // absent (the engine creates it) or unreadable (opening says why)
  }
  if (!isDirectory) {
    throw new UsageError(`${named ?? 'the data directory'}: ${dir} is a file, not a directory — give the directory that holds jiraline.db (--data-dir or JIRALINE_DATA_DIR)`);
  }
}

/**
 * Resolves flags > env > config file > defaults. Throws ConfigError/UsageError (exit 2)
 * naming what is at fault. The daemon needs a Jira URL unless --demo; the app without
 * one runs in demo mode.
 */
export function resolveSettings(flags: SettingsFlags, env: Record<string, string | undefined>, face: 'daemon' | 'tui'): Settings {
  const configPath = resolveConfigPath(flags.config, env);
  // The default file missing is a first run; a file named on purpose that is missing is a typo,
  // not an empty config (every setting would silently fall back to its default).
  const configNamed = flags.config !== undefined ? '--config' : envValue(env, 'JIRALINE_CONFIG') !== undefined ? 'JIRALINE_CONFIG' : null;
  if (configNamed !== null && !existsSync(configPath)) {
    throw new ConfigError(`${configNamed}: no config file ${configPath} — check the path (jiraline init writes one), or leave ${configNamed} out to use ${resolveConfigPath(undefined, { ...env, JIRALINE_CONFIG: undefined })}`, '');
  }
  const dataDir = resolveDataDir(flags['data-dir'], env);
  requireDirectory(dataDir, flags['data-dir'] !== undefined ? '--data-dir' : envValue(env, 'JIRALINE_DATA_DIR') !== undefined ? 'JIRALINE_DATA_DIR' : null);
  const raw = readConfigFile(configPath);
  const config = parseConfig(raw, `config file ${configPath}`);
  const overrides: Overrides = {};
  const fileJira = (raw.jira ?? {}) as Record<string, unknown>;

  const listenSource = flags.listen !== undefined ? '--listen' : envValue(env, 'JIRALINE_LISTEN') !== undefined ? 'JIRALINE_LISTEN' : null;
  if (listenSource !== null) {
    const value = flags.listen ?? envValue(env, 'JIRALINE_LISTEN')!;
    config.listen = checkOverride(listenSource, { listen: value }).listen;
    overrides.listen = { effective: config.listen, inFile: raw.listen, fileHas: 'listen' in raw };
  }

  const urlSource = flags['jira-url'] !== undefined ? '--jira-url' : envValue(env, 'JIRALINE_URL') !== undefined ? 'JIRALINE_URL' : null;
  if (urlSource !== null) {
    const value = flags['jira-url'] ?? envValue(env, 'JIRALINE_URL')!;
    config.jira.url = checkOverride(urlSource, { jira: { url: value } }).jira.url;
    overrides.url = { effective: config.jira.url, inFile: fileJira.url, fileHas: 'url' in fileJira };
  }

  let demo = flags.demo === true;
  if (!demo && config.jira.url === null) {
    if (face === 'daemon') {
      throw new UsageError(`no Jira URL: set --jira-url, JIRALINE_URL or jira.url in ${configPath} (or --demo)`);
    }
    demo = true;
  }
  const remoteListen = remoteListenGuard(config, configPath, flags['allow-unauthenticated-remote'] === true);
  const settings: Settings = { configPath, configDir: dirname(configPath), dataDir, config, listen: config.listen, demo, remoteListen };
  overridesOf.set(settings, overrides);
  return settings;
}

/**
 * A socket other machines can reach files tickets with jiraline's Jira credentials for
 * anyone who connects, so without a socketToken it does not start unless the operator
 * says, with --allow-unauthenticated-remote, that the network is guarded otherwise.
 */
function remoteListenGuard(config: Config, configPath: string, allowed: boolean): Settings['remoteListen'] {
  if (config.listen === 'off') return null;
  const hostPort = splitHostPort(config.listen);
  if (hostPort === null || isLoopbackHost(hostPort.host)) return null;
  if (config.socketToken !== null) return 'token';
  if (allowed) return 'unauthenticated';
  throw new UsageError(`listen ${config.listen}: other machines can reach this address, and without a socketToken anyone who can `
    + `reach it files tickets with jiraline's Jira credentials — set "socketToken" in ${configPath} (clients then send AUTH <token> first), `
    + 'listen on 127.0.0.1, or pass --allow-unauthenticated-remote if the network is guarded otherwise');
}

/**
 * Writes the configuration back to the settings' config file atomically (temp file,
 * fsync, rename; mode 0600). A value that only came from a flag or variable for this
 * run is not baked into the file: where `config` still holds the override, the file's
 * own value is kept.
 */
export async function saveConfig(settings: Settings, config: Config): Promise<void> {
  const out = structuredClone(config) as Record<string, unknown> & { jira: Record<string, unknown> };
  const overrides = overridesOf.get(settings) ?? {};
  if (overrides.listen && out.listen === overrides.listen.effective) {
    if (overrides.listen.fileHas) out.listen = overrides.listen.inFile;
    else delete out.listen;
  }
  if (overrides.url && out.jira.url === overrides.url.effective) {
    if (overrides.url.fileHas) out.jira.url = overrides.url.inFile;
    else delete out.jira.url;
  }
  // Validate what goes to disk, so the file we write is one we can read back.
  parseConfig(out, `config for ${settings.configPath}`);
  await writeFileAtomic(settings.configPath, `${JSON.stringify(out, null, 2)}\n`);
}
