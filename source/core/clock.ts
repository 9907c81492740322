// The real clock. Everything time-dependent takes a Clock so tests can use fake time.
import { localIso } from './local-time.js';
import type { Clock, TimerHandle } from './ports.js';

/** Wall-clock time and Node's timers (unref'd: a pending retry alone does not keep a process alive). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return handle as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
  nextTurn(fn) {
    setImmediate(fn);
  },
};

/** The local calendar day of a moment, 'YYYY-MM-DD' (statistics count by local day). */
export function localDay(ms: number): string {
  return localIso(ms).slice(0, 10);
}
