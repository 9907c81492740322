// A read of the engine's store (log rows, a count, one row) kept out of render: render
// shows the value last read, and a layout effect reads again when the key (the query and
// the log version) changes and redraws at once, before the frame is written. Rendering
// stays pure — no SQL runs while React renders — and a keypress still costs one frame.
import { useLayoutEffect, useRef, useState } from 'react';

/** The value `read()` gave for `key`; read again (after render) whenever `key` changes. */
export function useEngineRead<T>(key: string, read: () => T, initial: T): T {
  const [state, setState] = useState<{ key: string | null; value: T }>({ key: null, value: initial });
  const latest = useRef(read);
  useLayoutEffect(() => {
    latest.current = read;
  });
  useLayoutEffect(() => {
    if (state.key === key) return;
    setState({ key, value: latest.current() });
  }, [key, state.key]);
  return state.value;
}
