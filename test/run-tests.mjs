// Runs every test file under test/ with Node's test runner and tsx.
// Node 20 does not discover .tsx test files in a folder by itself, so the list is built here.
// Each file must finish within 300 s (a hang still ends the run), except the chaos test: a
// 3,000-line run under fire takes about a minute alone on a quiet machine but over five with
// other copies on a machine loaded twenty times over, and a slow run is not a failure there.
// It runs after the others, with 15 minutes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'bench' ? [] : find(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test').sort();
const isLong = (file) => /(^|[\\/])chaos\.test\.ts$/.test(file);
const run = (list, timeoutMs) => (list.length === 0 ? 0 : spawnSync(process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeoutMs}`, ...list],
  { stdio: 'inherit' }).status ?? 1);
const status = [run(files.filter((f) => !isLong(f)), 300_000), run(files.filter(isLong), 900_000)];
process.exit(status.find((s) => s !== 0) ?? 0);
