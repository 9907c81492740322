// One ticket per GUID against the simulator when Jira makes some creates only after the client's
// 1 s timeout (held until the client gave up, then made later): the daemon's runtime, real
// client, real store and clock. With a settle window the late tickets are found before a resend;
// with the window at 0 second tickets slip through and the check after the derived window
// repairs them (Repair rows), leaving exactly one open ticket per GUID.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../source/daemon/settings.js';
import { startRuntime } from '../../source/daemon/runtime.js';
import { startSimulator, type Simulator } from '../../source/simulator/index.js';
import { waitUntil } from '../helpers/wait-until.js';

const env = { JIRALINE_USER: 'sim-bot', JIRALINE_PASSWORD: 'sim-password' };

async function start(t: TestContext, jira: object) {
  const sim = await startSimulator({ mode: 'datacenter', auth: { user: env.JIRALINE_USER, password: env.JIRALINE_PASSWORD } });
  const dir = await mkdtemp(join(tmpdir(), 'jiraline-settle-sim-'));
  const configPath = join(dir, 'config.json');
  // Updates are not throttled here: the throttle is not under test.
  await writeFile(configPath, JSON.stringify({ jira, updates: { maxUpdates: 1000 } }));
  const settings = resolveSettings({ config: configPath, 'data-dir': join(dir, 'data'), listen: '127.0.0.1:0', 'jira-url': sim.url }, { HOME: dir }, 'daemon');
  const events: Array<{ event: string }> = [];
  const runtime = await startRuntime(settings, { env, keychain: null, onLog: ((r: { event: string }) => events.push(r)) as (r: object) => void });
  // The engine stops before its directory goes (it writes its last snapshot as it stops).
  t.after(async () => {
    await runtime.stop(1000);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { sim, runtime, events };
}

/** Issues carrying the GUID's label, and those of them not marked as a repaired duplicate. */
function ticketsOf(sim: Simulator, guid: string) {
  const all = sim.issues().filter((i) => ((i.fields.labels as string[] | undefined) ?? []).includes(`jiraline-${guid}`));
  return { all, open: all.filter((i) => !(i.fields.labels as string[]).includes('jiraline-duplicate')) };
}

/**
 * Feeds one CREATE in five whose write Jira makes only `delayMs` after the client gave up (the
 * first four, held), then sixteen on time; each GUID also gets an UPDATE. Waits until every row is done.
 */
async function feed(sim: Simulator, engine: { submitLine(l: string): Promise<string>; status(g: string): { status: string } | null }, delayMs: number) {
  const guids = Array.from({ length: 20 }, (_, i) => `G${i}`);
  sim.setFaults({ writeAfterTimeoutRate: 1, writeAfterTimeoutDelayMs: delayMs });
  for (const g of guids.slice(0, 4)) assert.equal(await engine.submitLine(`${g}|CREATE|summary;disk full on ${g}|`), `OK ${g} queued`);
  await waitUntil(() => (sim.requestsByEndpoint()['POST /issue'] ?? 0) >= 4, 'the four late creates are with Jira', 30_000);
  sim.setFaults({});
  for (const g of guids.slice(4)) assert.equal(await engine.submitLine(`${g}|CREATE|summary;disk full on ${g}|`), `OK ${g} queued`);
  for (const g of guids) assert.equal(await engine.submitLine(`${g}|UPDATE|description;checked ${g}|`), `OK ${g} queued`);
  return guids;
}

test('one create in five made by Jira 4 s after the 1 s timeout: the settle window finds each, one ticket per GUID, the update on it', async (t) => {
  const { sim, runtime, events } = await start(t, { timeoutSeconds: 1, settleSeconds: 8, maxRequestsPerSecond: 100 });
  const guids = await feed(sim, runtime.engine, 4000);
  await waitUntil(() => sim.heldWrites() === 0 && guids.every((g) => ticketsOf(sim, g).all[0]?.fields.description === `checked ${g}`),
    'Jira made every held create and every update landed', 60_000);
  for (const g of guids) assert.equal(ticketsOf(sim, g).all.length, 1, `exactly one ticket for ${g}`);
  assert.ok(events.filter((e) => e.event === 'settling').length >= 4, 'the four late ones settled');
  assert.equal(runtime.engine.getSnapshot().exactlyOnce.duplicatesRepaired, 0);
});

test('with the settle window at 0 the late creates make second tickets, and the check after the derived window repairs them', async (t) => {
  // timeout 2 s: the derived window (9 s) is when the check comes; Jira makes the held creates 3 s after the give-up.
  const { sim, runtime, events } = await start(t, { timeoutSeconds: 2, settleSeconds: 0, maxRequestsPerSecond: 100 });
  const guids = await feed(sim, runtime.engine, 3000);
  // Until the check, a GUID may have two open tickets, the update on one of them (the mapped
  // one, made first or not): wait for the update on any, then for the check; the one left open
  // must be the one that took the update. (A loaded CI machine needs the long deadlines.)
  const landed = (g: string) => ticketsOf(sim, g).open.some((i) => i.fields.description === `checked ${g}`);
  const why = (g: string) => JSON.stringify({ g, status: runtime.engine.status(g), tickets: ticketsOf(sim, g).all.map((i) => [i.key, i.fields.labels, i.fields.description, i.status]),
    rows: runtime.engine.queryLog({ guid: g, limit: 10 }).map((r) => [r.action, r.status, r.ticketKey, r.error, r.attempts, r.nextAttemptAt]) });
  const snap = () => { const x = runtime.engine.getSnapshot(); return JSON.stringify({ c: x.connection.state, paused: x.paused, q: x.queueDepth, pacing: x.pacing, once: x.exactlyOnce, now: Date.now() }); };
  await waitUntil(() => guids.every(landed), () => `every update landed (not yet: ${guids.filter((g) => !landed(g)).map(why).join('\n')})\n${snap()}\n${events.filter((e) => !['accepted', 'sent', 'request'].includes(e.event)).map((e) => JSON.stringify(e)).join('\n')}`, 60_000);
  await waitUntil(() => runtime.engine.getSnapshot().exactlyOnce.repairChecks === 0 && guids.every((g) => ticketsOf(sim, g).open.length === 1),
    () => `the duplicate checks are made and every GUID has one open ticket (checks waiting: ${runtime.engine.getSnapshot().exactlyOnce.repairChecks})`, 120_000);
  for (const g of guids) assert.equal(ticketsOf(sim, g).open[0].fields.description, `checked ${g}`, `the ticket kept for ${g} is the one that took the update`);
  const marked = guids.flatMap((g) => ticketsOf(sim, g).all.filter((i) => !ticketsOf(sim, g).open.includes(i)));
  assert.ok(marked.length >= 1, 'second tickets slipped through');
  for (const dup of marked) assert.equal(dup.status, 'Done', `${dup.key} closed`);
  const repairs = runtime.engine.queryLog({ limit: 100 }).filter((r) => r.action === 'Repair');
  assert.equal(repairs.length, marked.length, 'one Repair row per duplicate');
  assert.equal(runtime.engine.getSnapshot().exactlyOnce.duplicatesRepaired, marked.length);
  assert.equal(events.filter((e) => e.event === 'repaired').length, marked.length);
});
