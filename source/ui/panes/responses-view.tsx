// The Responses view: Jira's recorded answers (time, method, path, status, duration, the first
// 2 KB of the body), of one log row (`a` on the row) or all of them (`A`), newest first. A body
// is Jira's text and hostile: every line is neutralised before it reaches the terminal.
import React, { useEffect, useState } from 'react';
import { Box } from 'ink';
import type { EngineApi } from '../../core/engine-api.js';
import type { ResponseQuery, ResponseRow } from '../../core/ports.js';
import { neutralise } from '../../core/safe-text.js';
import { ScrollView, type ViewLine } from '../components/scroll-view.js';
import { formatTime, prettyJson } from '../format.js';

/** How many answers the view asks for at most. */
const VIEW_LIMIT = 200;

/** The lines of a list of answers, `width` wide at most. */
export function responseLines(rows: ResponseRow[], width: number): ViewLine[] {
  if (rows.length === 0) return [{ text: 'No Jira answers recorded for this (responses.maxEntries keeps the newest).', dim: true }];
  const lines: ViewLine[] = [];
  const max = Math.max(20, width - 4);
  for (const r of rows) {
    const ok = r.status >= 200 && r.status < 300;
    lines.push({ text: neutralise(`${formatTime(r.time)}  ${r.method} ${r.path}  ${r.status}  ${r.durationMs} ms${r.guid ? `  ${r.guid}` : ''}${r.logId !== null ? `  row ${r.logId}` : ''}`).slice(0, max),
      bold: true, color: ok ? 'green' : 'red' });
    for (const line of (r.body === '' ? '(no body)' : prettyJson(r.body)).split('\n')) {
      const safe = neutralise(line);
      for (let at = 0; at < safe.length || at === 0; at += max) lines.push({ text: `  ${safe.slice(at, at + max)}` });
    }
  }
  return lines;
}

/** Props of ResponsesView. */
export interface ResponsesViewProps {
  engine: EngineApi;
  query: ResponseQuery;
  title: string;
  width: number;
  height: number;
  isActive: boolean;
  onClose(): void;
}

/** Loads the answers once, then scrolls through them; Esc goes back. */
export function ResponsesView({ engine, query, title, width, height, isActive, onClose }: ResponsesViewProps): React.JSX.Element {
  const [lines, setLines] = useState<ViewLine[]>([{ text: 'loading…', dim: true }]);
  const { guid, logId } = query;
  useEffect(() => {
    let live = true;
    engine.responses({ guid, logId, limit: VIEW_LIMIT }).then(
      (rows) => live && setLines(responseLines(rows, width)),
      (error: unknown) => live && setLines([{ text: neutralise(`Could not read the responses: ${(error as Error).message}`), color: 'red' }]),
    );
    return () => {
      live = false;
    };
  }, [engine, guid, logId, width]);
  return (
    <Box flexDirection="column" paddingX={1}>
      <ScrollView title={title} lines={lines} height={height} isActive={isActive} onClose={onClose} />
    </Box>
  );
}
