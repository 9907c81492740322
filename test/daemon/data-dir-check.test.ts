// `jiraline log`/`stats` with a data directory that does not exist: a typo in --data-dir
// or JIRALINE_DATA_DIR is reported (exit 2), not shown as an empty log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UsageError, parseCommandArgs } from '../../source/cli-args.js';
import { runLog } from '../../source/daemon/log-command.js';
import { runStats } from '../../source/daemon/stats-command.js';
import { runStatus } from '../../source/control/status-command.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';

test('log and stats refuse a --data-dir or JIRALINE_DATA_DIR that does not exist, naming it', async () => {
  const tmp = await makeTempDir();
  try {
    const missing = join(tmp.dir, 'typo');
    await assert.rejects(runLog(['--data-dir', missing], captureIo().io), (e: unknown) =>
      e instanceof UsageError && e.message.startsWith(`--data-dir: no directory ${missing}`));
    await assert.rejects(runStats([], captureIo({ JIRALINE_DATA_DIR: missing }).io), (e: unknown) =>
      e instanceof UsageError && e.message.startsWith(`JIRALINE_DATA_DIR: no directory ${missing}`));
    // an existing directory where no engine ran is said so too: which directory, and how to point elsewhere
    await assert.rejects(runLog(['--data-dir', tmp.dir], captureIo().io), (e: unknown) =>
      e instanceof UsageError && e.message.startsWith(`jiraline log: no engine data in ${tmp.dir} (from --data-dir; no jiraline.db`)
      && e.message.includes('--data-dir DIR or JIRALINE_DATA_DIR'));
  } finally {
    await tmp.cleanup();
  }
});

test('an option value that begins with - gets a message saying how to write it', () => {
  assert.throws(() => parseCommandArgs('log', ['--limit', '-1'], { limit: { type: 'string' } }),
    (e: unknown) => e instanceof UsageError && e.message === "jiraline log: --limit needs a value; one that begins with '-' is written --limit=VALUE (see jiraline --help)");
});

test('log, stats and status on a directory where no engine ran say so, name it and how to point elsewhere; --help lists --data-dir', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const home = join(tmp.dir, 'home');
  const defaultDir = join(home, '.local/share/jiraline');
  // the default directory, never made (first run): not an empty table
  await assert.rejects(runStats(['--json'], captureIo({ HOME: home }).io), (e: unknown) =>
    e instanceof UsageError && e.message.startsWith(`jiraline stats: no engine data in ${defaultDir} (the default;`)
    && e.message.includes('--data-dir DIR or JIRALINE_DATA_DIR'));
  await assert.rejects(runLog([], captureIo({ HOME: home }).io), /^UsageError: jiraline log: no engine data in .* \(the default;/);
  await assert.rejects(runStats([], captureIo({ JIRALINE_DATA_DIR: tmp.dir }).io),
    (e: unknown) => e instanceof UsageError && e.message.includes(`no engine data in ${tmp.dir} (from JIRALINE_DATA_DIR;`));
  const status = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runStatus([], status.io), 3);
  assert.match(status.out(), new RegExp(`^no jiraline engine runs on ${tmp.dir} \\(from JIRALINE_DATA_DIR\\), and none has: no engine data there — give the engine's directory with --data-dir DIR or JIRALINE_DATA_DIR`));
  const statusJson = captureIo({ JIRALINE_DATA_DIR: tmp.dir });
  assert.equal(await runStatus(['--json'], statusJson.io), 3);
  assert.deepEqual(JSON.parse(statusJson.out()), { running: false, dataDir: tmp.dir, engineData: false });
  // --follow waits for an engine to come, saying where it looks
  const stop = new AbortController();
  const follow = captureIo();
  const following = runLog(['--follow', '--data-dir', tmp.dir], follow.io, { signal: stop.signal, pollMs: 5 });
  stop.abort();
  assert.equal(await following, 0);
  assert.match(follow.err(), /no engine data in .*; waiting for it\n$/);
  for (const run of [runLog, runStats, runStatus]) {
    const help = captureIo();
    assert.equal(await run(['--help'], help.io), 0);
    assert.match(help.out(), /--data-dir/);
  }
});
