// A table that draws only the rows it is given (the visible window). The owner fetches
// exactly those rows (e.g. the Log pane asks the engine for offset/limit), so 100,000
// rows cost the same to draw as 20.
import React from 'react';
import { Box, Text } from 'ink';
import { osc8 } from './hyperlink.js';
import { neutralise } from '../../core/safe-text.js';

/** One column: its title, width in cells, and what a row shows in it. */
export interface Column<T> {
  title: string;
  width: number;
  cell(row: T): string;
  /** When given and non-null, the cell is a terminal hyperlink to this URL. */
  link?(row: T): string | null;
  color?(row: T): string | undefined;
}

/** Props of WindowedTable. */
export interface WindowedTableProps<T> {
  columns: Array<Column<T>>;
  /** Only the rows to draw. */
  rows: T[];
  /** Index into `rows` of the selected row, or null. */
  selected: number | null;
  /** Whether the table has the focus (the selection is drawn inverse then, else dim). */
  focused?: boolean;
  rowKey(row: T, index: number): string | number;
  emptyText?: string;
  /** Rows to reserve (empty ones are padded), so the frame does not jump. */
  height?: number;
}

/** Cuts or pads to exactly `width` cells (an ellipsis marks a cut); control characters (ESC, newlines) become spaces. */
export function fit(text: string, width: number): string {
  const flat = neutralise(text.replace(/[\r\n\t]+/g, ' '));
  const chars = Array.from(flat);
  if (chars.length <= width) return flat + ' '.repeat(width - chars.length);
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/** A header line and one line per row. */
export function WindowedTable<T>({ columns, rows, selected, focused = true, rowKey, emptyText = '(empty)', height }: WindowedTableProps<T>): React.JSX.Element {
  const header = columns.map((c) => fit(c.title, c.width)).join(' ');
  const padding = height !== undefined ? Math.max(0, height - Math.max(rows.length, 1)) : 0;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{header}</Text>
      {rows.length === 0 ? <Text dimColor>{emptyText}</Text> : null}
      {rows.map((row, index) => {
        const isSelected = index === selected;
        return (
          <Text key={rowKey(row, index)} wrap="truncate-end" inverse={isSelected && focused} bold={isSelected && !focused}>
            {columns.map((column, ci) => {
              const text = fit(column.cell(row), column.width);
              const url = column.link?.(row) ?? null;
              const sep = ci < columns.length - 1 ? ' ' : '';
              return (
                <Text key={ci} color={column.color?.(row)}>
                  {url ? osc8(url, text) : text}{sep}
                </Text>
              );
            })}
          </Text>
        );
      })}
      {padding > 0 ? <Box height={padding} /> : null}
    </Box>
  );
}
