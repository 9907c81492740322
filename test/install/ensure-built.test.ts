// `npm start` compiles only when something changed, and then without a typecheck: a
// newcomer's second start does not wait for the compiler at all.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../source/tools/ensure-built.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'jiraline-ensure-built-'));
after(() => rmSync(root, { recursive: true, force: true }));

function project(): void {
  mkdirSync(join(root, 'source'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true } }));
  writeFileSync(join(root, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json',
    compilerOptions: { rootDir: 'source', outDir: 'dist', incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' }, include: ['source'] }));
  // A type error: an emit-only start still compiles it (the typecheck is npm test's job).
  writeFileSync(join(root, 'source', 'cli.ts'), "export const answer: number = 'forty-two';\nconsole.log(answer);\n");
}

function start(): { compiled: boolean; status: number | null } {
  const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { compiled: run.stderr.includes('compiling source/ to dist/'), status: run.status };
}

test('the first start compiles, the next does not, a changed source file compiles again', () => {
  project();
  assert.deepEqual(start(), { compiled: true, status: 0 });
  assert.ok(existsSync(join(root, 'dist', 'cli.js')), 'dist/cli.js was emitted');
  assert.deepEqual(start(), { compiled: false, status: 0 }, 'nothing changed: no compile');
  const later = new Date(Date.now() + 5_000);
  writeFileSync(join(root, 'source', 'cli.ts'), "console.log('changed');\n");
  utimesSync(join(root, 'source', 'cli.ts'), later, later);
  assert.deepEqual(start(), { compiled: true, status: 0 });
  assert.match(readFileSync(join(root, 'dist', 'cli.js'), 'utf8'), /changed/);
});
