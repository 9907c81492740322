import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { adfToText, textToAdf } from '../../source/core/adf.js';
import { FieldCatalogue, FIELD_TYPES, shapeContextFor, strictNumber, validDate, validDateTime, type ShapeContext } from '../../source/core/fields.js';
import { FIELDS as SIM_FIELDS } from '../../source/simulator/seed.js';
import { jira, CLOUD3, CLOUD2, DC2, DC3, JIRA_FIELDS } from './fields-fixture.js';

const BOTH: Array<[string, ShapeContext]> = [['Cloud', CLOUD2], ['Server/DC', DC2]];

function shape(field: string, value: string, ctx: ShapeContext = DC2, clear = false): unknown {
  const def = jira.resolve(field);
  assert.ok(def.ok, `resolves ${field}`);
  const shaped = jira.shape(def.value, value, ctx, { clear });
  assert.ok(shaped.ok, `shapes ${field}=${value}: ${shaped.ok ? '' : shaped.error}`);
  return shaped.value;
}

function refusal(field: string, value: string, ctx: ShapeContext = DC2): string {
  const def = jira.resolve(field);
  assert.ok(def.ok);
  const shaped = jira.shape(def.value, value, ctx);
  assert.equal(shaped.ok, false, `${field}=${JSON.stringify(value)} should be refused`);
  return shaped.ok ? '' : shaped.error;
}

describe('field catalogue', () => {
  it('resolves ids and names, case-insensitively, an id before a name', () => {
    const byName = jira.resolve('story points');
    assert.ok(byName.ok);
    assert.equal(byName.value.id, 'customfield_10011');
    const byId = jira.resolve('CUSTOMFIELD_10010');
    assert.ok(byId.ok);
    assert.equal(byId.value.name, 'Severity');
    const spaced = jira.resolve('  Issue Type ');
    assert.ok(spaced.ok);
    assert.equal(spaced.value.id, 'issuetype');
  });

  it('refuses a name two fields share, listing their ids', () => {
    const r = jira.resolve('Sprint');
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error, 'field name "Sprint" is ambiguous: customfield_10020, customfield_10021 — use one of these ids');
  });

  it('refuses an unknown field and suggests a close one', () => {
    const r = jira.resolve('Severty');
    assert.equal(r.ok ? '' : r.error, 'unknown field "Severty": did you mean Severity? (Jira\'s field catalogue has no such id or name)');
    const far = jira.resolve('Completely Different');
    assert.equal(far.ok ? '' : far.error, 'unknown field "Completely Different": Jira\'s field catalogue has no such id or name');
    assert.equal(jira.resolve('customfield_99999').ok, false, 'Jira\'s catalogue knows its custom fields');
  });

  it('has a built-in fallback of the system fields that takes custom field ids as they are', () => {
    const builtin = FieldCatalogue.builtin();
    assert.equal(builtin.isBuiltin, true);
    for (const id of ['project', 'issuetype', 'summary', 'description', 'priority', 'labels', 'components', 'fixVersions',
      'versions', 'assignee', 'reporter', 'duedate', 'environment']) {
      assert.ok(builtin.resolve(id).ok, id);
    }
    assert.equal(builtin.typeOf(builtin.get('components')!), 'array<component>');
    const cf = builtin.resolve('customfield_10011');
    assert.ok(cf.ok);
    assert.equal(builtin.typeOf(cf.value), 'any');
    assert.deepEqual(builtin.shape(cf.value, '3', DC2), { ok: true, value: '3' });
    const named = builtin.resolve('Story Points');
    assert.match(named.ok ? '' : named.error, /not a built-in field, and Jira's catalogue has not been fetched yet/);
  });

  it('skips malformed entries of a catalogue', () => {
    const c = FieldCatalogue.fromJira([{ id: 'summary', name: 'Summary', custom: false }, null as never, { name: 'x' } as never, 'y' as never]);
    assert.deepEqual(c.all().map((d) => d.id), ['summary']);
    assert.deepEqual(FieldCatalogue.fromJira(null as never).all(), []);
  });

  it('names the Type of every kind of field', () => {
    const types = Object.fromEntries(jira.all().map((d) => [d.id, jira.typeOf(d)]));
    assert.deepEqual(types, {
      issuekey: 'any', summary: 'string', description: 'text', environment: 'text', project: 'project', issuetype: 'issuetype',
      priority: 'priority', labels: 'labels', components: 'array<component>', fixVersions: 'array<version>',
      versions: 'array<version>', assignee: 'user', reporter: 'user', duedate: 'date', resolution: 'resolution',
      security: 'securitylevel', status: 'status', comment: 'comments-page', timetracking: 'timetracking',
      customfield_10010: 'option', customfield_10011: 'number', customfield_10012: 'array<option>',
      customfield_10013: 'datetime', customfield_10014: 'date', customfield_10015: 'user', customfield_10016: 'text',
      customfield_10017: 'labels', customfield_10018: 'option-with-child', customfield_10019: 'url',
      customfield_10020: 'array<json>', customfield_10021: 'array<json>', customfield_10022: 'array<user>',
      customfield_10023: 'group', customfield_10024: 'version',
    });
    for (const t of ['string', 'text', 'user', 'array<option>', 'json', 'any']) assert.ok(FIELD_TYPES.includes(t));
  });

  it('types the simulator\'s catalogue the same way', () => {
    const sim = FieldCatalogue.fromJira(SIM_FIELDS as never);
    const t = (id: string) => sim.typeOf(sim.get(id)!);
    assert.equal(t('customfield_10016'), 'text');
    assert.equal(t('customfield_10017'), 'labels');
    assert.equal(t('customfield_10018'), 'option-with-child');
    assert.equal(t('customfield_10019'), 'url');
    assert.equal(t('customfield_10012'), 'array<option>');
  });

  it('picks the shaping context from the deployment type', () => {
    assert.deepEqual(shapeContextFor('Cloud', 3), { deployment: 'cloud', apiVersion: 3 });
    assert.deepEqual(shapeContextFor('DataCenter', 2), { deployment: 'server', apiVersion: 2 });
    assert.deepEqual(shapeContextFor('Server', 3), { deployment: 'server', apiVersion: 3 });
    assert.deepEqual(shapeContextFor(undefined, 2), { deployment: 'server', apiVersion: 2 });
  });
});

describe('shaping: every row of the field values table, on Cloud and on Server/DC', () => {
  for (const [where, ctx] of BOTH) {
    it(`project (${where}): a key, or digits as an id`, () => {
      assert.deepEqual(shape('project', 'OPS', ctx), { key: 'OPS' });
      assert.deepEqual(shape('project', '10000', ctx), { id: '10000' });
      assert.equal(refusal('project', '', ctx), 'project: expected a project key or an id, got ""');
    });

    it(`issuetype, priority, resolution, security level, version, component (${where}): a name, or digits as an id`, () => {
      assert.deepEqual(shape('issuetype', 'Bug', ctx), { name: 'Bug' });
      assert.deepEqual(shape('issuetype', '10001', ctx), { id: '10001' });
      assert.deepEqual(shape('priority', 'High', ctx), { name: 'High' });
      assert.deepEqual(shape('priority', '2', ctx), { id: '2' });
      assert.deepEqual(shape('resolution', 'Fixed', ctx), { name: 'Fixed' });
      assert.deepEqual(shape('security', 'Internal', ctx), { name: 'Internal' });
      assert.deepEqual(shape('Target Version', '1.0', ctx), { name: '1.0' });
      assert.deepEqual(shape('Target Version', '10200', ctx), { id: '10200' });
      assert.equal(refusal('priority', '', ctx), 'priority: expected a name or an id, got ""');
      assert.equal(refusal('issuetype', '   ', ctx), 'issuetype: expected a name or an id, got "   "');
    });

    it(`components and versions (${where}) are arrays`, () => {
      assert.deepEqual(shape('components', 'Database, Network', ctx), [{ name: 'Database' }, { name: 'Network' }]);
      assert.deepEqual(shape('fixVersions', '1.0,10300', ctx), [{ name: '1.0' }, { id: '10300' }]);
      assert.deepEqual(shape('versions', '1.0', ctx), [{ name: '1.0' }]);
    });

    it(`string, url (${where}): the text`, () => {
      assert.equal(shape('summary', 'Disk full on db1', ctx), 'Disk full on db1');
      assert.equal(shape('summary', '', ctx), '');
      assert.equal(shape('Runbook URL', 'https://wiki.example.com/rb?id=4', ctx), 'https://wiki.example.com/rb?id=4');
      assert.equal(refusal('Runbook URL', 'wiki page', ctx), 'Runbook URL (customfield_10019): expected a URL such as https://wiki.example.com/runbook, got "wiki page"');
    });

    it(`labels and arrays of strings (${where})`, () => {
      assert.deepEqual(shape('labels', 'a,b,c', ctx), ['a', 'b', 'c']);
      assert.deepEqual(shape('labels', ' a , b,', ctx), ['a', 'b']);
      assert.deepEqual(shape('Tags', 'x', ctx), ['x']);
      assert.equal(refusal('labels', 'disk full,db', ctx), 'labels: a label cannot contain spaces, got "disk full" — separate labels with commas');
      assert.deepEqual(shape('labels', '\u00a0a\t,\u2003b\n', ctx), ['a', 'b'], 'trimmed of any white space');
      assert.equal(refusal('labels', 'a\u00a0b', ctx), 'labels: a label cannot contain spaces, got "a\u00a0b" — separate labels with commas');
    });

    it(`number (${where}): strict`, () => {
      assert.equal(shape('Story Points', '3.5', ctx), 3.5);
      assert.equal(shape('Story Points', '-2', ctx), -2);
      assert.equal(shape('Story Points', ' 1e3 ', ctx), 1000);
      for (const bad of ['3,5', '', 'three', '0x10', 'Infinity', '1.2.3', '3 5', 'NaN']) {
        assert.equal(refusal('Story Points', bad, ctx), `Story Points (customfield_10011): expected a number such as 3.5, got ${JSON.stringify(bad)}`);
      }
    });

    it(`date and datetime (${where}): as typed, validated`, () => {
      assert.equal(shape('duedate', '2026-12-01', ctx), '2026-12-01');
      assert.equal(shape('Start Date', '2028-02-29', ctx), '2028-02-29');
      assert.equal(refusal('duedate', '2026-02-30', ctx), 'duedate: expected a date YYYY-MM-DD such as 2026-12-01, got "2026-02-30"');
      assert.equal(shape('Due Time', '2026-12-01T09:30:00.000+0100', ctx), '2026-12-01T09:30:00.000+0100');
      assert.equal(shape('Due Time', '2026-12-01T09:30Z', ctx), '2026-12-01T09:30Z');
      assert.equal(refusal('Due Time', '2026-12-01 09:30', ctx),
        'Due Time (customfield_10013): expected an ISO 8601 date-time such as 2026-12-01T09:30:00.000+0100, got "2026-12-01 09:30"');
    });

    it(`option, array of options, cascading select (${where})`, () => {
      assert.deepEqual(shape('Severity', 'Sev2', ctx), { value: 'Sev2' });
      assert.deepEqual(shape('Affected Systems', 'web,db', ctx), [{ value: 'web' }, { value: 'db' }]);
      assert.deepEqual(shape('Site', 'EU > Paris', ctx), { value: 'EU', child: { value: 'Paris' } });
      assert.deepEqual(shape('Site', 'US', ctx), { value: 'US' });
      assert.equal(refusal('Site', 'EU >', ctx), 'Site (customfield_10018): expected an option or "parent > child" such as EU > Paris, got "EU >"');
      assert.equal(refusal('Severity', '', ctx), 'Severity (customfield_10010): expected an option such as High, got ""');
    });

    it(`any field (${where}): a value that begins with { or [ and parses as JSON goes as is`, () => {
      assert.deepEqual(shape('priority', '{"id":"3"}', ctx), { id: '3' });
      assert.deepEqual(shape('Story Points', '[1]', ctx), [1]);
      assert.deepEqual(shape('labels', '["a b"]', ctx), ['a b']);
      assert.equal(shape('summary', '[OPS] disk', ctx), '[OPS] disk', 'not JSON: the text');
      assert.equal(shape('summary', ' {"a":1}', ctx), ' {"a":1}', 'only a value that begins with { or [');
    });
  }

  it('user fields: accountId on Cloud, name on Server/DC', () => {
    assert.deepEqual(shape('assignee', '5b10ac8d82e05b22cc7d4ef5', CLOUD3), { accountId: '5b10ac8d82e05b22cc7d4ef5' });
    assert.deepEqual(shape('assignee', 'jsmith', DC2), { name: 'jsmith' });
    assert.deepEqual(shape('reporter', 'ops-bot', DC3), { name: 'ops-bot' });
    assert.deepEqual(shape('On Call', 'abc', CLOUD2), { accountId: 'abc' });
    assert.deepEqual(shape('Responders', 'a,b', CLOUD2), [{ accountId: 'a' }, { accountId: 'b' }]);
    assert.deepEqual(shape('Responders', 'jsmith', DC2), [{ name: 'jsmith' }]);
    assert.equal(refusal('assignee', '', CLOUD2), 'assignee: expected an account id such as 5b10ac8d82e05b22cc7d4ef5, got ""');
    assert.equal(refusal('assignee', '', DC2), 'assignee: expected a username such as jsmith, got ""');
  });

  it('rich text: a string on API 2, Atlassian Document Format on API 3', () => {
    assert.equal(shape('description', 'line 1\nline 2', DC2), 'line 1\nline 2');
    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'line 1' }, { type: 'hardBreak' }, { type: 'text', text: 'line 2' }] }] };
    assert.deepEqual(shape('description', 'line 1\nline 2', DC3), adf);
    assert.deepEqual(shape('environment', 'line 1\nline 2', CLOUD3), adf);
    assert.deepEqual(shape('Runbook Notes', 'line 1\nline 2', CLOUD3), adf);
    assert.equal(shape('summary', 'plain', CLOUD3), 'plain', 'a plain string field stays a string on API 3');
  });

  it('an empty value with `clear` clears: null for one value, [] for a list', () => {
    assert.equal(shape('priority', '', DC2, true), null);
    assert.equal(shape('description', '', CLOUD3, true), null);
    assert.deepEqual(shape('labels', '', DC2, true), []);
    assert.deepEqual(shape('Affected Systems', '', DC2, true), []);
    assert.deepEqual(shape('components', '', DC2, true), []);
  });

  it('a type jiraline has no rule for sends the text; group fields send a name', () => {
    assert.equal(shape('timetracking', '2h', DC2), '2h');
    assert.deepEqual(shape('timetracking', '{"originalEstimate":"2h"}', DC2), { originalEstimate: '2h' });
    assert.deepEqual(shape('Approver Group', 'ops', DC2), { name: 'ops' });
  });

  it('names the list item at fault in an array', () => {
    const def = jira.resolve('components');
    assert.ok(def.ok);
    const r = FieldCatalogue.fromJira(JIRA_FIELDS).shape({ ...def.value, schema: { type: 'array', items: 'number' } }, '1,x', DC2);
    assert.equal(r.ok ? '' : r.error, 'components: expected a number such as 3.5, got "x" (in the list "1,x")');
  });
});

describe('validators', () => {
  it('dates name real calendar days', () => {
    for (const good of ['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01']) assert.ok(validDate(good), good);
    for (const bad of ['2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '26-01-01', '2026-01-01T00:00']) {
      assert.equal(validDate(bad), false, bad);
    }
  });

  it('date-times are ISO 8601 with a real time', () => {
    for (const good of ['2026-01-01T00:00', '2026-01-01T23:59:59', '2026-01-01T10:00:00.123456Z', '2026-01-01T10:00:00+05:30', '2026-01-01T10:00:00-0800']) {
      assert.ok(validDateTime(good), good);
    }
    for (const bad of ['2026-01-01', '2026-01-01T24:00', '2026-01-01T10:60', '2026-01-01T10:00:61', '2026-02-30T10:00', '2026-01-01T10:00+1:00', '2026-01-01T10:00+15:00']) {
      assert.equal(validDateTime(bad), false, bad);
    }
  });

  it('numbers are strict', () => {
    assert.equal(strictNumber('0.5'), 0.5);
    assert.equal(strictNumber('.5'), 0.5);
    assert.equal(strictNumber('+7'), 7);
    for (const bad of ['', ' ', '3,5', '1e', '1e999', '--1', '½']) assert.equal(strictNumber(bad), null, bad);
  });
});

describe('Atlassian Document Format', () => {
  it('text → ADF → text is the identity for any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', 'é', '|') }), (text) => adfToText(textToAdf(text)) === text), { numRuns: 2000 });
    fc.assert(fc.property(fc.string(), (text) => adfToText(textToAdf(text)) === text), { numRuns: 500 });
  });

  it('never makes an empty text node (Jira refuses them)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('x', '\n') }), (text) => !JSON.stringify(textToAdf(text)).includes('"text":""')));
  });

  it('reads the text of a document Jira wrote, and of anything else without throwing', () => {
    const doc = { type: 'doc', version: 1, content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Impact' }] },
      { type: 'bulletList', content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'web' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { text: '@Ops Bot' } }] }] },
      ] },
    ] };
    assert.equal(adfToText(doc), 'Impact\n\n- web\n- @Ops Bot');
    for (const odd of [null, 3, 'plain', [], { type: 5 }, { type: 'doc', content: 'x' }]) assert.equal(typeof adfToText(odd), 'string');
    let deep: Record<string, unknown> = { type: 'text', text: 'x' };
    for (let i = 0; i < 10000; i++) deep = { type: 'paragraph', content: [deep] };
    assert.equal(typeof adfToText({ type: 'doc', content: [deep] }), 'string');
  });
});
