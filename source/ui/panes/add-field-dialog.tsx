// Add Field: a searchable list of the fields Jira reports (system and custom, by name,
// id and type), or a free custom field id with a type chosen from the built-in types.
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { FieldCatalogue } from '../../core/fields.js';
import { FIELD_TYPES } from '../../core/fields.js';
import type { FieldDef } from '../../core/ports.js';
import { TextInput } from '../components/text-input.js';
import { WindowedTable, type Column } from '../components/windowed-table.js';
import { listMoves, useList } from '../hooks/use-list.js';
import { footerHints, isKey } from '../key-bindings.js';
import type { WindowMove } from '../components/list-window.js';

/** What the dialog adds. */
export interface AddedField {
  field: string;
  /** A chosen type (free custom ids); undefined: the catalogue's. */
  rowType?: string;
}

/** Props of AddFieldDialog. */
export interface AddFieldDialogProps {
  catalogue: FieldCatalogue;
  /** Fields already in the table (shown, marked). */
  present: Set<string>;
  width: number;
  height: number;
  isActive: boolean;
  onAdd(added: AddedField): void;
  onCancel(): void;
}

// Home and End belong to the search box's text, and so do letters (j, k): the field list
// moves with these only.
const searchMoves: readonly WindowMove[] = ['up', 'down', 'page-up', 'page-down'];

/** The dialog's hint lines, from the key table its keys are matched against. */
export function addFieldHints(): { search: string; type: string } {
  return {
    search: `type to search · ${footerHints([[searchMoves, 'pick'], ['commit', 'add'], ['leave', 'cancel']])}`,
    type: `How its value is shaped. ${footerHints([[listMoves, 'pick'], ['commit', 'add'], ['leave', 'back']])}`,
  };
}

type Entry = { kind: 'field'; def: FieldDef; type: string } | { kind: 'free'; id: string };

/** Catalogue fields matching the query (name or id, case-insensitive), system fields first. */
export function matchFields(catalogue: FieldCatalogue, query: string): FieldDef[] {
  const q = query.trim().toLowerCase();
  return catalogue.all()
    .filter((d) => !q || d.id.toLowerCase().includes(q) || d.name.toLowerCase().includes(q) || catalogue.typeOf(d).includes(q))
    .sort((a, b) => Number(a.custom) - Number(b.custom) || a.name.localeCompare(b.name));
}

/** The dialog: type to search, ↑↓ pick, Enter add; a free id then asks for its type. */
export function AddFieldDialog({ catalogue, present, width, height, isActive, onAdd, onCancel }: AddFieldDialogProps): React.JSX.Element {
  const [query, setQuery] = useState('');
  const [freeId, setFreeId] = useState<string | null>(null);
  const typeState = useState({ cursor: FIELD_TYPES.indexOf('any'), top: 0 });

  const entries: Entry[] = useMemo(() => {
    const list: Entry[] = matchFields(catalogue, query).map((def) => ({ kind: 'field', def, type: catalogue.typeOf(def) }));
    const typed = query.trim();
    if (/^customfield_\d+$/i.test(typed) && !catalogue.get(typed.toLowerCase())) list.unshift({ kind: 'free', id: typed.toLowerCase() });
    return list;
  }, [catalogue, query]);
  const rows = Math.max(3, height - 7);
  const list = useList(entries.length, rows);
  const typeList = useList(FIELD_TYPES.length, rows, { state: typeState });
  const w = list.window;

  // Keys of the list; the search box takes the text (it stays active while the list moves).
  useKeys((input, key) => {
    list.keyMove(input, key, searchMoves, true);
  }, { isActive: isActive && freeId === null });

  useKeys((input, key) => {
    if (typeList.keyMove(input, key)) return;
    if (isKey('commit', input, key)) onAdd({ field: freeId as string, rowType: FIELD_TYPES[typeList.window.cursor] });
    else if (isKey('leave', input, key)) setFreeId(null);
  }, { isActive: isActive && freeId !== null });

  const submit = () => {
    const entry = entries[w.cursor];
    if (entry?.kind === 'field') onAdd({ field: entry.def.id });
    else if (entry?.kind === 'free') setFreeId(entry.id);
  };

  if (freeId !== null) {
    const tw = typeList.window;
    return (
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={Math.min(width, 70)}>
        <Text bold color="cyan">Type of {freeId}</Text>
        <Text dimColor>{addFieldHints().type}</Text>
        {FIELD_TYPES.slice(tw.top, tw.top + rows).map((t, i) => (
          <Text key={t} inverse={tw.top + i === tw.cursor}>{t}</Text>
        ))}
      </Box>
    );
  }

  const columns: Array<Column<Entry>> = [
    { title: 'Name', width: Math.max(12, Math.floor((width - 10) * 0.4)), cell: (e) => (e.kind === 'free' ? `+ custom field id ${e.id}` : `${present.has(e.def.id) ? '✓ ' : ''}${e.def.name}`) },
    { title: 'Id', width: 18, cell: (e) => (e.kind === 'free' ? e.id : e.def.id) },
    { title: 'Type', width: 18, cell: (e) => (e.kind === 'free' ? '(choose)' : e.type) },
    { title: 'Kind', width: 7, cell: (e) => (e.kind === 'free' || e.def.custom ? 'custom' : 'system') },
  ];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold color="cyan">Add Field <Text dimColor>({catalogue.isBuiltin ? 'built-in system fields: Jira\'s catalogue not fetched yet' : `${catalogue.all().length} fields from Jira`})</Text></Text>
      <Box>
        <Text>Search: </Text>
        <TextInput value={query} isActive={isActive} width={width - 14} placeholder="name, id or type — or customfield_NNNNN"
          onChange={(text) => {
            setQuery(text);
            list.set({ cursor: 0, top: 0 });
          }}
          onSubmit={submit} onCancel={onCancel} />
      </Box>
      <WindowedTable columns={columns} rows={entries.slice(w.top, w.top + rows)} selected={entries.length > 0 ? w.cursor - w.top : null}
        rowKey={(e) => (e.kind === 'free' ? `free:${e.id}` : e.def.id)} emptyText="No field matches; a custom field id (customfield_NNNNN) can be added as typed." height={rows} />
      <Text dimColor>{addFieldHints().search}</Text>
    </Box>
  );
}
