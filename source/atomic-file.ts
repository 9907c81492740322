// Atomic replacement of a small file (the config, credentials.json): a crash at any
// instant leaves either the old file or the new one, never half of each.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes `text` to `path` via temp file → fsync → rename → fsync of the folder; mode 0600, folder 0700 if made. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx' with 0600 from the first byte: a secret is never in a file others can open.
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600); // the umask can only narrow 0600, but be exact
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

// So the rename survives a power cut. Some platforms cannot fsync a directory; the file
// itself is already synced there, so that is not worth failing for.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // see above
  }
}
