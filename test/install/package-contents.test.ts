// The packed tarball installs offline (npm install -g --offline): every production
// dependency must travel inside it. A dependency added without being bundled would make
// the install reach for the registry, which an air-gapped host does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>; bundleDependencies: string[]; optionalDependencies?: Record<string, string>; files: string[];
};

test('every production dependency is bundled into the package; the optional keytar is not', () => {
  assert.deepEqual([...pkg.bundleDependencies].sort(), Object.keys(pkg.dependencies).sort());
  assert.ok(!pkg.bundleDependencies.includes('keytar'), 'keytar is a native addon built on the machine that installs it');
  assert.ok(pkg.files.includes('dist'), 'the built program is in the package');
});
