// The Log pane: one row per command sent to Jira, newest first. Only the
// visible window is fetched from the engine (offset/limit), so 100,000 rows scroll as
// fast as 20. `/` filters, Enter opens a row (request, Jira's answer, attempts, next
// retry), ticket URLs are terminal hyperlinks.
// See docs/architecture.md#the-log-statistics-and-pruning.
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { LogQuery, LogRow } from '../../core/ports.js';
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
import { useLogCount } from '../hooks/use-log-count.js';
import { useModeSync, useRemembered, type PaneProps } from './pane-props.js';

const statusColor = (row: LogRow) => (row.status === 'Ok' ? 'green' : row.status === 'Failed' ? 'red' : 'yellow');

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
  const used = fixed.reduce((sum, c) => sum + c.width + 1, 0);
  if (width >= 150) {
    const rest = width - used - 10 - 2;
    const urlWidth = Math.floor(rest / 2);
    return [...fixed,
      { title: 'ID', width: 9, cell: (r) => r.ticketId ?? '' },
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
    { text: `${row.type} ${row.action}  ${row.status}`, bold: true, color: row.status === 'Ok' ? 'green' : row.status === 'Failed' ? 'red' : 'yellow' },
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

const logFooterParts: FooterPart[] = [[listMoves, 'move'], ['open', 'open'], ['filter', 'filter']];
const logFooter = footerHints(logFooterParts);
const logFooterFiltered = footerHints([...logFooterParts, ['leave', 'clear filter']]);

// The log version is what makes rows new: new, changed or pruned rows bump it, and the
// pane asks again. It is passed (and not used) so that it is a stated input of the memo.
function queryAt(engine: PaneProps['services']['engine'], query: LogQuery, _version: number): LogRow[] {
  return engine.queryLog(query);
}

function rowAt(engine: PaneProps['services']['engine'], id: number, _version: number): LogRow | undefined {
  return engine.getLogRow(id);
}

/** The Log pane. */
export function LogPane({ services, snapshot, isActive, width, height, setMode, memory, details }: PaneProps): React.JSX.Element {
  const engine = services.engine;
  const { config } = useValueStore(services.settings);
  const [filterText, setFilterText] = useRemembered(memory, 'log.filter', '');
  const [win, setWin] = useRemembered<ListWindow>(memory, 'log.window', { cursor: 0, top: 0 });
  const [openId, setOpenId] = useRemembered<number | null>(memory, 'log.open', null);
  const [editingFilter, setEditingFilter] = useState(false);
  useModeSync(setMode, editingFilter);

  const filter = useMemo(() => parseLogFilter(filterText), [filterText]);
  const tableRows = Math.max(1, height - 4);
  // logVersion is in the deps so that new, changed or pruned rows are fetched again.
  const known = useLogCount(engine, filter, snapshot.logVersion);
  // While a text filter is being counted, the first page is what there is to move in.
  const top = known === null ? 0 : clampWindow(win, known, tableRows).top;
  const logVersion = snapshot.logVersion;
  const rows = useMemo(() => queryAt(engine, { ...filter, offset: top, limit: tableRows }, logVersion), [engine, filter, top, tableRows, logVersion]);
  const count = known ?? rows.length;
  const list = useList(count, tableRows, { state: [win, setWin], pinTop: known === null });
  const w = list.window;
  const openRow = useMemo(() => (openId === null ? undefined : rowAt(engine, openId, logVersion)), [engine, openId, logVersion]);

  useKeys((input, key) => {
    if (list.keyMove(input, key)) {
      return;
    } else if (isKey('filter', input, key)) {
      setEditingFilter(true);
    } else if (isKey('open', input, key)) {
      const row = rows[w.cursor - w.top];
      if (row) setOpenId(row.id);
    } else if (isKey('leave', input, key) && filterText) {
      setFilterText('');
      setWin({ cursor: 0, top: 0 });
    }
  }, { isActive: isActive && !editingFilter && openRow === undefined });

  const selectedRow = rows[w.cursor - w.top];
  useDetails(details, () => [
    { title: 'Selected row (Enter opens it)', lines: selectedRow ? logRowLines(selectedRow, Date.now()).map((l) => `${l.prefix ?? ''}${l.text}`) : [] },
    { title: 'Keys', lines: [filterText ? logFooterFiltered : logFooter] },
  ]);

  if (openRow) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <ScrollView title={`Log row ${openRow.id}`} lines={logRowLines(openRow, Date.now())} height={height} isActive={isActive} onClose={() => setOpenId(null)} />
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
            onChange={(text) => {
              setFilterText(text);
              setWin({ cursor: 0, top: 0 });
            }}
            onSubmit={() => setEditingFilter(false)}
            onCancel={() => {
              setFilterText('');
              setWin({ cursor: 0, top: 0 });
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
      <Text dimColor wrap="truncate-end">{filterText ? logFooterFiltered : logFooter}</Text>
    </Box>
  );
}
