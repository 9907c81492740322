// A create or edit body ({fields, update}) checked as Jira checks it, all at once, into
// either Jira's 400 ({errorMessages, errors}) or a plan that cannot fail when applied —
// so nothing refused is half-applied.
import type { Catalog } from './catalog.js';
import { FIELD_BY_ID, REQUIRED_ON_CREATE, type SeedField, type SeedProject } from './seed.js';
import type { SimIssue } from './types.js';
import { checkItem, checkRichText, checkValue, isArrayKind, sameItem, type CheckContext } from './values.js';

/** Jira's error body. */
export interface ErrorCollection { errorMessages: string[]; errors: Record<string, string> }

/** One step of a plan, applied in order. */
export type Step =
  | { field: string; op: 'set'; value: unknown }
  | { field: string; op: 'add' | 'remove'; value: unknown };

/** A checked change: field steps, comments to add, and (on create) the project. */
export interface Plan { steps: Step[]; comments: unknown[]; project: SeedProject | null }

/** The plan, or Jira's 400 body. */
export type PlanResult = { ok: true; plan: Plan } | { ok: false; error: ErrorCollection };

/** Jira's message for a field it will not take. */
export function cannotBeSet(id: string): string {
  return `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function emptyValue(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The project a create body names, if it names a real one. */
function projectOf(fields: Record<string, unknown>, catalog: Catalog): SeedProject | null {
  const p = fields.project;
  if (!isObject(p)) return null;
  const ref = typeof p.id === 'string' || typeof p.id === 'number' ? String(p.id) : typeof p.key === 'string' ? p.key : null;
  return ref === null ? null : catalog.project(ref) ?? null;
}

/**
 * Checks a create (issue null) or edit body. `api` decides whether rich text must be
 * ADF (3) or a string (2).
 */
export function planChange(body: unknown, issue: SimIssue | null, catalog: Catalog, api: 2 | 3): PlanResult {
  const errors: Record<string, string> = {};
  const errorMessages: string[] = [];
  const fail = (): PlanResult => ({ ok: false, error: { errorMessages, errors } });
  if (!isObject(body)) {
    errorMessages.push('Can not deserialize the request: the body must be a JSON object with "fields" and/or "update".');
    return fail();
  }
  const fields = body.fields ?? {};
  const update = body.update ?? {};
  if (!isObject(fields)) errors.fields = 'data was not an object';
  if (!isObject(update)) errors.update = 'data was not an object';
  if (!isObject(fields) || !isObject(update)) return fail();

  const creating = issue === null;
  const project = creating ? projectOf(fields, catalog) : catalog.project((issue.fields.project as { id: string }).id) ?? null;
  const ctx: CheckContext = { catalog, api, project };
  const steps: Step[] = [];
  const comments: unknown[] = [];

  for (const [id, value] of Object.entries(fields)) {
    const f = FIELD_BY_ID.get(id);
    if (!f || f.kind === 'readonly' || (!creating && f.id === 'project')) {
      errors[id] = cannotBeSet(id);
      continue;
    }
    if (id in update) {
      errors[id] = `Field '${id}' can not be set in both 'fields' and 'update'.`;
      continue;
    }
    const c = checkValue(f, value, ctx);
    if (!c.ok) errors[id] = c.error;
    else steps.push({ field: id, op: 'set', value: c.value });
  }

  for (const [id, ops] of Object.entries(update)) {
    if (id in fields) continue;
    const f = FIELD_BY_ID.get(id);
    if (!f || (f.kind === 'readonly' && id !== 'comment') || (!creating && id === 'project')) {
      errors[id] = cannotBeSet(id);
      continue;
    }
    if (!Array.isArray(ops)) {
      errorMessages.push(`Can not deserialize the operations of '${id}': expected an array of {"verb": value}.`);
      continue;
    }
    const message = checkOps(f, ops, ctx, steps, comments);
    if (message) errors[id] = message;
  }

  // Required fields: on create they must be there; on edit they must not be emptied.
  for (const id of REQUIRED_ON_CREATE) {
    const f = FIELD_BY_ID.get(id)!;
    if (errors[id]) continue;
    const lastSet = [...steps].reverse().find((s) => s.field === id && s.op === 'set');
    if ((creating && !lastSet) || (lastSet && emptyValue(lastSet.value))) errors[id] = `${f.name} is required.`;
  }

  if (errorMessages.length > 0 || Object.keys(errors).length > 0) return fail();
  return { ok: true, plan: { steps, comments, project } };
}

function checkOps(f: SeedField, ops: unknown[], ctx: CheckContext, steps: Step[], comments: unknown[]): string | null {
  for (const entry of ops) {
    if (!isObject(entry) || Object.keys(entry).length !== 1) return 'Each operation must be an object with exactly one verb, e.g. {"add": …}.';
    const [verb, value] = Object.entries(entry)[0];
    if (f.id === 'comment') {
      if (verb !== 'add') return `Field 'comment' does not support the operation '${verb}' here.`;
      const body = isObject(value) ? value.body : undefined;
      const c = checkCommentBody(body, ctx.api);
      if (c) return c;
      comments.push(body);
      continue;
    }
    if (!f.operations.includes(verb)) return `Field '${f.id}' does not support the operation '${verb}'.`;
    if (verb === 'set') {
      const c = checkValue(f, value, ctx);
      if (!c.ok) return c.error;
      steps.push({ field: f.id, op: 'set', value: c.value });
    } else if (verb === 'add' || verb === 'remove') {
      if (!isArrayKind(f)) return `Field '${f.id}' does not support the operation '${verb}'.`;
      const c = checkItem(f, value, ctx);
      if (!c.ok) return c.error;
      steps.push({ field: f.id, op: verb, value: c.value });
    } else {
      return `Field '${f.id}' does not support the operation '${verb}'.`;
    }
  }
  return null;
}

/** Jira's refusal of a comment body, or null when it is fine. */
export function checkCommentBody(body: unknown, api: 2 | 3): string | null {
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) return 'Comment body can not be empty!';
  const c = checkRichText(body, api);
  return c.ok ? null : c.error;
}

/** Applies a checked plan's field steps to a fields record. */
export function applySteps(fields: Record<string, unknown>, steps: Step[]): void {
  for (const s of steps) {
    if (s.op === 'set') {
      fields[s.field] = s.value;
      continue;
    }
    const list = Array.isArray(fields[s.field]) ? [...(fields[s.field] as unknown[])] : [];
    const at = list.findIndex((x) => sameItem(x, s.value));
    if (s.op === 'add' && at < 0) list.push(s.value);
    if (s.op === 'remove' && at >= 0) list.splice(at, 1);
    fields[s.field] = list;
  }
}
