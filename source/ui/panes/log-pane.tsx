// The Log pane: one row per command sent to Jira, newest first. Only the
// visible window is fetched from the engine (offset/limit), so 100,000 rows scroll as
// fast as 20. `/` filters, Enter opens a row (request, Jira's answer, attempts, next
// retry), ticket URLs are terminal hyperlinks.
// See docs/architecture.md#the-log-statistics-and-pruning.
import React, { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { LogRow } from '../../core/ports.js';
import type { RowActionResult } from '../../core/engine-api.js';
import { oneLine } from '../../core/safe-text.js';
import { ResponsesView } from './responses-view.js';
import { footerHints, isKey, type FooterPart } from '../key-bindings.js';
import { useDetails } from '../components/full-text.js';
import { clampWindow, type ListWindow } from '../components/list-window.js';
import { listMoves, useList } from '../hooks/use-list.js';
import { WindowedTable, type Column } from '../components/windowed-table.js';
import { TextInput } from '../components/text-input.js';
import { ScrollView, type ViewLine } from '../components/scroll-view.js';
import { useValueStore } from '../value-store.js';
import { isFiltered, parseLogFilter } from '../log-filter.js';
import { formatCount, formatRelative, formatTime, prettyJson } from '../format.js';
import { filterKey, logViewStore, visibleRows } from '../log-view-store.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';

const statusColor = (row: LogRow) => (row.status === 'Ok' ? 'green' : row.status === 'Failed' ? 'red' : row.status === 'Cancelled' ? 'gray' : 'yellow');

/** The columns that fit this width: URL and error share the last column when narrow. */
export function logColumns(width: number): Array<Column<LogRow>> {
  const fixed: Array<Column<LogRow>> = [
    { title: 'Type', width: 9, cell: (r) => r.type },
    { title: 'Action', width: 6, cell: (r) => r.action },
    { title: 'Time', width: 19, cell: (r) => formatTime(r.time) },
    { title: 'GUID', width: width >= 120 ? 20 : 12, cell: (r) => r.guid ?? '' },
    { title: 'Status', width: 7, cell: (r) => r.status, color: statusColor },
    { title: 'Key', width: 10, cell: (r) => r.ticketKey ?? '' },
  ];
  // The Ticket ID from a 100-column terminal on; narrower, the row opened with Enter shows it.
  if (width >= 96) fixed.push({ title: 'Ticket ID', width: 9, cell: (r) => r.ticketId ?? '' });
  const used = fixed.reduce((sum, c) => sum + c.width + 1, 0);
  if (width >= 150) {
    const rest = width - used - 2;
    const urlWidth = Math.floor(rest / 2);
    return [...fixed,
      { title: 'Ticket URL', width: urlWidth, cell: (r) => r.ticketUrl ?? '', link: (r) => r.ticketUrl },
      { title: 'Error Message', width: rest - urlWidth, cell: (r) => r.error ?? '', color: () => 'red' }];
  }
  return [...fixed, {
    title: 'Ticket URL / Error', width: Math.max(8, width - used - 2),
    cell: (r) => r.error ?? r.ticketUrl ?? '',
    link: (r) => (r.error ? null : r.ticketUrl),
    color: (r) => (r.error ? 'red' : undefined),
  }];
}

/** What Enter on a row shows. */
export function logRowLines(row: LogRow, now: number): ViewLine[] {
  const lines: ViewLine[] = [
    { text: `${row.type} ${row.action}  ${row.status}`, bold: true, color: statusColor(row) },
    { text: `Time        ${formatTime(row.time)}` },
    { text: `GUID        ${row.guid ?? '-'}` },
    { text: `Lines       ${row.lines}` },
    { text: `Ticket      ${row.ticketKey ?? '-'}${row.ticketId ? ` (id ${row.ticketId})` : ''}` },
  ];
  if (row.ticketUrl) lines.push({ prefix: 'URL         ', text: row.ticketUrl, url: row.ticketUrl });
  // The Jira the command was for: a directory pointed at another Jira before keeps its rows.
  if (row.jira) lines.push({ text: `Jira        ${row.jira}` });
  lines.push({ text: `Attempts    ${row.attempts}` });
  lines.push({ text: `Next retry  ${row.nextAttemptAt !== null && row.status === 'Pending' ? `${formatTime(row.nextAttemptAt)} (${formatRelative(row.nextAttemptAt, now)})` : '-'}` });
  if (row.error) {
    lines.push({ text: 'Error', bold: true });
    for (const l of row.error.split('\n')) lines.push({ text: `  ${l}`, color: 'red' });
  }
  lines.push({ text: 'Request sent', bold: true });
  for (const l of (row.request ? prettyJson(row.request) : '(not sent yet)').split('\n')) lines.push({ text: `  ${l}` });
  lines.push({ text: 'Jira\'s answer', bold: true });
  for (const l of (row.response ? prettyJson(row.response) : '(none yet)').split('\n')) lines.push({ text: `  ${l}` });
  return lines;
}

const logFooterParts: FooterPart[] = [[listMoves, 'move'], ['open', 'open'], ['filter', 'filter'], ['retry-row', 'retry'], ['cancel-row', 'cancel'],
  ['row-responses', 'answers']];
const logFooter = footerHints(logFooterParts);
const logFooterFiltered = footerHints([...logFooterParts, ['leave', 'clear filter']]);

/** The Log pane. */
export function LogPane({ services, isActive, width, height, setMode, memory, details }: PaneProps): React.JSX.Element {
  // Rows, counts and the opened row come from the log-view store, fetched off the render
  // path (log-view-store.ts); drawing only slices what it holds.
  const { engine } = services;
  const store = logViewStore(memory, engine);
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { config } = useValueStore(services.settings);
  const [filterText, setFilterText] = useRemembered(memory, 'log.filter', '');
  const [win, setWin] = useRemembered<ListWindow>(memory, 'log.window', { cursor: 0, top: 0 });
  const [openId, setOpenId] = useRemembered<number | null>(memory, 'log.open', null);
  const [editingFilter, setEditingFilter] = useState(false);
  // R and C: the row asked about (C asks first) and what the engine answered.
  const [cancelling, setCancelling] = useState<LogRow | null>(null);
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | null>(null);
  // a / A: Jira's answers to one row, or all of them.
  const [answers, setAnswers] = useState<{ logId?: number } | null>(null);
  useModeSync(setMode, editingFilter || cancelling !== null);

  const filter = useMemo(() => parseLogFilter(filterText), [filterText]);
  const tableRows = Math.max(1, height - 4);
  const current = view.key === filterKey(filter);
  const known = current ? view.count : null;
  // While a text filter is being counted, the first page is what there is to move in.
  const topOf = useCallback((next: ListWindow, count: number | null) => (count === null ? 0 : clampWindow(next, count, tableRows).top), [tableRows]);
  const top = topOf(win, known);
  const rows = current ? visibleRows(view, top, tableRows) : [];
  const count = known ?? rows.length;
  // A key's new window is put in the store in the key handler, so the frame after the key
  // already holds its rows; the effect covers the rest (a resize, a count that moved the window).
  const moveTo = useCallback((next: ListWindow) => {
    setWin(next);
    store.show(filter, topOf(next, known), tableRows);
  }, [setWin, store, filter, topOf, known, tableRows]);
  useEffect(() => store.show(filter, top, tableRows), [store, filter, top, tableRows]);
  const list = useList(count, tableRows, { state: [win, moveTo], pinTop: known === null });
  const w = list.window;
  const openRow = openId !== null && view.openId === openId ? view.openRow : undefined;
  useEffect(() => {
    if (store.getSnapshot().openId !== openId) store.open(openId);
  }, [store, openId]);
  const openAt = (id: number | null) => {
    setOpenId(id);
    store.open(id);
  };
  const filterTo = (text: string) => {
    setFilterText(text);
    setWin({ cursor: 0, top: 0 });
    store.show(parseLogFilter(text), 0, tableRows);
  };

  const rowAction = (action: Promise<RowActionResult>) => action.then(
    (r) => setNotice({ text: r.message, ok: r.ok }),
    (error: unknown) => setNotice({ text: (error as Error).message, ok: false }),
  );
  useKeys((input, key) => {
    if (isKey('yes', input, key) && cancelling) void rowAction(engine.cancelRow(cancelling.id));
    if (isKey('yes', input, key) || isKey('no', input, key)) setCancelling(null);
  }, { isActive: isActive && cancelling !== null });

  useKeys((input, key) => {
    const selected = rows[w.cursor - w.top];
    if (selected && isKey('retry-row', input, key)) {
      setNotice(null);
      void rowAction(engine.retryRow(selected.id));
    } else if (selected && isKey('row-responses', input, key)) {
      setAnswers({ logId: selected.id });
    } else if (isKey('all-responses', input, key)) {
      setAnswers({});
    } else if (selected && isKey('cancel-row', input, key)) {
      setNotice(null);
      setCancelling(selected);
    } else if (list.keyMove(input, key)) {
      return;
    } else if (isKey('filter', input, key)) {
      setEditingFilter(true);
    } else if (isKey('open', input, key)) {
      const row = rows[w.cursor - w.top];
      if (row) openAt(row.id);
    } else if (isKey('leave', input, key) && filterText) {
      filterTo('');
    }
  }, { isActive: isActive && !editingFilter && openRow === undefined && cancelling === null && answers === null });

  const selectedRow = rows[w.cursor - w.top];
  useDetails(details, () => [
    { title: 'Selected row (Enter opens it)', lines: selectedRow ? logRowLines(selectedRow, Date.now()).map((l) => `${l.prefix ?? ''}${l.text}`) : [] },
    { title: 'Keys', lines: [filterText ? logFooterFiltered : logFooter] },
  ]);

  if (answers) {
    const title = answers.logId === undefined ? 'Jira\'s answers' : `Jira's answers to log row ${answers.logId}`;
    return <ResponsesView engine={engine} query={answers} title={title} width={width} height={height} isActive={isActive} onClose={() => setAnswers(null)} />;
  }

  if (openRow) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <ScrollView title={`Log row ${openRow.id}`} lines={logRowLines(openRow, Date.now())} height={height} isActive={isActive} onClose={() => openAt(null)} />
      </Box>
    );
  }

  const filtered = isFiltered(filter);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>Log</Text>
        {known === null
          ? <Text> counting rows… (filtered)</Text>
          : <Text> {formatCount(known)} row{known === 1 ? '' : 's'}{filtered ? ' (filtered)' : ''}{known > 0 ? `, ${formatCount(w.cursor + 1)} selected` : ''}</Text>}
        <Text dimColor>   Maximum entries {formatCount(config.log.maxEntries)} · Remove entries older than {config.log.removeOlderThanDays} days</Text>
      </Text>
      <Box>
        <Text color={editingFilter ? 'yellow' : undefined}>/ </Text>
        {editingFilter ? (
          <TextInput
            value={filterText}
            isActive={isActive}
            width={width - 6}
            placeholder="Failed, guid:ID, key:OPS-1, text…"
            onChange={filterTo}
            onSubmit={() => setEditingFilter(false)}
            onCancel={() => {
              filterTo('');
              setEditingFilter(false);
            }}
          />
        ) : (
          <Text dimColor wrap="truncate-end">{filterText || 'filter (press /)'}</Text>
        )}
      </Box>
      <WindowedTable
        columns={logColumns(width - 2)}
        rows={rows}
        selected={rows.length > 0 ? w.cursor - w.top : null}
        focused={!editingFilter}
        rowKey={(row) => row.id}
        emptyText={filtered ? 'No row matches the filter.' : 'No commands sent yet: Execute on the Creation pane, or send an Advanced line.'}
        height={tableRows}
      />
      {cancelling ? (
        <Text color="yellow" wrap="truncate-end">Cancel log row {cancelling.id} ({cancelling.action} {cancelling.guid ?? ''})? Nothing more of it is sent. [y] yes [n] no</Text>
      ) : notice ? (
        <Text color={notice.ok ? 'green' : 'red'} wrap="truncate-end">{oneLine(notice.text, 500)}</Text>
      ) : (
        <Text dimColor wrap="truncate-end">{filterText ? logFooterFiltered : logFooter}</Text>
      )}
    </Box>
  );
}
