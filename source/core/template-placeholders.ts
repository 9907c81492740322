// Placeholders in the automatic CREATE template's values: `{guid}`, `{field:NAME}` (the
// value the line gives field NAME, empty when it gives none), `{now}` (when the line was
// accepted, ISO 8601 UTC) and `{date}` (that day, local calendar). Filled from the line when
// its CREATE is composed. Only `{name}` or `{name:argument}` with a name of letters, digits and
// `_` is a placeholder: other braces (a JSON value such as {"id": "10000"}) are text. An
// unknown name is refused when the template is saved or the config read, not when an alarm
// comes: a typo must not reach Jira as literal text in every ticket.
import { localDay } from './clock.js';
import type { AdvancedCommand } from './advanced-parse.js';
import type { FieldCatalogue } from './fields.js';

/** What the template's values may hold, as the error to a bad one lists it. */
export const PLACEHOLDERS_ALLOWED = '{guid}, {field:NAME}, {now} or {date}';

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;

/** Why a template value cannot be saved (its first bad placeholder), or null when it can. */
export function placeholderProblem(value: string): string | null {
  for (const m of value.matchAll(PLACEHOLDER)) {
    const [whole, name, arg] = m;
    const n = name.toLowerCase();
    if (n === 'field') {
      if (arg === undefined || arg.trim() === '') return `placeholder ${whole} names no field — write {field:NAME}, e.g. {field:summary}`;
    } else if (n === 'guid' || n === 'now' || n === 'date') {
      if (arg !== undefined) return `placeholder ${whole} takes no argument — write {${n}}`;
    } else {
      return `unknown placeholder ${whole} — use ${PLACEHOLDERS_ALLOWED}`;
    }
  }
  return null;
}

/** A template row whose value cannot be saved: which, and why. */
export interface TemplateProblem {
  index: number;
  field: string;
  why: string;
  /** The whole sentence: `template row "summary": unknown placeholder {host} — use …`. */
  message: string;
}

/** The first template row whose value holds a bad placeholder; null when all are fine. */
export function templateProblem(rows: ReadonlyArray<{ field: string; value: string }>): TemplateProblem | null {
  for (let i = 0; i < rows.length; i++) {
    const why = placeholderProblem(rows[i].value);
    if (why !== null) return { index: i, field: rows[i].field, why, message: `template row ${JSON.stringify(rows[i].field)}: ${why}` };
  }
  return null;
}

/** What a placeholder is filled from: the line, when it was accepted, and the catalogue to match field names. */
export interface PlaceholderSource {
  command: AdvancedCommand;
  acceptedAt: number;
  catalogue?: FieldCatalogue | null;
}

/** The value the line gives a field named (by id or name, as the catalogue resolves both), or ''. */
function lineValue(name: string, src: PlaceholderSource): string {
  const wanted = name.trim().toLowerCase();
  const idOf = (field: string): string | null => {
    const r = src.catalogue?.resolve(field.trim());
    return r && r.ok ? r.value.id : null;
  };
  const id = idOf(name);
  let found = '';
  // The last pair naming the field wins, as for the line itself.
  for (const pair of src.command.pairs) {
    if (pair.field.trim().toLowerCase() === wanted || (id !== null && idOf(pair.field) === id)) found = pair.value;
  }
  return found;
}

/** A template value with its placeholders filled from the line (values already checked on save). */
export function fillPlaceholders(value: string, src: PlaceholderSource): string {
  if (!value.includes('{')) return value;
  return value.replace(PLACEHOLDER, (whole, name: string, arg: string | undefined) => {
    switch (name.toLowerCase()) {
      case 'guid': return src.command.guid;
      case 'now': return new Date(src.acceptedAt).toISOString();
      case 'date': return localDay(src.acceptedAt);
      case 'field': return arg === undefined ? whole : lineValue(arg, src);
      default: return whole;
    }
  });
}

/** The template's rows with every value filled from the line. */
export function fillTemplate<R extends { value: string }>(rows: readonly R[], src: PlaceholderSource): R[] {
  // Every CREATE comes here: a template without placeholders (the usual one) is not copied row by row.
  if (!rows.some((row) => row.value.includes('{'))) return rows.slice();
  return rows.map((row) => ({ ...row, value: fillPlaceholders(row.value, src) }));
}
