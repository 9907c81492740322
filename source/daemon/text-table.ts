// A plain-text table for the non-JSON forms of `jiraline log` and `jiraline stats`:
// columns padded to their widest cell, so `column`/`less -S` users get what they expect,
// without loading ink for a one-shot print. Widths are found in one pass over the rows and
// the rows printed in a second, batch by batch, so a log of any length prints.
import { neutralise } from '../core/safe-text.js';

/** One column: its heading and whether numbers are right-aligned. */
export interface TextColumn {
  title: string;
  align?: 'left' | 'right';
}

/** The widest cell (or heading) of each column, over every batch of rows. */
export function columnWidths(columns: TextColumn[], batches: Iterable<string[][]>): number[] {
  const widths = columns.map((c) => c.title.length);
  for (const rows of batches) {
    for (const row of rows) {
      for (let i = 0; i < widths.length; i += 1) {
        const length = (row[i] ?? '').length;
        if (length > widths[i]) widths[i] = length;
      }
    }
  }
  return widths;
}

/** Rows as lines padded to the widths, two spaces between columns, no trailing spaces; control characters become spaces. */
export function renderRows(columns: TextColumn[], widths: number[], rows: string[][]): string {
  let out = '';
  for (const cells of rows) {
    out += `${columns.map((column, i) => {
      const cell = neutralise(cells[i] ?? '');
      return column.align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
    }).join('  ').trimEnd()}\n`;
  }
  return out;
}

/** Renders rows under their headings, two spaces between columns, no trailing spaces. */
export function renderTable(columns: TextColumn[], rows: string[][]): string {
  const widths = columnWidths(columns, [rows]);
  return renderRows(columns, widths, [columns.map((c) => c.title)]) + renderRows(columns, widths, rows);
}
