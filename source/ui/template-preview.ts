// The Ticket Creation Table as the config's template gives it, drawn before anything else
// has loaded (the early frame and the splash): what the user starts the app for is on
// screen within the first moments, and the engine, the store, Ink and React load behind it.
// No Ink here: the early frame is written with plain escape codes. The widths and the place
// are the Creation pane's, so its own first frame draws over the same cells.
import { BUILTIN_FIELDS } from '../core/builtin-fields.js';
import type { TemplateRow } from '../core/config.js';
import { fieldType } from '../core/field-shaping.js';
import { neutralise } from '../core/safe-text.js';
import { STACK_BELOW } from './layout.js';

/** The Type column before Jira's catalogue is known: the row's own, or the built-in field's. */
function previewType(row: TemplateRow): string {
  if (row.type) return row.type;
  const def = BUILTIN_FIELDS.find((d) => d.id === row.field.toLowerCase());
  return def ? fieldType(def) : '';
}

/** Column widths of the Creation table this wide (the Creation pane uses the same). */
export function tableWidths(width: number): { Field: number; Value: number; Type: number; Mode: number } {
  const mark = 2;
  const mode = 7;
  const type = Math.min(16, Math.max(8, Math.floor(width * 0.18)));
  const field = Math.min(28, Math.max(10, Math.floor(width * 0.3)));
  const value = Math.max(8, width - mark - mode - type - field - 3);
  return { Field: field, Value: value, Type: type, Mode: mode };
}

/** Where the table sits in a pane this wide (0-based column) and how wide it is. */
export function tablePlace(columns: number): { left: number; width: number } {
  if (columns < STACK_BELOW) return { left: 1, width: columns - 2 };
  const jsonWidth = Math.floor((columns - 3) * 0.45);
  return { left: 1 + jsonWidth + 1, width: columns - 3 - jsonWidth };
}

const fitTo = (text: string, width: number): string => {
  const chars = Array.from(neutralise(text));
  return chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text.padEnd(width);
};

/** The table's lines (title, header, up to `maxRows` template rows), each `width` wide at most. */
export function templatePreview(template: readonly TemplateRow[], width: number, maxRows: number): string[] {
  const w = tableWidths(width);
  const line = (cells: [string, string, string, string]) => `  ${fitTo(cells[0], w.Field)} ${fitTo(cells[1], w.Value)} ${fitTo(cells[2], w.Type)} ${fitTo(cells[3], w.Mode)}`.trimEnd();
  const rows = template.slice(0, Math.max(0, maxRows)).map((r) => line([r.field, r.value, previewType(r), r.mode ?? 'Include']));
  return [`Ticket Creation Table (${template.length} rows)`, line(['Field', 'Value', 'Type', 'Mode']), ...rows];
}
