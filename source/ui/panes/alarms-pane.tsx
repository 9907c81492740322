// The Alarms pane: every GUID seen, most recently seen first, with its linked ticket and
// state. Only the visible window is asked of the engine (offset/limit), so the whole
// table (alarms.maxEntries, 10,000 by default) scrolls as fast as a screenful. `s` shows one
// state, `/` filters by GUID or key, Enter opens an alarm, `g` Get Eligible Ticket links it
// to a ticket Jira finds, `u` unlinks it. See docs/architecture.md#alarms-and-links.
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { ALARM_STATES, eligibleJql, type AlarmRow, type AlarmState } from '../../core/alarms.js';
import type { LinkResult } from '../../core/engine-alarms.js';
import { useKeys } from '../hooks/use-keys.js';
import { footerHints, isKey, type FooterPart } from '../key-bindings.js';
import { listMoves, useList } from '../hooks/use-list.js';
import { clampWindow, type ListWindow } from '../components/list-window.js';
import { WindowedTable, type Column } from '../components/windowed-table.js';
import { TextInput } from '../components/text-input.js';
import { ScrollView, type ViewLine } from '../components/scroll-view.js';
import { YesNoDialog } from '../components/confirm-dialog.js';
import { useValueStore } from '../value-store.js';
import { formatCount, formatTime } from '../format.js';
import { neutralise } from '../../core/safe-text.js';
import { EligibleTickets } from './eligible-tickets.js';
import { useDetails } from '../components/full-text.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';

const stateColor = (a: AlarmRow) => (a.state === 'failed' ? 'red' : a.state === 'pending' ? 'yellow' : a.state === 'resolved' ? 'green' : undefined);

/** The columns that fit this width; the URL takes what is left. */
export function alarmColumns(width: number): Array<Column<AlarmRow>> {
  const fixed: Array<Column<AlarmRow>> = [
    { title: 'GUID', width: width >= 120 ? 24 : 14, cell: (a) => a.guid },
    { title: 'State', width: 8, cell: (a) => a.state, color: stateColor },
    { title: 'Last seen', width: 19, cell: (a) => formatTime(a.lastSeen) },
    { title: 'Lines', width: 5, cell: (a) => String(a.lines) },
    { title: 'Last', width: 6, cell: (a) => a.lastAction },
    { title: 'Ticket', width: 10, cell: (a) => a.ticketKey ?? '' },
    { title: 'Status', width: 11, cell: (a) => a.ticketStatus ?? '' },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width + 1, 0);
  const rest = width - used - 2;
  if (rest < 8) return fixed;
  const withFirst = width >= 140 ? [...fixed.slice(0, 2), { title: 'First seen', width: 19, cell: (a: AlarmRow) => formatTime(a.firstSeen) }, ...fixed.slice(2)] : fixed;
  return [...withFirst, { title: 'Ticket URL', width: Math.max(8, rest - (withFirst.length > fixed.length ? 20 : 0)), cell: (a) => a.ticketUrl ?? '', link: (a) => a.ticketUrl }];
}

/** What Enter on an alarm shows. */
export function alarmLines(a: AlarmRow): ViewLine[] {
  const lines: ViewLine[] = [
    { text: `${a.guid}  ${a.state}`, bold: true, color: stateColor(a) },
    { text: `First seen   ${formatTime(a.firstSeen)}` },
    { text: `Last seen    ${formatTime(a.lastSeen)}` },
    { text: `Lines        ${a.lines}` },
    { text: `Last action  ${a.lastAction}` },
    { text: `Ticket       ${a.ticketKey ?? '- (g: Get Eligible Ticket links one)'}` },
    { text: `Status       ${a.ticketStatus ?? '-'}${a.ticketResolved ? ' (resolved)' : ''}` },
  ];
  if (a.ticketUrl) lines.push({ prefix: 'URL          ', text: a.ticketUrl, url: a.ticketUrl });
  return lines.map((line) => ({ ...line, text: neutralise(line.text) }));
}

const footerParts: FooterPart[] = [[listMoves, 'move'], ['state-filter', 'state'], ['filter', 'filter'], ['open', 'open'], ['eligible', 'Get Eligible Ticket'], ['unlink', 'unlink']];
const alarmsFooter = footerHints(footerParts);

/** The next state filter: all → pending → open → failed → resolved → all. */
function nextState(state: AlarmState | null): AlarmState | null {
  const i = state === null ? -1 : ALARM_STATES.indexOf(state);
  return i + 1 < ALARM_STATES.length ? ALARM_STATES[i + 1] : null;
}

/** Rows asked of the engine at once (a control-socket request carries at most 500). */
const BLOCK_ROWS = 400;

/** The rows held around the window: from `offset`, for one filter, as of one engine version. */
interface Block {
  offset: number;
  rows: AlarmRow[];
  total: number;
  filter: string;
  version: number;
}

type View = { kind: 'list' } | { kind: 'open'; guid: string } | { kind: 'eligible'; guid: string } | { kind: 'unlink'; guid: string };

/** The Alarms pane. */
export function AlarmsPane({ services, snapshot, isActive, width, height, setMode, memory, details }: PaneProps): React.JSX.Element {
  const engine = services.engine;
  const { config } = useValueStore(services.settings);
  const [state, setState] = useRemembered<AlarmState | null>(memory, 'alarms.state', null);
  const [text, setText] = useRemembered(memory, 'alarms.filter', '');
  const [win, setWin] = useRemembered<ListWindow>(memory, 'alarms.window', { cursor: 0, top: 0 });
  const [view, setView] = useState<View>({ kind: 'list' });
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [editingFilter, setEditingFilter] = useState(false);
  const [editingJql, setEditingJql] = useState(false);
  useModeSync(setMode, editingFilter || editingJql);
  const tableRows = Math.max(1, height - 5);
  const [block, setBlock] = useState<Block>({ offset: 0, rows: [], total: 0, filter: '', version: -1 });
  const version = snapshot.logVersion;
  const filterKey = `${state ?? ''}\u0000${text}`;
  // A move the block covers draws at once. A jump it does not cover (End, Home) asks for the
  // rows there first and moves when they come, in one frame: drawing the window empty first
  // cost a second frame, which Ink holds back to its frame rate (measured 57 ms for End).
  const moveTo = (next: ListWindow) => {
    const top = clampWindow(next, block.total, tableRows).top;
    if (block.filter !== filterKey || (top >= block.offset && Math.min(top + tableRows, block.total) <= block.offset + block.rows.length)) {
      setWin(next);
      return;
    }
    const offset = Math.max(0, top - tableRows);
    const query = { ...(state ? { state } : {}), ...(text ? { text } : {}), offset, limit: tableRows * 3 };
    engine.queryAlarms(query).then((page) => {
      setBlock({ offset, rows: page.rows, total: page.total, filter: filterKey, version });
      setWin(next);
    }, () => setWin(next));
  };
  const list = useList(block.total, tableRows, { state: [win, moveTo] });
  const w = list.window;

  // A block of rows around the window is kept, so a move within it draws at once, in one
  // frame; the block is asked for again (in the background) when the window nears its edge,
  // the filter changes, or the engine's version says alarms changed.
  const held = block.offset + block.rows.length;
  const covered = block.filter === filterKey && w.top >= block.offset && Math.min(w.top + tableRows, block.total) <= held;
  const nearEdge = (block.offset > 0 && w.top - block.offset < tableRows) || (held < block.total && held - (w.top + tableRows) < tableRows);
  const stale = !covered || nearEdge || block.version !== version;
  const want = Math.max(0, w.top - Math.floor((BLOCK_ROWS - tableRows) / 2));
  useEffect(() => {
    if (!stale) return undefined;
    let live = true;
    const query = { ...(state ? { state } : {}), ...(text ? { text } : {}), offset: want, limit: BLOCK_ROWS };
    engine.queryAlarms(query).then((next) => {
      if (live) setBlock({ offset: want, rows: next.rows, total: next.total, filter: filterKey, version });
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [engine, state, text, want, stale, filterKey, version]);

  const rows = useMemo(() => (block.filter === filterKey ? block.rows.slice(Math.max(0, w.top - block.offset), Math.max(0, w.top - block.offset) + tableRows) : []),
    [block, filterKey, w.top, tableRows]);
  const current = block.filter === filterKey ? block.rows[w.cursor - block.offset] : undefined;
  // At 80 columns the ticket's status and URL and the last key hints are cut: `v` shows them.
  useDetails(details, () => [
    { title: 'Selected alarm (Enter opens it)', lines: current ? alarmLines(current).map((l) => `${l.prefix ?? ''}${l.text}`) : [] },
    { title: 'Messages', lines: message ? [message.text] : [] },
    { title: 'Keys', lines: [alarmsFooter] },
  ]);
  const project = config.template.find((r) => r.field.toLowerCase() === 'project' && r.mode === 'Include')?.value.trim() ?? null;
  const said = useCallback((result: LinkResult) => {
    setMessage(result.ok
      ? { text: result.ticketKey ? `${result.guid} linked to ${result.ticketKey}: its UPDATEs go there` : `${result.guid} unlinked`, error: false }
      : { text: `${result.guid}: ${result.error}`, error: true });
  }, []);

  useKeys((input, key) => {
    if (list.keyMove(input, key)) return;
    if (isKey('state-filter', input, key)) {
      setState(nextState(state));
      setWin({ cursor: 0, top: 0 });
    } else if (isKey('filter', input, key)) {
      setEditingFilter(true);
    } else if (isKey('open', input, key) && current) {
      setView({ kind: 'open', guid: current.guid });
    } else if (isKey('eligible', input, key) && current) {
      setMessage(null);
      setView({ kind: 'eligible', guid: current.guid });
    } else if (isKey('unlink', input, key) && current) {
      if (current.ticketKey) setView({ kind: 'unlink', guid: current.guid });
      else setMessage({ text: `${current.guid} has no ticket to unlink`, error: true });
    } else if (isKey('leave', input, key) && (text || state)) {
      setText('');
      setState(null);
      setWin({ cursor: 0, top: 0 });
    }
  }, { isActive: isActive && view.kind === 'list' && !editingFilter });

  if (view.kind === 'open') {
    const alarm = block.rows.find((a) => a.guid === view.guid);
    return (
      <Box flexDirection="column" paddingX={1}>
        <ScrollView title={`Alarm ${view.guid}`} lines={alarm ? alarmLines(alarm) : [{ text: 'gone (pruned)' }]} height={height} isActive={isActive}
          onClose={() => setView({ kind: 'list' })} />
      </Box>
    );
  }
  if (view.kind === 'eligible') {
    return (
      <Box flexDirection="column" paddingX={1}>
        <EligibleTickets engine={engine} guid={view.guid} initialJql={eligibleJql(config.alarms.eligibleJql, { project, guid: view.guid })}
          width={width - 2} height={height} isActive={isActive} onEditing={setEditingJql}
          onPick={(key) => {
            setView({ kind: 'list' });
            setMessage({ text: `linking ${view.guid} to ${key}…`, error: false });
            void engine.linkAlarm(view.guid, key).then(said);
          }}
          onClose={() => setView({ kind: 'list' })} />
      </Box>
    );
  }
  const filtered = state !== null || text !== '';
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>Alarms</Text>
        <Text> {formatCount(block.total)}{state ? ` ${state}` : ''}{filtered ? ' (filtered)' : ''}{block.total > 0 ? `, ${formatCount(w.cursor + 1)} selected` : ''}</Text>
        <Text dimColor>   state: {state ?? 'all'} · Maximum alarms {formatCount(config.alarms.maxEntries)}</Text>
      </Text>
      <Box>
        <Text color={editingFilter ? 'yellow' : undefined}>/ </Text>
        {editingFilter ? (
          <TextInput value={text} isActive={isActive} width={width - 6} placeholder="part of a GUID or ticket key"
            onChange={(next) => {
              setText(next);
              setWin({ cursor: 0, top: 0 });
            }}
            onSubmit={() => setEditingFilter(false)}
            onCancel={() => {
              setText('');
              setEditingFilter(false);
            }} />
        ) : <Text dimColor wrap="truncate-end">{text || 'filter (press /)'}</Text>}
      </Box>
      {view.kind === 'unlink' ? (
        <YesNoDialog title={`Unlink ${view.guid}?`} message="Its next UPDATE is refused until a CREATE or a link gives it a ticket; the ticket loses the label jiraline-GUID."
          onAnswer={(yes) => {
            setView({ kind: 'list' });
            if (yes) void engine.unlinkAlarm(view.guid).then(said);
          }} />
      ) : (
        <WindowedTable columns={alarmColumns(width - 2)} rows={rows} selected={rows.length > 0 ? w.cursor - w.top : null} focused={!editingFilter}
          rowKey={(a) => a.guid} height={tableRows}
          emptyText={filtered ? 'No alarm matches the filter.' : 'No alarms yet: every GUID of an Advanced line shows here.'} />
      )}
      <Text color={message?.error ? 'red' : 'green'} wrap="truncate-end">{message ? neutralise(message.text) : ' '}</Text>
      <Text dimColor wrap="truncate-end">{alarmsFooter}</Text>
    </Box>
  );
}
