// The last resort for credentials: credentials.json beside the config file, mode
// 0600, written atomically (temp file, fsync, rename, fsync of the directory) so a crash
// never leaves half a secret. A file others can read is reported on every load.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { Credentials } from '../core/ports.js';
import { decodeCredentials, encodeCredentials } from './encoding.js';

/** Name of the fallback file inside the config directory. */
export const CREDENTIALS_FILE = 'credentials.json';

/** `<configDir>/credentials.json` */
export function credentialsFilePath(configDir: string): string {
  return join(configDir, CREDENTIALS_FILE);
}

/** What the file holds: credentials (null when absent or unreadable), its mode, and any warning. */
export interface FileCredentials {
  credentials: Credentials | null;
  /** Permission bits (e.g. 0o600), null when there is no file. */
  mode: number | null;
  warning?: string;
}

/** Octal, as chmod takes it: 0644. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** A warning when group or others have any access to the file; null when it is 0600 or tighter. */
export function modeWarning(path: string, mode: number): string | null {
  // Windows has no such bits: Node reports 0666 for every writable file.
  if (process.platform === 'win32' || (mode & 0o077) === 0) return null;
  return `credentials file ${path} has mode ${formatMode(mode)}: other users may read it; run chmod 600 ${path}`;
}

/** Reads the file; an absent file is no credentials and no warning, a broken one is a warning. */
export async function readCredentialsFile(path: string): Promise<FileCredentials> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode & 0o777;
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { credentials: null, mode: null };
    return { credentials: null, mode: null, warning: `credentials file ${path} cannot be read (${code ?? 'error'})` };
  }
  const wide = modeWarning(path, mode);
  try {
    return { credentials: decodeCredentials(text), mode, ...(wide ? { warning: wide } : {}) };
  } catch (error) {
    const broken = `credentials file ${path} is not usable (${(error as Error).message}); run jiraline auth set to rewrite it`;
    return { credentials: null, mode, warning: wide ? `${broken}; ${wide}` : broken };
  }
}

/** Writes the credentials with mode 0600, atomically; creates the directory (0700) if needed. */
export async function writeCredentialsFile(path: string, credentials: Credentials): Promise<void> {
  await writeFileAtomic(path, encodeCredentials(credentials));
}

/** Removes the file; true when there was one. */
export async function removeCredentialsFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
