// A read-only, scrollable list of lines (the Log pane's row detail, the Jira pane's
// ticket view). Lines may carry a URL, drawn as a terminal hyperlink.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { isKey } from '../key-bindings.js';
import { moveWindow } from './list-window.js';
import { osc8 } from './hyperlink.js';

/** One line of a ScrollView. */
export interface ViewLine {
  text: string;
  /** Drawn before the text, outside the hyperlink (e.g. "URL  "). */
  prefix?: string;
  url?: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/** Props of ScrollView. */
export interface ScrollViewProps {
  title: string;
  lines: ViewLine[];
  height: number;
  isActive: boolean;
  /** Esc (or Enter) leaves the view. */
  onClose(): void;
}

/** Lines a screenful at a time; ↑ ↓ PgUp PgDn Home End scroll. */
export function ScrollView({ title, lines, height, isActive, onClose }: ScrollViewProps): React.JSX.Element {
  const rows = Math.max(1, height - 2);
  const [top, setTop] = useState(0);
  useKeys((input, key) => {
    const moves = ['up', 'down', 'page-up', 'page-down', 'home', 'end'] as const;
    const move = moves.find((m) => isKey(m, input, key));
    if (move) {
      const edge = move === 'up' || move === 'page-up' ? top : top + rows - 1;
      setTop(moveWindow({ cursor: edge, top }, move, lines.length, rows).top);
    } else if (isKey('leave', input, key) || key.return) {
      onClose();
    }
  }, { isActive });
  const shown = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column">
      <Text bold>{title}<Text dimColor>{lines.length > rows ? `  (${top + 1}–${Math.min(lines.length, top + rows)} of ${lines.length})` : ''}  Esc back</Text></Text>
      {shown.map((line, i) => (
        <Text key={top + i} wrap="truncate-end" bold={line.bold} dimColor={line.dim}>
          {line.prefix ?? ''}
          <Text color={line.color ?? (line.url ? 'cyan' : undefined)} underline={Boolean(line.url)}>
            {line.url ? osc8(line.url, line.text) : line.text || ' '}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
