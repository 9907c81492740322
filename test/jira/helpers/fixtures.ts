// Reads the recorded Jira answers from the repository's fixtures/ folder (copied from
// ../shared/jira/fixtures).
import { readFileSync } from 'node:fs';

const dir = new URL('../../../fixtures/', import.meta.url);

/** The parsed JSON of fixtures/<name>. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
}
