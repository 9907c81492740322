// The template's placeholders: what counts as one, what is refused when the config is read
// (the key at fault and what is allowed), and how a line fills them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../source/core/config.js';
import { fillPlaceholders, placeholderProblem } from '../../source/core/template-placeholders.js';
import { FieldCatalogue } from '../../source/core/fields.js';
import { FAKE_CUSTOM_FIELDS } from '../helpers/fake-jira.js';
import { BUILTIN_FIELDS } from '../../source/core/builtin-fields.js';

test('an unknown placeholder in the config file is refused, naming the row and what is allowed', () => {
  const template = [{ field: 'project', value: 'OPS' }, { field: 'summary', value: '{host} is down' }];
  assert.throws(() => parseConfig({ template }, 'config file c.json'), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.key, 'template.1.value');
    assert.equal(error.message, 'config file c.json: error in template.1.value: template row "summary": unknown placeholder {host} — use {guid}, {field:NAME}, {now} or {date}');
    return true;
  });
});

test('placeholders: known ones pass, a bad argument is refused, braces that are no placeholder are text', () => {
  assert.equal(placeholderProblem('{guid} on {field:Severity} at {now} ({date})'), null);
  assert.equal(placeholderProblem('{"id": "10000"}'), null, 'a JSON value is not a placeholder');
  assert.equal(placeholderProblem('{ spaced }'), null);
  assert.match(placeholderProblem('{field:}') ?? '', /names no field — write \{field:NAME\}/);
  assert.match(placeholderProblem('{guid:x}') ?? '', /takes no argument — write \{guid\}/);
  assert.match(placeholderProblem('{Field:summary} {GUID} {nOw}') ?? 'none', /none/, 'names are case-insensitive');
  assert.doesNotThrow(() => parseConfig({ template: [{ field: 'summary', value: 'alarm {guid}' }], draft: [{ field: 'summary', value: '{anything} goes in the draft' }] }));
});

test('a line fills them: the field by its id or name (the last pair wins), empty when the line has none', () => {
  const catalogue = FieldCatalogue.fromJira([...BUILTIN_FIELDS, ...FAKE_CUSTOM_FIELDS]);
  const command = { guid: 'g-7', action: 'CREATE' as const, pairs: [{ field: 'Severity', value: 'Sev3' }, { field: 'customfield_10010', value: 'Sev1' }, { field: 'summary', value: 'db' }] };
  const src = { command, acceptedAt: Date.parse('2026-03-01T12:00:00Z'), catalogue };
  assert.equal(fillPlaceholders('{guid}|{field:Severity}|{field:customfield_10010}|{field:SUMMARY}|{field:Story Points}|', src), 'g-7|Sev1|Sev1|db||');
  assert.equal(fillPlaceholders('{now}', src), '2026-03-01T12:00:00.000Z');
  assert.match(fillPlaceholders('{date}', src), /^2026-03-0[12]$/);
  assert.equal(fillPlaceholders('{"id": "{guid}"}', src), '{"id": "g-7"}');
});
