// The engine against a hostile Jira (the simulator's hostile mode, the real client): a 2xx
// to a CREATE that names no usable ticket — cut short, or with a key that is not Jira's —
// is an unknown outcome. The ticket is looked up by its label and adopted; it is never
// recorded Failed and never made twice. Fake time; real HTTP on 127.0.0.1.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';
import { startSimulator, type HostileFault, type Simulator } from '../../source/simulator/index.js';
import { harness, runFor } from './engine-harness.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];

async function simulated(t: TestContext, fault: HostileFault): Promise<{ sim: Simulator; client: JiraClient }> {
  const sim = await startSimulator({ auth: null, faults: { hostile: fault } });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, timeoutMs: 5000, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

for (const fault of [{ mode: 'cut', createsOnly: true }, { mode: 'bad-key', createsOnly: true }] satisfies HostileFault[]) {
  test(`a 201 to a CREATE with ${fault.mode === 'cut' ? 'its body cut short' : 'a key holding newlines'}: looked up by label and adopted, one ticket, never Failed`, async (t) => {
    const { sim, client } = await simulated(t, fault);
    const h = await harness(t, { port: client, catalogue: false, config: { template } });
    assert.equal(await h.engine.submitLine('HOS-1|CREATE|summary;db01 disk full|'), 'OK HOS-1 queued');
    await h.engine.whenIdle();
    assert.equal(sim.issues().length, 1, 'Jira made the ticket');
    assert.equal(h.engine.status('HOS-1')?.status, 'Pending', 'an answer without a usable key proves nothing: not Failed');
    // Jira keeps answering badly: the retry looks the ticket up instead of posting again.
    await runFor(h, 10_000, 1000);
    assert.equal(sim.issues().length, 1, 'no second ticket');
    const status = h.engine.status('HOS-1');
    assert.equal(status?.status, 'Ok');
    assert.equal(status?.ticketKey, sim.issues()[0].key);
    assert.match(status?.ticketKey ?? '', /^OPS-\d+$/);
    const rows = h.store.queryLog({ guid: 'HOS-1' });
    assert.equal(rows.length, 1);
    assert.doesNotMatch(JSON.stringify(rows[0]), /forged/);
  });
}
