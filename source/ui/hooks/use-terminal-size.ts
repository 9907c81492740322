// The terminal's size, re-read on every resize so the frame redraws to fit.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** Columns and rows of the terminal. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/** What a stream reports, or the 80×24 an operator's console is assumed to have at least. */
function read(stdout: { columns?: number; rows?: number }, fallback: TerminalSize): TerminalSize {
  return { columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows };
}

/** The current size of Ink's stdout; `override` (tests, the benchmark) wins when given. */
export function useTerminalSize(override?: TerminalSize, fallback: TerminalSize = { columns: 80, rows: 24 }): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout, fallback));
  const { columns: fallbackColumns, rows: fallbackRows } = fallback;
  useEffect(() => {
    if (override) return;
    const onResize = () => setSize((previous) => {
      const next = read(stdout, { columns: fallbackColumns, rows: fallbackRows });
      return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
    });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, override, fallbackColumns, fallbackRows]);
  return override ?? size;
}
