// The values Jira allows for the template's project and issue type (createmeta's
// allowedValues: options, priorities, components, versions, and the project's issue types).
// The Creation pane offers them as pick lists and marks a value outside them; an Advanced
// CREATE carrying such a value is refused at once with the list, instead of failing at Jira
// later. Only what was fetched recently counts: an unknown or stale list refuses nothing
// (Jira may have gained the value since), so nothing is lost to an old answer.
import { editDistance } from './edit-distance.js';
import { isArrayType, splitList } from './field-shaping.js';
import type { CreateMetaField, CreateMetaIssueType } from './ports.js';
import { oneLine } from './safe-text.js';

/** One value Jira allows: its id and what a user types (an option's value, else its name). */
export interface AllowedValue {
  id: string;
  name: string;
}

/** What createmeta said for one project and issue type, and when. */
export interface AllowedValues {
  /** The project as the template names it (key or id) and the issue type's id and name. */
  project: string;
  issueTypeId: string;
  issueTypeName: string;
  /** When it was fetched (Clock ms). */
  fetchedAt: number;
  /** Field id → the values Jira allows (only fields with a closed set). `issuetype`: the project's issue types. */
  fields: Record<string, AllowedValue[]>;
  /** The statuses any workflow of the project has (every issue type), when Jira listed them. */
  statuses?: AllowedValue[];
}

/** How long a fetched list is trusted to refuse a line; older, it only serves the pick lists. */
export const ALLOWED_FRESH_MS = 10 * 60_000;
/** Bounds on what Jira sends: values kept per field, fields kept, characters per value. */
const MAX_VALUES = 500;
const MAX_FIELDS = 200;
const MAX_NAME = 120;

const DIGITS = /^\d+$/;

function toValue(raw: Record<string, unknown>): AllowedValue | null {
  const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : '';
  const text = typeof raw.value === 'string' ? raw.value : typeof raw.name === 'string' ? raw.name : typeof raw.key === 'string' ? raw.key : '';
  if (text === '' && id === '') return null;
  return { id: oneLine(id, 40), name: oneLine(text === '' ? id : text, MAX_NAME) };
}

/** The allowed values of a createmeta answer (bounded and made safe to show), with the project's issue types. */
export function allowedFromCreateMeta(
  project: string, issueType: CreateMetaIssueType, types: readonly CreateMetaIssueType[], fields: readonly CreateMetaField[], now: number,
  statuses?: readonly string[],
): AllowedValues {
  const out: Record<string, AllowedValue[]> = {};
  let kept = 0;
  for (const field of fields) {
    if (kept >= MAX_FIELDS || !Array.isArray(field.allowedValues) || typeof field.fieldId !== 'string' || field.fieldId === '') continue;
    // project and issuetype list only the current one in createmeta: not a choice.
    if (field.fieldId === 'project' || field.fieldId === 'issuetype') continue;
    const values = field.allowedValues.slice(0, MAX_VALUES).map((v) => (v && typeof v === 'object' ? toValue(v) : null)).filter((v): v is AllowedValue => v !== null);
    if (values.length === 0) continue;
    out[field.fieldId] = values;
    kept++;
  }
  const issueTypes = types.slice(0, MAX_VALUES).filter((t) => t.subtask !== true).map((t) => ({ id: oneLine(t.id, 40), name: oneLine(t.name, MAX_NAME) }));
  if (issueTypes.length > 0) out.issuetype = issueTypes;
  const known = statuses?.slice(0, MAX_VALUES).map((name) => ({ id: '', name: oneLine(name, MAX_NAME) })).filter((v) => v.name !== '');
  return {
    project, issueTypeId: issueType.id, issueTypeName: oneLine(issueType.name, MAX_NAME), fetchedAt: now, fields: out,
    ...(known && known.length > 0 ? { statuses: known } : {}),
  };
}

/** Whether the list was made for this project and issue type (as a template or a line names them; ids or names). */
export function allowedFitsTarget(allowed: AllowedValues, project: string | undefined, issueType: string | undefined): boolean {
  if (project !== undefined && project.trim().toLowerCase() !== allowed.project.toLowerCase()) return false;
  if (issueType === undefined) return true;
  const t = issueType.trim();
  return t === allowed.issueTypeId || t.toLowerCase() === allowed.issueTypeName.toLowerCase();
}

/** The values of one field, or undefined when Jira gave no closed set for it. */
export function allowedFor(allowed: AllowedValues | null, fieldId: string): AllowedValue[] | undefined {
  return allowed?.fields[fieldId];
}

/** The values that contain `typed` (case-insensitive), those starting with it first: a pick list's filter. */
export function filterAllowed(values: readonly AllowedValue[], typed: string): AllowedValue[] {
  const t = typed.trim().toLowerCase();
  if (t === '') return [...values];
  const starts: AllowedValue[] = [];
  const contains: AllowedValue[] = [];
  for (const v of values) {
    const n = v.name.toLowerCase();
    if (n.startsWith(t) || v.id === typed.trim()) starts.push(v);
    else if (n.includes(t)) contains.push(v);
  }
  return [...starts, ...contains];
}

function matches(values: readonly AllowedValue[], item: string): boolean {
  const t = item.trim();
  if (DIGITS.test(t) && values.some((v) => v.id === t)) return true;
  // Case is not held against a value: some Jiras match names case-insensitively, and a
  // refusal Jira would not have made is worse than a late one.
  const lower = t.toLowerCase();
  return values.some((v) => v.name.toLowerCase() === lower);
}

function closest(values: readonly AllowedValue[], item: string): string | null {
  const w = item.trim().toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(3, Math.ceil(w.length / 3));
  for (const v of values) {
    const d = editDistance(w, v.name.toLowerCase(), bestDistance);
    if (d < bestDistance) [bestDistance, best] = [d, v.name];
  }
  return best ?? filterAllowed(values, item)[0]?.name ?? null;
}

/** The allowed values as a short list for a message: the first few, and how many more. */
export function listAllowed(values: readonly AllowedValue[], max = 12): string {
  const shown = values.slice(0, max).map((v) => v.name).join(', ');
  return values.length > max ? `${shown} … (${values.length - max} more)` : shown;
}

/**
 * Whether a typed value is among the values Jira allows for the field: null, or the reason,
 * actionable part first ("did you mean", then the list, then what was wrong). JSON values and empty ones are not
 * judged here (they are written as Jira's own shape, or clear the field).
 */
export function checkAllowed(allowed: AllowedValues | null, fieldId: string, type: string, label: string, value: string): string | null {
  const values = allowedFor(allowed, fieldId);
  if (values === undefined || allowed === null) return null;
  const v = value.trim();
  if (v === '' || v.startsWith('{') || v.startsWith('[')) return null;
  // A cascading select's parent is what the list holds ("EU > Paris" → EU).
  const items = isArrayType(type) ? splitList(v) : [type === 'option-with-child' ? v.split('>')[0] : v];
  for (const item of items) {
    if (item.trim() === '' || matches(values, item)) continue;
    const where = fieldId === 'issuetype' ? `project ${allowed.project}` : `${allowed.project} ${allowed.issueTypeName}`;
    return `${label}: ${pickOne(values, item)} — ${JSON.stringify(oneLine(item.trim(), 60))} is not a value Jira allows here (${where})`;
  }
  return null;
}

/** What to do about a value outside the list, for the head of a message: the nearest value, then the list. */
function pickOne(values: readonly AllowedValue[], item: string): string {
  const hint = closest(values, item);
  return `${hint === null ? 'pick' : `did you mean ${hint}? Pick`} one of ${listAllowed(values)}`;
}

/**
 * Why `status;NAME` is refused at once, or null. Jira moves a ticket to the status of that name,
 * or failing that through a transition of that name. A project's statuses can be listed without
 * admin rights but its transitions' own names cannot, so a name that is none of the statuses may
 * still be a transition's: only a near miss of a status (a typo such as "Doen") is refused here;
 * any other name goes to Jira, which judges it from where the ticket is (see docs/protocol.md).
 */
export function checkStatus(allowed: AllowedValues | null, value: string): string | null {
  const values = allowed?.statuses;
  if (!allowed || values === undefined || values.length === 0) return null;
  const v = value.trim();
  if (v === '' || matches(values, v)) return null;
  const typo = nearMiss(values, v);
  if (typo === null) return null;
  return `status: did you mean ${typo}? Pick one of ${listAllowed(values)} — no workflow of project ${allowed.project} has a status ${JSON.stringify(oneLine(v, 60))}`;
}

/** The value one or two edits away from `item` (a typo), or null: never a guess by substring. */
function nearMiss(values: readonly AllowedValue[], item: string): string | null {
  const w = item.trim().toLowerCase();
  const limit = w.length <= 4 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const v of values) {
    const d = editDistance(w, v.name.toLowerCase(), bestDistance);
    if (d < bestDistance) [bestDistance, best] = [d, v.name];
  }
  return best;
}
