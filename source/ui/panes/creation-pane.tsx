// The Creation pane: the Create Query (JSON) and the Ticket Creation Table side
// by side (stacked below 100 columns), one draft behind both through the draft reducer.
// Table keys: ↑↓ rows, ←→ columns, Enter edits a cell, m Mode, d delete, a Add Field;
// Tab moves to the JSON, where Enter edits it in place and e opens $VISUAL/$EDITOR;
// x executes. t switches between the Manual draft (what x sends) and the automatic CREATE
// template (what every CREATE line starts from): two drafts, saved apart in the config
// (`draft` and `template`), so drafting a one-off ticket changes no automatic CREATE.
import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import Spinner from 'ink-spinner';
import { draftErrors, draftPayload, draftReducer, draftTemplate, initialDraft, type DraftAction, type DraftState } from '../../core/draft.js';
import { FieldCatalogue, shapeContextFor } from '../../core/fields.js';
import type { ExecuteResult } from '../../core/engine-api.js';
import type { FieldDef } from '../../core/ports.js';
import { footerHints, isKey, keysOf } from '../key-bindings.js';
import { STACK_BELOW } from '../layout.js';
import { useList } from '../hooks/use-list.js';
import { TextArea, followTop } from '../components/text-area.js';
import { Hyperlink } from '../components/hyperlink.js';
import { createValueStore, useValueStore, type ValueStore } from '../value-store.js';
import { AddFieldDialog } from './add-field-dialog.js';
import { CreationTable, tableColumns, type TableColumn } from './creation-table.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';
import { rowsOf, useSharedRows, type CreationTarget } from './creation-target.js';
import { templateProblem } from '../../core/template-placeholders.js';
import { useDetails } from '../components/full-text.js';
import { useFind } from '../hooks/use-find.js';
import { fieldCell } from './creation-table.js';
import { PickList, allowedForRow, pickFilter, pickedText, rowAllowedProblem, rowErrorText, startCursor, typeChoices } from './value-picker.js';
import { filterAllowed } from '../../core/allowed-values.js';

type Exec = { state: 'idle' } | { state: 'running' } | { state: 'done'; result: ExecuteResult } | { state: 'error'; error: string };

const creationFooter = footerHints([
  ['execute', 'Execute'], ['switch-template', 'draft/template'], ['add-field', 'Add Field'], ['toggle-mode', 'Mode'], ['delete-row', 'delete'], ['edit', 'edit cell'],
  [['left', 'right'], 'column'], ['next-region', 'JSON'], ['external-editor', '$EDITOR'], ['find', 'find'],
]);

/** The Create Query's title hint, written from the key table: editing it, focused on it, or on the table. */
export function jsonTitleHint(state: 'editing' | 'focused' | 'table'): string {
  if (state === 'editing') return `(editing: ${footerHints([['leave', 'leaves']])})`;
  if (state === 'focused') return `(${footerHints([[['up', 'down'], 'scroll'], ['edit', 'edits']])})`;
  return `(${keysOf('next-region')}, ${footerHints([['edit', 'edits']])})`;
}

/** The catalogue the draft shapes with: Jira's when the engine has it, else the built-in one. */
function catalogueOf(defs: FieldDef[] | null): FieldCatalogue {
  return defs ? FieldCatalogue.fromJira(defs) : FieldCatalogue.builtin();
}

/** The draft's store, kept in pane memory so it survives the app being remounted around $EDITOR.
 *  Made once per memory: later catalogue and connection changes arrive as actions. */
function draftStoreIn(props: PaneProps, target: CreationTarget): ValueStore<DraftState> {
  const { memory, services, snapshot } = props;
  const key = target === 'template' ? 'creation.template' : 'creation.draft';
  let store = memory.get(key) as ValueStore<DraftState> | undefined;
  if (!store) {
    const deployment = snapshot.connection.state === 'ok' ? snapshot.connection.serverInfo.deploymentType : undefined;
    const draft = initialDraft(rowsOf(services.settings.get().config, target), catalogueOf(services.engine.catalogue()), shapeContextFor(deployment, services.apiVersion));
    store = createValueStore(draft);
    memory.set(key, store);
  }
  return store;
}

/** The line of the Create Query where the field's key is written inside "fields", 0-based, or null. */
export function fieldLine(lines: readonly string[], field: string): number | null {
  const key = `${JSON.stringify(field)}:`;
  const start = lines.findIndex((l) => l.trimStart().startsWith('"fields"'));
  for (let i = Math.max(0, start); i < lines.length; i++) {
    if (lines[i].trimStart().startsWith(key)) return i;
  }
  return null;
}

/** What the pane's keyboard is doing: browsing, editing a cell or the JSON, or adding a field (one state, not three flags). */
type CreationMode = { kind: 'browse' } | { kind: 'cell'; index: number; column: TableColumn } | { kind: 'json' } | { kind: 'add-field' };
type CreationModeAction = { type: 'edit-cell'; index: number; column: TableColumn } | { type: 'edit-json' } | { type: 'add-field' } | { type: 'leave' };
const browsing: CreationMode = { kind: 'browse' };

/** Modes change only from browsing (one editor at a time) and always leave back to it. */
export function creationModeReducer(mode: CreationMode, action: CreationModeAction): CreationMode {
  if (action.type === 'leave') return browsing;
  if (mode.kind !== 'browse') return mode;
  if (action.type === 'edit-cell') return { kind: 'cell', index: action.index, column: action.column };
  return action.type === 'edit-json' ? { kind: 'json' } : { kind: 'add-field' };
}

/** The Creation pane. */
export function CreationPane(props: PaneProps): React.JSX.Element {
  const { services, snapshot, isActive, width, height, setMode, memory } = props;
  const engine = services.engine;
  const [target, setTarget] = useRemembered<CreationTarget>(memory, 'creation.target', 'draft');
  const store = draftStoreIn(props, target);
  const draftStore = draftStoreIn(props, 'draft');
  const templateStore = draftStoreIn(props, 'template');
  const draft = useValueStore(store);
  const dispatch = (action: DraftAction) => store.set((s) => draftReducer(s, action));
  const [region, setRegion] = useState<'table' | 'json'>('table');
  const [column, setColumn] = useState<TableColumn>('Value');
  const [mode, changeMode] = useReducer(creationModeReducer, browsing);
  const cellEdit = mode.kind === 'cell' ? { index: mode.index, column: mode.column } : null;
  const jsonEditing = mode.kind === 'json';
  const adding = mode.kind === 'add-field';
  const [exec, setExec] = useState<Exec>({ state: 'idle' });
  const [message, setMessage] = useState<string | null>(null);

  // Jira's catalogue or deployment arriving after the draft was made: shape the rows again.
  const defs = snapshot.catalogue;
  const deployment = snapshot.connection.state === 'ok' ? snapshot.connection.serverInfo.deploymentType : undefined;
  const seen = useRef({ defs, deployment });
  useEffect(() => {
    if (seen.current.defs === defs && seen.current.deployment === deployment) return;
    seen.current = { defs, deployment };
    const action: DraftAction = { type: 'set-catalogue', catalogue: catalogueOf(defs), ctx: shapeContextFor(deployment, services.apiVersion) };
    for (const s of [draftStore, templateStore]) s.set((d) => draftReducer(d, action));
  });

  // The rows shown are saved to the config whenever they change: the Manual draft as `draft`,
  // the automatic template as `template` — unless a value holds a placeholder the template
  // does not know (said under the table until fixed; the config keeps the last good template).
  const rows = useMemo(() => draftTemplate(draft), [draft]);
  const templateBad = target === 'template' ? templateProblem(rows) : null;
  const lastSaved = useRef<Record<CreationTarget, string | null>>({ draft: null, template: null });
  useEffect(() => {
    const current = services.settings.get().config;
    const text = JSON.stringify(rows);
    if (JSON.stringify(rowsOf(current, target)) === text || templateProblem(target === 'template' ? rows : []) !== null) return;
    lastSaved.current[target] = text;
    const next = target === 'template' ? { ...current, template: rows } : { ...current, draft: rows };
    services.saveConfig(next).catch((error: unknown) => setMessage(`Could not save the ${target === 'template' ? 'template' : 'Manual draft'}: ${(error as Error).message}`));
  }, [rows, target, services]);

  // Changed elsewhere (another app attached to the same engine): shown here.
  useSharedRows(services.settings, 'template', templateStore, lastSaved.current);
  useSharedRows(services.settings, 'draft', draftStore, lastSaved.current);

  const stacked = width < STACK_BELOW;
  const jsonWidth = stacked ? width - 2 : Math.floor((width - 3) * 0.45);
  const tableWidth = stacked ? width - 2 : width - 3 - jsonWidth;
  const footer = 4;
  // Side by side: both as tall as the pane less titles and footer. Stacked: the table as
  // tall as its rows (up to half), the Create Query the rest.
  const stackedTable = Math.max(1, Math.min(draft.rows.length, Math.floor((height - footer - 4) / 2)));
  const jsonHeight = Math.max(3, stacked ? height - footer - 4 - stackedTable : height - footer - 2);
  const tableHeight = Math.max(1, stacked ? stackedTable : height - footer - 2);
  const list = useList(draft.rows.length, tableHeight);
  const w = list.window;
  const row = draft.rows[w.cursor];
  const find = useFind(() => draft.rows.map((r) => `${fieldCell(r)} ${r.name} ${r.value}`), (index) => {
    setRegion('table');
    list.set({ cursor: index, top: Math.max(0, index - tableHeight + 1) });
  });
  useModeSync(setMode, cellEdit !== null || jsonEditing || adding || find.open);

  // The Create Query follows the selected row (its field's line in view and highlighted);
  // with the focus on it, ↑↓ PgUp PgDn Home End scroll it from there.
  const jsonLines = useMemo(() => draft.text.split('\n'), [draft.text]);
  const followLine = row && row.mode === 'Include' ? fieldLine(jsonLines, row.field) : null;
  const [jsonScroll, setJsonScroll] = useState<number | null>(null);
  const followedTop = followLine === null ? 0 : followTop(followLine, jsonHeight, jsonLines.length);
  const maxTop = Math.max(0, jsonLines.length - jsonHeight);
  const jsonTop = region === 'json' && jsonScroll !== null ? Math.min(jsonScroll, maxTop) : followedTop;
  const scrollJson = (input: string, key: Parameters<typeof isKey>[2]): boolean => {
    const moves: Array<[Parameters<typeof isKey>[0], number]> = [
      ['up', jsonTop - 1], ['down', jsonTop + 1], ['page-up', jsonTop - jsonHeight], ['page-down', jsonTop + jsonHeight], ['home', 0], ['end', maxTop],
    ];
    const move = moves.find(([action]) => isKey(action, input, key));
    if (!move) return false;
    setJsonScroll(Math.max(0, Math.min(maxTop, move[1])));
    return true;
  };

  // A Value cell being edited whose field has values Jira allows, or a Type cell (the types a
  // row can be shaped as): a pick list, filtered by the text typed.
  const allowed = snapshot.allowed;
  const pickingType = cellEdit?.column === 'Type';
  const pickRow = cellEdit && (cellEdit.column === 'Value' || pickingType) ? draft.rows[cellEdit.index] : undefined;
  const pickValues = pickingType ? (pickRow ? typeChoices : undefined) : allowedForRow(allowed, draft.rows, pickRow);
  // A type is one word; a value of a list field is picked item by item.
  const pickShape = pickingType ? 'string' : pickRow?.type ?? 'string';
  const pickStart = (pickingType ? pickRow?.type : pickRow?.value) ?? '';
  // typed: the text since the editor opened (null: nothing typed yet, the whole list shows).
  const [pick, setPick] = useState<{ typed: string | null; cursor: number } | null>(null);
  const pickText = pick?.typed ?? pickStart;
  const pickFilterText = pickRow ? pickFilter(pickShape, pick?.typed ?? null) : '';
  const pickCursor = pick?.cursor ?? (pickValues && pickRow ? startCursor(pickValues, pickShape, pickStart) : 0);
  const notAllowed = useMemo(() => new Set(draft.rows.filter((r) => rowAllowedProblem(allowed, draft.rows, r) !== null).map((r) => r.id)), [allowed, draft.rows]);
  const rowNotAllowed = row ? (notAllowed.has(row.id) ? rowAllowedProblem(allowed, draft.rows, row) : null) : null;
  useKeys((_input, key) => {
    if (!pickValues || !pickRow) return;
    const count = filterAllowed(pickValues, pickFilterText).length;
    const typed = pick?.typed ?? null;
    if (key.upArrow) setPick({ typed, cursor: Math.max(0, pickCursor - 1) });
    else if (key.downArrow) setPick({ typed, cursor: Math.min(Math.max(0, count - 1), pickCursor + 1) });
  }, { isActive: isActive && pickValues !== undefined });

  const execute = () => {
    if (target === 'template') {
      setMessage('press t to switch to the Manual draft: x executes it, not the automatic template');
      return;
    }
    if (draft.jsonError) {
      setMessage('Fix the JSON error shown under the Create Query first: x sends only valid JSON');
      return;
    }
    setMessage(null);
    setExec({ state: 'running' });
    engine.execute(draftPayload(draft)).then(
      (result) => setExec({ state: 'done', result }),
      (error: unknown) => setExec({ state: 'error', error: (error as Error).message }),
    );
  };

  const openEditor = () => {
    setMessage(null);
    services.openEditor(draft.text).then((outcome) => {
      if (outcome.ok) store.set((s) => draftReducer(s, { type: 'set-text', text: outcome.text }));
      else setMessage(outcome.error);
    }, (error: unknown) => setMessage((error as Error).message));
  };

  useKeys((input, key) => {
    setMessage(null);
    if (isKey('next-region', input, key) || isKey('prev-region', input, key)) {
      setJsonScroll(null);
      setRegion((r) => (r === 'table' ? 'json' : 'table'));
    }
    else if (isKey('execute', input, key)) execute();
    else if (isKey('switch-template', input, key)) setTarget((t) => (t === 'draft' ? 'template' : 'draft'));
    else if (isKey('external-editor', input, key)) openEditor();
    else if (isKey('add-field', input, key)) changeMode({ type: 'add-field' });
    else if (isKey('find', input, key)) find.start();
    else if (region === 'json') {
      if (isKey('edit', input, key)) changeMode({ type: 'edit-json' });
      else scrollJson(input, key);
    } else {
      const ci = tableColumns.indexOf(column);
      if (list.keyMove(input, key)) return;
      else if (isKey('left', input, key)) setColumn(tableColumns[Math.max(0, ci - 1)]);
      else if (isKey('right', input, key)) setColumn(tableColumns[Math.min(tableColumns.length - 1, ci + 1)]);
      else if (!row) return;
      else if (isKey('toggle-mode', input, key)) dispatch({ type: 'toggle-mode', index: w.cursor });
      else if (isKey('delete-row', input, key)) dispatch({ type: 'delete-row', index: w.cursor });
      else if (isKey('edit', input, key)) {
        if (column === 'Mode') dispatch({ type: 'toggle-mode', index: w.cursor });
        else changeMode({ type: 'edit-cell', index: w.cursor, column });
      }
    }
  }, { isActive: isActive && cellEdit === null && !jsonEditing && !adding && !find.open });

  const commitCell = (text: string) => {
    if (!cellEdit) return;
    const { index, column: c } = cellEdit;
    setPick(null);
    const picked = pickValues && pickRow ? pickedText(pickValues, pickShape, text, pickFilterText, pickCursor) : text;
    if (c === 'Value') dispatch({ type: 'edit-value', index, value: picked });
    else if (c === 'Field') dispatch({ type: 'edit-field', index, field: text });
    // An emptied Type cell goes back to the catalogue's type (the list would pick its first entry).
    else if (c === 'Type') dispatch({ type: 'set-type', index, rowType: text.trim() === '' ? '' : picked.trim() });
    changeMode({ type: 'leave' });
  };

  const jiraErrors = exec.state === 'done' && !exec.result.ok ? exec.result.fieldErrors : {};
  const rowErrors = draftErrors(draft);
  const selectedJiraError = row ? jiraErrors[row.field] : undefined;
  useDetails(props.details, () => [
    { title: 'Selected row', lines: row ? [
      `${fieldCell(row)}: ${row.value}`, `Type ${row.type} · ${row.mode}`,
      ...(selectedJiraError ? [`! Jira: ${selectedJiraError}`] : []),
      ...(row.error ? [`✗ ${rowErrorText(row, allowedForRow(allowed, draft.rows, row))}`] : []),
      ...(rowNotAllowed ? [`? ${rowNotAllowed}`] : []),
    ] : [] },
    { title: 'Messages', lines: [
      ...(exec.state === 'idle' ? [] : [executeText(exec)]),
      ...(draft.jsonError ? [`✗ line ${draft.jsonError.line}, column ${draft.jsonError.column}: ${draft.jsonError.message}`] : []),
      ...rowErrors.map((e) => `✗ ${e}`),
      ...(message || draft.notice ? [message ?? draft.notice ?? ''] : []),
    ] },
    { title: 'Keys', lines: [creationFooter] },
  ]);

  if (adding) {
    return (
      <AddFieldDialog catalogue={draft.catalogue} present={new Set(draft.rows.map((r) => r.field))} width={width} height={height} isActive={isActive}
        onAdd={(added) => {
          changeMode({ type: 'leave' });
          dispatch({ type: 'add-row', field: added.field, rowType: added.rowType });
          list.set({ cursor: draft.rows.length, top: Math.max(0, draft.rows.length - tableHeight + 1) });
          setColumn('Value');
        }}
        onCancel={() => changeMode({ type: 'leave' })} />
    );
  }

  const json = (
    <Box flexDirection="column" width={jsonWidth}>
      <Text bold inverse={region === 'json' && !jsonEditing} wrap="truncate-end">{target === 'template' ? 'Template JSON' : 'Create Query'} <Text dimColor>{jsonTitleHint(jsonEditing ? 'editing' : region === 'json' ? 'focused' : 'table')}</Text></Text>
      <TextArea text={draft.text} isActive={isActive && jsonEditing} width={jsonWidth} height={jsonHeight}
        errorLine={draft.jsonError?.line ?? null} viewTop={jsonTop} markLine={region === 'table' ? followLine : null}
        onChange={(text) => dispatch({ type: 'set-text', text })}
        onLeave={() => changeMode({ type: 'leave' })} />
      {draft.jsonError
        ? <Text color="red" wrap="truncate-end">✗ JSON error at line {draft.jsonError.line}, column {draft.jsonError.column}</Text>
        : <Text dimColor>valid JSON</Text>}
    </Box>
  );
  const table = (
    <Box flexDirection="column" width={tableWidth}>
      <Text bold inverse={region === 'table' && cellEdit === null} wrap="truncate-end">
        <Text color={target === 'template' ? 'magenta' : 'cyan'}>{target === 'template' ? 'Automatic CREATE template' : 'Manual draft'}</Text>
        {' · '}Ticket Creation Table <Text dimColor>({draft.rows.length} rows) t: {target === 'template' ? 'Manual draft' : 'automatic template'}</Text>
      </Text>
      <CreationTable rows={draft.rows} top={w.top} height={tableHeight} width={tableWidth} cursor={w.cursor} column={column}
        focused={region === 'table'} editing={cellEdit} isActive={isActive} jiraErrors={jiraErrors}
        onCommit={commitCell} onCancel={() => {
          setPick(null);
          changeMode({ type: 'leave' });
        }}
        picking={pickValues !== undefined} notAllowed={notAllowed}
        {...(pickValues ? { editValue: pickText, onEditChange: (text: string) => setPick({ typed: text, cursor: 0 }) } : {})} />
    </Box>
  );

  // The pick list stands where the Create Query is while a value is chosen.
  const picker = pickValues && pickRow
    ? <PickList values={pickValues} filter={pickFilterText} cursor={pickCursor} width={jsonWidth} height={jsonHeight + 2}
      title={pickingType ? `Types ${pickRow.name} can be sent as` : `Values Jira allows for ${pickRow.name}`}
      {...(pickingType ? { noMatch: `? no such type: Backspace shows the types, ${footerHints([['leave', 'leaves']])}` } : {})} />
    : null;

  return (
    <Box flexDirection="column" paddingX={1} height={height}>
      <Box flexDirection={stacked ? 'column' : 'row'} gap={stacked ? 0 : 1} flexGrow={1} overflow="hidden">
        {stacked ? table : picker ?? json}
        {stacked ? picker ?? json : table}
      </Box>
      <Box flexDirection="column" height={footer} flexShrink={0}>
        {target === 'template' ? <Text dimColor wrap="truncate-end">every CREATE line starts from these rows; values may hold {'{guid} {field:NAME} {now} {date}'}</Text> : <ExecuteLine exec={exec} />}
        {templateBad ? <Text color="red" wrap="truncate-end">✗ not saved — {templateBad.field}: {templateBad.why}</Text>
          : draft.jsonError ? <Text color="red" wrap="truncate-end">✗ line {draft.jsonError.line}, column {draft.jsonError.column}: {draft.jsonError.message}</Text>
          : selectedJiraError ? <Text color="red" wrap="truncate-end">! {row?.field}: {selectedJiraError}</Text>
          : row?.error && row.mode === 'Include' ? <Text color="red" wrap="truncate-end">✗ {rowErrorText(row, allowedForRow(allowed, draft.rows, row))} (left out of the JSON)</Text>
          : rowNotAllowed ? <Text color="yellow" wrap="truncate-end">? {rowNotAllowed} (Jira would refuse it)</Text>
          : rowErrors.length > 0 ? <Text color="red" wrap="truncate-end">✗ {rowErrors.length} row{rowErrors.length === 1 ? '' : 's'} left out of the JSON: {rowErrors[0]}</Text>
          : <Text> </Text>}
        {find.open ? find.box(width - 2, isActive)
          : message || draft.notice ? <Text color="yellow" wrap="truncate-end">{message ?? draft.notice}</Text> : <Text> </Text>}
        <Text dimColor wrap="truncate-end">{creationFooter}</Text>
      </Box>
    </Box>
  );
}

/** The outcome of the last Execute as one text (the full-text view). */
function executeText(exec: Exec): string {
  if (exec.state === 'running') return 'Executing: sending the create to Jira…';
  if (exec.state === 'error') return `Execute failed: ${exec.error}`;
  if (exec.state === 'done' && exec.result.ok) return `Created ${exec.result.ticketKey}  ${exec.result.ticketUrl}`;
  if (exec.state === 'done' && !exec.result.ok) return `Jira refused it: ${refusalText(exec.result)}`;
  return '';
}

function refusalText(r: Extract<ExecuteResult, { ok: false }>): string {
  const parts = [...r.messages, ...Object.entries(r.fieldErrors).map(([f, m]) => `${f}: ${m}`)];
  return parts.length > 0 ? parts.join('; ') : r.error;
}

/** The outcome of the last Execute: a spinner, the key and URL, or Jira's errors. */
function ExecuteLine({ exec }: { exec: Exec }): React.JSX.Element {
  if (exec.state === 'running') return <Text color="yellow"><Spinner type="dots" /> Executing: sending the create to Jira…</Text>;
  if (exec.state === 'error') return <Text color="red" wrap="truncate-end">Execute failed: {exec.error}</Text>;
  if (exec.state === 'done' && exec.result.ok) {
    return <Text wrap="truncate-end"><Text color="green" bold>Created {exec.result.ticketKey}</Text>  <Hyperlink url={exec.result.ticketUrl} /></Text>;
  }
  if (exec.state === 'done' && !exec.result.ok) {
    return <Text color="red" wrap="truncate-end">Jira refused it: {refusalText(exec.result)}</Text>;
  }
  return <Text dimColor>x executes the Create Query (logged as Manual)</Text>;
}
