// Shape checks of one field value, per field type, with the messages Jira answers
// (errors[fieldId] of a 400). A passing value comes back normalised the way Jira stores
// it: references become the full object (priority {self,id,name,…}), datetimes Jira's format.
import { adfText, isAdfDoc } from './adf.js';
import { jiraTime, type Catalog } from './catalog.js';
import type { SeedField, SeedOption, SeedProject } from './seed.js';

/** A checked value, or Jira's message for the field. */
export type Checked = { ok: true; value: unknown } | { ok: false; error: string };

/** What a check needs to know: the catalogue, the API version and the issue's project. */
export interface CheckContext { catalog: Catalog; api: 2 | 3; project: SeedProject | null }

const ok = (value: unknown): Checked => ({ ok: true, value });
const bad = (error: string): Checked => ({ ok: false, error });

/** Jira's message when a rich-text value on /rest/api/3 is not a document. */
export const ADF_MESSAGE = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const NOT_OBJECT = 'data was not an object';
const NOT_ARRAY = 'data was not an array';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The id or name/value/key a reference object carries, as a string. */
function refOf(v: Record<string, unknown>, keys: string[]): { by: string; value: string } | null {
  for (const k of keys) {
    const x = v[k];
    if (typeof x === 'string' || typeof x === 'number') return { by: k, value: String(x) };
  }
  return null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Checks a rich-text value (description, environment, textarea, comment body): ADF on API 3, a string on API 2. */
export function checkRichText(v: unknown, api: 2 | 3, maxLength = 32767): Checked {
  if (api === 3 && !isAdfDoc(v)) return bad(ADF_MESSAGE);
  if (api === 2 && typeof v !== 'string') return bad('Operation value must be a string');
  const length = typeof v === 'string' ? v.length : adfText(v).length;
  if (length > maxLength) return bad(`The entered text is too long. It exceeds the allowed limit of ${maxLength.toLocaleString('en-US')} characters.`);
  return ok(v);
}

function checkText(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (v === null) return ok(null);
  if (f.kind === 'richtext') return checkRichText(v, ctx.api, f.maxLength);
  if (typeof v !== 'string') return bad('Operation value must be a string');
  if (f.id === 'summary') {
    if (v.length > 255) return bad('Summary must be less than 255 characters.');
    if (/[\r\n]/.test(v)) return bad('The summary is invalid because it contains newline characters.');
  }
  if (f.kind === 'url' && v !== '') {
    let valid = false;
    try {
      valid = /^(https?|ftp|file|mailto):$/.test(new URL(v).protocol);
    } catch {
      valid = false;
    }
    if (!valid) return bad('Not a valid URL');
  }
  if (f.maxLength !== undefined && v.length > f.maxLength) return bad(`${f.name} must be less than ${f.maxLength} characters.`);
  return ok(f.kind === 'url' && v === '' ? null : v);
}

function checkLabel(v: unknown): Checked {
  if (typeof v !== 'string') return bad('data was not a string');
  if (v === '') return bad('The label must not be empty.');
  if (/\s/.test(v)) return bad(`The label '${v}' contains spaces which is invalid.`);
  if (v.length > 255) return bad(`The label '${v}' exceeds the maximum length for a single label of 255 characters.`);
  return ok(v);
}

function findOption(options: SeedOption[], ref: { by: string; value: string }): SeedOption | undefined {
  return ref.by === 'id' ? options.find((o) => o.id === ref.value) : options.find((o) => o.value === ref.value);
}

function checkOption(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (!isObject(v)) return bad(NOT_OBJECT);
  const ref = refOf(v, ['id', 'value']);
  if (!ref) return bad(`Specify a valid 'id' or 'value' for ${f.name}`);
  const o = findOption(f.options!, ref);
  return o ? ok(ctx.catalog.option(o)) : bad(`Option ${ref.by} '${ref.value}' is not valid`);
}

function checkCascading(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (!isObject(v)) return bad(NOT_OBJECT);
  const ref = refOf(v, ['id', 'value']);
  if (!ref) return bad("Could not find valid 'id' or 'value' in the Parent Option object.");
  const parent = findOption(f.options!, ref);
  if (!parent) return bad(`Option ${ref.by} '${ref.value}' is not valid`);
  if (v.child === undefined || v.child === null) return ok(ctx.catalog.option(parent));
  if (!isObject(v.child)) return bad(NOT_OBJECT);
  const childRef = refOf(v.child, ['id', 'value']);
  if (!childRef) return bad("Could not find valid 'id' or 'value' in the Child Option object.");
  const child = findOption(parent.children!, childRef);
  if (!child) return bad(`Option ${childRef.by} '${childRef.value}' is not valid for parent '${parent.value}'`);
  return ok(ctx.catalog.option(parent, child));
}

function checkUser(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (v === null) return ok(null);
  if (!isObject(v)) return bad(NOT_OBJECT);
  if (ctx.catalog.mode === 'cloud') {
    // Cloud has been in "GDPR strict mode" since 2019: users are named by accountId only.
    if (typeof v.accountId !== 'string') {
      return bad(v.name !== undefined || v.key !== undefined
        ? "'accountId' must be the only user identifying property in GDPR strict mode."
        : `Specify a valid 'accountId' for ${f.name}`);
    }
    const u = ctx.catalog.user(v.accountId);
    return u ? ok(ctx.catalog.userRefJson(u)) : bad(`Specified user '${v.accountId}' does not exist or you do not have required permissions.`);
  }
  if (typeof v.name !== 'string') return bad(`Specify a valid 'name' for ${f.name}`);
  const u = ctx.catalog.user(v.name);
  return u ? ok(ctx.catalog.userRefJson(u)) : bad(`User '${v.name}' does not exist.`);
}

function checkProjectThing(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (!isObject(v)) return bad(NOT_OBJECT);
  const ref = refOf(v, ['id', 'name']);
  const what = f.kind === 'components' ? 'Component' : 'Version';
  if (!ref) return bad(`${what} name or id is required.`);
  const p = ctx.project;
  const list = p ? (f.kind === 'components' ? p.components : p.versions) : [];
  const hit = list.find((x) => (ref.by === 'id' ? x.id === ref.value : x.name === ref.value));
  if (!hit || !p) return bad(`${what} ${ref.by} '${ref.value}' is not valid`);
  return ok(f.kind === 'components' ? ctx.catalog.component(hit) : ctx.catalog.version(hit, p.id));
}

/** Checks one element of an array field (labels, components, versions, multi-select), for add/remove. */
export function checkItem(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  switch (f.kind) {
    case 'labels': return checkLabel(v);
    case 'components': case 'versions': return checkProjectThing(f, v, ctx);
    case 'options': return checkOption(f, v, ctx);
    default: return bad(`Field '${f.id}' does not support this operation.`);
  }
}

/** Whether a field holds an array of values. */
export function isArrayKind(f: SeedField): boolean {
  return f.kind === 'labels' || f.kind === 'components' || f.kind === 'versions' || f.kind === 'options';
}

/** Checks a whole value for a field (what `fields` or an update `set` carries). */
export function checkValue(f: SeedField, v: unknown, ctx: CheckContext): Checked {
  if (isArrayKind(f)) {
    if (v === null) return ok([]);
    if (!Array.isArray(v)) return bad(NOT_ARRAY);
    const out: unknown[] = [];
    for (const item of v) {
      const c = checkItem(f, item, ctx);
      if (!c.ok) return c;
      if (!out.some((x) => sameItem(x, c.value))) out.push(c.value);
    }
    return ok(out);
  }
  switch (f.kind) {
    case 'string': case 'richtext': case 'url': return checkText(f, v, ctx);
    case 'number':
      if (v === null) return ok(null);
      return typeof v === 'number' && Number.isFinite(v) ? ok(v) : bad('Operation value must be a number');
    case 'date':
      if (v === null) return ok(null);
      return typeof v === 'string' && validDate(v) ? ok(v) : bad(`Error parsing date string: ${String(v)}`);
    case 'datetime':
      if (v === null) return ok(null);
      if (typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v))) return ok(jiraTime(Date.parse(v)));
      return bad(`Invalid date format. Please enter the date in the format "yyyy-MM-dd'T'HH:mm:ss.SSSZ". (${String(v)})`);
    case 'user': return checkUser(f, v, ctx);
    case 'option': return v === null ? ok(null) : checkOption(f, v, ctx);
    case 'cascading': return v === null ? ok(null) : checkCascading(f, v, ctx);
    case 'priority': {
      if (v === null) return ok(null);
      if (!isObject(v)) return bad(NOT_OBJECT);
      const ref = refOf(v, ['id', 'name']);
      if (!ref) return bad("Specify a valid 'id' or 'name' for Priority");
      const p = ctx.catalog.priority(ref.by === 'id' ? 'id' : 'name', ref.value);
      return p ? ok(p) : bad('The priority selected is invalid.');
    }
    case 'issuetype': {
      if (!isObject(v)) return bad(NOT_OBJECT);
      const ref = refOf(v, ['id', 'name']);
      const id = ref ? (ref.by === 'id' ? ref.value : ctx.catalog.issueTypeIdByName(ref.value)) : undefined;
      if (!id || !ctx.project || !ctx.project.issueTypeIds.includes(id)) return bad('The issue type selected is invalid.');
      return ok(ctx.catalog.issueType(id));
    }
    case 'project': {
      if (!isObject(v)) return bad(NOT_OBJECT);
      const ref = refOf(v, ['id', 'key']);
      const p = ref ? ctx.catalog.project(ref.value) : undefined;
      if (!p || (ref!.by === 'id' && p.id !== ref!.value) || (ref!.by === 'key' && p.key.toLowerCase() !== ref!.value.toLowerCase())) {
        return bad('Specify a valid project ID or key');
      }
      return ok(ctx.catalog.projectRefJson(p));
    }
    default: return bad(`Field '${f.id}' cannot be set. It is not on the appropriate screen, or unknown.`);
  }
}

/** Whether two stored array elements are the same (labels by text, objects by id). */
export function sameItem(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return isObject(a) && isObject(b) && a.id === b.id;
}
