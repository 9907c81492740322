// A multi-line editor for the Create Query: a window of lines around the cursor, scrolled
// sideways together so the cursor's column stays in view (as nano does).
import React from 'react';
import { Box, Text } from 'ink';
import { useEditor } from './use-editor.js';
import { cursorPosition } from './text-editing.js';

/** Props of TextArea. */
export interface TextAreaProps {
  text: string;
  isActive: boolean;
  width: number;
  height: number;
  onChange(text: string): void;
  onLeave?(text: string): void;
  /** A line to mark (e.g. where the JSON is invalid), 1-based. */
  errorLine?: number | null;
  /** While not editing: the first line shown (the view scrolls or follows a table row), 0-based. */
  viewTop?: number;
  /** While not editing: a line drawn highlighted (the selected table row's field), 0-based. */
  markLine?: number | null;
}

/** The first line to show so that `line` is in view, a third of the way down (as a pager centres a match). */
export function followTop(line: number, rows: number, total: number): number {
  return Math.max(0, Math.min(line - Math.floor(rows / 3), total - rows));
}

/** The text, a screenful at a time; shows the cursor while active. */
export function TextArea({ text, isActive, width, height, onChange, onLeave, errorLine, viewTop = 0, markLine = null }: TextAreaProps): React.JSX.Element {
  const state = useEditor({ text, multiline: true, isActive, onChange, onCancel: onLeave });
  const lines = state.text.split('\n');
  const { line, column } = cursorPosition(state);
  const rows = Math.max(1, height);
  const top = isActive ? Math.min(Math.max(0, line - rows + 1), Math.max(0, lines.length - rows)) : Math.min(Math.max(0, viewTop), Math.max(0, lines.length - rows));
  const cols = Math.max(4, width);
  const left = isActive ? Math.max(0, column - cols + 2) : 0;
  const visible = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column" width={cols} height={rows} overflow="hidden">
      {visible.map((content, i) => {
        const index = top + i;
        const part = content.slice(left, left + cols);
        const marked = errorLine === index + 1;
        if (isActive && index === line) {
          const c = column - left;
          return (
            <Text key={index} wrap="truncate-end" color={marked ? 'red' : undefined}>
              {part.slice(0, c)}<Text inverse>{part[c] ?? ' '}</Text>{part.slice(c + 1)}
            </Text>
          );
        }
        const followed = !isActive && index === markLine;
        return <Text key={index} wrap="truncate-end" color={marked ? 'red' : followed ? 'cyan' : undefined} bold={followed}>{part || ' '}</Text>;
      })}
    </Box>
  );
}
