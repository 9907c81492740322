// A seeded 100,000-line fuzz of the socket (the full million: `npm run fuzz`): random and
// mutated lines through four connections to a daemon whose Jira is down. Every line gets one
// reply, no reply carries a control character, and the daemon is still up and answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fuzzDaemon } from '../fuzz/fuzz-daemon.js';
import { fuzzSocket, peakRssMiB } from './helpers/fuzz-feed.js';
import { connectClient } from './helpers/line-client.js';

const lines = Number(process.env.FUZZ_LINES ?? 100_000);

test(`fuzz: ${lines} seeded random and mutated lines on four connections, each answered; the daemon stays up`, async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const run = await fuzzDaemon(tmp.dir, 'down');
  t.after(() => run.stop());
  const result = await fuzzSocket(run.daemon.address, lines, 4, 7, 120_000);
  const rss = await peakRssMiB(run.daemon.pid);
  t.diagnostic(`${result.sent} lines (${Math.round(result.bytes / 1048576)} MiB) in ${result.ms} ms; peak RSS ${rss} MiB; `
    + `replies: ${[...result.refusals].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ×${v}`).join('; ')}`);
  assert.equal(result.sent, lines);
  assert.equal(result.answered, result.expected, 'one reply per line');
  assert.deepEqual(result.unsafe, [], 'no reply carries a control character');
  assert.ok((result.refusals.get('OK') ?? 0) > 0 && result.refusals.size > 5, 'some lines were taken, many refused for many reasons');

  const probe = await connectClient(run.daemon.address);
  t.after(() => probe.destroy());
  await probe.write('PING\n');
  assert.deepEqual(await probe.waitFor(1), ['PONG'], 'the daemon still answers');
  assert.equal(run.daemon.child.exitCode, null);
  assert.ok(!run.daemon.stdout().includes(run.password) && !run.daemon.stderr().includes(run.password), 'the password is not in its output');
});
