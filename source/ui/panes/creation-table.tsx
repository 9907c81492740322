// The Ticket Creation Table as drawn: Field, Value, Type, Mode, with the focused cell
// (or its in-place editor), rows the draft cannot send marked ✗ and rows Jira refused
// on Execute marked !, values outside the ones Jira allows marked ? (still sent).
import React from 'react';
import { Box, Text } from 'ink';
import type { DraftRow } from '../../core/draft.js';
import { fit } from '../components/windowed-table.js';
import { TextInput } from '../components/text-input.js';
import { tableWidths as previewWidths } from '../template-preview.js';

/** The table's columns, in order. */
export const tableColumns = ['Field', 'Value', 'Type', 'Mode'] as const;
/** A column of the table. */
export type TableColumn = (typeof tableColumns)[number];

/** How a row names its field: the id for system fields, "Name (id)" for custom ones. */
export function fieldCell(row: DraftRow): string {
  return row.name !== row.field && /^customfield_/i.test(row.field) ? `${row.name} (${row.field})` : row.field;
}

/** The text of a cell (also what its editor starts from). */
export function cellText(row: DraftRow, column: TableColumn): string {
  switch (column) {
    case 'Field': return fieldCell(row);
    case 'Value': return row.value;
    case 'Type': return row.type;
    case 'Mode': return row.mode;
  }
}

/** What a cell's editor starts from: the field id (a name with an id would not resolve), else the cell. */
export function editText(row: DraftRow, column: TableColumn): string {
  return column === 'Field' ? row.field : cellText(row, column);
}

/** Props of CreationTable. */
export interface CreationTableProps {
  rows: DraftRow[];
  top: number;
  height: number;
  width: number;
  cursor: number;
  column: TableColumn;
  focused: boolean;
  /** The cell being edited (row index and column), or null. */
  editing: { index: number; column: TableColumn } | null;
  isActive: boolean;
  /** Jira's field errors from the last Execute, by field id. */
  jiraErrors: Record<string, string>;
  onCommit(text: string): void;
  onCancel(): void;
  /** The text of the cell being edited, as typed (a pick list filters by it). */
  onEditChange?(text: string): void;
  /** With onEditChange: the editor's current text (kept by the owner). */
  editValue?: string;
  /** A pick list under the editor takes ↑↓. */
  picking?: boolean;
  /** Rows whose value Jira does not allow (still sent: the list may be old), by row id. */
  notAllowed?: ReadonlySet<number>;
}

/** Column widths for a table this wide (the first frame draws the template with the same). */
export function tableWidths(width: number): Record<TableColumn, number> {
  return previewWidths(width);
}

/** The table, a window of `height` rows from `top`. */
export function CreationTable(props: CreationTableProps): React.JSX.Element {
  const { rows, top, height, width, cursor, column, focused, editing, isActive, jiraErrors, onCommit, onCancel, onEditChange, picking, notAllowed, editValue } = props;
  const widths = tableWidths(width);
  const shown = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">{'  '}{tableColumns.map((c) => fit(c, widths[c])).join(' ')}</Text>
      {rows.length === 0 ? <Text dimColor>No rows: press a to add a field.</Text> : null}
      {shown.map((row, i) => {
        const index = top + i;
        const isCursor = index === cursor;
        const mark = jiraErrors[row.field] !== undefined ? '!' : row.error !== null && row.mode === 'Include' ? '✗' : notAllowed?.has(row.id) ? '?' : ' ';
        return (
          <Box key={row.id}>
            <Text color={mark === ' ' ? undefined : mark === '?' ? 'yellow' : 'red'}>{mark} </Text>
            {tableColumns.map((c, ci) => {
              const sep = ci < tableColumns.length - 1 ? ' ' : '';
              if (editing && editing.index === index && editing.column === c) {
                return (
                  <Box key={c} width={widths[c] + sep.length}>
                    <TextInput value={onEditChange && editValue !== undefined ? editValue : editText(row, c)} isActive={isActive} width={widths[c]} onSubmit={onCommit} onCancel={onCancel}
                      noArrows={picking} {...(onEditChange ? { onChange: onEditChange } : {})} />
                  </Box>
                );
              }
              const selected = isCursor && c === column;
              const dim = row.mode === 'Exclude';
              return (
                <Text key={c} inverse={selected && focused} underline={selected && !focused} dimColor={dim}
                  color={c === 'Mode' ? (row.mode === 'Include' ? 'green' : 'gray') : undefined}>
                  {fit(cellText(row, c), widths[c])}{sep}
                </Text>
              );
            })}
          </Box>
        );
      })}
    </Box>
  );
}
