// Proof under fire: the daemon as a child process is SIGKILLed at seeded random moments while
// a feeder sends CREATEs and UPDATEs (each with a comment and a transition) and a Jira that
// refuses a fifth of the writes (503/429), rate-limits like Cloud and answers every write late
// (and, with CHAOS_AFTER_TIMEOUT, performs some writes only after the client gave up). One restart happens on a full disk
// (test/daemon/helpers/disk-full-preload.mjs: the journal's writes fail with ENOSPC until
// the disk "frees up"). The feeder behaves as a careful client: a line answered ERR was not
// stored and is sent again; a line whose answer a kill swallowed is not (its outcome is
// unknown, and sending an UPDATE again would add its comment again).
// Then: every acknowledged line is exactly one ticket with its comment once and its update
// applied, no comment is on any ticket twice, and every log row ends Ok or Failed with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator, type SimIssue } from '../../source/simulator/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isolatedEnv, runCli, startDaemon, type DaemonProcess } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'chaos-pw-7f3a';
/** Seeded: the kill moments and the feed's pace; CHAOS_SEED=n replays another run. */
const seed = Number(process.env.CHAOS_SEED ?? 20261207);
/** GUIDs; each gets a CREATE and an UPDATE (lines = 2 × guids). Sized to end in about a minute here. */
const guids = Number(process.env.CHAOS_GUIDS ?? 400);
const kills = 6;
/**
 * Share of writes Jira performs only after the client's timeout (CHAOS_AFTER_TIMEOUT=0.01).
 * Off in `npm test`: a comment held so is sometimes added twice (see the README's Proof under
 * fire), a known limit that would make this test fail now and then instead of always.
 */
const afterTimeout = Number(process.env.CHAOS_AFTER_TIMEOUT ?? 0);
/** The restart (0-based) that comes up on a full disk. */
const fullAt = 2;
const preload = pathToFileURL(fileURLToPath(new URL('./helpers/disk-full-preload.mjs', import.meta.url))).href;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const guidOf = (issue: SimIssue) => ((issue.fields.labels as string[] | undefined) ?? []).find((l) => l.startsWith('jiraline-'))?.slice(9);
/** mulberry32: a small seeded generator, enough for test moments. */
function seeded(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface FeedLine { guid: string; kind: 'create' | 'update'; text: string; note: string }

test(`chaos: ${kills} SIGKILLs (one restart on a full disk) while ${2 * guids} lines meet refused, rate-limited and late writes`, async (t) => {
  const random = seeded(seed);
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const sim = await startSimulator({
    auth: { user, password },
    faults: {
      failureRate: 0.2, failureStatus: [503, 429], failureWritesOnly: true, lateWriteMs: 100, writeAfterTimeoutRate: afterTimeout,
      rateLimits: { burstPerSecond: 150, issueWritesPerSecond: 10 },
    },
  });
  t.after(() => sim.close());
  const dataDir = join(tmp.dir, 'data');
  const full = join(tmp.dir, 'disk-full');
  const env = isolatedEnv(tmp.dir, { JIRALINE_USER: user, JIRALINE_PASSWORD: password, JIRALINE_TEST_DISK_FULL: full, NODE_OPTIONS: `--import ${preload}` });
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ updates: { maxUpdates: 100000, intervalSeconds: 1 }, jira: { maxRequestsPerSecond: 1000, maxConcurrent: 64, timeoutSeconds: 2 } }));
  const args = ['--config', config, '--jira-url', sim.url, '--data-dir', dataDir, '--listen', '127.0.0.1:0'];
  let daemon: DaemonProcess & { address: string } = await startDaemon(args, env);
  t.after(() => daemon.kill());
  let current: (DaemonProcess & { address: string }) | null = daemon;
  const records: Array<Record<string, unknown>> = [];
  /** Every daemon's stdout and stderr, crashes included. */
  const output: string[] = [];

  // Each GUID's UPDATE follows its CREATE some 20 lines later.
  const feed: FeedLine[] = [];
  const update = (i: number): FeedLine => ({ guid: `ch-${i}`, kind: 'update', note: `update-note ${i}.`, text: `ch-${i}|UPDATE|labels;+u${i}|comment;update-note ${i}.|status;Done|` });
  for (let i = 0; i < guids; i++) {
    feed.push({ guid: `ch-${i}`, kind: 'create', note: `create-note ${i}.`, text: `ch-${i}|CREATE|summary;chaos ${i}|comment;create-note ${i}.|status;In Progress|` });
    if (i >= 20) feed.push(update(i - 20));
  }
  for (let i = Math.max(0, guids - 20); i < guids; i++) feed.push(update(i));

  const acked: FeedLine[] = [];
  const lost: FeedLine[] = [];
  const refused: Array<{ line: FeedLine; reply: string }> = [];
  let storeErrors = 0;
  let next = 0;
  const again: FeedLine[] = [];
  const feeder = (async () => {
    while (next < feed.length || again.length > 0) {
      const target = current;
      if (target === null) {
        await waitUntil(() => current !== null, 'the daemon to be back up', 60_000, 20);
        continue;
      }
      const batch = again.splice(0);
      const take = 1 + Math.floor(random() * 12);
      batch.push(...feed.slice(next, next + take));
      next += Math.min(take, feed.length - next);
      let received: string[] = [];
      let reached = false;
      try {
        const client = await connectClient(target.address);
        reached = true;
        await client.write(batch.map((l) => `${l.text}\n`).join('')).catch(() => undefined);
        client.end();
        await client.closed;
        received = client.received;
      } catch {
        // Refused: the daemon is down. Nothing was read.
      }
      batch.forEach((line, i) => {
        const reply = received[i];
        if (reply === undefined) {
          if (!reached) again.push(line); // the connection was refused: the daemon never read it
          else lost.push(line);
        } else if (reply.startsWith(`OK ${line.guid} `)) acked.push(line);
        else if (/could not store the command/.test(reply)) {
          storeErrors++;
          again.push(line);
        } else refused.push({ line, reply });
      });
      await sleep(100 + random() * 200);
    }
  })();

  for (let k = 0; k < kills; k++) {
    await sleep(800 + random() * 3500);
    current = null;
    daemon.kill();
    await daemon.exited;
    records.push(...daemon.records);
    output.push(daemon.stdout(), daemon.stderr());
    if (k === fullAt) writeFileSync(full, '');
    daemon = await startDaemon(args, env);
    current = daemon;
    if (k === fullAt) {
      const before = storeErrors;
      await waitUntil(() => storeErrors >= before + 3, 'three lines refused with ENOSPC while the disk is full', 30_000, 20);
      unlinkSync(full);
    }
  }
  await feeder;
  assert.ok(!existsSync(full));

  // Settled: every acknowledged line's effect is in Jira.
  const byGuid = () => {
    const map = new Map<string, SimIssue[]>();
    for (const issue of sim.issues()) map.set(guidOf(issue) ?? '?', [...(map.get(guidOf(issue) ?? '?') ?? []), issue]);
    return map;
  };
  const texts = (issue: SimIssue) => issue.comments.map((c) => JSON.stringify(c.body));
  const done = (line: FeedLine) => {
    const issue = byGuid().get(line.guid)?.[0];
    if (!issue || !texts(issue).some((b) => b.includes(line.note))) return false;
    return line.kind === 'create' || issue.status === 'Done';
  };
  await waitUntil(() => acked.every(done), () => `every acknowledged line's effect in Jira; missing: ${acked.filter((l) => !done(l)).slice(0, 5).map((l) => l.guid).join(', ')}`, 120_000, 200);
  // And nothing left Pending in the log (lost lines that were stored finish too).
  let rows: Array<Record<string, unknown>> = [];
  await waitUntil(async () => {
    const listed = await runCli(['log', '--json', '--data-dir', dataDir], env);
    rows = listed.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    return !rows.some((r) => r.status === 'Pending');
  }, 'no log row left Pending', 120_000, 500);
  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.stderr());
  records.push(...daemon.records);
  output.push(daemon.stdout(), daemon.stderr());

  const tickets = byGuid();
  const duplicates = sim.issues().reduce((n, issue) => {
    const seen = new Map<string, number>();
    for (const b of texts(issue)) seen.set(b, (seen.get(b) ?? 0) + 1);
    return n + [...seen.values()].reduce((m, c) => m + c - 1, 0);
  }, 0);
  const adopted = records.filter((r) => r.event === 'adopted').length;
  t.diagnostic(`seed ${seed}: ${feed.length} lines, ${acked.length} acknowledged, ${lost.length} answers lost to a kill, `
    + `${storeErrors} ERR on the full disk (sent again), ${refused.length} refused; ${kills} kills; ${sim.issues().length} tickets; `
    + `${duplicates} duplicate comments; ${adopted} CREATEs adopted by label; ${sim.requestCount()} requests; ${rows.length} log rows (`
    + `${['Ok', 'Failed', 'Pending'].map((st) => `${rows.filter((r) => r.status === st).length} ${st}`).join(', ')})`);
  for (const r of rows.filter((row) => row.status === 'Failed').slice(0, 5)) t.diagnostic(`Failed: ${String(r.guid)} ${String(r.error).slice(0, 200)}`);

  assert.ok(storeErrors >= 3, 'the full disk refused lines with ERR (and they were sent again once it freed up)');
  assert.deepEqual(refused.map((r) => r.reply).filter((r) => !/GUID has no ticket/.test(r)), [], 'no line refused except an UPDATE whose CREATE a kill swallowed');
  assert.deepEqual([...tickets].filter(([, v]) => v.length > 1).map(([g]) => g), [], 'one ticket per GUID');
  for (const line of acked) {
    const issue = tickets.get(line.guid)?.[0];
    assert.ok(issue, `${line.guid}: acknowledged, so it has a ticket`);
    assert.equal(texts(issue).filter((b) => b.includes(line.note)).length, 1, `${line.guid}: "${line.note}" exactly once`);
    if (line.kind === 'update') {
      assert.equal(issue.status, 'Done', `${line.guid}: its UPDATE's transition applied`);
      assert.ok((issue.fields.labels as string[]).includes(`u${line.guid.slice(3)}`), `${line.guid}: its UPDATE's label applied`);
    }
  }
  assert.ok(!output.join('').includes(password), 'the password is in no daemon output, across crashes');
  assert.equal(duplicates, 0, 'no comment twice on any ticket');
  assert.deepEqual(rows.filter((r) => r.status === 'Pending').map((r) => r.guid), [], 'no row left Pending');
  assert.deepEqual(rows.filter((r) => r.status !== 'Ok' && !(r.status === 'Failed' && typeof r.error === 'string' && r.error !== '')), [], 'every row Ok or Failed with its reason');
});
