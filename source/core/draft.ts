// The Creation pane's draft as one pure reducer: the Ticket Creation Table's rows
// and the Create Query text, always in sync. A table action rewrites the text from the rows;
// a text edit rebuilds the rows from valid JSON, or keeps the rows and records where the JSON
// breaks. Nothing here throws, whatever the action carries.
//
// Actions (DraftAction), all by row index; an index out of range leaves the state as it was:
//   edit-value    {index, value}          a Value cell
//   edit-field    {index, field}          a Field cell (id or name; a field already in the table is refused with a notice)
//   set-type      {index, rowType}        the Type cell: a FIELD_TYPES entry; '' goes back to the catalogue's type
//   add-row       {field, value?, mode?, rowType?, at?}   a catalogue field or a custom field id (duplicates refused)
//   delete-row    {index}
//   toggle-mode   {index}                 Include ⇄ Exclude
//   move-row      {index, to}
//   set-text      {text}                  the Create Query replaced (typed, or saved from $EDITOR)
//   revert-text   {}                      drop a broken text: the JSON of the rows again
//   overlay       {pairs, guid?}          an Advanced line's fields laid over the rows, as a CREATE would send them
//   load-template {template}              the rows of a config template (the text is rebuilt, other keys dropped)
//   set-catalogue {catalogue, ctx?}       Jira's catalogue (or shaping context) arrived: rows resolved and shaped again
import { guidLabel, parseLabelValue, applyLabelOps } from './advanced-labels.js';
import type { TemplateRow } from './config.js';
import { formatQuery, lineColumn, parseJsonText, type JsonError } from './draft-json.js';
import {
  isSent, makeRow, reresolveRow, rowFromJson, rowsToFields, type DraftRow, type RowContext, type RowMode,
} from './draft-rows.js';
import { splitList, type FieldCatalogue, type ShapeContext } from './fields.js';
import type { IssuePayload } from './ports.js';

export type { DraftRow, RowMode } from './draft-rows.js';
export type { JsonError } from './draft-json.js';

/** The whole state of the Creation pane's draft. */
export interface DraftState {
  rows: DraftRow[];
  /** The Create Query as shown: what the user typed, or the JSON of the rows after a table action. */
  text: string;
  /** Set while the text is not valid JSON (or not a create body); the rows are the last valid ones. */
  jsonError: JsonError | null;
  /** Top-level keys of the Create Query other than `fields` (e.g. `update`), kept as given. */
  extra: Record<string, unknown>;
  catalogue: FieldCatalogue;
  ctx: ShapeContext;
  /** Why the last action changed nothing (e.g. "priority is already row 2"), for the pane to show. */
  notice: string | null;
  /** The id the next new row gets. */
  nextId: number;
}

/** Everything the pane can do to the draft; see the list at the top of this file. */
export type DraftAction =
  | { type: 'edit-value'; index: number; value: string }
  | { type: 'edit-field'; index: number; field: string }
  | { type: 'set-type'; index: number; rowType: string }
  | { type: 'add-row'; field: string; value?: string; mode?: RowMode; rowType?: string; at?: number }
  | { type: 'delete-row'; index: number }
  | { type: 'toggle-mode'; index: number }
  | { type: 'move-row'; index: number; to: number }
  | { type: 'set-text'; text: string }
  | { type: 'revert-text' }
  | { type: 'overlay'; pairs: Array<{ field: string; value: string }>; guid?: string }
  | { type: 'load-template'; template: TemplateRow[] }
  | { type: 'set-catalogue'; catalogue: FieldCatalogue; ctx?: ShapeContext };

const rc = (s: DraftState): RowContext => ({ catalogue: s.catalogue, ctx: s.ctx });

/** The draft of a config template. */
export function initialDraft(template: TemplateRow[], catalogue: FieldCatalogue, ctx: ShapeContext): DraftState {
  const empty: DraftState = { rows: [], text: '', jsonError: null, extra: {}, catalogue, ctx, notice: null, nextId: 1 };
  return draftReducer(empty, { type: 'load-template', template });
}

/** The body Execute sends: the Include rows without errors as `fields`, plus the other keys. */
export function draftPayload(state: DraftState): IssuePayload {
  return { fields: rowsToFields(state.rows, rc(state)), ...state.extra };
}

/** The rows as the config keeps them (the type only where it was chosen). */
export function draftTemplate(state: DraftState): TemplateRow[] {
  return state.rows.map((r) => (r.explicitType ? { field: r.field, value: r.value, mode: r.mode, type: r.type } : { field: r.field, value: r.value, mode: r.mode }));
}

/** The errors that keep Include rows out of the JSON, as "row 2 (priority): …"; empty when all can be sent. */
export function draftErrors(state: DraftState): string[] {
  return state.rows.flatMap((r, i) => (r.mode === 'Include' && r.error !== null ? [`row ${i + 1} (${r.name}): ${r.error}`] : []));
}

/** The reducer of the Creation pane. Pure; never throws. */
export function draftReducer(state: DraftState, action: DraftAction): DraftState {
  try {
    return reduce(state, action);
  } catch (e) {
    // A bug must not take the pane down: keep the state, say what happened.
    return { ...state, notice: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function withRows(state: DraftState, rows: DraftRow[], nextId = state.nextId): DraftState {
  const next = { ...state, rows, nextId, jsonError: null, notice: null };
  next.text = formatQuery({ fields: rowsToFields(rows, rc(next)), ...next.extra });
  return next;
}

function noticed(state: DraftState, notice: string): DraftState {
  return { ...state, notice };
}

function valid(state: DraftState, index: unknown): index is number {
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < state.rows.length;
}

function rowOf(state: DraftState, field: string, except = -1): number {
  return state.rows.findIndex((r, i) => i !== except && r.field === field);
}

function reduce(state: DraftState, action: DraftAction): DraftState {
  switch (action.type) {
    case 'edit-value': {
      if (!valid(state, action.index)) return state;
      const rows = [...state.rows];
      // Made again, not just re-shaped: a row whose field is unknown stays in error.
      rows[action.index] = reresolveRow({ ...rows[action.index], value: String(action.value ?? '') }, rc(state));
      return withRows(state, rows);
    }
    case 'edit-field': {
      if (!valid(state, action.index)) return state;
      const old = state.rows[action.index];
      const row = makeRow(rc(state), old.id, String(action.field ?? ''), old.value, old.mode);
      const clash = rowOf(state, row.field, action.index);
      if (clash >= 0) return noticed(state, `${row.name} is already row ${clash + 1}`);
      const rows = [...state.rows];
      rows[action.index] = row;
      return withRows(state, rows);
    }
    case 'set-type': {
      if (!valid(state, action.index)) return state;
      const old = state.rows[action.index];
      const rowType = String(action.rowType ?? '');
      const row = makeRow(rc(state), old.id, old.field, old.value, old.mode, rowType === '' ? undefined : rowType);
      if (rowType !== '' && row.type !== rowType) return noticed(state, `unknown type ${JSON.stringify(rowType)}`);
      const rows = [...state.rows];
      rows[action.index] = row;
      return withRows(state, rows);
    }
    case 'add-row': {
      const mode: RowMode = action.mode === 'Exclude' ? 'Exclude' : 'Include';
      const row = makeRow(rc(state), state.nextId, String(action.field ?? ''), String(action.value ?? ''), mode, action.rowType);
      if (row.field === '') return noticed(state, 'no field given — pick a field or type a custom field id');
      const clash = rowOf(state, row.field);
      if (clash >= 0) return noticed(state, `${row.name} is already row ${clash + 1}`);
      const rows = [...state.rows];
      const at = typeof action.at === 'number' && Number.isInteger(action.at) ? Math.max(0, Math.min(action.at, rows.length)) : rows.length;
      rows.splice(at, 0, row);
      return withRows(state, rows, state.nextId + 1);
    }
    case 'delete-row': {
      if (!valid(state, action.index)) return state;
      return withRows(state, state.rows.filter((_, i) => i !== action.index));
    }
    case 'toggle-mode': {
      if (!valid(state, action.index)) return state;
      const rows = [...state.rows];
      const row = rows[action.index];
      rows[action.index] = { ...row, mode: row.mode === 'Include' ? 'Exclude' : 'Include' };
      return withRows(state, rows);
    }
    case 'move-row': {
      if (!valid(state, action.index) || typeof action.to !== 'number' || !Number.isInteger(action.to)) return state;
      const to = Math.max(0, Math.min(action.to, state.rows.length - 1));
      if (to === action.index) return state;
      const rows = [...state.rows];
      const [row] = rows.splice(action.index, 1);
      rows.splice(to, 0, row);
      return withRows(state, rows);
    }
    case 'set-text':
      return setText(state, typeof action.text === 'string' ? action.text : '');
    case 'revert-text':
      return withRows(state, state.rows);
    case 'overlay':
      return overlay(state, Array.isArray(action.pairs) ? action.pairs : [], action.guid);
    case 'load-template': {
      let next: DraftState = { ...state, rows: [], extra: {} };
      for (const t of Array.isArray(action.template) ? action.template : []) {
        const row = makeRow(rc(next), next.nextId, String(t.field ?? ''), String(t.value ?? ''), t.mode === 'Exclude' ? 'Exclude' : 'Include', t.type);
        // A template naming a field twice: the first row stands (the config is fixed by saving it).
        if (row.field === '' || rowOf(next, row.field) >= 0) continue;
        next = { ...next, rows: [...next.rows, row], nextId: next.nextId + 1 };
      }
      return withRows(next, next.rows);
    }
    case 'set-catalogue': {
      const next: DraftState = { ...state, catalogue: action.catalogue ?? state.catalogue, ctx: action.ctx ?? state.ctx };
      const rows = next.rows.map((r) => reresolveRow(r, rc(next)));
      if (state.jsonError !== null) return { ...next, rows, notice: null };
      return withRows(next, rows);
    }
    default:
      return noticed(state, `unknown draft action ${JSON.stringify((action as { type?: unknown }).type)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setText(state: DraftState, text: string): DraftState {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ...state, text, jsonError: parsed.error, notice: null };
  const body = parsed.value;
  if (!isObject(body)) {
    return { ...state, text, notice: null, jsonError: { message: 'the Create Query is a JSON object: {"fields": {…}}', line: 1, column: 1 } };
  }
  const { fields = {}, ...extra } = body;
  if (!isObject(fields)) {
    const where = lineColumn(text, Math.max(0, text.indexOf('"fields"')));
    return { ...state, text, notice: null, jsonError: { message: '"fields" is an object of field id → value: {"fields": {"summary": "…"}}', ...where } };
  }
  return { ...state, ...mergeJson(state, fields), text, extra, jsonError: null, notice: null };
}

/**
 * Rows from the JSON's `fields`, in its key order. Rows the JSON cannot show (Exclude rows and
 * rows with an error) survive the edit, each after the sent row it followed, unless the JSON
 * now names their field. A field no longer in the JSON loses its row.
 */
function mergeJson(state: DraftState, fields: Record<string, unknown>): { rows: DraftRow[]; nextId: number } {
  const context = rc(state);
  let nextId = state.nextId;
  const previous = new Map(state.rows.filter(isSent).map((r) => [r.field, r]));
  const fresh: DraftRow[] = [];
  const at = new Map<string, number>();
  for (const [key, json] of Object.entries(fields)) {
    const old = previous.get(key);
    const row = rowFromJson(context, old?.id ?? nextId, key, json, old);
    if (row.id === nextId) nextId += 1;
    // Two keys naming one field ("Story Points" and its id): the later wins, as in JSON itself.
    const dup = at.get(row.field);
    if (dup !== undefined) fresh[dup] = row;
    else {
      at.set(row.field, fresh.length);
      fresh.push(row);
    }
  }
  // Anchor the kept rows: after the last sent row before them that is still in the JSON.
  const kept = new Map<string | null, DraftRow[]>();
  let anchor: string | null = null;
  for (const row of state.rows) {
    if (isSent(row)) {
      if (at.has(row.field)) anchor = row.field;
    } else if (!at.has(row.field)) {
      const list = kept.get(anchor) ?? [];
      list.push(row);
      kept.set(anchor, list);
    }
  }
  const rows = [...(kept.get(null) ?? [])];
  for (const row of fresh) rows.push(row, ...(kept.get(row.field) ?? []));
  return { rows, nextId };
}

/** An Advanced line's fields laid over the rows (for a CREATE): values replaced or rows added. */
function overlay(state: DraftState, pairs: Array<{ field: string; value: string }>, guid: string | undefined): DraftState {
  let next: DraftState = { ...state, rows: [...state.rows] };
  const skipped: string[] = [];
  for (const pair of pairs) {
    const name = String(pair?.field ?? '').trim();
    const value = String(pair?.value ?? '');
    const lower = name.toLowerCase();
    if (lower === 'comment' || lower === 'status') {
      skipped.push(lower);
      continue;
    }
    if (lower === 'labels') {
      const ops = parseLabelValue(value);
      if (!ops.ok) {
        skipped.push(ops.error);
        continue;
      }
      next = setLabels(next, (current) => applyLabelOps(current, ops.value));
      continue;
    }
    const probe = makeRow(rc(next), next.nextId, name, value, value === '' ? 'Exclude' : 'Include');
    const index = rowOf(next, probe.field);
    if (index >= 0) {
      // An empty value on a CREATE leaves the field out: the row stays, excluded.
      const old = next.rows[index];
      next.rows[index] = value === '' ? { ...old, mode: 'Exclude' } : reresolveRow({ ...old, value, mode: 'Include' }, rc(next));
    } else if (value !== '') {
      next.rows.push(probe);
      next.nextId += 1;
    }
  }
  if (guid !== undefined) next = setLabels(next, (current) => (current.includes(guidLabel(guid)) ? current : [...current, guidLabel(guid)]));
  const done = withRows(next, next.rows, next.nextId);
  return skipped.length > 0 ? { ...done, notice: `not laid over the draft: ${skipped.join('; ')} (comment and status apply after the ticket is made)` } : done;
}

function setLabels(state: DraftState, change: (current: string[]) => string[]): DraftState {
  const index = rowOf(state, 'labels');
  const rows = [...state.rows];
  const old = index >= 0 ? rows[index] : undefined;
  let current: string[] = [];
  if (old !== undefined && old.mode === 'Include') {
    const shaped = old.error === null ? rowsToFields([old], rc(state)).labels : undefined;
    current = Array.isArray(shaped) ? shaped.filter((l): l is string => typeof l === 'string') : splitList(old.value);
  }
  const value = change(current).join(',');
  const row = makeRow(rc(state), old?.id ?? state.nextId, 'labels', value, 'Include');
  if (old !== undefined) rows[index] = row;
  else rows.push(row);
  return { ...state, rows, nextId: old === undefined ? state.nextId + 1 : state.nextId };
}
