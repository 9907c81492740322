// `/` on a list without a filter of its own (the Creation table, the Configuration form):
// a find box in place of the pane's message line; each key moves the selection to the
// first row holding the text (case-insensitive), as less and vim's search do. Enter or Esc ends it.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { TextInput } from '../components/text-input.js';
import { keysOf } from '../key-bindings.js';

/** The find box's hint, written from the key table. */
export function findHint(): string {
  return `${keysOf('commit')}/${keysOf('leave')} ends`;
}

/** The first row (from 0) whose text holds the query, or -1; an empty query finds nothing. */
export function findRow(texts: readonly string[], query: string): number {
  const q = query.trim().toLowerCase();
  if (q === '') return -1;
  return texts.findIndex((t) => t.toLowerCase().includes(q));
}

/** The find box's state: open or not, and the element to draw while open. */
export interface Find {
  open: boolean;
  start(): void;
  box(width: number, isActive: boolean): React.JSX.Element;
}

/** A find over `texts` (one per row); `jump` moves the selection. */
export function useFind(texts: () => readonly string[], jump: (index: number) => void): Find {
  const [query, setQuery] = useState<string | null>(null);
  const found = query === null ? -1 : findRow(texts(), query);
  return {
    open: query !== null,
    start: () => setQuery(''),
    box: (width, isActive) => (
      <Box>
        <Text color="yellow">/ </Text>
        <TextInput value={query ?? ''} isActive={isActive} width={Math.max(8, width - 20)} placeholder="find a row"
          onChange={(text) => {
            setQuery(text);
            const at = findRow(texts(), text);
            if (at >= 0) jump(at);
          }}
          onSubmit={() => setQuery(null)} onCancel={() => setQuery(null)} />
        <Text dimColor>{query && found < 0 ? '  no row holds it' : `  ${findHint()}`}</Text>
      </Box>
    ),
  };
}
