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

// The last day asked for, as the moments it spans: every ticket asks for its day (the
// statistics), and working a day out of a moment in local time cost microseconds each time.
let lastDay = { from: 0, to: 0, day: '' };

/** The local calendar day of a moment, 'YYYY-MM-DD' (statistics count by local day). */
export function localDay(ms: number): string {
  if (ms >= lastDay.from && ms < lastDay.to) return lastDay.day;
  const day = localIso(ms).slice(0, 10);
  const d = new Date(ms);
  // Local midnights as the Date constructor finds them, so a day of 23 or 25 hours spans its own length.
  const from = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  if (Number.isFinite(from) && ms >= from && ms < to) lastDay = { from, to, day };
  return day;
}
