// Values Jira allows (createmeta's allowedValues) at the socket: a CREATE carrying a priority,
// option or issue type Jira does not allow for the template's project and issue type is
// refused at once with the allowed values (what to do first); nothing is refused while the list
// is unknown or old, nor for a line that names another issue type. A `status;NAME` no workflow
// of the project has is refused too (CREATE and UPDATE). Against the simulator; fake time.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient } from '../../source/jira/index.js';
import { startSimulator } from '../../source/simulator/index.js';
import { ALLOWED_FRESH_MS, checkAllowed, filterAllowed } from '../../source/core/allowed-values.js';
import { harness, runFor } from './engine-harness.js';

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
  // What to do comes first (the values), then what was wrong: at 80 columns the fix shows.
  const [urgent] = await h.send('A-1|CREATE|summary;x|priority;Urgent|');
  assert.match(urgent, /^ERR A-1 priority: (did you mean \w+\? Pick|pick) one of Highest, High, Medium, Low, Lowest — "Urgent" is not a value Jira allows here \(OPS Incident\)$/);
  const [sev] = await h.send('A-2|CREATE|summary;x|Severity;Sev7|');
  assert.equal(sev, 'ERR A-2 Severity (customfield_10010): did you mean Sev1? Pick one of Sev1, Sev2, Sev3, Sev4 — "Sev7" is not a value Jira allows here (OPS Incident)');
  const [type] = await h.send('A-3|CREATE|summary;x|issuetype;Incidnet|');
  assert.equal(type, 'ERR A-3 issuetype: did you mean Incident? Pick one of Incident, Task, Bug — "Incidnet" is not a value Jira allows here (project OPS)');
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

test('a new template: a list fetched for another project judges nothing; one for the same target goes on judging', async (t) => {
  const { h } = await engineOnSimulator(t);
  assert.match((await h.send('C-1|CREATE|summary;x|priority;Urgent|'))[0], /^ERR C-1 priority/);
  // The same target in a new template (a config saved again): the list still fits.
  h.engine.setConfig({ ...h.config, template: template.map((row) => ({ ...row })) });
  assert.match((await h.send('C-2|CREATE|summary;x|priority;Urgent|'))[0], /^ERR C-2 priority/);
  h.engine.setConfig({ ...h.config, template: [{ field: 'project', value: 'NOPE', mode: 'Include' }, template[1]] });
  assert.deepEqual(await h.send('C-3|CREATE|summary;x|priority;Urgent|'), ['OK C-3 queued']);
});

test('the pick list filter puts values that start with the text first', () => {
  const values = [{ id: '1', name: 'Highest' }, { id: '2', name: 'Very High' }, { id: '3', name: 'Low' }];
  assert.deepEqual(filterAllowed(values, 'hi').map((v) => v.name), ['Highest', 'Very High']);
  assert.deepEqual(filterAllowed(values, '').length, 3);
});

test('an issue type the project does not offer is refused with its types, whatever the template\'s type', async (t) => {
  const { h } = await engineOnSimulator(t);
  // Another (real) issue type of the project is taken: its other fields are left to Jira.
  assert.deepEqual(await h.send('C-1|CREATE|summary;x|issuetype;Task|'), ['OK C-1 queued']);
  const [story] = await h.send('C-2|CREATE|summary;x|issuetype;Story|');
  assert.match(story, /^ERR C-2 issuetype: (did you mean \w+\? Pick|pick) one of Incident, Task, Bug — "Story" is not a value Jira allows here \(project OPS\)$/);
});

test('status;NAME that is a near miss of the project\'s statuses is refused with them, on CREATE and UPDATE; another name may be a transition\'s and goes on', async (t) => {
  const { h } = await engineOnSimulator(t);
  assert.deepEqual(h.engine.getSnapshot().allowed?.statuses?.map((s) => s.name), ['To Do', 'In Progress', 'Done'], 'the project\'s statuses were fetched');
  const [create] = await h.send('S-1|CREATE|summary;x|status;Doen|');
  assert.equal(create, 'ERR S-1 status: did you mean Done? Pick one of To Do, In Progress, Done — no workflow of project OPS has a status "Doen"');
  // A status the project has passes (any case), even one the new ticket cannot reach at once: Jira judges that.
  assert.deepEqual(await h.send('S-2|CREATE|summary;x|status;in progress|'), ['OK S-2 queued']);
  await runFor(h, 5000);
  assert.match(h.store.getTicket('S-2')?.ticketKey ?? '', /^OPS-/);
  const [update] = await h.send('S-2|UPDATE|status;Dnoe|');
  assert.equal(update, 'ERR S-2 status: did you mean Done? Pick one of To Do, In Progress, Done — no workflow of project OPS has a status "Dnoe"');
  // A name far from every status may be a transition's own name (Jira lists those to admins only).
  assert.deepEqual(await h.send('S-2|UPDATE|status;Start progress|'), ['OK S-2 queued']);
  assert.deepEqual(await h.send('S-2|UPDATE|Status;To Do|'), ['OK S-2 queued']);
  // Another project's line is not judged by this project's statuses.
  assert.deepEqual(await h.send('S-3|CREATE|project;DEMO|summary;x|status;Teleported|'), ['OK S-3 queued']);
});
