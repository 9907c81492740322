// The issue's stranded queue, end to end: with Jira down the daemon acknowledges lines only up
// to its ceiling (the rest get a clear ERR before any OK), warns at 80 %, stops cleanly on
// SIGTERM, and after a restart against Jira (the simulator) every acknowledged line becomes
// exactly one ticket and no refused one does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type SimIssue } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { isolatedEnv, startDaemon } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';
import { waitUntil } from '../helpers/wait-until.js';

const labelsOf = (issue: SimIssue) => (issue.fields.labels as string[] | undefined) ?? [];

test('a queue driven past its ceiling with Jira down: clear ERR before OK, then a restart drains everything acknowledged', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ queue: { maxCommands: 20 }, updates: { maxUpdates: 1000, intervalSeconds: 1 } }));
  const env = isolatedEnv(tmp.dir, { JIRALINE_USER: 'ops-bot', JIRALINE_PASSWORD: 'secret' });
  const dataDir = join(tmp.dir, 'data');
  // Jira is down: a port on loopback where the simulator listens later (the same Jira comes
  // back — the queue belongs to that Jira and is never sent to another one).
  const probe = await startSimulator({});
  const jiraUrl = probe.url;
  const port = Number(new URL(jiraUrl).port);
  await probe.close();
  const first = await startDaemon(['--config', config, '--jira-url', jiraUrl, '--data-dir', dataDir, '--listen', '127.0.0.1:0'], env);
  t.after(() => first.kill());
  await first.waitFor((r) => r.event === 'jira' && r.state === 'down');

  const guids = Array.from({ length: 24 }, (_, i) => `full-${i}`);
  const client = await connectClient(first.address);
  await client.write(guids.map((g) => `${g}|CREATE|summary;Disk full ${g}|description;${'x'.repeat(2000)}|`).join('\n') + '\n');
  const replies = (await client.waitFor(guids.length)).slice(0, guids.length);
  client.destroy();
  const acknowledged = guids.filter((g, i) => replies[i] === `OK ${g} queued`);
  assert.deepEqual(acknowledged, guids.slice(0, 20), 'the first 20 are taken');
  for (const [i, g] of guids.slice(20).entries()) {
    assert.match(replies[20 + i], new RegExp(`^ERR ${g} queue full: send it again once the queue drains — 20 commands waiting \\(the ceiling queue\\.maxCommands is 20\\), Jira unreachable since \\S+$`));
  }
  const warning = await first.waitFor((r) => r.event === 'warning' && r.kind === 'queue-filling');
  assert.equal(warning.commands, 16, '80 % of 20, said once');
  assert.equal(first.records.filter((r) => r.kind === 'queue-filling').length, 1);

  first.child.kill('SIGTERM');
  assert.deepEqual(await first.exited, { code: 0, signal: null }, 'a full queue stops cleanly');

  const sim = await startSimulator({ port, auth: { user: 'ops-bot', password: 'secret' } });
  t.after(() => sim.close());
  const second = await startDaemon(['--config', config, '--jira-url', jiraUrl, '--data-dir', dataDir, '--listen', '127.0.0.1:0'], env);
  t.after(() => second.kill());
  await waitUntil(() => sim.issues().length >= acknowledged.length, 'the acknowledged lines in Jira', 60_000).catch((e: Error) => { throw new Error(`${e.message}; issues ${sim.issues().length}; daemon log:\n${second.stdout()}${second.stderr()}`); });
  await second.waitFor((r) => r.event === 'queue-eased');
  const labels = sim.issues().flatMap(labelsOf).filter((l) => l.startsWith('jiraline-')).sort();
  assert.deepEqual(labels, acknowledged.map((g) => `jiraline-${g}`).sort(), 'one ticket per acknowledged line, none for a refused one');
});
