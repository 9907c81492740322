// The Jira pane: a JQL search (by default the template project's unresolved
// tickets), the result list, and a ticket view with its fields, status, latest comments
// and URL as a terminal hyperlink. Everything goes through the engine.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import Spinner from 'ink-spinner';
import type { FieldDef, JiraIssue } from '../../core/ports.js';
import type { TemplateRow } from '../../core/config.js';
import { adfToText } from '../../core/adf.js';
import { footerHints, isKey } from '../key-bindings.js';
import { useDetails } from '../components/full-text.js';
import type { ListWindow } from '../components/list-window.js';
import { useList } from '../hooks/use-list.js';
import { WindowedTable, type Column } from '../components/windowed-table.js';
import { TextInput } from '../components/text-input.js';
import { ScrollView, type ViewLine } from '../components/scroll-view.js';
import { useValueStore } from '../value-store.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';
import { neutralise } from '../../core/safe-text.js';

/** `project = <template project> AND resolution = Unresolved ORDER BY created DESC`. */
export function defaultJql(template: TemplateRow[]): string {
  const project = template.find((row) => row.field.toLowerCase() === 'project' && row.mode === 'Include')?.value.trim();
  const order = 'resolution = Unresolved ORDER BY created DESC';
  return project ? `project = ${/^[A-Za-z0-9_]+$/.test(project) ? project : JSON.stringify(project)} AND ${order}` : order;
}

/** A field value as one line of text (names of objects, ADF as text, arrays joined). */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(fieldText).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'doc') return adfToText(o).replace(/\n+/g, ' ⏎ ');
    for (const k of ['displayName', 'name', 'value', 'key']) {
      if (typeof o[k] === 'string') return `${o[k] as string}${o.child ? ` > ${fieldText(o.child)}` : ''}`;
    }
    return JSON.stringify(o);
  }
  return String(value);
}

// Fields shown elsewhere in the view, or noise for an operator.
const hidden = new Set(['summary', 'status', 'comment', 'attachment', 'worklog', 'watches', 'votes', 'issuelinks', 'subtasks',
  'timetracking', 'aggregateprogress', 'progress', 'thumbnail', 'lastViewed', 'workratio', 'statuscategorychangedate']);

/** The ticket view's lines: URL, summary, status, every non-empty field, the latest comments. */
export function ticketLines(issue: JiraIssue, url: string, catalogue: FieldDef[] | null, comments = 3): ViewLine[] {
  const names = new Map((catalogue ?? []).map((f) => [f.id, f.name]));
  const f = issue.fields;
  const lines: ViewLine[] = [
    { prefix: 'URL      ', text: url, url },
    { text: `Summary  ${fieldText(f.summary)}`, bold: true },
    { text: `Status   ${fieldText(f.status)}`, color: 'yellow' },
    { text: 'Fields', bold: true },
  ];
  const entries = Object.entries(f)
    .filter(([id, v]) => !hidden.has(id) && fieldText(v) !== '')
    .map(([id, v]) => [names.get(id) ?? id, fieldText(v)] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const width = Math.min(24, Math.max(8, ...entries.map(([n]) => n.length)));
  for (const [name, text] of entries) lines.push({ text: `  ${name.padEnd(width)}  ${text}` });
  const list = ((f.comment as { comments?: unknown[] } | undefined)?.comments ?? []) as Array<Record<string, unknown>>;
  lines.push({ text: `Latest comments (${list.length} in all)`, bold: true });
  if (list.length === 0) lines.push({ text: '  (none)', dim: true });
  for (const c of list.slice(-comments).reverse()) {
    lines.push({ text: `  ${fieldText(c.author) || 'someone'}, ${String(c.created ?? '')}`, dim: true });
    const body = typeof c.body === 'string' ? c.body : adfToText(c.body);
    for (const l of body.split('\n')) lines.push({ text: `    ${l}` });
  }
  // Everything here came from Jira: no ESC or carriage return reaches the terminal.
  return lines.map((line) => ({ ...line, text: neutralise(line.text) }));
}

const columns = (width: number): Array<Column<JiraIssue>> => [
  { title: 'Key', width: 11, cell: (i) => i.key },
  { title: 'Status', width: 12, cell: (i) => fieldText(i.fields.status) },
  { title: 'Type', width: 10, cell: (i) => fieldText(i.fields.issuetype) },
  { title: 'Priority', width: 8, cell: (i) => fieldText(i.fields.priority) },
  { title: 'Summary', width: Math.max(10, width - 46), cell: (i) => fieldText(i.fields.summary) },
];

type SearchState =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'done'; issues: JiraIssue[]; total?: number }
  | { state: 'error'; error: string };

type TicketState = { state: 'loading'; key: string } | { state: 'shown'; issue: JiraIssue } | { state: 'error'; key: string; error: string };

const jiraFooter = footerHints([['search', 'edit JQL (Enter searches)'], [['up', 'down', 'page-up', 'page-down'], 'move'], ['open', 'open ticket'],
  ['link', 'link an alarm']]);

/** The Jira pane. */
export function JiraPane({ services, isActive, width, height, setMode, memory, details }: PaneProps): React.JSX.Element {
  const engine = services.engine;
  const { config } = useValueStore(services.settings);
  const [jql, setJql] = useRemembered(memory, 'jira.jql', () => defaultJql(config.template));
  const [search, setSearch] = useRemembered<SearchState>(memory, 'jira.search', { state: 'idle' });
  const [win, setWin] = useRemembered<ListWindow>(memory, 'jira.window', { cursor: 0, top: 0 });
  const [ticket, setTicket] = useRemembered<TicketState | null>(memory, 'jira.ticket', null);
  const [editing, setEditing] = useState(false);
  // `l` on a ticket: the GUID to link to it is typed here; then what the engine answered.
  const [linking, setLinking] = useState<{ key: string; guid: string } | null>(null);
  const [linked, setLinked] = useState<{ text: string; error: boolean } | null>(null);
  useModeSync(setMode, editing || linking !== null);
  const mounted = useRef(true);
  const generation = useRef(0);
  useEffect(() => () => {
    mounted.current = false;
  }, []);

  const run = (text: string) => {
    const mine = ++generation.current;
    setSearch({ state: 'searching' });
    setWin({ cursor: 0, top: 0 });
    engine.search(text, { maxResults: 50 }).then(
      (result) => {
        if (mounted.current && mine === generation.current) setSearch({ state: 'done', issues: result.issues, total: result.total });
      },
      (error: unknown) => {
        if (mounted.current && mine === generation.current) setSearch({ state: 'error', error: (error as Error).message });
      },
    );
  };

  const open = (key: string) => {
    setTicket({ state: 'loading', key });
    engine.getIssue(key).then(
      (issue) => {
        if (mounted.current) setTicket((t) => (t && t.state === 'loading' && t.key === key ? { state: 'shown', issue } : t));
      },
      (error: unknown) => {
        if (mounted.current) setTicket((t) => (t && t.state === 'loading' && t.key === key ? { state: 'error', key, error: (error as Error).message } : t));
      },
    );
  };

  // The first visit searches with the default JQL (what the first render saw: once, on mount).
  const firstVisit = useRef(search.state === 'idle' ? () => run(jql) : null);
  useEffect(() => {
    firstVisit.current?.();
  }, []);

  const issues = search.state === 'done' ? search.issues : [];
  const listRows = Math.max(1, height - (linking ? 6 : 5));
  const list = useList(issues.length, listRows, { state: [win, setWin] });
  const w = list.window;

  useKeys((input, key) => {
    if (list.keyMove(input, key)) return;
    else if (isKey('search', input, key)) setEditing(true);
    else if (isKey('open', input, key) && issues[w.cursor]) open(issues[w.cursor].key);
    else if (isKey('link', input, key) && issues[w.cursor]) setLinking({ key: issues[w.cursor].key, guid: '' });
  }, { isActive: isActive && !editing && linking === null && ticket === null });

  const link = (key: string, guid: string) => {
    setLinking(null);
    setLinked({ text: `linking ${guid} to ${key}…`, error: false });
    void engine.linkAlarm(guid.trim(), key).then((result) => {
      if (!mounted.current) return;
      setLinked(result.ok ? { text: `${result.guid} linked to ${result.ticketKey ?? key}: its UPDATEs go there`, error: false }
        : { text: `${result.guid}: ${result.error}`, error: true });
    });
  };

  const selected = issues[w.cursor];
  useDetails(details, () => [
    { title: 'JQL', lines: [jql] },
    { title: 'Messages', lines: [
      ...(search.state === 'error' ? [`Search failed: ${search.error}`] : []),
      ...(ticket?.state === 'error' ? [`Could not load ${ticket.key}: ${ticket.error}`] : []),
    ] },
    { title: 'Selected ticket', lines: selected ? columns(1000).map((c) => `${c.title}: ${c.cell(selected)}`) : [] },
    { title: 'Keys', lines: [jiraFooter] },
  ]);

  useKeys((_input, key) => {
    if (key.escape || key.return) setTicket(null);
  }, { isActive: isActive && ticket !== null && ticket.state !== 'shown' });

  if (ticket?.state === 'shown') {
    const url = `${services.jiraUrl ?? ''}/browse/${ticket.issue.key}`;
    return (
      <Box flexDirection="column" paddingX={1}>
        <ScrollView title={ticket.issue.key} lines={ticketLines(ticket.issue, url, engine.catalogue())} height={height} isActive={isActive} onClose={() => setTicket(null)} />
      </Box>
    );
  }
  if (ticket) {
    return (
      <Box flexDirection="column" paddingX={1}>
        {ticket.state === 'loading'
          ? <Text><Text color="yellow"><Spinner type="dots" /></Text> Loading {ticket.key}…</Text>
          : <Text color="red">Could not load {ticket.key}: {ticket.error}</Text>}
        <Text dimColor>{footerHints([['leave', 'back']])}</Text>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" paddingX={1}>
      <Box>
        <Text bold color={editing ? 'yellow' : undefined}>JQL </Text>
        {editing ? (
          <TextInput
            value={jql}
            isActive={isActive}
            width={width - 7}
            onSubmit={(text) => {
              setEditing(false);
              setJql(text);
              run(text);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : <Text wrap="truncate-end">{jql}</Text>}
      </Box>
      <Text wrap="truncate-end">
        {search.state === 'searching' ? <Text color="yellow"><Spinner type="dots" /> searching…</Text> : null}
        {search.state === 'error' ? <Text color="red">Search failed: {search.error}</Text> : null}
        {search.state === 'done' ? <Text dimColor>{issues.length} shown{search.total !== undefined ? ` of ${search.total}` : ''}</Text> : null}
        {linked && !linking ? <Text color={linked.error ? 'red' : 'green'}>  {neutralise(linked.text)}</Text> : null}
      </Text>
      {linking ? (
        <Box>
          <Text bold color="yellow">Link alarm (GUID) to {linking.key}: </Text>
          <TextInput value={linking.guid} isActive={isActive} width={Math.max(10, width - 34)} placeholder="GUID, Enter links"
            onChange={(guid) => setLinking({ ...linking, guid })}
            onSubmit={(guid) => (guid.trim() ? link(linking.key, guid) : setLinking(null))}
            onCancel={() => setLinking(null)} />
        </Box>
      ) : null}
      <WindowedTable
        columns={columns(width - 2)}
        rows={issues.slice(w.top, w.top + listRows)}
        selected={issues.length > 0 ? w.cursor - w.top : null}
        focused={!editing}
        rowKey={(issue) => issue.key}
        emptyText={search.state === 'done' ? 'No ticket matches.' : ''}
        height={listRows}
      />
      <Text dimColor wrap="truncate-end">{jiraFooter}</Text>
    </Box>
  );
}
