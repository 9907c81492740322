// A fresh directory under the system temp dir for one test, removed by cleanup().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory and the function that removes it with everything inside. */
export interface TempDir {
  dir: string;
  cleanup(): Promise<void>;
}

/** Makes a new empty directory (prefix `jiraline-test-`); call cleanup() when done. */
export async function makeTempDir(prefix = 'jiraline-test-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
