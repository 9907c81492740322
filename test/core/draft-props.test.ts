// Properties of the draft (fast-check): rows → JSON → rows is the identity; JSON → rows →
// JSON is the identity for JSON built from the supported shapes; any text typed as the
// Create Query never throws, and a text that is not a create body leaves the rows alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { textToAdf } from '../../source/core/adf.js';
import type { TemplateRow } from '../../source/core/config.js';
import { draftPayload, draftReducer, initialDraft, type DraftState } from '../../source/core/draft.js';
import { formatQuery } from '../../source/core/draft-json.js';
import type { ShapeContext } from '../../source/core/fields.js';
import { jira } from './fields-fixture.js';

const CONTEXTS: ShapeContext[] = [{ deployment: 'server', apiVersion: 2 }, { deployment: 'cloud', apiVersion: 3 }];

const token = fc.stringMatching(/^[A-Za-z0-9_.]{1,8}$/);
const digits = fc.stringMatching(/^[0-9]{1,6}$/);
const list = (item: fc.Arbitrary<string>) => fc.uniqueArray(item, { maxLength: 4 }).map((a) => a.join(','));
const day = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true });
const plainText = fc.string().filter((s) => s[0] !== '{' && s[0] !== '[');
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n));

/** A typed value in the canonical form the table shows, per field. */
const TYPED: Record<string, fc.Arbitrary<string>> = {
  summary: plainText,
  description: plainText,
  project: fc.oneof(fc.stringMatching(/^[A-Z]{2,5}$/), digits),
  issuetype: token,
  priority: token,
  labels: list(token),
  components: list(token),
  fixVersions: list(token),
  assignee: token,
  duedate: day.map((d) => d.toISOString().slice(0, 10)),
  customfield_10010: token,
  customfield_10011: number,
  customfield_10012: list(token),
  customfield_10013: day.map((d) => d.toISOString()),
  customfield_10016: plainText,
  customfield_10017: list(token),
  customfield_10018: fc.oneof(token, fc.tuple(token, token).map(([a, b]) => `${a} > ${b}`)),
  customfield_10019: fc.tuple(token, token).map(([h, p]) => `https://${h}.example.com/${p}`),
};

const rowsArb = fc.uniqueArray(
  fc.constantFrom(...Object.keys(TYPED)).chain((field) => fc.record({ field: fc.constant(field), value: TYPED[field], include: fc.boolean() })),
  { selector: (r) => r.field, maxLength: 10 },
).map((rows) => rows.map((r): TemplateRow => ({ field: r.field, value: r.value, mode: r.include ? 'Include' : 'Exclude' })));

const view = (s: DraftState) => s.rows.map((r) => ({ field: r.field, value: r.value, type: r.type, mode: r.mode, error: r.error }));

/** A JSON value of a supported shape, per field, for the context. */
function shapedArb(ctx: ShapeContext): Record<string, fc.Arbitrary<unknown>> {
  const named = fc.oneof(token.map((name) => ({ name })), digits.map((id) => ({ id })));
  const user = token.map((u) => (ctx.deployment === 'cloud' ? { accountId: u } : { name: u }));
  const rich = ctx.apiVersion === 3 ? fc.string().map((t) => textToAdf(t)) : fc.string();
  return {
    summary: fc.string(),
    description: rich,
    customfield_10016: rich,
    project: fc.oneof(fc.stringMatching(/^[A-Z]{2,5}$/).map((key) => ({ key })), digits.map((id) => ({ id }))),
    issuetype: named,
    priority: named,
    components: fc.array(named, { maxLength: 3 }),
    labels: fc.array(token, { maxLength: 4 }),
    assignee: user,
    customfield_10022: fc.array(user, { maxLength: 3 }),
    duedate: day.map((d) => d.toISOString().slice(0, 10)),
    customfield_10011: fc.double({ noNaN: true, noDefaultInfinity: true }),
    customfield_10010: token.map((value) => ({ value })),
    customfield_10012: fc.array(token.map((value) => ({ value })), { maxLength: 3 }),
    customfield_10018: fc.oneof(token.map((value) => ({ value })), fc.tuple(token, token).map(([value, child]) => ({ value, child: { value: child } }))),
    // Anything at all: a field with an unusual value, an unknown custom field, an unknown key.
    customfield_10019: fc.jsonValue(),
    customfield_99999: fc.jsonValue(),
    somethingElse: fc.jsonValue(),
  };
}

function fieldsArb(ctx: ShapeContext): fc.Arbitrary<Record<string, unknown>> {
  const shapes = shapedArb(ctx);
  return fc.uniqueArray(fc.constantFrom(...Object.keys(shapes)), { maxLength: 10 })
    .chain((keys) => fc.tuple(...keys.map((k) => shapes[k])).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))));
}

// JSON itself cannot tell -0 from 0; compare what goes over the wire.
const wire = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('draft properties', () => {
  for (const ctx of CONTEXTS) {
    const where = `${ctx.deployment}, API ${ctx.apiVersion}`;

    it(`rows → JSON → rows is the identity (${where})`, () => {
      fc.assert(fc.property(rowsArb, (template) => {
        const s = initialDraft(template, jira, ctx);
        assert.deepEqual(s.rows.filter((r) => r.error !== null), [], 'canonical rows shape');
        // The text put back as it is: the same rows, Exclude rows in their places.
        assert.deepEqual(view(draftReducer(s, { type: 'set-text', text: s.text })), view(s));
        // Into an empty draft: the Include rows, read back from the JSON alone.
        const fresh = draftReducer(initialDraft([], jira, ctx), { type: 'set-text', text: s.text });
        assert.deepEqual(view(fresh), view(s).filter((r) => r.mode === 'Include'));
      }), { numRuns: 300 });
    });

    it(`JSON → rows → JSON is the identity for the supported shapes (${where})`, () => {
      fc.assert(fc.property(fieldsArb(ctx), fc.option(fc.dictionary(fc.constantFrom('update', 'transition', 'properties'), fc.jsonValue()), { nil: undefined }),
        (fields, extra) => {
          const text = formatQuery(wire({ fields, ...extra }) as Record<string, unknown>);
          const s = draftReducer(initialDraft([], jira, ctx), { type: 'set-text', text });
          assert.equal(s.jsonError, null);
          assert.equal(formatQuery(draftPayload(s)), text);
          assert.equal(draftReducer(s, { type: 'revert-text' }).text, text, 'the rows write the same text back');
          assert.deepEqual(s.rows.filter((r) => r.error !== null), []);
        }), { numRuns: 300 });
    });
  }

  it('any string as the Create Query never throws; unless it is a create body the rows stay', () => {
    const start = initialDraft([{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'priority', value: 'High', mode: 'Exclude' }], jira, CONTEXTS[0]);
    const texts = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'u', '1', ' ', '\n', 'fields', 'null', 'e', '-', '.') }),
      fc.json().chain((j) => fc.tuple(fc.nat(j.length), fc.nat(3), fc.string({ maxLength: 3 })).map(([at, cut, add]) => j.slice(0, at) + add + j.slice(at + cut))),
      fc.jsonValue().map((v) => JSON.stringify({ fields: v })),
    );
    fc.assert(fc.property(texts, (text) => {
      const s = draftReducer(start, { type: 'set-text', text });
      assert.equal(s.text, text);
      if (s.jsonError !== null) {
        assert.equal(s.rows, start.rows);
        assert.ok(s.jsonError.line >= 1 && s.jsonError.column >= 1 && s.jsonError.message.length > 0);
        assert.ok(s.jsonError.line <= text.split('\n').length);
      } else {
        assert.doesNotThrow(() => JSON.parse(text));
        const fields = (JSON.parse(text) as { fields?: object }).fields ?? {};
        const named = Object.prototype.hasOwnProperty.call(fields, 'priority');
        assert.deepEqual(s.rows.filter((r) => r.mode === 'Exclude').map((r) => r.field), named ? [] : ['priority'], 'the Exclude row survives');
      }
      assert.equal(s.notice, null);
    }), { numRuns: 3000 });
  });
});
