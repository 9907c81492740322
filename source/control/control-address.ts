// Where an engine's control socket is, and the record that says so. The socket lives in
// the data directory (0700) as `jiraline.sock`, mode 0600. A Unix socket's path must fit
// sun_path (108 bytes with its NUL on Linux); a data directory too deep for that gets one
// under $XDG_RUNTIME_DIR (the user's own 0700 runtime directory), named by a hash of the
// data directory. Either way the engine writes `jiraline.control.json` into the data
// directory, naming the socket, its pid, version and start time, so apps and `jiraline
// status` find it without guessing.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { EngineInfo } from './control-protocol.js';

/** The longest socket path we bind (sun_path is 108 bytes with the terminating NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The record's file name in the data directory. */
export const CONTROL_RECORD = 'jiraline.control.json';

/** The socket path for a data directory, and whether it is the runtime-directory fallback. */
export async function controlSocketPath(dataDir: string, env: Record<string, string | undefined> = process.env): Promise<string> {
  const inDir = join(dataDir, 'jiraline.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH_BYTES) return inDir;
  const name = `jiraline-${createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}.sock`;
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && runtimeDir.startsWith('/')) return join(runtimeDir, name);
  // No runtime directory (a bare container): a private 0700 directory of our own in /tmp.
  const uid = process.getuid?.() ?? 0;
  const own = join(tmpdir(), `jiraline-${uid}`);
  await mkdir(own, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(own);
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) {
    throw new Error(`the data directory's path is too long for a socket and ${own} is not a private directory of this user; set XDG_RUNTIME_DIR or use a shorter --data-dir`);
  }
  return join(own, name);
}

/** Writes the record (atomically, 0600). */
export async function writeControlRecord(dataDir: string, info: EngineInfo): Promise<void> {
  await writeFileAtomic(join(dataDir, CONTROL_RECORD), `${JSON.stringify(info)}\n`);
}

/** The record, or null when there is none or it cannot be read. */
export async function readControlRecord(dataDir: string): Promise<EngineInfo | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, CONTROL_RECORD), 'utf8');
  } catch {
    return null;
  }
  try {
    const raw = JSON.parse(text) as Partial<EngineInfo>;
    if (typeof raw.pid !== 'number' || typeof raw.socket !== 'string' || typeof raw.since !== 'number') return null;
    return {
      pid: raw.pid,
      socket: raw.socket,
      since: raw.since,
      version: typeof raw.version === 'string' ? raw.version : 'unknown',
      face: raw.face === 'app' ? 'app' : 'daemon',
      dataDir: typeof raw.dataDir === 'string' ? raw.dataDir : dataDir,
    };
  } catch {
    return null;
  }
}

/** Removes the record if it still names this pid. */
export async function removeControlRecord(dataDir: string, pid: number): Promise<void> {
  const record = await readControlRecord(dataDir);
  if (record?.pid === pid) await unlink(join(dataDir, CONTROL_RECORD)).catch(() => undefined);
}

/** The pid in the data directory's lock when that process is alive, else null. */
export async function lockHolder(dataDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'jiraline.lock'), 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
