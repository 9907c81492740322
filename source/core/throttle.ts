// The throttle for automatic updates: a sliding window over the moments
// updates START. At no time may more than `max` starts fall within any `intervalMs`.
// Pure functions of (the recorded starts, now), so the engine keeps the state and tests
// need no clock at all.
// See "Slot" in docs/architecture.md#vocabulary.

/** The window's size: at most `max` starts within any `intervalMs`. */
export interface ThrottleWindow {
  max: number;
  intervalMs: number;
}

/** The starts still inside the window at `now` (a start at s counts while now - s < intervalMs). */
export function liveStarts(starts: readonly number[], now: number, intervalMs: number): number[] {
  return starts.filter((s) => now - s < intervalMs);
}

/** How many starts the window holds at `now` (the status line's "used"). */
export function usedSlots(starts: readonly number[], now: number, intervalMs: number): number {
  let used = 0;
  for (const s of starts) if (now - s < intervalMs) used++;
  return used;
}

/**
 * The earliest moment ≥ now at which one more update may start. With k live starts and
 * k ≥ max, the (k - max + 1)-th oldest must leave the window first.
 */
export function nextStartAt(starts: readonly number[], now: number, window: ThrottleWindow): number {
  const live = liveStarts(starts, now, window.intervalMs).sort((a, b) => a - b);
  if (live.length < window.max) return now;
  return live[live.length - window.max] + window.intervalMs;
}

/** Whether an update may start at `now`. */
export function canStart(starts: readonly number[], now: number, window: ThrottleWindow): boolean {
  return usedSlots(starts, now, window.intervalMs) < window.max;
}

/** The starts after one more at `now`, with those that left the window dropped (bounded memory). */
export function recordStart(starts: readonly number[], now: number, intervalMs: number): number[] {
  return [...liveStarts(starts, now, intervalMs), now];
}

/** When the oldest live start leaves the window (the status line's "used" drops), or null if none. */
export function nextExpiryAt(starts: readonly number[], now: number, intervalMs: number): number | null {
  let oldest = Infinity;
  for (const s of starts) if (now - s < intervalMs && s < oldest) oldest = s;
  return oldest === Infinity ? null : oldest + intervalMs;
}
