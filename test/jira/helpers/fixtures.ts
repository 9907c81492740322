// Reads the recorded Jira answers from the repository's fixtures/ folder (SIM copies them
// there from ../shared/jira/fixtures; until then the shared copy is read).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const shared = fileURLToPath(new URL('../../../../shared/jira/fixtures/', import.meta.url));

/** The parsed JSON of fixtures/<name>. */
export function fixture(name: string): unknown {
  const path = existsSync(repo + name) ? repo + name : shared + name;
  return JSON.parse(readFileSync(path, 'utf8'));
}
