// From a parsed Advanced command to what is sent to Jira:
// - CREATE: the template's Include rows, the line's fields laid over them, the label
//   `jiraline-<GUID>` added; comment and status are applied after the ticket is made.
//   An empty value on a CREATE leaves the field out (it can drop a template field).
// - UPDATE: only the line's fields; an empty value clears the field (null, or []);
//   labels and comments go as `update` verbs, status as a separate transition target.
// `comment`, `status` and `labels` are the special names (case-insensitive).
// See docs/protocol.md#create and docs/protocol.md#update.
import { applyLabelOps, foldLabelOps, guidLabel, parseLabelValue, type LabelOp } from './advanced-labels.js';
import type { AdvancedCommand } from './advanced-parse.js';
import type { TemplateRow } from './config.js';
import { fieldType } from './field-shaping.js';
import { fieldLabel, isKnownType, shapeByType, type FieldCatalogue, type ShapeContext, type Shaped } from './fields.js';
import type { FieldDef, IssuePayload } from './ports.js';
import { fitLine } from './text-limits.js';

/** What a CREATE sends: the create body, then the comments to add and the status to move to. */
export interface CreatePlan {
  body: IssuePayload;
  comments: string[];
  status: string | null;
  /** What was cut to fit Jira's limits (text-limits.ts), for the log row; absent when nothing was. */
  notes?: string[];
}

/** What an UPDATE sends (one line, or several merged): edit fields, label verbs, comments, transition. */
export interface UpdatePlan {
  fields: Record<string, unknown>;
  labelOps: LabelOp[];
  comments: string[];
  status: string | null;
  /** How many Advanced lines the plan carries. */
  lines: number;
  /** What was cut to fit Jira's limits (text-limits.ts), for the log row; absent when nothing was. */
  notes?: string[];
}

type Special = 'comment' | 'status' | 'labels';

function special(field: string, def?: FieldDef): Special | null {
  const raw = def?.id ?? field;
  if (raw.length !== 6 && raw.length !== 7) return null;
  const name = raw.toLowerCase();
  return name === 'comment' || name === 'status' || name === 'labels' ? name : null;
}

// A pair's field: one of the special names (by itself or as the catalogue resolves it), or a
// catalogue field to shape.
function classify(field: string, catalogue: FieldCatalogue): Shaped<{ kind: Special | null; def?: FieldDef }> {
  const kind = special(field);
  if (kind !== null) return { ok: true, value: { kind } };
  const resolved = catalogue.resolve(field);
  if (!resolved.ok) return resolved;
  return { ok: true, value: { kind: special(field, resolved.value), def: resolved.value } };
}

const CLEAR = { clear: true } as const;
// The engine sends CALL lines through endpoints.ts; these composers never see one.
const CALL_LATER = 'CALL goes to a custom endpoint (endpoints in the config), not to the ticket\'s fields';

const NO_OPS: LabelOp[] = [];

// A special pair's problem, or its label operations (none for comment and status).
function readSpecial(kind: Special, value: string): Shaped<LabelOp[]> {
  if (kind === 'labels') return parseLabelValue(value);
  if (value.trim() !== '') return { ok: true, value: NO_OPS };
  return { ok: false, error: kind === 'comment' ? 'comment: expected the comment text, got ""' : 'status: expected a status name such as Done, got ""' };
}

/** What a line's pairs say besides its fields: comments, the last status, label operations in order. */
interface LineSpecials {
  comments: string[];
  status: string | null;
  labelOps: LabelOp[];
}

/**
 * Reads a line's pairs in order: comment, status and labels are gathered; every other field
 * goes to `onField`, which may refuse it. The first refusal, in pair order, is the answer.
 */
function readPairs(command: AdvancedCommand, catalogue: FieldCatalogue, onField: (def: FieldDef, value: string) => Shaped<unknown> | null): Shaped<LineSpecials> {
  const specials: LineSpecials = { comments: [], status: null, labelOps: [] };
  for (const { field, value } of command.pairs) {
    const classified = classify(field, catalogue);
    if (!classified.ok) return classified;
    const { kind, def } = classified.value;
    if (kind !== null) {
      const read = readSpecial(kind, value);
      if (!read.ok) return read;
      if (kind === 'comment') specials.comments.push(value);
      else if (kind === 'status') specials.status = value.trim();
      else specials.labelOps.push(...read.value);
    } else if (def !== undefined) {
      const refused = onField(def, value);
      if (refused !== null && !refused.ok) return refused;
    }
  }
  return { ok: true, value: specials };
}

function checkSpecial(kind: Special, value: string): string | null {
  const read = readSpecial(kind, value);
  return read.ok ? null : read.error;
}

/**
 * Whether a command can be carried out: unknown fields and unshapeable values give the reason.
 * With no catalogue (Jira never asked), only what needs none is checked (specials, CALL, empty UPDATE).
 */
export function checkCommand(command: AdvancedCommand, catalogue: FieldCatalogue | null, ctx: ShapeContext): string | null {
  if (command.action === 'CALL') return CALL_LATER;
  if (command.action === 'UPDATE' && command.pairs.length === 0) return 'UPDATE has no field;value pairs — nothing to change';
  const clear = command.action === 'UPDATE';
  for (const { field, value } of command.pairs) {
    let kind = special(field);
    if (kind === null && catalogue !== null) {
      const def = catalogue.resolve(field);
      if (!def.ok) return def.error;
      kind = special(field, def.value);
      if (kind === null) {
        if (value === '' && !clear) continue;
        const problem = catalogue.check(def.value, value, ctx, clear ? CLEAR : undefined);
        if (problem !== null) return problem;
        continue;
      }
    }
    if (kind !== null) {
      const problem = checkSpecial(kind, value);
      if (problem !== null) return problem;
    }
  }
  return null;
}

function shapeTemplateRow(row: TemplateRow, def: FieldDef, catalogue: FieldCatalogue, ctx: ShapeContext): Shaped<unknown> {
  return row.type !== undefined && isKnownType(row.type)
    ? shapeByType(row.type, fieldLabel(def), row.value, ctx)
    : catalogue.shape(def, row.value, ctx);
}

/** CREATE: the template's Include rows with the line's fields laid over them, plus the GUID label. */
export function composeCreate(command: AdvancedCommand, template: TemplateRow[], catalogue: FieldCatalogue, ctx: ShapeContext): Shaped<CreatePlan> {
  if (command.action === 'CALL') return { ok: false, error: CALL_LATER };
  const lineFields: Array<[FieldDef, string]> = [];
  const read = readPairs(command, catalogue, (def, value) => {
    lineFields.push([def, value]);
    return null;
  });
  if (!read.ok) return read;
  const { comments, status, labelOps } = read.value;

  // The values in the body's order: the template's rows (a line's field takes its row's place),
  // then the line's other fields; an empty line value leaves the field out.
  const overridden = new Set(lineFields.map(([def]) => def.id));
  const entries = new Map<string, { def: FieldDef; value: string; row?: TemplateRow } | null>();
  for (const row of template) {
    if (row.mode === 'Exclude') continue;
    const resolved = catalogue.resolve(row.field);
    if (!resolved.ok) return { ok: false, error: `template row ${JSON.stringify(row.field)}: ${resolved.error}` };
    const def = resolved.value;
    // Held in place (key order) even when the line overrides it, so the body reads like the table.
    entries.set(def.id, overridden.has(def.id) ? null : { def, value: row.value, row });
  }
  for (const [def, value] of lineFields) {
    if (value === '') entries.delete(def.id);
    else entries.set(def.id, { def, value });
  }
  const texts = fitTexts(entries, comments, ctx, catalogue, true);
  const fields: Record<string, unknown> = {};
  // Template rows first, then the line's fields: the first refusal is a template row's.
  for (const fromTemplate of [true, false]) {
    for (const [id, entry] of entries) {
      if (entry === null || (entry.row !== undefined) !== fromTemplate) {
        if (!(id in fields)) fields[id] = undefined;
        continue;
      }
      const value = texts.values.get(id) ?? entry.value;
      const shaped = entry.row ? shapeTemplateRow({ ...entry.row, value }, entry.def, catalogue, ctx) : catalogue.shape(entry.def, value, ctx);
      if (!shaped.ok) return entry.row ? { ok: false, error: `template row ${JSON.stringify(entry.row.field)}: ${shaped.error}` } : shaped;
      fields[id] = shaped.value;
    }
  }
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];

  const base = fields.labels ?? [];
  if (!Array.isArray(base) || !base.every((l) => typeof l === 'string')) {
    return { ok: false, error: 'labels: the template\'s labels are not a list of labels — write them as a,b' };
  }
  const labels = applyLabelOps(base, labelOps);
  const own = guidLabel(command.guid);
  if (!labels.includes(own)) labels.push(own);
  fields.labels = labels;
  return { ok: true, value: { body: { fields }, comments, status, ...(texts.notes.length > 0 ? { notes: texts.notes } : {}) } };
}

/** Whether a field's value is text Jira limits: the summary, or rich text (description, textarea …). */
function isLimitedText(def: FieldDef): boolean {
  return def.id === 'summary' || fieldType(def) === 'text';
}

/** A value the user gave as JSON (or typed `json`) is sent as given, never cut. */
function isPlainText(value: string, row?: TemplateRow): boolean {
  const first = value.charCodeAt(0);
  return first !== 123 /* { */ && first !== 91 /* [ */ && (row?.type === undefined || row.type === 'string' || row.type === 'text');
}

/**
 * Cuts the line's summary, rich-text values and comments to Jira's limits (text-limits.ts).
 * Returns the texts that changed (by field id; a description may be added to hold a cut
 * summary in full) and the notes for the log row; comments change in place.
 */
function fitTexts(entries: Map<string, { def: FieldDef; value: string; row?: TemplateRow } | null>, comments: string[],
  ctx: ShapeContext, catalogue: FieldCatalogue, creating: boolean): { values: Map<string, string>; notes: string[] } {
  const values = new Map<string, string>();
  const rich = new Set<string>();
  for (const [id, entry] of entries) {
    if (entry === null || !isLimitedText(entry.def) || !isPlainText(entry.value, entry.row)) continue;
    values.set(id, entry.value);
    if (id !== 'summary') rich.add(id);
  }
  const description = creating && !entries.has('description') ? catalogue.resolve('description') : null;
  const notes = fitLine(values, rich, comments, ctx.apiVersion, description !== null && description.ok);
  if (description?.ok && values.has('description')) entries.set('description', { def: description.value, value: values.get('description')! });
  return { values, notes };
}

/**
 * UPDATE: only the line's fields. `fromCreate` (a CREATE for a GUID that has a ticket) drops
 * project and issuetype, leaves out empty values instead of clearing, and turns a label list
 * into additions, so a resent CREATE cannot take anything away.
 */
export function composeUpdate(command: AdvancedCommand, catalogue: FieldCatalogue, ctx: ShapeContext, options?: { fromCreate?: boolean }): Shaped<UpdatePlan> {
  if (command.action === 'CALL') return { ok: false, error: CALL_LATER };
  const fromCreate = options?.fromCreate === true;
  const fields: Record<string, unknown> = {};
  // Text Jira limits is shaped once the whole line is read: a cut summary may go into the description.
  const texts = new Map<string, { def: FieldDef; value: string } | null>();
  const read = readPairs(command, catalogue, (def, value) => {
    if (fromCreate && (def.id === 'project' || def.id === 'issuetype' || value === '')) return null;
    if (value !== '' && isLimitedText(def) && isPlainText(value)) {
      texts.set(def.id, { def, value });
      fields[def.id] = undefined; // its place in the body
      return null;
    }
    texts.delete(def.id);
    const shaped = catalogue.shape(def, value, ctx, fromCreate ? undefined : CLEAR);
    if (!shaped.ok) return shaped;
    fields[def.id] = shaped.value;
    return null;
  });
  if (!read.ok) return read;
  const comments = read.value.comments;
  const fitted = fitTexts(texts, comments, ctx, catalogue, false);
  for (const [id, entry] of texts) {
    if (entry === null) continue;
    const shaped = catalogue.shape(entry.def, fitted.values.get(id) ?? entry.value, ctx);
    if (!shaped.ok) return shaped;
    fields[id] = shaped.value;
  }
  const own = guidLabel(command.guid);
  const labelOps: LabelOp[] = [];
  for (const op of read.value.labelOps) {
    if ('set' in op && fromCreate) labelOps.push(...op.set.map((add) => ({ add })));
    else if (!('remove' in op && op.remove === own)) labelOps.push(op);
  }
  return { ok: true, value: { fields, labelOps, comments, status: read.value.status, lines: 1,
    ...(fitted.notes.length > 0 ? { notes: fitted.notes } : {}) } };
}

/** Several waiting updates of one GUID as one: later fields win, comments all kept, label ops in order, last status wins. */
export function mergeUpdatePlans(plans: UpdatePlan[]): UpdatePlan {
  const merged: UpdatePlan = { fields: {}, labelOps: [], comments: [], status: null, lines: 0 };
  for (const plan of plans) {
    Object.assign(merged.fields, plan.fields);
    // A set makes what came before it moot; dropping it keeps a long merge small.
    const lastSet = plan.labelOps.map((op) => 'set' in op).lastIndexOf(true);
    merged.labelOps = lastSet >= 0 ? plan.labelOps.slice(lastSet) : merged.labelOps.concat(plan.labelOps);
    merged.comments.push(...plan.comments);
    if (plan.status !== null) merged.status = plan.status;
    merged.lines += plan.lines;
    if (plan.notes) merged.notes = [...(merged.notes ?? []), ...plan.notes.filter((n) => !merged.notes?.includes(n))];
  }
  return merged;
}

/**
 * The PUT body of an update: `fields`, then `update.labels` (folded; the GUID label never
 * removed). Its comments are not in it: each is added on its own with its marker, so a lost
 * answer can be looked up (engine-steps.ts). Null when there is nothing to PUT (a status- or
 * comment-only update makes no edit).
 */
export function updatePlanBody(plan: UpdatePlan, guid: string): IssuePayload | null {
  const body: IssuePayload = {};
  const fields = { ...plan.fields };
  // Jira refuses a field that is in both `fields` and `update`.
  delete fields.labels;
  delete fields.comment;
  if (Object.keys(fields).length > 0) body.fields = fields;
  const update: Record<string, Array<Record<string, unknown>>> = {};
  const labels = foldLabelOps(plan.labelOps, guidLabel(guid));
  if (labels.length > 0) update.labels = labels;
  if (Object.keys(update).length > 0) body.update = update;
  return body.fields === undefined && body.update === undefined ? null : body;
}
