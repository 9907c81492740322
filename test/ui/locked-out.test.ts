// The app on a data directory another engine holds attaches to it; when it cannot (that
// engine does not answer on a control socket, e.g. an older jiraline), it exits 2 as the
// daemon does when locked out, naming the pid and how to use another directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../source/cli-args.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { ownOrAttached } from '../../source/ui/screen.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('the app locked out by an engine it cannot attach to is a usage error (exit 2) naming the pid and --data-dir', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // A live process that holds the lock and serves no control socket.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  t.after(() => holder.kill('SIGKILL'));
  const dataDir = join(tmp.dir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(join(dataDir, 'jiraline.lock'), `${holder.pid}\n`);
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, '{}');
  const settings = resolveSettings({ demo: true, config, 'data-dir': dataDir, listen: 'off' }, { HOME: tmp.dir }, 'tui');
  await assert.rejects(ownOrAttached(settings, startRuntime), (e: unknown) => e instanceof UsageError
    && e.message.startsWith(`another jiraline engine (pid ${holder.pid}) is using ${dataDir} and the app cannot attach to it (`)
    && e.message.endsWith('stop that engine, or give another --data-dir or JIRALINE_DATA_DIR'));
});
