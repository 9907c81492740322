// The daemon log must not hold memory without bound when whoever reads stdout is slower
// than the records come (a flood of refused lines, a busy journald): beyond the bound,
// records are counted, and one `log-dropped` record says how many once the reader caught up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { batchedWriter } from '../../source/daemon/json-log.js';
import { waitUntil } from '../helpers/wait-until.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('over the backlog bound, records are counted instead of kept; one record then says how many', async () => {
  let backlog = 0;
  let written = '';
  const out = batchedWriter((text) => (written += text), {
    backlog: () => backlog,
    maxBacklog: 1000,
    dropped: (records) => `{"event":"log-dropped","records":${records}}\n`,
  });
  out.write('{"n":1}\n');
  await turn();
  assert.equal(written, '{"n":1}\n', 'under the bound, records go out');

  backlog = 5000; // the reader fell behind
  for (let n = 2; n <= 1001; n++) out.write(`{"n":${n}}\n`);
  await turn();
  out.write('{"n":1002}\n');
  await turn();
  assert.equal(written, '{"n":1}\n', 'nothing more is kept while the reader is behind');

  backlog = 0; // it caught up
  out.write('{"n":1003}\n');
  await turn();
  assert.equal(written, '{"n":1}\n{"event":"log-dropped","records":1001}\n{"n":1003}\n');

  backlog = 5000;
  out.write('{"event":"stopped"}\n');
  out.flush();
  assert.match(written, /\{"event":"stopped"\}\n$/, 'a flush the daemon asks for (at stop) is written whatever the backlog');
});

test('a real pipe nobody reads: the writer\'s backlog stays near the bound instead of growing with the records', { timeout: 60_000 }, async (t) => {
  const module = fileURLToPath(new URL('../../source/daemon/json-log.ts', import.meta.url));
  // 40 MiB of records against an 8 MiB bound, while this process does not read the child's stdout.
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
    const { batchedWriter } = await import(${JSON.stringify(module)});
    const out = batchedWriter((text) => process.stdout.write(text), {
      backlog: () => process.stdout.writableLength, maxBacklog: 8 * 1048576, dropped: (n) => '{"event":"log-dropped","records":' + n + '}\\n' });
    const record = JSON.stringify({ event: 'refused', reason: 'x'.repeat(400) }) + '\\n';
    let peak = 0;
    for (let batch = 0; batch < 100; batch++) {
      for (let i = 0; i < 1000; i++) out.write(record);
      await new Promise((resolve) => setImmediate(resolve));
      peak = Math.max(peak, process.stdout.writableLength);
    }
    process.stderr.write('peak ' + peak + '\\n');
    process.exit(0);
  `], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  child.stdout.pause();
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  await waitUntil(() => /peak \d+/.test(err) || child.exitCode !== null, () => `the child's report; stderr: ${err}`, 50_000);
  const peak = Number(/peak (\d+)/.exec(err)?.[1]);
  // The bound plus one turn's batch (~400 KB), far from the 40 MiB written.
  assert.ok(peak > 0 && peak < 10 * 1048576, `peak stdout backlog ${peak} bytes; stderr: ${err}`);
  child.stdout.resume();
});
