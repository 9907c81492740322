// A plain-text table for the non-JSON forms of `jiraline log` and `jiraline stats`:
// columns padded to their widest cell, so `column`/`less -S` users get what they expect,
// without loading ink for a one-shot print.

/** One column: its heading and whether numbers are right-aligned. */
export interface TextColumn {
  title: string;
  align?: 'left' | 'right';
}

/** Renders rows under their headings, two spaces between columns, no trailing spaces. */
export function renderTable(columns: TextColumn[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells
    .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].map((l) => `${l}\n`).join('');
}
