// Get Eligible Ticket: from an alarm, a JQL search pre-filled from alarms.eligibleJql (the
// template's project and the GUID filled in), its results with key, summary, status and
// last update; Enter on one links the alarm's GUID to it. Everything goes through the engine.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { EngineApi } from '../../core/engine-api.js';
import type { JiraIssue } from '../../core/ports.js';
import { useKeys } from '../hooks/use-keys.js';
import { footerHints, isKey } from '../key-bindings.js';
import { useList } from '../hooks/use-list.js';
import { WindowedTable, type Column } from '../components/windowed-table.js';
import { TextInput } from '../components/text-input.js';
import { fieldText } from './jira-pane.js';

/** The results' columns: key, status, updated (as Jira wrote it, to the minute), summary. */
export function eligibleColumns(width: number): Array<Column<JiraIssue>> {
  return [
    { title: 'Key', width: 11, cell: (i) => i.key },
    { title: 'Status', width: 12, cell: (i) => fieldText(i.fields.status) },
    { title: 'Updated', width: 16, cell: (i) => fieldText(i.fields.updated).replace('T', ' ').slice(0, 16) },
    { title: 'Summary', width: Math.max(10, width - 42), cell: (i) => fieldText(i.fields.summary) },
  ];
}

type Search = { state: 'searching' } | { state: 'done'; issues: JiraIssue[] } | { state: 'error'; error: string };

/** Props of EligibleTickets. */
export interface EligibleTicketsProps {
  engine: EngineApi;
  guid: string;
  /** The JQL to start from (the template filled in). */
  initialJql: string;
  width: number;
  height: number;
  isActive: boolean;
  /** The JQL box has the keys (the pane goes to edit mode). */
  onEditing(editing: boolean): void;
  /** A ticket was picked (the pane links it). */
  onPick(key: string): void;
  onClose(): void;
}

const footer = footerHints([['open', 'link the alarm to this ticket'], ['search', 'edit the JQL'], [['up', 'down'], 'move'], ['leave', 'back']]);

/** The search and its results. */
export function EligibleTickets({ engine, guid, initialJql, width, height, isActive, onEditing, onPick, onClose }: EligibleTicketsProps): React.JSX.Element {
  const [jql, setJql] = useState(initialJql);
  const [search, setSearch] = useState<Search>({ state: 'searching' });
  const [editing, setEditing] = useState(false);
  const generation = useRef(0);
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const run = (text: string) => {
    const mine = ++generation.current;
    setSearch({ state: 'searching' });
    engine.search(text, { maxResults: 50 }).then(
      (result) => {
        if (mounted.current && mine === generation.current) setSearch({ state: 'done', issues: result.issues });
      },
      (error: unknown) => {
        if (mounted.current && mine === generation.current) setSearch({ state: 'error', error: (error as Error).message });
      },
    );
  };
  const first = useRef<(() => void) | null>(() => run(initialJql));
  useEffect(() => {
    first.current?.();
    first.current = null;
  }, []);
  useEffect(() => onEditing(editing), [editing, onEditing]);

  const issues = search.state === 'done' ? search.issues : [];
  // Title, JQL, what the search found, the table's heading and the footer around the rows.
  const rows = Math.max(1, height - 5);
  const list = useList(issues.length, rows);
  const w = list.window;
  useKeys((input, key) => {
    if (list.keyMove(input, key)) return;
    if (isKey('search', input, key)) setEditing(true);
    else if (isKey('open', input, key) && issues[w.cursor]) onPick(issues[w.cursor].key);
    else if (isKey('leave', input, key)) onClose();
  }, { isActive: isActive && !editing });

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end"><Text bold>Get Eligible Ticket</Text> for alarm <Text bold>{guid}</Text></Text>
      <Box>
        <Text bold color={editing ? 'yellow' : undefined}>JQL </Text>
        {editing ? (
          <TextInput value={jql} isActive={isActive} width={width - 7}
            onSubmit={(text) => {
              setEditing(false);
              setJql(text);
              run(text);
            }}
            onCancel={() => setEditing(false)} />
        ) : <Text wrap="truncate-end">{jql}</Text>}
      </Box>
      <Text wrap="truncate-end">
        {search.state === 'searching' ? <Text color="yellow"><Spinner type="dots" /> searching…</Text> : null}
        {search.state === 'error' ? <Text color="red">Search failed: {search.error}</Text> : null}
        {search.state === 'done' ? <Text dimColor>{issues.length} shown</Text> : null}
      </Text>
      <WindowedTable columns={eligibleColumns(width)} rows={issues.slice(w.top, w.top + rows)} selected={issues.length > 0 ? w.cursor - w.top : null}
        focused={!editing} rowKey={(i) => i.key} emptyText={search.state === 'done' ? 'No ticket matches.' : ''} height={rows} />
      <Text dimColor wrap="truncate-end">{footer}</Text>
    </Box>
  );
}
