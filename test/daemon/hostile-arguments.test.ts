// Arguments and files a user gets wrong, and logs of any size: `jiraline log` prints
// 135,000 rows (table and --json) in pages, a huge --limit means every row, a data
// directory that is a file and a config that is a device are refused with what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../source/store/index.js';
import { runLog } from '../../source/daemon/log-command.js';
import { resolveSettings } from '../../source/daemon/settings.js';
import { ConfigError } from '../../source/core/config.js';
import { UsageError } from '../../source/cli-args.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { logRow } from '../store/rows.js';
import { captureIo } from './helpers/capture-io.js';

test('log prints a table of 135,000 rows (and --json too), newest last; a --limit beyond any count means every row', { timeout: 120_000 }, async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const total = 135_000;
  const store = await openStore({ dir: tmp.dir });
  store.transaction(() => {
    for (let i = 0; i < total; i += 1) {
      store.insertLog(logRow({ time: 1_700_000_000_000 + i * 1000, guid: `alarm-${i}`, status: 'Ok', ticketKey: `OPS-${i + 1}`,
        error: i === 7 ? 'key was\nOK forged\u001b[2J' : null }));
    }
  });
  await store.commit();
  await store.close();

  const table = captureIo();
  assert.equal(await runLog(['--data-dir', tmp.dir], table.io), 0);
  const lines = table.out().trimEnd().split('\n');
  assert.equal(lines.length, total + 1);
  assert.match(lines[0], /^Row\s+Type\s+Action/);
  assert.match(lines[1], /\salarm-0\s/);
  assert.match(lines[total], /\salarm-134999\s+Ok\s+1\s+-\s+OPS-135000\s/);
  assert.match(lines[8], /key was OK forged \[2J$/, 'text from Jira stays on its row, without ESC');

  const json = captureIo();
  assert.equal(await runLog(['--json', '--limit', '99999999999999999999', '--data-dir', tmp.dir], json.io), 0);
  const rows = json.out().trimEnd().split('\n');
  assert.equal(rows.length, total);
  assert.equal(JSON.parse(rows[total - 1]).guid, 'alarm-134999');

  const three = captureIo();
  assert.equal(await runLog(['--json', '--limit', '3', '--data-dir', tmp.dir], three.io), 0);
  assert.deepEqual(three.out().trimEnd().split('\n').map((l) => JSON.parse(l).guid), ['alarm-134997', 'alarm-134998', 'alarm-134999']);
});

test('a data directory that is a regular file is named as such, with what to give instead', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const file = join(tmp.dir, 'jiraline.db');
  writeFileSync(file, 'not a directory');
  await assert.rejects(runLog(['--data-dir', file], captureIo().io),
    (e: unknown) => e instanceof UsageError && /^--data-dir: .* is a file, not a directory — give the directory that holds jiraline\.db/.test(e.message));
  assert.throws(() => resolveSettings({ 'data-dir': file, 'jira-url': 'http://127.0.0.1:9' }, { HOME: tmp.dir }, 'daemon'),
    (e: unknown) => e instanceof UsageError && /is a file, not a directory/.test(e.message));
});

test('a config that is an endless device, a directory or far too large is refused at once, naming the file', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const huge = join(tmp.dir, 'huge.json');
  writeFileSync(huge, `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`);
  for (const [path, why] of [['/dev/zero', /not a regular file/], ['/dev/urandom', /not a regular file/], [tmp.dir, /a directory, not a file/], [huge, /larger than 1024 KiB/]] as const) {
    assert.throws(() => resolveSettings({ config: path, 'jira-url': 'http://127.0.0.1:9' }, { HOME: tmp.dir }, 'daemon'),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(`config file ${path}: cannot be read (`) && why.test(e.message) && /give the path of a JSON config file/.test(e.message),
      path);
  }
});
