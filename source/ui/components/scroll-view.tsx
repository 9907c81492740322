// A read-only, scrollable list of lines (the Log pane's row detail, the Jira pane's
// ticket view). Lines may carry a URL, drawn as a terminal hyperlink.
import React from 'react';
import { Box, Text } from 'ink';
import { useScroll } from '../hooks/use-scroll.js';
import { footerHints, isKey } from '../key-bindings.js';
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
  const { top, range } = useScroll(lines.length, rows, isActive, (input, key) => {
    if (isKey('leave', input, key) || key.return) onClose();
  });
  const shown = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column">
      <Text bold>{title}<Text dimColor>{range ? `  ${range}` : ''}  {footerHints([['leave', 'back']])}</Text></Text>
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
