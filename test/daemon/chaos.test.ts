// Proof under fire: the daemon as a child process is SIGKILLed at seeded random points of a
// 3,000-line feed of CREATEs and UPDATEs (each with a comment and a transition), sent on
// several connections at once, while the simulated Jira refuses a fifth of the writes
// (503/429), rate-limits like Cloud, answers every write late and makes some writes only
// after the client gave up on them. One restart happens on a full disk
// (test/daemon/helpers/disk-full-preload.mjs: the journal's writes fail with ENOSPC until the
// disk "frees up"). Each connection's feeder behaves as a careful client: a line answered ERR
// was not stored and is sent again; a line whose answer a kill swallowed is not (its outcome
// is unknown, and sending an UPDATE again would add its comment again).
// Then: every acknowledged line is exactly one ticket with its comment once and its update
// applied; a comment is on a ticket twice only where the README's known limit says it may be
// (a copy Jira made after the client gave up), and those are counted; every log row ends Ok or
// Failed with its reason. Nothing here asserts time: the harness waits for conditions with
// generous deadlines, so a loaded machine makes the run slower, not red.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SimIssue } from '../../source/simulator/index.js';
import { daemonSetup, type StartedDaemon } from '../helpers/daemon-setup.js';
import { waitUntil } from '../helpers/wait-until.js';
import { runCli } from './helpers/daemon-process.js';
import { connectClient } from './helpers/line-client.js';

const user = 'ops-bot';
const password = 'chaos-pw-7f3a';
/** Seeded: the kill points and the feed's batches and pauses; CHAOS_SEED=n replays another run. */
const seed = Number(process.env.CHAOS_SEED ?? 20261207);
/** GUIDs; each gets a CREATE and an UPDATE (lines = 2 × guids). */
const guids = Number(process.env.CHAOS_GUIDS ?? 1500);
const kills = Number(process.env.CHAOS_KILLS ?? 6);
/** Connections fed at once; the lines of one GUID always go through the same one, in order. */
const connections = Number(process.env.CHAOS_CONNECTIONS ?? 4);
/**
 * Share of writes Jira makes only once the client gave up (its 2 s timeout), as behind a
 * gateway that answers 504 while Jira goes on. Such a comment may be added twice (the
 * README's known limits): counted, and allowed only there.
 */
const afterTimeout = Number(process.env.CHAOS_AFTER_TIMEOUT ?? 0.01);
/**
 * How long after making a write Jira answers it (ms): a kill in that window leaves a write made
 * and its answer unread, which the restart must look up. 20 ms keeps dozens of writes in the
 * window at any moment of the feed (as many CREATEs adopted by label as at 100 ms); 100 ms
 * made each GUID's chain of eight requests half a second longer and the run almost twice as long.
 */
const lateMs = Number(process.env.CHAOS_LATE_MS ?? 20);
/** The daemon's jira.maxConcurrent. */
const concurrent = Number(process.env.CHAOS_CONCURRENT ?? 128);
/** Cloud's per-issue write limit (writes a second). */
const issueWrites = Number(process.env.CHAOS_ISSUE_WRITES ?? 10);
/** The restart (0-based) that comes up on a full disk. */
const fullAt = 2;
/** Deadlines for what a loaded machine may make slow; a passing run waits far less. */
const LONG_WAIT_MS = 240_000;
const preload = pathToFileURL(fileURLToPath(new URL('./helpers/disk-full-preload.mjs', import.meta.url))).href;

/** The feeder's pauses and the kill's landing inside a batch: chaos moments, not waits for a result. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const labelsOf = (issue: SimIssue) => (issue.fields.labels as string[] | undefined) ?? [];
/** The GUID of a ticket (a repaired duplicate also carries `jiraline-duplicate`: not a GUID). */
const guidOf = (issue: SimIssue) => labelsOf(issue).find((l) => l.startsWith('jiraline-') && l !== 'jiraline-duplicate')?.slice(9);
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

test(`chaos: ${kills} SIGKILLs (one restart on a full disk) while ${2 * guids} lines on ${connections} connections meet refused, rate-limited, late and after-timeout writes`, async (t) => {
  const random = seeded(seed);
  const started = Date.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const setup = await daemonSetup(t, {
    auth: { user, password },
    simulator: {
      faults: {
        failureRate: 0.2, failureStatus: [503, 429], failureWritesOnly: true, lateWriteMs: lateMs, writeAfterTimeoutRate: afterTimeout,
        // Cloud's kinds of limit: per endpoint (burst) and per issue written. The burst is set
        // above the feed's pace so the run takes about a minute, and low enough to be met.
        rateLimits: { burstPerSecond: 400, issueWritesPerSecond: issueWrites },
      },
    },
    // The throttle lifted; the pacer's ceilings high (Jira's limits and 429s set the pace); a
    // short timeout, so a write held until the client gives up costs two seconds, not thirty
    // (one second made a loaded machine's slow answers time out by the hundred); a log that
    // keeps every row, so every row is checked.
    config: {
      updates: { maxUpdates: 100000, intervalSeconds: 1 },
      jira: { maxRequestsPerSecond: 1000, maxConcurrent: concurrent, timeoutSeconds: 2 },
      log: { maxEntries: 100000 },
    },
    env: { NODE_OPTIONS: `--import ${preload}` },
  });
  const { sim, dataDir } = setup;
  const full = join(setup.tmp.dir, 'disk-full');
  const env = { ...setup.env, JIRALINE_TEST_DISK_FULL: full };
  const start = () => setup.start(setup.args, env);
  let daemon: StartedDaemon = await start();
  let current: StartedDaemon | null = daemon;
  phase('started');
  const records: Array<Record<string, unknown>> = [];
  /** Every daemon's stdout and stderr, crashes included. */
  const output: string[] = [];

  // Each GUID's UPDATE follows its CREATE some 20 lines later; a GUID's lines go through one connection.
  const feed: FeedLine[] = [];
  const update = (i: number): FeedLine => ({ guid: `ch-${i}`, kind: 'update', note: `update-note ${i}.`, text: `ch-${i}|UPDATE|labels;+u${i}|comment;update-note ${i}.|status;Done|` });
  for (let i = 0; i < guids; i++) {
    feed.push({ guid: `ch-${i}`, kind: 'create', note: `create-note ${i}.`, text: `ch-${i}|CREATE|summary;chaos ${i}|comment;create-note ${i}.|status;In Progress|` });
    if (i >= 20) feed.push(update(i - 20));
  }
  for (let i = Math.max(0, guids - 20); i < guids; i++) feed.push(update(i));
  const streams: FeedLine[][] = Array.from({ length: connections }, () => []);
  for (const line of feed) streams[Number(line.guid.slice(3)) % connections].push(line);

  const acked: FeedLine[] = [];
  const lost: FeedLine[] = [];
  const refused: Array<{ line: FeedLine; reply: string }> = [];
  let storeErrors = 0;
  /** Lines handed to a connection for the first time: the kills are placed along this count. */
  let handedOut = 0;
  const feedStream = async (stream: FeedLine[]) => {
    let next = 0;
    const again: FeedLine[] = [];
    while (next < stream.length || again.length > 0) {
      const target = current;
      if (target === null) {
        await waitUntil(() => current !== null, 'the daemon to be back up', LONG_WAIT_MS, 20);
        continue;
      }
      const batch = again.splice(0);
      const take = Math.min(1 + Math.floor(random() * 12), stream.length - next);
      batch.push(...stream.slice(next, next + take));
      next += take;
      handedOut += take;
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
      await pause(20 + random() * 100);
    }
  };
  const feeders = Promise.all(streams.map(feedStream));
  const daemonCpu: number[] = [];
  const cpuOf = (d: StartedDaemon) => {
    if (!process.env.CHAOS_TRACE) return;
    const fields = readFileSync(`/proc/${d.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    daemonCpu.push((Number(fields[11]) + Number(fields[12])) / 100);
  };
  // CHAOS_TRACE=FILE: a progress line every 5 s on stderr, and every daemon record in FILE at the end (where the time goes).
  const trace = process.env.CHAOS_TRACE ? setInterval(() => {
    const pacing = [...records, ...(current?.records ?? [])].filter((r) => r.event === 'pacing').at(-1);
    process.stderr.write(`chaos ${((Date.now() - started) / 1000).toFixed(0)} s: ${handedOut} handed out, ${acked.length} acked, `
      + `${sim.issues().length} tickets, ${sim.requestCount()} requests, ${sim.rateLimitedCount()} 429, ${sim.heldWrites()} held; ${String(pacing?.message ?? '')}\n`);
  }, 5000) : null;
  t.after(() => { if (trace) clearInterval(trace); });

  // The kills, at seeded points spread over the feed (one in each of `kills` equal stretches
  // between 5 % and 85 % of it), so every one lands while lines are still coming in, however
  // fast or slow the machine feeds them.
  const killPoints = Array.from({ length: kills }, (_, k) => Math.floor(feed.length * (0.05 + (0.8 / kills) * (k + 0.1 + 0.8 * random()))));
  const killedAt: number[] = [];
  for (let k = 0; k < kills; k++) {
    await waitUntil(() => handedOut >= killPoints[k], `the feed to reach line ${killPoints[k]} for kill ${k + 1}`, LONG_WAIT_MS, 5);
    await pause(random() * 150);
    killedAt.push(handedOut);
    cpuOf(daemon);
    current = null;
    daemon.kill();
    await daemon.exited;
    records.push(...daemon.records);
    output.push(daemon.stdout(), daemon.stderr());
    if (k === fullAt) writeFileSync(full, '');
    daemon = await start();
    current = daemon;
    if (k === fullAt) {
      const before = storeErrors;
      await waitUntil(() => storeErrors >= before + 3, 'three lines refused with ENOSPC while the disk is full', LONG_WAIT_MS, 20);
      unlinkSync(full);
    }
  }
  phase('kills done');
  await feeders;
  phase('feed done');
  assert.ok(!existsSync(full));

  // Settled: every acknowledged line's effect is in Jira.
  const texts = new WeakMap<SimIssue, string[]>();
  const textsOf = (issue: SimIssue) => {
    let known = texts.get(issue);
    if (!known || known.length !== issue.comments.length) texts.set(issue, known = issue.comments.map((c) => JSON.stringify(c.body)));
    return known;
  };
  const byGuid = () => {
    const map = new Map<string, SimIssue[]>();
    for (const issue of sim.issues()) {
      const guid = guidOf(issue) ?? '?';
      map.set(guid, [...(map.get(guid) ?? []), issue]);
    }
    return map;
  };
  const missing = () => {
    const tickets = byGuid();
    return acked.filter((line) => {
      const issue = tickets.get(line.guid)?.[0];
      if (!issue || !textsOf(issue).some((b) => b.includes(line.note))) return true;
      return line.kind === 'update' && issue.status !== 'Done';
    });
  };
  await waitUntil(() => missing().length === 0,
    () => `every acknowledged line's effect in Jira; missing: ${missing().slice(0, 5).map((l) => `${l.guid} ${l.kind}`).join(', ')}`, LONG_WAIT_MS, 200);
  phase('effects in Jira');
  // And nothing left Pending in the log (lost lines that were stored finish too).
  let rows: Array<Record<string, unknown>> = [];
  await waitUntil(async () => {
    const listed = await runCli(['log', '--json', '--data-dir', dataDir], env);
    rows = listed.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    return rows.length > 0 && !rows.some((r) => r.status === 'Pending');
  }, () => `no log row left Pending; ${rows.filter((r) => r.status === 'Pending').length} are`, LONG_WAIT_MS, 1000);
  phase('log settled');
  cpuOf(daemon);
  daemon.child.kill('SIGTERM');
  assert.equal((await daemon.exited).code, 0, daemon.stderr());
  records.push(...daemon.records);
  output.push(daemon.stdout(), daemon.stderr());
  phase('stopped');
  if (process.env.CHAOS_TRACE) {
    writeFileSync(process.env.CHAOS_TRACE, records.map((r) => JSON.stringify(r)).join('\n'));
    const own = process.cpuUsage();
    process.stderr.write(`chaos CPU: this process ${((own.user + own.system) / 1e6).toFixed(1)} s, daemons ${daemonCpu.map((c) => c.toFixed(1)).join(' + ')} s\n`);
    process.stderr.write(`chaos requests: ${JSON.stringify(sim.requestsByEndpoint())}\n`);
  }

  // A comment twice on a ticket is the known limit only when one copy is a write Jira made
  // after the client gave up on it (looked up before Jira made it, so sent again).
  const madeLate = new Set(sim.lateWrites().filter((w) => w.endpoint.endsWith('/comment') && w.id !== null).map((w) => w.id));
  let knownLimit = 0;
  const unexplained: string[] = [];
  for (const issue of sim.issues()) {
    const copies = new Map<string, SimIssue['comments']>();
    for (const comment of issue.comments) {
      const text = JSON.stringify(comment.body);
      copies.set(text, [...(copies.get(text) ?? []), comment]);
    }
    for (const [text, same] of copies) {
      if (same.length < 2) continue;
      if (same.some((c) => madeLate.has(c.id))) knownLimit += same.length - 1;
      else unexplained.push(`${issue.key} ${text} ×${same.length}`);
    }
  }
  const tickets = byGuid();
  const adopted = records.filter((r) => r.event === 'adopted').length;
  t.diagnostic(`seed ${seed}: ${feed.length} lines on ${connections} connections, ${acked.length} acknowledged, ${lost.length} answers lost to a kill, `
    + `${storeErrors} ERR on the full disk (sent again), ${refused.length} refused; ${killedAt.length} kills (at lines ${killedAt.join(', ')}); `
    + `${sim.issues().length} tickets for ${tickets.size} GUIDs; ${unexplained.length} duplicate comments, ${knownLimit} comments twice under the known limit; `
    + `${sim.lateWrites().length} writes made after the client gave up; ${adopted} CREATEs adopted by label; ${sim.requestCount()} requests, `
    + `${sim.rateLimitedCount()} answered 429; ${rows.length} log rows (`
    + `${['Ok', 'Failed', 'Pending'].map((st) => `${rows.filter((r) => r.status === st).length} ${st}`).join(', ')})`);
  t.diagnostic(phases.join(', '));
  for (const r of rows.filter((row) => row.status === 'Failed').slice(0, 5)) t.diagnostic(`Failed: ${String(r.guid)} ${String(r.error).slice(0, 200)}`);

  assert.ok(killedAt.length >= 5 && killedAt.every((n) => n < feed.length), `at least five kills, each while lines were still to come (${killedAt.join(', ')} of ${feed.length})`);
  assert.ok(storeErrors >= 3, 'the full disk refused lines with ERR (and they were sent again once it freed up)');
  assert.deepEqual(refused.map((r) => r.reply).filter((r) => !/GUID has no ticket/.test(r)), [],
    'no line refused except an UPDATE whose CREATE was not stored (its answer lost to a kill, or refused on the full disk)');
  assert.deepEqual([...tickets].filter(([, v]) => v.length > 1).map(([g]) => g), [], 'one ticket per GUID');
  assert.equal(tickets.has('?'), false, 'every ticket carries its GUID');
  for (const line of acked) {
    const issue = tickets.get(line.guid)?.[0];
    assert.ok(issue, `${line.guid}: acknowledged, so it has a ticket`);
    assert.ok(textsOf(issue).some((b) => b.includes(line.note)), `${line.guid}: "${line.note}" is on its ticket`);
    if (line.kind === 'update') {
      assert.equal(issue.status, 'Done', `${line.guid}: its UPDATE's transition applied`);
      assert.ok(labelsOf(issue).includes(`u${line.guid.slice(3)}`), `${line.guid}: its UPDATE's label applied`);
    }
  }
  assert.deepEqual(unexplained, [], 'no comment twice on any ticket, except a copy Jira made after the client gave up');
  assert.ok(!output.join('').includes(password), 'the password is in no daemon output, across crashes');
  assert.deepEqual(rows.filter((r) => r.status === 'Pending').map((r) => r.guid), [], 'no row left Pending');
  // Failed only for a line the socket refused: the full disk, or an UPDATE whose CREATE was lost.
  assert.deepEqual(rows.filter((r) => r.status !== 'Ok' && !(r.status === 'Failed' && /could not be stored|no ticket/.test(String(r.error))))
    .map((r) => `${String(r.guid)} ${String(r.status)} ${String(r.error)}`), [], 'every row Ok, or Failed with the reason its line was refused');
});
