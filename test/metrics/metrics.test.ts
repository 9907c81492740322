// Monitoring: the engine run with metrics on serves Prometheus text on /metrics (lines,
// commands, tickets, Jira latency by operation, 429s, queue, journal) and /healthz (200
// while Jira answers; 503 with the reason once it stops answering).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createEngineMetrics } from '../../source/metrics/metrics.js';
import { unhealthyReason } from '../../source/metrics/metrics-server.js';
import { connectClient } from '../daemon/helpers/line-client.js';
import { waitUntil } from '../ui/support.js';

function value(text: string, line: RegExp): number {
  const found = text.split('\n').find((l) => line.test(l));
  assert.ok(found, `no line ${line} in:\n${text}`);
  return Number(found.split(' ').pop());
}

test('/metrics and /healthz of an engine on the simulator', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  t.after(() => sim.close());
  const configPath = join(tmp.dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ template: [{ field: 'project', value: 'OPS' }, { field: 'issuetype', value: 'Task' }] }));
  const settings = resolveSettings({ config: configPath, 'data-dir': join(tmp.dir, 'data'), listen: '127.0.0.1:0', 'jira-url': sim.url }, {}, 'daemon');
  const runtime = await startRuntime(settings, { env: {}, keychain: null, metrics: '127.0.0.1:0', control: false });
  t.after(() => runtime.stop());
  assert.match(runtime.metricsAddress ?? '', /^127\.0\.0\.1:\d+$/);
  const base = `http://${runtime.metricsAddress}`;

  // Lines through the socket's intake are counted accepted or refused.
  const c = await connectClient(runtime.listenAddress as string);
  t.after(() => c.destroy());
  await c.write('M1|CREATE|summary;one|\nM2|CREATE|summary;two|\nnot a line\n');
  await c.waitFor(3);
  await waitUntil(() => runtime.engine.status('M1')?.status === 'Ok', 'M1 created');
  await c.write('M1|UPDATE|comment;more|\n');
  await c.waitFor(4);
  await waitUntil(() => runtime.engine.getSnapshot().stats.updated.total === 1 && runtime.engine.getSnapshot().stats.created.total === 2, 'sent');

  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.equal(value(text, /^jiraline_lines_total\{outcome="accepted"\}/), 3);
  assert.equal(value(text, /^jiraline_lines_total\{outcome="refused"\}/), 1);
  assert.equal(value(text, /^jiraline_commands_total\{outcome="ok",action="Create"\}/), 2);
  assert.equal(value(text, /^jiraline_commands_total\{outcome="ok",action="Update"\}/), 1);
  assert.equal(value(text, /^jiraline_tickets_created /), 2);
  assert.equal(value(text, /^jiraline_tickets_updated /), 1);
  assert.equal(value(text, /^jiraline_queue_depth /), 0);
  assert.equal(value(text, /^jiraline_oldest_waiting_seconds /), 0);
  assert.equal(value(text, /^jiraline_throttle_max /), 10);
  assert.equal(value(text, /^jiraline_paused /), 0);
  assert.equal(value(text, /^jiraline_pacing_rate /), 10, 'the default ceiling, Jira not limiting');
  assert.equal(value(text, /^jiraline_pacing_limited_by_jira /), 0);
  assert.equal(value(text, /^jiraline_jira_down /), 0);
  assert.equal(value(text, /^jiraline_queue_fill /), 0);
  assert.equal(value(text, /^jiraline_lines_refused /), 1, 'the statistics count the refused line too');
  assert.ok(value(text, /^jiraline_jira_request_duration_seconds_count\{operation="createIssue",result="answered"\}/) >= 2);
  assert.ok(value(text, /^jiraline_jira_request_duration_seconds_count\{operation="serverInfo",result="answered"\}/) >= 1);
  assert.match(text, /^# TYPE jiraline_jira_request_duration_seconds histogram$/m);
  assert.ok(value(text, /^jiraline_journal_writes\{result="ok"\}/) > 0);
  assert.match(text, /^jiraline_journal_last_write_seconds \d/m);
  // Sync latency is a histogram of every durable write, not only the last one's duration.
  assert.match(text, /^# TYPE jiraline_journal_sync_duration_seconds histogram$/m);
  const syncs = value(text, /^jiraline_journal_sync_duration_seconds_count /);
  assert.ok(syncs >= 2, `several writes observed (${syncs})`);
  assert.equal(value(text, /^jiraline_journal_sync_duration_seconds_bucket\{le="\+Inf"\}/), syncs);

  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok\n');
  assert.equal((await fetch(`${base}/other`)).status, 404);
});

test('/healthz: 503 with the reason once Jira has not answered for a while, and while paused; rate limiting is an answer', async () => {
  const clock = new FakeClock(1_000_000);
  const now = () => clock.now();
  const metrics = createEngineMetrics(now);
  let status = 504;
  const jira = metrics.wrapJira({
    serverInfo: async () => {
      if (status === 200) return { deploymentType: 'Server', version: '9', baseUrl: 'x' };
      throw Object.assign(new Error(`Jira answered ${status}`), { status });
    },
  } as never) as { serverInfo(): Promise<unknown> };
  let paused = false;
  const engine = { getSnapshot: () => ({ paused, connection: { state: 'unknown' } }) } as never;
  const running = () => false;
  assert.equal(unhealthyReason(engine, metrics, running, now), null);
  await assert.rejects(jira.serverInfo());
  assert.equal(unhealthyReason(engine, metrics, running, now), null, 'one failure is not yet unhealthy');
  await clock.advance(61_000);
  assert.match(unhealthyReason(engine, metrics, running, now) ?? '', /Jira has not answered since .*: Jira answered 504/);
  status = 200;
  await jira.serverInfo();
  assert.equal(unhealthyReason(engine, metrics, running, now), null, 'an answer makes it healthy again');
  paused = true;
  assert.match(unhealthyReason(engine, metrics, running, now) ?? '', /credentials .*paused/);
  assert.equal(unhealthyReason(engine, metrics, () => true, now), 'the engine is stopping');
  status = 429;
  await assert.rejects(jira.serverInfo());
  assert.match(await metrics.registry.metrics(), /^jiraline_jira_429_total 1$/m);
  // A minute of 429s and 503s: Jira is answering (pacing us, one busy node), so still healthy.
  for (const refusal of [429, 503, 429]) {
    status = refusal;
    await clock.advance(30_000);
    await assert.rejects(jira.serverInfo());
  }
  assert.equal(unhealthyReason({ getSnapshot: () => ({ paused: false, connection: { state: 'unknown' } }) } as never, metrics, running, now), null);
});
