// `npm start` runs this before the program: it compiles source/ to dist/ only when a source
// file (or a tsconfig, or package.json) is newer than the last build, and then emits without
// type-checking (tsc --noCheck), because `npm test` and `npm run build` are where types are
// checked; a newcomer's start should not wait for a full typecheck. Nothing changed → nothing
// runs but a walk over the file times (a few ms).
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The project root: this file's grandparent, or --root DIR (the tests build a small project).
const rootFlag = process.argv.indexOf('--root');
const root = rootFlag > 0 ? process.argv[rootFlag + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamp = join(root, 'dist', '.build-stamp');

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs; // a deleted or renamed file changes its folder's time
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

// The last build: ours (the stamp), or `npm run build`'s full typecheck build (its build info).
const builtAt = () => Math.max(mtime(stamp), mtime(join(root, 'dist', '.tsbuildinfo')));

const inputs = ['source', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) => join(root, name));
if (Math.max(...inputs.map(newest)) > builtAt()) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('jiraline: compiling source/ to dist/ (changed since the last build)…\n');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
