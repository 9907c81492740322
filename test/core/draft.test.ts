import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeCreate, parseAdvancedLine } from '../../source/core/advanced.js';
import type { TemplateRow } from '../../source/core/config.js';
import { draftErrors, draftPayload, draftReducer, draftTemplate, initialDraft, type DraftAction, type DraftState } from '../../source/core/draft.js';
import { FieldCatalogue } from '../../source/core/fields.js';
import { jira, DC2, CLOUD3 } from './fields-fixture.js';

const TEMPLATE: TemplateRow[] = [
  { field: 'project', value: 'OPS', mode: 'Include' },
  { field: 'issuetype', value: 'Incident', mode: 'Include' },
  { field: 'Severity', value: 'Sev3', mode: 'Exclude' },
  { field: 'labels', value: 'ops,alarm', mode: 'Include' },
];

const view = (s: DraftState) => s.rows.map((r) => [r.field, r.value, r.type, r.mode]);
const run = (s: DraftState, ...actions: DraftAction[]) => actions.reduce(draftReducer, s);
const draft = (template = TEMPLATE, ctx = DC2) => initialDraft(template, jira, ctx);

describe('draft: rows → Create Query', () => {
  it('writes {"fields": …} with a two-space indent, keys in row order, Exclude rows left out', () => {
    const s = draft();
    assert.deepEqual(view(s), [
      ['project', 'OPS', 'project', 'Include'], ['issuetype', 'Incident', 'issuetype', 'Include'],
      ['customfield_10010', 'Sev3', 'option', 'Exclude'], ['labels', 'ops,alarm', 'labels', 'Include'],
    ]);
    assert.equal(s.text, '{\n  "fields": {\n    "project": {\n      "key": "OPS"\n    },\n    "issuetype": {\n      "name": "Incident"\n    },\n'
      + '    "labels": [\n      "ops",\n      "alarm"\n    ]\n  }\n}');
    assert.deepEqual(draftPayload(s), { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, labels: ['ops', 'alarm'] } });
  });

  it('editing a value, toggling Mode and moving a row update the text at once', () => {
    let s = run(draft(), { type: 'edit-value', index: 0, value: '10000' }, { type: 'toggle-mode', index: 2 });
    assert.deepEqual(JSON.parse(s.text).fields, { project: { id: '10000' }, issuetype: { name: 'Incident' }, customfield_10010: { value: 'Sev3' }, labels: ['ops', 'alarm'] });
    s = run(s, { type: 'move-row', index: 3, to: 0 });
    assert.deepEqual(Object.keys(JSON.parse(s.text).fields), ['labels', 'project', 'issuetype', 'customfield_10010']);
    s = run(s, { type: 'toggle-mode', index: 0 }, { type: 'delete-row', index: 1 });
    assert.deepEqual(Object.keys(JSON.parse(s.text).fields), ['issuetype', 'customfield_10010']);
    assert.deepEqual(view(s)[0], ['labels', 'ops,alarm', 'labels', 'Exclude']);
  });

  it('keeps a shaping error on its row, leaves the row out of the JSON, and lists it', () => {
    const s = run(draft(), { type: 'add-row', field: 'Story Points', value: '3,5' });
    const row = s.rows[4];
    assert.equal(row.field, 'customfield_10011');
    assert.equal(row.error, 'Story Points (customfield_10011): expected a number such as 3.5, got "3,5"');
    assert.equal('customfield_10011' in JSON.parse(s.text).fields, false);
    assert.deepEqual(draftErrors(s), ['row 5 (Story Points): Story Points (customfield_10011): expected a number such as 3.5, got "3,5"']);
    const fixed = run(s, { type: 'edit-value', index: 4, value: '3.5' });
    assert.equal(fixed.rows[4].error, null);
    assert.equal(JSON.parse(fixed.text).fields.customfield_10011, 3.5);
    assert.deepEqual(draftErrors(fixed), []);
  });

  it('adds rows by name, by id, or as a free custom field id; refuses a field already there', () => {
    let s = run(draft([]), { type: 'add-row', field: 'story points', value: '2' }, { type: 'add-row', field: 'customfield_55555', value: 'x' });
    assert.deepEqual(view(s), [['customfield_10011', '2', 'number', 'Include'], ['customfield_55555', 'x', 'any', 'Include']]);
    s = run(s, { type: 'add-row', field: 'customfield_10011' });
    assert.equal(s.notice, 'Story Points is already row 1');
    assert.equal(s.rows.length, 2);
    s = run(s, { type: 'add-row', field: 'summary', value: 'first', at: 0 });
    assert.equal(s.rows[0].field, 'summary');
    assert.equal(s.notice, null);
    const unknown = run(s, { type: 'add-row', field: 'Sevrity', value: 'x' });
    assert.match(unknown.rows[3].error ?? '', /^unknown field "Sevrity"/);
    const edited = run(unknown, { type: 'edit-value', index: 3, value: 'y' });
    assert.match(edited.rows[3].error ?? '', /^unknown field "Sevrity"/, 'a new value does not make the field known');
    assert.equal('Sevrity' in JSON.parse(edited.text).fields, false);
  });

  it('a chosen type changes the shaping; an unknown type is refused; \'\' goes back to the catalogue\'s', () => {
    let s = run(draft([]), { type: 'add-row', field: 'customfield_55555', value: '4' }, { type: 'set-type', index: 0, rowType: 'number' });
    assert.equal(JSON.parse(s.text).fields.customfield_55555, 4);
    assert.deepEqual(draftTemplate(s), [{ field: 'customfield_55555', value: '4', mode: 'Include', type: 'number' }]);
    s = run(s, { type: 'set-type', index: 0, rowType: 'nonsense' });
    assert.equal(s.notice, 'unknown type "nonsense"');
    s = run(s, { type: 'set-type', index: 0, rowType: '' });
    assert.equal(JSON.parse(s.text).fields.customfield_55555, '4');
  });

  it('renaming a field re-resolves it; a clash is refused', () => {
    let s = run(draft(), { type: 'edit-field', index: 1, field: 'Priority' });
    assert.deepEqual(view(s)[1], ['priority', 'Incident', 'priority', 'Include']);
    s = run(s, { type: 'edit-field', index: 1, field: 'project' });
    assert.equal(s.notice, 'Project is already row 1');
  });

  it('an index out of range, or a garbled action, leaves the state as it was', () => {
    const s = draft();
    for (const action of [{ type: 'edit-value', index: 9, value: 'x' }, { type: 'delete-row', index: -1 }, { type: 'toggle-mode', index: 1.5 },
      { type: 'move-row', index: 0, to: Number.NaN }, { type: 'edit-field', index: 99, field: 'x' }]) {
      assert.equal(draftReducer(s, action as DraftAction), s);
    }
    const odd = draftReducer(s, { type: 'explode' } as unknown as DraftAction);
    assert.deepEqual(odd.rows, s.rows);
    assert.equal(odd.notice, 'unknown draft action "explode"');
    assert.doesNotThrow(() => draftReducer(s, { type: 'load-template', template: null } as unknown as DraftAction));
    assert.doesNotThrow(() => draftReducer(s, { type: 'overlay', pairs: [null, { field: 3 }] } as unknown as DraftAction));
  });
});

describe('draft: Create Query → rows', () => {
  it('shows values in the form a user types', () => {
    const s = run(draft([]), { type: 'set-text', text: JSON.stringify({ fields: {
      project: { key: 'OPS' }, issuetype: { id: '10001' }, labels: ['a', 'b'], components: [{ name: 'Database' }, { name: 'Network' }],
      assignee: { name: 'jsmith' }, customfield_10011: 2.5, customfield_10018: { value: 'EU', child: { value: 'Paris' } },
      customfield_10012: [{ value: 'web' }], duedate: '2026-12-01', summary: 'Disk full',
    } }) });
    assert.deepEqual(view(s), [
      ['project', 'OPS', 'project', 'Include'], ['issuetype', '10001', 'issuetype', 'Include'], ['labels', 'a,b', 'labels', 'Include'],
      ['components', 'Database,Network', 'array<component>', 'Include'], ['assignee', 'jsmith', 'user', 'Include'],
      ['customfield_10011', '2.5', 'number', 'Include'], ['customfield_10018', 'EU > Paris', 'option-with-child', 'Include'],
      ['customfield_10012', 'web', 'array<option>', 'Include'], ['duedate', '2026-12-01', 'date', 'Include'], ['summary', 'Disk full', 'string', 'Include'],
    ]);
    assert.equal(s.jsonError, null);
  });

  it('shows what has no typed form as raw JSON of type json, and sends it unchanged', () => {
    const fields = { priority: { name: 'High', id: '2' }, summary: '[1,2]', customfield_10011: 'three', labels: ['a,b'], assignee: { accountId: 'x' } };
    const s = run(draft([]), { type: 'set-text', text: JSON.stringify({ fields }) });
    assert.deepEqual(view(s), [
      ['priority', '{"name":"High","id":"2"}', 'json', 'Include'], ['summary', '"[1,2]"', 'json', 'Include'],
      ['customfield_10011', '"three"', 'json', 'Include'], ['labels', '["a,b"]', 'json', 'Include'], ['assignee', '{"accountId":"x"}', 'json', 'Include'],
    ]);
    assert.deepEqual(draftPayload(s).fields, fields);
  });

  it('shows an ADF description (API 3) as its text', () => {
    const s = run(draft([], CLOUD3), { type: 'add-row', field: 'description', value: 'one\n\ntwo' });
    const again = run(draft([], CLOUD3), { type: 'set-text', text: s.text });
    assert.deepEqual(view(again), [['description', 'one\n\ntwo', 'text', 'Include']]);
  });

  it('keeps Exclude rows and rows in error through a JSON edit, in their places', () => {
    let s = run(draft(), { type: 'add-row', field: 'priority', value: '' }, { type: 'add-row', field: 'summary', value: 's' });
    // rows: project, issuetype, Severity (Exclude), labels, priority (error), summary
    const edited = JSON.parse(s.text);
    delete edited.fields.issuetype;
    edited.fields.summary = 'changed';
    s = run(s, { type: 'set-text', text: JSON.stringify(edited, null, 2) });
    assert.deepEqual(view(s), [
      ['project', 'OPS', 'project', 'Include'], ['customfield_10010', 'Sev3', 'option', 'Exclude'], ['labels', 'ops,alarm', 'labels', 'Include'],
      ['priority', '', 'priority', 'Include'], ['summary', 'changed', 'string', 'Include'],
    ]);
    assert.notEqual(s.rows[3].error, null);
  });

  it('a field the JSON now names replaces its Exclude row', () => {
    const s = run(draft(), { type: 'set-text', text: '{"fields": {"project": {"key": "OPS"}, "customfield_10010": {"value": "Sev1"}}}' });
    assert.deepEqual(view(s), [['project', 'OPS', 'project', 'Include'], ['customfield_10010', 'Sev1', 'option', 'Include']]);
  });

  it('keeps the user\'s spelling of a value the JSON edit did not change', () => {
    let s = run(draft([]), { type: 'add-row', field: 'labels', value: ' a , b ' }, { type: 'add-row', field: 'summary', value: 'x' });
    const edited = JSON.parse(s.text);
    edited.fields.summary = 'y';
    s = run(s, { type: 'set-text', text: JSON.stringify(edited) });
    assert.deepEqual(view(s), [['labels', ' a , b ', 'labels', 'Include'], ['summary', 'y', 'string', 'Include']]);
  });

  it('keeps keys other than fields, in the payload and the rewritten text', () => {
    let s = run(draft(), { type: 'set-text', text: '{"update": {"comment": [{"add": {"body": "hi"}}]}, "fields": {"project": {"key": "OPS"}}}' });
    assert.deepEqual(draftPayload(s), { fields: { project: { key: 'OPS' } }, update: { comment: [{ add: { body: 'hi' } }] } });
    s = run(s, { type: 'edit-value', index: 0, value: 'DEMO' });
    assert.deepEqual(JSON.parse(s.text), { fields: { project: { key: 'DEMO' } }, update: { comment: [{ add: { body: 'hi' } }] } });
  });

  it('invalid JSON: the error (message, line, column) is kept, the rows stay, nothing throws', () => {
    const before = draft();
    const typed = '{\n  "fields": {\n    "project": {"key": "OPS"},\n  }\n}';
    const s = run(before, { type: 'set-text', text: typed });
    assert.equal(s.text, typed);
    assert.deepEqual(s.jsonError, { message: "expected a property name in double quotes, found '}' (a trailing comma?)", line: 4, column: 3 });
    assert.equal(s.rows, before.rows);
    assert.deepEqual(draftPayload(s), draftPayload(before));
    const valid = run(s, { type: 'set-text', text: '{"fields": {}}' });
    assert.equal(valid.jsonError, null);
    assert.deepEqual(view(valid), [['customfield_10010', 'Sev3', 'option', 'Exclude']]);
  });

  it('names each kind of JSON mistake where it is', () => {
    const error = (text: string) => run(draft(), { type: 'set-text', text }).jsonError;
    assert.deepEqual(error(''), { message: 'the text is empty — write {"fields": {…}}', line: 1, column: 1 });
    assert.deepEqual(error('{"fields": {"a": 1 "b": 2}}'), { message: "expected ',' or '}' after a property value, found '\"'", line: 1, column: 20 });
    assert.deepEqual(error("{'fields': {}}"), { message: "expected a property name in double quotes, found '''", line: 1, column: 2 });
    assert.deepEqual(error('{"fields": {"summary": "a\nb"}}'), { message: 'a line break or control character inside a string (started at line 1, column 24) — write \\n', line: 1, column: 26 });
    assert.deepEqual(error('{"fields": {"x": [1, 2}}'), { message: "expected ',' or ']' after an array element, found '}'", line: 1, column: 23 });
    assert.deepEqual(error('{"fields": {"x": tru}}'), { message: "expected a value (a \"string\", a number, true, false, null, {…} or […]), found 't'", line: 1, column: 18 });
    assert.deepEqual(error('{"fields": {}} x'), { message: "unexpected 'x' after the end of the JSON value", line: 1, column: 16 });
    assert.deepEqual(error('{"fields": {"x": "abc'), { message: 'a string is never closed with \'"\'', line: 1, column: 18 });
    assert.deepEqual(error('[1]'), { message: 'the Create Query is a JSON object: {"fields": {…}}', line: 1, column: 1 });
    assert.deepEqual(error('{\n "fields": [1]}'), { message: '"fields" is an object of field id → value: {"fields": {"summary": "…"}}', line: 2, column: 2 });
  });

  it('revert-text drops a broken text for the JSON of the rows', () => {
    const before = draft();
    const s = run(before, { type: 'set-text', text: '{' }, { type: 'revert-text' });
    assert.equal(s.jsonError, null);
    assert.equal(s.text, before.text);
  });

  it('a table edit while the text is broken rewrites the text from the rows', () => {
    const s = run(draft(), { type: 'set-text', text: '{oops' }, { type: 'edit-value', index: 0, value: 'DEMO' });
    assert.equal(s.jsonError, null);
    assert.deepEqual(JSON.parse(s.text).fields.project, { key: 'DEMO' });
  });

  it('a key "__proto__" stays a key', () => {
    const s = run(draft([]), { type: 'set-text', text: '{"fields": {"__proto__": {"x": 1}}}' });
    assert.deepEqual(Object.keys(draftPayload(s).fields ?? {}), ['__proto__']);
    assert.equal(run(s, { type: 'revert-text' }).text, '{\n  "fields": {\n    "__proto__": {\n      "x": 1\n    }\n  }\n}');
  });
});

describe('draft: templates, catalogues, Advanced overlays', () => {
  it('saves the rows as the config template, and loads them back alike', () => {
    const s = run(draft(), { type: 'add-row', field: 'customfield_10011', value: '{"a":1}', rowType: 'json' }, { type: 'add-row', field: 'Site', value: 'EU > Paris' });
    const template = draftTemplate(s);
    assert.deepEqual(template.slice(-2), [
      { field: 'customfield_10011', value: '{"a":1}', mode: 'Include', type: 'json' }, { field: 'customfield_10018', value: 'EU > Paris', mode: 'Include' },
    ]);
    const again = draft(template);
    assert.deepEqual(view(again), view(s));
    assert.equal(again.text, s.text);
  });

  it('load-template replaces rows and other keys', () => {
    const s = run(draft(), { type: 'set-text', text: '{"update": {}, "fields": {}}' }, { type: 'load-template', template: [{ field: 'summary', value: 'x', mode: 'Include' }] });
    assert.deepEqual(draftPayload(s), { fields: { summary: 'x' } });
  });

  it('a template naming a field twice keeps the first row', () => {
    const s = draft([{ field: 'summary', value: 'a', mode: 'Include' }, { field: 'Summary', value: 'b', mode: 'Include' }]);
    assert.deepEqual(view(s), [['summary', 'a', 'string', 'Include']]);
  });

  it('Jira\'s catalogue arriving resolves names and types the built-in one could not', () => {
    const template: TemplateRow[] = [{ field: 'Severity', value: 'Sev1', mode: 'Include' }, { field: 'customfield_10011', value: '3', mode: 'Include' }];
    let s = initialDraft(template, FieldCatalogue.builtin(), DC2);
    assert.match(s.rows[0].error ?? '', /^unknown field "Severity"/);
    assert.deepEqual(draftPayload(s).fields, { customfield_10011: '3' });
    s = run(s, { type: 'set-catalogue', catalogue: jira, ctx: CLOUD3 });
    assert.deepEqual(view(s), [['customfield_10010', 'Sev1', 'option', 'Include'], ['customfield_10011', '3', 'number', 'Include']]);
    assert.deepEqual(draftPayload(s).fields, { customfield_10010: { value: 'Sev1' }, customfield_10011: 3 });
    assert.equal(s.ctx, CLOUD3);
  });

  it('a new catalogue while the text is broken keeps the text being typed', () => {
    const s = run(draft(), { type: 'set-text', text: '{"fie' }, { type: 'set-catalogue', catalogue: jira });
    assert.equal(s.text, '{"fie');
    assert.notEqual(s.jsonError, null);
  });

  it('lays an Advanced line over the template exactly as a CREATE sends it', () => {
    const line = 'alarm-9|CREATE|summary;Disk full|project;DEMO|labels;+disk,-ops|Story Points;5|comment;seen|issuetype;';
    const parsed = parseAdvancedLine(line);
    assert.ok(parsed.ok);
    const s = run(draft(), { type: 'overlay', pairs: parsed.command.pairs, guid: 'alarm-9' });
    const plan = composeCreate(parsed.command, TEMPLATE, jira, DC2);
    assert.ok(plan.ok);
    assert.deepEqual(draftPayload(s), plan.value.body);
    assert.equal(s.notice, 'not laid over the draft: comment (comment and status apply after the ticket is made)');
    assert.deepEqual(view(s).find((r) => r[0] === 'issuetype'), ['issuetype', 'Incident', 'issuetype', 'Exclude']);
  });
});
