// `jiraline log`/`stats` with a data directory that does not exist: a typo in --data-dir
// or JIRALINE_DATA_DIR is reported (exit 2), not shown as an empty log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UsageError, parseCommandArgs } from '../../source/cli-args.js';
import { runLog } from '../../source/daemon/log-command.js';
import { runStats } from '../../source/daemon/stats-command.js';
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
    // an existing directory with no database yet is an empty log, not an error
    const empty = captureIo();
    assert.equal(await runLog(['--data-dir', tmp.dir], empty.io), 0);
  } finally {
    await tmp.cleanup();
  }
});

test('an option value that begins with - gets a message saying how to write it', () => {
  assert.throws(() => parseCommandArgs('log', ['--limit', '-1'], { limit: { type: 'string' } }),
    (e: unknown) => e instanceof UsageError && e.message === "jiraline log: --limit needs a value; one that begins with '-' is written --limit=VALUE (see jiraline --help)");
});
