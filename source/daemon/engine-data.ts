// A reading command (`log`, `stats`, `status`) pointed at a directory where no engine ever
// ran must say so, naming the directory and how to read another, instead of printing an
// empty log: the usual cause is a daemon started with its own --data-dir while the reader
// looks at the default directory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databaseFileName } from '../store/index.js';

/** Whether an engine (daemon or app, not demo mode) has written its database in `dir`. */
export function hasEngineData(dir: string): boolean {
  return existsSync(join(dir, databaseFileName));
}

/** Where the directory came from, as the message names it. */
export function dataDirSource(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag !== undefined) return 'from --data-dir';
  const fromEnv = env.JIRALINE_DATA_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? 'from JIRALINE_DATA_DIR' : 'the default';
}

/** What to do about it: the same words for every reading command. */
export const POINT_ELSEWHERE = 'give the engine\'s directory with --data-dir DIR or JIRALINE_DATA_DIR (the daemon\'s "start" record names its dataDir)';

/** The one line that says no engine data is there and how to point elsewhere. */
export function noEngineDataMessage(command: string, dir: string, source: string): string {
  return `jiraline ${command}: no engine data in ${dir} (${source}; no ${databaseFileName}: no daemon or app has run on it) — ${POINT_ELSEWHERE}`;
}
