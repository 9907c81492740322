// An attached app lowers its own priority so the daemon's lines come first on a busy host:
// JIRALINE_APP_NICE sets how much (0: not at all), a bad value is refused with what to do,
// and an app that starts an engine of its own goes back to its priority where it may.
// The priority calls run in a child process: the test runner's own priority stays as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { attachedNice } from '../../source/ui/attached-priority.js';
import { UsageError } from '../../source/cli-args.js';

const module = fileURLToPath(new URL('../../source/ui/attached-priority.ts', import.meta.url));

test('JIRALINE_APP_NICE: 10 when unset, 0–19 taken, anything else refused with a clear error', () => {
  assert.equal(attachedNice({}), 10);
  assert.equal(attachedNice({ JIRALINE_APP_NICE: '0' }), 0);
  assert.equal(attachedNice({ JIRALINE_APP_NICE: '19' }), 19);
  for (const bad of ['20', '-1', 'low', '5.5']) {
    assert.throws(() => attachedNice({ JIRALINE_APP_NICE: bad }), (error: unknown) => error instanceof UsageError
      && /JIRALINE_APP_NICE must be a whole number from 0 .* to 19; got/.test((error as Error).message), bad);
  }
});

test('an attached app takes nice 10 (never raising its priority), and tries to go back before starting an engine', () => {
  const code = `
    const { getPriority } = await import('node:os');
    const p = await import(${JSON.stringify(module)});
    const start = getPriority();
    const none = p.yieldToEngine(0);
    const after0 = getPriority();
    const took = p.yieldToEngine(10);
    const after10 = getPriority();
    const again = p.yieldToEngine(5);
    const back = p.restorePriority();
    console.log(JSON.stringify({ start, none, after0, took, after10, again, back, end: getPriority() }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number | boolean | null>;
  const own = getPriority();
  assert.equal(r.start, own, 'the child starts at the runner\'s priority');
  assert.equal(r.none, null, '0 changes nothing');
  assert.equal(r.after0, own);
  assert.equal(r.after10, Math.max(own, 10), 'lowered to nice 10 (or kept if lower already)');
  assert.equal(r.took, own >= 10 ? null : 10);
  assert.equal(r.again, null, 'a smaller nice never raises the priority back');
  // Root may go back; another user may not, and is told so (its engine then runs at nice 10).
  assert.equal(r.back, r.end === own);
});
