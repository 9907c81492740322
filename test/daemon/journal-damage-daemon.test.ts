// The report, as an operator met it: Jira down, CREATEs acknowledged, kill -9, one
// byte of the journal changed while the daemon was stopped. The start must not drop the
// acknowledged lines silently: what it could read is back in the queue, what it could not
// is named in the JSON log and on stderr, and the damaged journal is kept aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isolatedEnv, startDaemon } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

async function send(address: string, lines: string[]): Promise<string[]> {
  const client = await connectClient(address);
  try {
    await client.write(lines.map((l) => `${l}\n`).join(''));
    return (await client.waitFor(lines.length)).slice(0, lines.length);
  } finally {
    client.destroy();
  }
}

for (const offset of [4, 16]) {
  test(`journal damaged at byte ${offset} after kill -9: every acknowledged line is back or named, the file is kept aside`, async (t) => {
    const tmp = await makeTempDir();
    t.after(() => tmp.cleanup());
    const env = isolatedEnv(tmp.dir, { JIRALINE_USER: 'u', JIRALINE_PASSWORD: 'p' });
    const dataDir = join(tmp.dir, 'data');
    // Port 9 on loopback: nothing listens, so Jira is down and every CREATE waits in the queue.
    const args = ['--jira-url', 'http://127.0.0.1:9', '--data-dir', dataDir, '--listen', '127.0.0.1:0'];
    const first = await startDaemon(args, env);
    t.after(() => first.kill());
    const guids = ['disk-1', 'disk-2', 'disk-3', 'disk-4'];
    const replies = await send(first.address, guids.map((g) => `${g}|CREATE|summary;Disk full on ${g}|`));
    assert.deepEqual(replies, guids.map((g) => `OK ${g} queued`));
    first.kill();
    await first.exited;

    const journal = join(dataDir, 'jiraline.journal');
    const bytes = readFileSync(journal);
    bytes[offset] ^= 0x01;
    writeFileSync(journal, bytes);

    const second = await startDaemon(args, env);
    t.after(() => second.kill());
    const warning = second.records.find((r) => r.event === 'warning' && r.kind === 'journal-damaged');
    assert.ok(warning, `a journal-damaged warning in the JSON log; got ${second.stdout()}`);
    const lostGuids = warning.lostGuids as string[];
    // stderr is another pipe than the JSON log: its line may arrive a moment after the record.
    await waitUntil(() => /warning: the journal .*jiraline\.journal is damaged/.test(second.stderr()), () => `the warning on stderr; got ${second.stderr()}`);
    assert.match(second.stderr(), /warning: the journal .*jiraline\.journal is damaged/);
    const keptAs = String(warning.keptAs);
    assert.ok(existsSync(keptAs), 'the damaged journal is kept aside');
    assert.deepEqual(readFileSync(keptAs), bytes, 'byte for byte');
    const statuses = await send(second.address, guids.map((g) => `STATUS ${g}`));
    for (const [i, guid] of guids.entries()) {
      const known = statuses[i].startsWith(`OK ${guid} Pending`);
      assert.ok(known || lostGuids.includes(guid), `${guid}: still queued (${statuses[i]}) or named as lost (${lostGuids.join(', ')})`);
    }
    assert.ok(statuses.filter((s) => s.includes('Pending')).length >= 3, 'one damaged byte costs one record at most');
  });
}
