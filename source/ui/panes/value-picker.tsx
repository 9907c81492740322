// The pick list of a Value cell being edited: the values Jira allows for the field (for the
// draft's project and issue type; the issuetype row: the project's issue types), or of a Type
// cell: the types a row can be shaped as. Filtered by what is typed, ↑↓ to choose, Enter takes the
// highlighted one (for a list field, as its last item). A text nothing matches is kept as typed:
// the list may be older than Jira's.
import React from 'react';
import { Box, Text } from 'ink';
import { allowedFitsTarget, checkAllowed, filterAllowed, listAllowed, type AllowedValue, type AllowedValues } from '../../core/allowed-values.js';
import { fieldLabel } from '../../core/fields.js';
import type { DraftRow } from '../../core/draft.js';
import { FIELD_TYPES, isArrayType } from '../../core/fields.js';
import { clampWindow } from '../components/list-window.js';
import { footerHints } from '../key-bindings.js';

/** The list's key hint, written from the key table. */
export function pickListHints(): string {
  return `type filters · ${footerHints([[['up', 'down'], 'choose'], ['commit', 'takes'], ['leave', 'leaves']])}`;
}

/** The Type column's choices: every type a row can be shaped as (another is refused). */
export const typeChoices: AllowedValue[] = FIELD_TYPES.map((t) => ({ id: t, name: t }));

/** The project and issue type the draft's included rows name. */
export function draftTarget(rows: readonly DraftRow[]): { project?: string; issueType?: string } {
  const value = (id: string) => rows.find((r) => r.field === id && r.mode === 'Include')?.value;
  return { project: value('project'), issueType: value('issuetype') };
}

/** The allowed values of a row's field, when the list was made for the draft's project and issue type. */
export function allowedForRow(allowed: AllowedValues | null | undefined, rows: readonly DraftRow[], row: DraftRow | undefined): AllowedValue[] | undefined {
  if (!allowed || !row) return undefined;
  const target = draftTarget(rows);
  // The issue types are the project's; other fields' values are the issue type's as well.
  if (!allowedFitsTarget(allowed, target.project, row.field === 'issuetype' ? undefined : target.issueType)) return undefined;
  return allowed.fields[row.field];
}

/** Why a row's value is not one Jira allows (the row is still sent: the list may be old), or null. */
export function rowAllowedProblem(allowed: AllowedValues | null | undefined, rows: readonly DraftRow[], row: DraftRow): string | null {
  if (row.mode !== 'Include' || allowedForRow(allowed, rows, row) === undefined || !allowed) return null;
  return checkAllowed(allowed, row.field, row.type, row.field, row.value);
}

/**
 * A row's ✗ error as the line under the table says it: the values to pick first when Jira
 * listed them (at 80 columns the end of the line is cut), and the field named once.
 */
export function rowErrorText(row: DraftRow, values: readonly AllowedValue[] | undefined): string {
  const error = row.error ?? '';
  const label = fieldLabel({ id: row.field, name: row.name, custom: /^customfield_/i.test(row.field) });
  const named = error.startsWith(label) ? error : `${row.field}: ${error}`;
  return values && values.length > 0 ? `${row.name}: pick one of ${listAllowed(values)} — ${named}` : named;
}

/** The part of the typed text the list filters by: the last item of a list field. */
function lastItem(type: string, text: string): { head: string; item: string } {
  if (!isArrayType(type)) return { head: '', item: text };
  const at = text.lastIndexOf(',');
  return at < 0 ? { head: '', item: text } : { head: text.slice(0, at + 1), item: text.slice(at + 1) };
}


/** The text the list filters by: what was typed since the editor opened (its last item for a list field), or nothing. */
export function pickFilter(type: string, typed: string | null): string {
  return typed === null ? '' : lastItem(type, typed).item;
}

/** Where the cursor starts: on the value the cell holds, if the list has it. */
export function startCursor(values: readonly AllowedValue[], type: string, value: string): number {
  const item = lastItem(type, value).item.trim().toLowerCase();
  return Math.max(0, values.findIndex((v) => v.name.toLowerCase() === item));
}

/** What Enter commits: the text with its (last) item replaced by the highlighted choice, or the text as typed when none matches. */
export function pickedText(values: readonly AllowedValue[], type: string, text: string, filter: string, cursor: number): string {
  const choices = filterAllowed(values, filter);
  if (choices.length === 0) return text;
  return lastItem(type, text).head + choices[Math.min(cursor, choices.length - 1)].name;
}

/** Props of PickList. */
export interface PickListProps {
  values: AllowedValue[];
  filter: string;
  cursor: number;
  /** What the list holds, for its title. */
  title: string;
  /** Said when nothing matches (default: the text is kept as typed). */
  noMatch?: string;
  width: number;
  height: number;
}

/** The list as drawn (the keys are the Creation pane's). */
export function PickList({ values, filter, cursor, title, noMatch, width, height }: PickListProps): React.JSX.Element {
  const choices = filterAllowed(values, filter);
  const rows = Math.max(1, height - 2);
  const w = clampWindow({ cursor, top: cursor - rows + 1 }, choices.length, rows);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan" wrap="truncate-end">{title} <Text dimColor>({choices.length} of {values.length})</Text></Text>
      {choices.length === 0
        ? <Text color={noMatch ? 'yellow' : undefined} dimColor={!noMatch} wrap="truncate-end">{noMatch ?? 'No match: Enter keeps the text.'}</Text>
        : choices.slice(w.top, w.top + rows).map((v, i) => (
          <Text key={`${v.id}:${v.name}`} inverse={w.top + i === w.cursor} wrap="truncate-end">{v.name}</Text>
        ))}
      <Text dimColor wrap="truncate-end">{pickListHints()}</Text>
    </Box>
  );
}
