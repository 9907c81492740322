// Values Jira allows (createmeta's allowedValues) at the socket: a CREATE carrying a priority,
// option or issue type Jira does not allow for the template's project and issue type is
// refused at once with the allowed values; nothing is refused while the list is unknown or
// old, nor for a line that names another issue type. Against the simulator; fake time.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient } from '../../source/jira/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { ALLOWED_FRESH_MS, checkAllowed, filterAllowed } from '../../source/core/allowed-values.js';
import { harness } from './engine-harness.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];

async function engineOnSimulator(t: TestContext) {
  const sim = await startSimulator({ mode: 'datacenter', auth: null });
  const client = createJiraClient({ baseUrl: sim.url, credentials: null, timeoutMs: 5000, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  const h = await harness(t, { port: client, catalogue: false, config: { template } });
  return { sim, h };
}

test('a CREATE with a priority or option Jira does not allow is refused with the allowed values', async (t) => {
  const { h } = await engineOnSimulator(t);
  const allowed = h.engine.getSnapshot().allowed;
  assert.ok(allowed, 'the allowed values were fetched after the catalogue');
  assert.ok(allowed.fields.priority.some((v) => v.name === 'High'));
  const [urgent] = await h.send('A-1|CREATE|summary;x|priority;Urgent|');
  assert.match(urgent, /^ERR A-1 priority: "Urgent" is not a value Jira allows here \(OPS Incident\)/);
  assert.match(urgent, /Allowed: .*High/);
  const [sev] = await h.send('A-2|CREATE|summary;x|Severity;Sev7|');
  assert.match(sev, /^ERR A-2 Severity \(customfield_10010\): "Sev7" is not a value .* did you mean Sev1\? Allowed: Sev1, Sev2, Sev3, Sev4$/);
  const [type] = await h.send('A-3|CREATE|summary;x|issuetype;Incidnet|');
  assert.match(type, /^ERR A-3 issuetype: "Incidnet" is not a value Jira allows here \(project OPS\) — did you mean Incident\?/);
  // Allowed values (any case, or by id) pass.
  assert.deepEqual(await h.send('A-4|CREATE|summary;x|priority;high|Severity;Sev2|'), ['OK A-4 queued']);
});

test('an old list or another issue type refuses nothing; an unknown list neither', async (t) => {
  const { h } = await engineOnSimulator(t);
  // Another issue type than the template's: its options are not the ones fetched.
  assert.deepEqual(await h.send('B-1|CREATE|summary;x|issuetype;Task|Severity;Sev7|'), ['OK B-1 queued']);
  await h.clock.advance(ALLOWED_FRESH_MS + 1);
  assert.deepEqual(await h.send('B-2|CREATE|summary;x|priority;Urgent|'), ['OK B-2 queued']);
  // Unknown: the checker alone, with no list.
  assert.equal(checkAllowed(null, 'priority', 'priority', 'priority', 'Urgent'), null);
});

test('the pick list filter puts values that start with the text first', () => {
  const values = [{ id: '1', name: 'Highest' }, { id: '2', name: 'Very High' }, { id: '3', name: 'Low' }];
  assert.deepEqual(filterAllowed(values, 'hi').map((v) => v.name), ['Highest', 'Very High']);
  assert.deepEqual(filterAllowed(values, '').length, 3);
});
