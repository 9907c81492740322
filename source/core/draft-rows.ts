// Rows of the Ticket Creation Table: made from a field name and a typed value, shaped into
// the Create Query's JSON, and read back from JSON in the form a user types. A JSON value
// is shown as typed text only when shaping that text gives the very same JSON back;
// otherwise the row shows the raw JSON with type `json`, so nothing is ever altered by
// passing through the table.
import { adfToText } from './adf.js';
import { fieldLabel, isKnownType, shapeByType, type FieldCatalogue, type ShapeContext, type Shaped } from './fields.js';
import type { FieldDef } from './ports.js';

/** Include rows are sent; Exclude rows stay in the table but leave the JSON. */
export type RowMode = 'Include' | 'Exclude';

/** One row of the Ticket Creation Table. */
export interface DraftRow {
  /** Stable identity for list keys; never reused within a draft. */
  id: number;
  /** The JSON key: the field id once resolved, else the text as typed (resolved again with a new catalogue). */
  field: string;
  /** Jira's name of the field (the id when unknown). */
  name: string;
  /** The value as the user types it (`OPS`, `a,b`, `EU > Paris`, or raw JSON for type json). */
  value: string;
  /** The Type column ("string", "user", "array<option>", "json", …). */
  type: string;
  /** The type was chosen (by the user, the template, or JSON that only fits as `json`), not taken from the catalogue. */
  explicitType: boolean;
  mode: RowMode;
  /** Why the row cannot be sent (unknown field, value that cannot be shaped); such a row leaves the JSON. */
  error: string | null;
}

/** What the row builders need to know about the Jira they shape for. */
export interface RowContext {
  catalogue: FieldCatalogue;
  ctx: ShapeContext;
}

const CUSTOM_ID = /^customfield_\d+$/i;

function labelOf(row: Pick<DraftRow, 'field' | 'name'>): string {
  return fieldLabel({ id: row.field, name: row.name, custom: CUSTOM_ID.test(row.field) });
}

/** The JSON a row sends, or why it cannot. */
export function shapeRow(row: DraftRow, rc: RowContext): Shaped<unknown> {
  return shapeByType(row.type, labelOf(row), row.value, rc.ctx);
}

/**
 * Resolves a field for a row. A name the catalogue does not know is an error, unless it is a
 * custom field id (kept as typed, type `any`) or the caller chose a type for it.
 */
function resolveField(rc: RowContext, fieldText: string, chosenType: string | undefined): { def: FieldDef; derived: string; known: boolean; error: string | null } {
  const resolved = rc.catalogue.resolve(fieldText);
  if (resolved.ok) return { def: resolved.value, derived: rc.catalogue.typeOf(resolved.value), known: true, error: null };
  const typed = fieldText.trim();
  const custom = CUSTOM_ID.test(typed);
  const id = custom ? typed.toLowerCase() : typed;
  const error = custom || chosenType !== undefined ? null : resolved.error;
  return { def: { id, name: id, custom }, derived: 'any', known: custom, error };
}

/** A row from a field name or id and a typed value; `chosenType` (a FIELD_TYPES entry) overrides the catalogue. */
export function makeRow(rc: RowContext, id: number, fieldText: string, value: string, mode: RowMode, chosenType?: string): DraftRow {
  const chosen = chosenType !== undefined && isKnownType(chosenType) ? chosenType : undefined;
  const { def, derived, known, error } = resolveField(rc, fieldText, chosen);
  const type = chosen ?? derived;
  const explicitType = chosen !== undefined && (chosen !== derived || !known);
  const row: DraftRow = { id, field: def.id, name: def.name, value, type, explicitType, mode, error };
  return error === null ? withShapeError(row, rc) : row;
}

/** The row with its error recomputed from its type and value. */
export function withShapeError(row: DraftRow, rc: RowContext): DraftRow {
  const shaped = shapeRow(row, rc);
  const error = shaped.ok ? null : shaped.error;
  return error === row.error ? row : { ...row, error };
}

/** The row looked up again in a (new) catalogue: field, name and a derived type may change. */
export function reresolveRow(row: DraftRow, rc: RowContext): DraftRow {
  return makeRow(rc, row.id, row.field, row.value, row.mode, row.explicitType ? row.type : undefined);
}

/** Whether a row goes into the Create Query. */
export function isSent(row: DraftRow): boolean {
  return row.mode === 'Include' && row.error === null;
}

/** The `fields` object of the Include rows without errors, in row order. */
export function rowsToFields(rows: readonly DraftRow[], rc: RowContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const row of rows) {
    if (!isSent(row)) continue;
    const shaped = shapeRow(row, rc);
    // defineProperty, not assignment: a key typed as "__proto__" must stay a key.
    if (shaped.ok) Object.defineProperty(fields, row.field, { value: shaped.value, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A row for one key of the JSON's `fields`. `previous` is the row that held this field before
 * the edit: when its text still shapes to this very JSON, it is kept as it was (the user's
 * spelling survives an edit elsewhere in the JSON).
 */
export function rowFromJson(rc: RowContext, id: number, key: string, json: unknown, previous: DraftRow | undefined): DraftRow {
  if (previous !== undefined && isSent(previous)) {
    const shaped = shapeRow(previous, rc);
    if (shaped.ok && same(shaped.value, json)) return previous;
  }
  const resolved = rc.catalogue.resolve(key);
  const def: FieldDef = resolved.ok ? resolved.value : { id: key, name: key, custom: CUSTOM_ID.test(key) };
  const derived = resolved.ok ? rc.catalogue.typeOf(def) : 'any';
  const candidates = previous?.explicitType && previous.type !== 'json' ? [previous.type, derived] : [derived];
  for (const type of candidates) {
    const text = displayValue(type, json);
    if (text === undefined) continue;
    const row: DraftRow = { id, field: def.id, name: def.name, value: text, type, explicitType: type !== derived || (!resolved.ok && !CUSTOM_ID.test(key)), mode: 'Include', error: null };
    const shaped = shapeRow(row, rc);
    if (shaped.ok && same(shaped.value, json)) return row;
  }
  return { id, field: def.id, name: def.name, value: JSON.stringify(json), type: 'json', explicitType: true, mode: 'Include', error: null };
}

/** The text a user would type for this JSON under this type, if there is one (verified by the caller). */
export function displayValue(type: string, json: unknown): string | undefined {
  if (type === 'json') return JSON.stringify(json);
  if (type === 'labels' || type.startsWith('array<')) {
    if (!Array.isArray(json) || json.length === 0) return Array.isArray(json) ? '' : undefined;
    const item = type === 'labels' ? 'string' : type.slice(6, -1);
    const parts: string[] = [];
    for (const one of json) {
      const text = displayValue(item, one);
      if (text === undefined || text.includes(',')) return undefined;
      parts.push(text);
    }
    return parts.join(',');
  }
  if (typeof json === 'string') return type === 'text' || isStringType(type) ? json : undefined;
  if (typeof json === 'number') return type === 'number' ? String(json) : undefined;
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (type === 'text') return o.type === 'doc' ? adfToText(o) : undefined;
  if (type === 'option-with-child') {
    const child = o.child as Record<string, unknown> | undefined;
    if (typeof o.value !== 'string') return undefined;
    return child === undefined ? o.value : typeof child?.value === 'string' ? `${o.value} > ${child.value}` : undefined;
  }
  for (const key of ['key', 'id', 'name', 'accountId', 'value']) {
    if (typeof o[key] === 'string') return o[key] as string;
  }
  return undefined;
}

function isStringType(type: string): boolean {
  return type === 'string' || type === 'any' || type === 'url' || type === 'date' || type === 'datetime' || !isKnownType(type);
}
