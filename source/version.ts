// The program's version, from package.json (dist/ and source/ both sit one level below it).
import { readFileSync } from 'node:fs';

/** The version in package.json, or 'unknown' when it cannot be read. */
export function programVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
