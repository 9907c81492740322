// An attached app lowers its own priority so the daemon's lines come first on a busy host:
// JIRALINE_APP_NICE sets how much (0: not at all), on every thread of the process, in the
// batch class where `chrt` is installed; a bad value is refused with what to do, and an app
// that starts an engine of its own goes back to its class and priority where it may.
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

/** Whether util-linux's chrt is on the PATH. */
const hasChrt = spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0;

/** Each thread's scheduling policy (0 normal, 3 batch) and niceness, from /proc (fields 41 and 19 of stat), as code for the child. */
const threadsOf = `fs.readdirSync('/proc/self/task').map((tid) => {
      const stat = fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { policy: Number(f[38]), nice: Number(f[16]) };
    })`;

test('an attached app takes nice 10 and the batch class on every thread (never raising its priority), and tries to go back before starting an engine', () => {
  const code = `
    const { getPriority } = await import('node:os');
    const p = await import(${JSON.stringify(module)});
    const fs = await import('node:fs');
    const threads = () => ${threadsOf};
    const start = getPriority();
    const none = p.yieldToEngine(0);
    const after0 = getPriority();
    const batch0 = p.inBatchClass();
    const took = p.yieldToEngine(10);
    const after10 = getPriority();
    const threads10 = threads();
    const batch10 = p.inBatchClass();
    const again = p.yieldToEngine(5);
    const back = p.restorePriority();
    const threadsBack = threads();
    console.log(JSON.stringify({ start, none, after0, batch0, took, after10, threads10, batch10, again, back, threadsBack, end: getPriority(), batchEnd: p.inBatchClass() }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number | boolean | null> & {
    threads10: { policy: number; nice: number }[]; threadsBack: { policy: number; nice: number }[];
  };
  const own = getPriority();
  assert.equal(r.start, own, 'the child starts at the runner\'s priority');
  assert.equal(r.none, null, '0 changes nothing');
  assert.equal(r.after0, own);
  assert.equal(r.after10, Math.max(own, 10), 'lowered to nice 10 (or kept if lower already)');
  assert.equal(r.took, own >= 10 ? null : 10);
  assert.equal(r.again, null, 'a smaller nice never raises the priority back');
  // Every thread, not only the one that asked (V8's threads were started before).
  assert.ok(r.threads10.length > 1, 'a node process has several threads');
  for (const t of r.threads10) {
    assert.deepEqual(t, { policy: hasChrt ? 3 : 0, nice: Math.max(own, 10) }, `every thread at nice 10, in the batch class where chrt is installed: ${JSON.stringify(r.threads10)}`);
  }
  assert.equal(r.batch0, false, '0 keeps the class too');
  assert.equal(r.batch10, hasChrt);
  // Root may go back; another user may not, and is told so (its engine then runs at nice 10).
  assert.equal(r.back, r.end === own && r.batchEnd === false);
  if (r.back) for (const t of r.threadsBack) assert.deepEqual(t, { policy: 0, nice: own }, 'all threads back');
});
