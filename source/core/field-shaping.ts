// Value shaping: the text a user types (in the Creation table or an Advanced
// line) becomes the JSON Jira expects for the field's type. Everything here is keyed by the
// Type column's string (typeOf), so a row whose type the user chose — a free custom field id,
// or raw `json` — shapes the same way as one whose type came from Jira's catalogue.
// See docs/protocol.md#field-values.
import { textToAdf } from './adf.js';
import { LABELS_CUSTOM, RICH_TEXT_CUSTOM, RICH_TEXT_SYSTEM, URL_CUSTOM } from './builtin-fields.js';
import type { FieldDef } from './ports.js';

/** Who we talk to: Cloud users are accountIds, Server/DC users are names; API 3 wants ADF rich text. */
export type ShapeContext = { deployment: 'cloud' | 'server'; apiVersion: 2 | 3 };

/** A value or the one-line reason it could not be made. */
export type Shaped<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * `clear`: the empty string means "clear the field" (an UPDATE's `field;`), shaped as
 * null for a single value and [] for an array. Without it, '' is shaped like any value.
 */
export interface ShapeOptions {
  clear?: boolean;
}

/** Every Type the shaper knows; `any` sends the text as is, `json` parses the value as JSON. */
export const FIELD_TYPES: readonly string[] = Object.freeze([
  'string', 'text', 'url', 'number', 'date', 'datetime', 'project', 'issuetype', 'priority', 'resolution',
  'securitylevel', 'version', 'component', 'group', 'user', 'issue', 'option', 'option-with-child', 'labels',
  'array<string>', 'array<number>', 'array<option>', 'array<user>', 'array<version>', 'array<component>',
  'array<group>', 'any', 'json',
]);

const KNOWN_ITEMS = new Set(['string', 'number', 'option', 'user', 'version', 'component', 'group']);

/** The Type column of a field, from its Jira schema ("string", "text", "user", "array<option>", …). */
export function fieldType(field: FieldDef): string {
  const s = field.schema;
  if (field.id === 'parent') return 'issue';
  if (s === undefined || typeof s.type !== 'string') return 'any';
  if (s.system === 'labels' || s.custom === LABELS_CUSTOM) return 'labels';
  if (s.type === 'string') {
    if ((s.system !== undefined && RICH_TEXT_SYSTEM.has(s.system)) || s.custom === RICH_TEXT_CUSTOM) return 'text';
    return s.custom === URL_CUSTOM ? 'url' : 'string';
  }
  if (s.type === 'array') return `array<${s.items ?? 'any'}>`;
  if (s.type === 'issuelink') return 'issue';
  return s.type;
}

/** Whether the type holds a list (cleared as []). */
export function isArrayType(type: string): boolean {
  return type === 'labels' || type.startsWith('array<');
}

/** What an empty value on UPDATE sends: [] for a list, null otherwise. */
export function clearedValue(type: string): null | [] {
  return isArrayType(type) ? [] : null;
}

/** Shapes a typed value for a field of this Type; `label` names the field in the error. */
export function shapeByType(type: string, label: string, value: string, ctx: ShapeContext, options?: ShapeOptions): Shaped<unknown> {
  if (value === '' && options?.clear === true) return ok(clearedValue(type));
  if (type === 'json') {
    const parsed = parseJson(value);
    return parsed.ok ? parsed : fail(label, 'JSON such as {"value": "High"}', value);
  }
  // Any field takes a JSON object or array as is.
  const first = value.charCodeAt(0);
  if (first === 123 /* { */ || first === 91 /* [ */) {
    const parsed = parseJson(value);
    if (parsed.ok) return parsed;
  }
  if (type === 'labels' || type.startsWith('array<')) return shapeList(type, label, value, ctx);
  return shapeOne(type, label, value, ctx);
}

/** Only whether a value can be shaped: null, or the reason. Skips building what cannot fail (rich text). */
export function checkByType(type: string, label: string, value: string, ctx: ShapeContext, options?: ShapeOptions): string | null {
  if (type === 'string' || type === 'text' || type === 'any') return null;
  const shaped = shapeByType(type, label, value, ctx, options);
  return shaped.ok ? null : shaped.error;
}

function shapeOne(type: string, label: string, value: string, ctx: ShapeContext): Shaped<unknown> {
  switch (type) {
    case 'string':
    case 'any':
      return ok(value);
    case 'text':
      return ok(ctx.apiVersion === 3 ? textToAdf(value) : value);
    default:
      break;
  }
  const v = value.trim();
  switch (type) {
    case 'url':
      return URL_RE.test(v) ? ok(v) : fail(label, 'a URL such as https://wiki.example.com/runbook', value);
    case 'number': {
      const n = strictNumber(v);
      return n === null ? fail(label, 'a number such as 3.5', value) : ok(n);
    }
    case 'date':
      return validDate(v) ? ok(v) : fail(label, 'a date YYYY-MM-DD such as 2026-12-01', value);
    case 'datetime':
      return validDateTime(v) ? ok(v) : fail(label, 'an ISO 8601 date-time such as 2026-12-01T09:30:00.000+0100', value);
    case 'project':
      if (v === '') return fail(label, 'a project key or an id', value);
      return ok(DIGITS.test(v) ? { id: v } : { key: v });
    case 'issue':
      if (v === '') return fail(label, 'an issue key such as OPS-12 or an id', value);
      return ok(DIGITS.test(v) ? { id: v } : { key: v });
    case 'issuetype':
    case 'priority':
    case 'resolution':
    case 'securitylevel':
    case 'version':
    case 'component':
      if (v === '') return fail(label, 'a name or an id', value);
      return ok(DIGITS.test(v) ? { id: v } : { name: v });
    case 'group':
      return v === '' ? fail(label, 'a group name', value) : ok({ name: v });
    case 'user':
      if (v === '') return fail(label, ctx.deployment === 'cloud' ? 'an account id such as 5b10ac8d82e05b22cc7d4ef5' : 'a username such as jsmith', value);
      return ok(ctx.deployment === 'cloud' ? { accountId: v } : { name: v });
    case 'option':
      return v === '' ? fail(label, 'an option such as High', value) : ok({ value: v });
    case 'option-with-child':
      return shapeCascade(label, value);
    default:
      // A type jiraline has no rule for (status, timetracking, a plugin's own …): the text as is.
      return ok(value);
  }
}

function shapeCascade(label: string, value: string): Shaped<unknown> {
  const at = value.indexOf('>');
  const parent = (at < 0 ? value : value.slice(0, at)).trim();
  const child = at < 0 ? null : value.slice(at + 1).trim();
  if (parent === '' || child === '') return fail(label, 'an option or "parent > child" such as EU > Paris', value);
  return ok(child === null ? { value: parent } : { value: parent, child: { value: child } });
}

function shapeList(type: string, label: string, value: string, ctx: ShapeContext): Shaped<unknown> {
  const items = splitList(value);
  if (type === 'labels' || type === 'array<string>') {
    if (type === 'labels') {
      const spaced = items.find(hasSpace);
      if (spaced !== undefined) return { ok: false, error: `${label}: a label cannot contain spaces, got ${quote(spaced)} — separate labels with commas` };
    }
    return ok(items);
  }
  const item = type.slice(6, -1);
  if (!KNOWN_ITEMS.has(item)) return ok(items);
  const out: unknown[] = [];
  for (const one of items) {
    const shaped = shapeOne(item, label, one, ctx);
    if (!shaped.ok) return { ok: false, error: `${shaped.error} (in the list ${quote(value)})` };
    out.push(shaped.value);
  }
  return ok(out);
}

/** Splits a comma-separated list, trimming items and dropping empty ones (`a, b,` → a, b). */
export function splitList(value: string): string[] {
  // A hand loop: this runs for every list value of every Advanced line.
  const out: string[] = [];
  let from = 0;
  while (from <= value.length) {
    let to = value.indexOf(',', from);
    if (to < 0) to = value.length;
    let a = from;
    let b = to;
    while (a < b && isSpace(value.charCodeAt(a))) a++;
    while (b > a && isSpace(value.charCodeAt(b - 1))) b--;
    if (b > a) out.push(value.slice(a, b));
    from = to + 1;
  }
  return out;
}

/** Whether a UTF-16 unit is white space as String.prototype.trim sees it. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** Whether the text has any white space in it. */
export function hasSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return true;
  return false;
}

/** Whether the shaper has a specific rule for this Type (else it sends text as is). */
export function isKnownType(type: string): boolean {
  return FIELD_TYPES.includes(type);
}

const DIGITS = /^\d+$/;
const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#]+\S*$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number written plainly (`3.5`, `-2`, `1e3`); `3,5`, `0x10`, `Infinity` and '' are not. */
export function strictNumber(text: string): number | null {
  if (!NUMBER_RE.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function realDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

// `n` decimal digits at `at` as a number, or -1. Hand-rolled: dates are checked on every line.
function digitsAt(text: string, at: number, n: number): number {
  if (at + n > text.length) return -1;
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

// `YYYY-MM-DD` at the start of the text naming a real day.
function dayAt(text: string): boolean {
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  return y >= 0 && m >= 0 && d >= 0 && text[4] === '-' && text[7] === '-' && realDay(y, m, d);
}

/** `YYYY-MM-DD` naming a real calendar day (2026-02-30 is not). */
export function validDate(text: string): boolean {
  return text.length === 10 && dayAt(text);
}

/** ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH[:]MM]` with a real day and time. */
export function validDateTime(text: string): boolean {
  if (text.length < 16 || text[10] !== 'T' || !dayAt(text) || text[13] !== ':') return false;
  const h = digitsAt(text, 11, 2);
  const min = digitsAt(text, 14, 2);
  if (h < 0 || h > 23 || min < 0 || min > 59) return false;
  let i = 16;
  if (text[i] === ':') {
    const sec = digitsAt(text, i + 1, 2);
    if (sec < 0 || sec > 59) return false;
    i += 3;
    if (text[i] === '.') {
      let n = 0;
      while (n < 10 && digitsAt(text, i + 1 + n, 1) >= 0) n++;
      if (n < 1 || n > 9) return false;
      i += 1 + n;
    }
  }
  if (i === text.length) return true;
  if (text[i] === 'Z') return i + 1 === text.length;
  if (text[i] !== '+' && text[i] !== '-') return false;
  const oh = digitsAt(text, i + 1, 2);
  const colon = text[i + 3] === ':' ? 1 : 0;
  const om = digitsAt(text, i + 3 + colon, 2);
  return i + 5 + colon === text.length && oh >= 0 && oh <= 14 && om >= 0 && om <= 59;
}

function parseJson(text: string): Shaped<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

function ok<T>(value: T): Shaped<T> {
  return { ok: true, value };
}

/** A value quoted for an error line: JSON-escaped (one line) and cut at 60 characters. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}

function fail(label: string, expected: string, value: string): Shaped<never> {
  return { ok: false, error: `${label}: expected ${expected}, got ${quote(value)}` };
}
