// The `?` overlay: every key from key-bindings.ts, grouped by where it applies, the keys of
// the pane it was opened on first (what the user came for is on the first screen). It
// scrolls (↑ ↓ PgUp PgDn) when the terminal is short; Esc, ? or q closes it.
import React from 'react';
import { Box, Text } from 'ink';
import { useScroll } from '../hooks/use-scroll.js';
import { isKey, keyBindings, keyScopes, keysOf, type KeyScope } from '../key-bindings.js';

/** How the overlay closes, written from the key table (the same keys close it). */
export function helpCloseHint(): string {
  return `${keysOf('leave')}, ${keysOf('help')} or ${keysOf('quit')} closes`;
}

/** Props of HelpOverlay. */
export interface HelpOverlayProps {
  width: number;
  height: number;
  onClose(): void;
  isActive: boolean;
  /** The pane it was opened on: its keys come first. */
  first?: KeyScope;
}

/** The help lines: a heading per scope, then `keys  description`. */
export function helpLines(first?: KeyScope): Array<{ heading: boolean; text: string }> {
  const lines: Array<{ heading: boolean; text: string }> = [];
  const scopes = first === undefined ? keyScopes : [first, ...keyScopes.filter((s) => s !== first)];
  for (const scope of scopes) {
    const bindings = keyBindings.filter((b) => b.scope === scope);
    if (bindings.length === 0) continue;
    lines.push({ heading: true, text: scope });
    for (const b of bindings) lines.push({ heading: false, text: `  ${b.keys.padEnd(10)} ${b.description}` });
  }
  return lines;
}

/** A scrollable list of every key. */
export function HelpOverlay({ width, height, onClose, isActive, first }: HelpOverlayProps): React.JSX.Element {
  const lines = helpLines(first);
  const rows = Math.max(1, height - 3);
  const { top, range } = useScroll(lines.length, rows, isActive, (input, key) => {
    if (isKey('leave', input, key) || isKey('help', input, key) || isKey('quit', input, key) || key.return) onClose();
  });
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">Keys{range ? `  ${range.slice(0, -1)}, ↑↓ PgUp PgDn scroll)` : ''}  — {helpCloseHint()}</Text>
      {lines.slice(top, top + rows).map((line, i) => (
        <Text key={top + i} bold={line.heading} color={line.heading ? 'yellow' : undefined} wrap="truncate-end">{line.text}</Text>
      ))}
    </Box>
  );
}
