import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCommand, composeCreate, composeUpdate, foldLabelOps, guidLabel, mergeUpdatePlans, parseAdvancedLine, parseLabelValue, updatePlanBody,
  type AdvancedCommand, type CreatePlan, type UpdatePlan,
} from '../../source/core/advanced.js';
import type { TemplateRow } from '../../source/core/config.js';
import { jira, DC2, CLOUD3 } from './fields-fixture.js';

const TEMPLATE: TemplateRow[] = [
  { field: 'project', value: 'OPS', mode: 'Include' },
  { field: 'issuetype', value: 'Incident', mode: 'Include' },
  { field: 'priority', value: 'Medium', mode: 'Include' },
  { field: 'labels', value: 'ops,alarm', mode: 'Include' },
  { field: 'Severity', value: 'Sev4', mode: 'Exclude' },
];

function command(line: string): AdvancedCommand {
  const r = parseAdvancedLine(line);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.command;
}

function create(line: string, template = TEMPLATE, ctx = DC2): CreatePlan {
  const r = composeCreate(command(line), template, jira, ctx);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function update(line: string, ctx = DC2, fromCreate = false): UpdatePlan {
  const r = composeUpdate(command(line), jira, ctx, { fromCreate });
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

describe('checkCommand', () => {
  it('accepts what can be sent', () => {
    assert.equal(checkCommand(command('g|CREATE|summary;Disk full|Story Points;3|Site;EU > Paris|comment;seen|status;In Progress'), jira, DC2), null);
    assert.equal(checkCommand(command('g|UPDATE|priority;|labels;+a,-b'), jira, DC2), null);
  });

  it('refuses an unknown field, naming it', () => {
    assert.equal(checkCommand(command('g|UPDATE|Sevrity;Sev1'), jira, DC2), 'unknown field "Sevrity": did you mean Severity? (Jira\'s field catalogue has no such id or name)');
    assert.equal(checkCommand(command('g|UPDATE|Sprint;1'), jira, DC2), 'field name "Sprint" is ambiguous: customfield_10020, customfield_10021 — use one of these ids');
  });

  it('refuses a value that cannot be shaped, naming the field and the form', () => {
    assert.equal(checkCommand(command('g|CREATE|Story Points;3,5'), jira, DC2), 'Story Points (customfield_10011): expected a number such as 3.5, got "3,5"');
    assert.equal(checkCommand(command('g|UPDATE|duedate;2026-02-30'), jira, DC2), 'duedate: expected a date YYYY-MM-DD such as 2026-12-01, got "2026-02-30"');
  });

  it('refuses bad special values: empty comment or status, bad label changes', () => {
    assert.equal(checkCommand(command('g|UPDATE|comment;'), jira, DC2), 'comment: expected the comment text, got ""');
    assert.equal(checkCommand(command('g|UPDATE|status; '), jira, DC2), 'status: expected a status name such as Done, got ""');
    assert.equal(checkCommand(command('g|UPDATE|labels;+a,b'), jira, DC2), 'labels: "+a,b" mixes +/- changes and plain labels — write +a,-b to change labels or a,b to set them');
    assert.equal(checkCommand(command('g|UPDATE|labels;+a,-'), jira, DC2), 'labels: "-" names no label — write +label or -label');
    assert.equal(checkCommand(command('g|UPDATE|labels;disk full'), jira, DC2), 'labels: a label cannot contain spaces, got "disk full" — separate labels with commas');
  });

  it('refuses an UPDATE with nothing in it, and a CALL (sent through its endpoint, not composed)', () => {
    assert.equal(checkCommand(command('g|UPDATE|'), jira, DC2), 'UPDATE has no field;value pairs — nothing to change');
    assert.equal(checkCommand(command('g|CALL|endpoint;ack'), jira, DC2), 'CALL goes to a custom endpoint (endpoints in the config), not to the ticket\'s fields');
  });

  it('with no catalogue, checks only what needs none', () => {
    assert.equal(checkCommand(command('g|UPDATE|Anything At All;x|Story Points;3,5'), null, DC2), null);
    assert.equal(checkCommand(command('g|UPDATE|comment;'), null, DC2), 'comment: expected the comment text, got ""');
    assert.equal(checkCommand(command('g|UPDATE|labels;+a,b'), null, DC2) !== null, true);
  });

  it('an empty value on CREATE is fine (it leaves the field out)', () => {
    assert.equal(checkCommand(command('g|CREATE|priority;'), jira, DC2), null);
  });
});

describe('composeCreate', () => {
  it('lays the line over the template\'s Include rows and adds the GUID label', () => {
    const plan = create('alarm-7|CREATE|summary;Disk full|priority;High|Story Points;3|');
    assert.deepEqual(plan, {
      body: { fields: {
        project: { key: 'OPS' }, issuetype: { name: 'Incident' }, priority: { name: 'High' }, labels: ['ops', 'alarm', 'jiraline-alarm-7'],
        summary: 'Disk full', customfield_10011: 3,
      } },
      comments: [], status: null,
    });
  });

  it('returns comment and status to apply after the ticket is made', () => {
    const plan = create('g|CREATE|summary;x|comment;first look\\nby ops|status;In Progress');
    assert.deepEqual(plan.comments, ['first look\nby ops']);
    assert.equal(plan.status, 'In Progress');
    assert.equal('comment' in (plan.body.fields ?? {}), false);
    assert.equal('status' in (plan.body.fields ?? {}), false);
  });

  it('sets or changes the template\'s labels, always keeping the GUID label', () => {
    assert.deepEqual(create('g|CREATE|labels;x,y').body.fields?.labels, ['x', 'y', 'jiraline-g']);
    assert.deepEqual(create('g|CREATE|labels;+x,-ops').body.fields?.labels, ['alarm', 'x', 'jiraline-g']);
    assert.deepEqual(create('g|CREATE|labels;-jiraline-g').body.fields?.labels, ['ops', 'alarm', 'jiraline-g']);
    assert.deepEqual(create('g|CREATE|summary;x', []).body.fields, { summary: 'x', labels: ['jiraline-g'] });
  });

  it('an empty value leaves a template field out; an Exclude row stays out unless the line gives it', () => {
    const fields = create('g|CREATE|priority;|summary;x').body.fields ?? {};
    assert.equal('priority' in fields, false);
    assert.equal('customfield_10010' in fields, false);
    assert.deepEqual(create('g|CREATE|Severity;Sev1').body.fields?.customfield_10010, { value: 'Sev1' });
  });

  it('a line field given by name overrides the template row given by id, in place', () => {
    const plan = create('g|CREATE|Priority;Low', [{ field: 'priority', value: 'High', mode: 'Include' }, { field: 'summary', value: 's', mode: 'Include' }]);
    assert.deepEqual(Object.keys(plan.body.fields ?? {}), ['priority', 'summary', 'labels']);
    assert.deepEqual(plan.body.fields?.priority, { name: 'Low' });
  });

  it('shapes for Cloud and API 3', () => {
    const fields = create('g|CREATE|assignee;5b10ac8d82e05b22cc7d4ef5|description;hello', [], CLOUD3).body.fields ?? {};
    assert.deepEqual(fields.assignee, { accountId: '5b10ac8d82e05b22cc7d4ef5' });
    assert.deepEqual(fields.description, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hello' }] }] });
  });

  it('a template row of a chosen type is shaped by that type', () => {
    const plan = create('g|CREATE|', [{ field: 'customfield_10011', value: '{"x":1}', mode: 'Include', type: 'json' }]);
    assert.deepEqual(plan.body.fields?.customfield_10011, { x: 1 });
  });

  it('refuses what cannot be sent, naming the template row when it is at fault', () => {
    const bad = composeCreate(command('g|CREATE|summary;x'), [{ field: 'priority', value: '', mode: 'Include' }], jira, DC2);
    assert.equal(bad.ok ? '' : bad.error, 'template row "priority": priority: expected a name or an id, got ""');
    const unknown = composeCreate(command('g|CREATE|'), [{ field: 'Nope', value: 'x', mode: 'Include' }], jira, DC2);
    assert.match(unknown.ok ? '' : unknown.error, /^template row "Nope": unknown field "Nope"/);
    const line = composeCreate(command('g|CREATE|Story Points;many'), TEMPLATE, jira, DC2);
    assert.equal(line.ok ? '' : line.error, 'Story Points (customfield_10011): expected a number such as 3.5, got "many"');
    const call = composeCreate(command('g|CALL|endpoint;x'), TEMPLATE, jira, DC2);
    assert.equal(call.ok ? '' : call.error, 'CALL goes to a custom endpoint (endpoints in the config), not to the ticket\'s fields');
  });
});

describe('composeUpdate and the PUT body', () => {
  it('sends only the line\'s fields; an empty value clears', () => {
    const plan = update('g|UPDATE|summary;new|priority;|Affected Systems;|Site;US');
    assert.deepEqual(plan, {
      fields: { summary: 'new', priority: null, customfield_10012: [], customfield_10018: { value: 'US' } },
      labelOps: [], comments: [], status: null, lines: 1,
    });
  });

  it('puts labels in update verbs; comments and status apart (each comment is its own step)', () => {
    const plan = update('g|UPDATE|labels;+a,-b|comment;seen|status;Done');
    assert.deepEqual(plan.labelOps, [{ add: 'a' }, { remove: 'b' }]);
    assert.equal(plan.status, 'Done');
    assert.deepEqual(plan.comments, ['seen']);
    assert.deepEqual(updatePlanBody(plan, 'g'), { update: { labels: [{ add: 'a' }, { remove: 'b' }] } });
  });

  it('is null for a comment-only update (no edit, only the comment steps)', () => {
    assert.equal(updatePlanBody(update('g|UPDATE|comment;one|comment;two'), 'g'), null);
  });

  it('never removes the GUID label: a -jiraline-<GUID> is dropped, a set keeps it', () => {
    assert.deepEqual(update('g|UPDATE|labels;-jiraline-g,-x').labelOps, [{ remove: 'x' }]);
    assert.deepEqual(updatePlanBody(update('g|UPDATE|labels;a,b'), 'g')?.update?.labels, [{ set: ['a', 'b', 'jiraline-g'] }]);
    assert.deepEqual(updatePlanBody(update('g|UPDATE|labels;'), 'g')?.update?.labels, [{ set: ['jiraline-g'] }]);
    const sneaky: UpdatePlan = { fields: {}, labelOps: [{ remove: guidLabel('g') }], comments: [], status: null, lines: 1 };
    assert.equal(updatePlanBody(sneaky, 'g'), null);
    assert.deepEqual(updatePlanBody({ ...sneaky, labelOps: [{ set: [] }, { remove: 'jiraline-g' }] }, 'g')?.update?.labels, [{ set: ['jiraline-g'] }]);
  });

  it('is null when there is nothing to PUT (a status-only update is just the transition)', () => {
    assert.equal(updatePlanBody(update('g|UPDATE|status;Done'), 'g'), null);
  });

  it('from a CREATE for a GUID that has a ticket: no project or issuetype, no clearing, labels only added', () => {
    const plan = update('g|CREATE|project;DEMO|issuetype;Bug|summary;again|priority;|labels;x,y|comment;c', DC2, true);
    assert.deepEqual(plan, { fields: { summary: 'again' }, labelOps: [{ add: 'x' }, { add: 'y' }], comments: ['c'], status: null, lines: 1 });
  });

  it('refuses unknown fields, bad values and CALL', () => {
    const r = composeUpdate(command('g|UPDATE|Nope;1'), jira, DC2);
    assert.equal(r.ok, false);
    const v = composeUpdate(command('g|UPDATE|Due Time;tomorrow'), jira, DC2);
    assert.equal(v.ok ? '' : v.error, 'Due Time (customfield_10013): expected an ISO 8601 date-time such as 2026-12-01T09:30:00.000+0100, got "tomorrow"');
    assert.equal(composeUpdate(command('g|CALL|'), jira, DC2).ok, false);
  });
});

describe('merging waiting updates', () => {
  it('later fields win, every comment kept, label operations in order, the last status wins, lines summed', () => {
    const merged = mergeUpdatePlans([
      update('g|UPDATE|summary;one|priority;High|labels;+a|comment;c1|status;In Progress'),
      update('g|UPDATE|summary;two|labels;-a,+b|comment;c2'),
      update('g|UPDATE|labels;+c|status;Done'),
    ]);
    assert.deepEqual(merged, {
      fields: { summary: 'two', priority: { name: 'High' } },
      labelOps: [{ add: 'a' }, { remove: 'a' }, { add: 'b' }, { add: 'c' }],
      comments: ['c1', 'c2'], status: 'Done', lines: 3,
    });
    assert.deepEqual(updatePlanBody(merged, 'g'), {
      fields: { summary: 'two', priority: { name: 'High' } },
      update: { labels: [{ remove: 'a' }, { add: 'b' }, { add: 'c' }] },
    });
  });

  it('a set in a later line makes the earlier label operations moot', () => {
    const merged = mergeUpdatePlans([update('g|UPDATE|labels;+a,-b'), update('g|UPDATE|labels;x'), update('g|UPDATE|labels;+y,-x')]);
    assert.deepEqual(merged.labelOps, [{ set: ['x'] }, { add: 'y' }, { remove: 'x' }]);
    assert.deepEqual(foldLabelOps(merged.labelOps, 'jiraline-g'), [{ set: ['y', 'jiraline-g'] }]);
  });

  it('merges nothing into an empty plan', () => {
    assert.deepEqual(mergeUpdatePlans([]), { fields: {}, labelOps: [], comments: [], status: null, lines: 0 });
  });
});

describe('label values', () => {
  it('reads sets, changes and JSON lists', () => {
    assert.deepEqual(parseLabelValue('a, b'), { ok: true, value: [{ set: ['a', 'b'] }] });
    assert.deepEqual(parseLabelValue('+a,-b'), { ok: true, value: [{ add: 'a' }, { remove: 'b' }] });
    assert.deepEqual(parseLabelValue('["a","b"]'), { ok: true, value: [{ set: ['a', 'b'] }] });
    assert.deepEqual(parseLabelValue(''), { ok: true, value: [{ set: [] }] });
  });
});
