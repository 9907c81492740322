// Log retention: a cap on the number of rows, applied on every insert, and an
// age limit applied at start and every 24 hours. Pending rows are never pruned (the store
// enforces that); these functions only say when and up to what moment.
// See docs/architecture.md#the-log-statistics-and-pruning.

/** How often the age limit is applied. */
export const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Rows whose time is before this moment are old enough to go. */
export function ageCutoff(now: number, removeOlderThanDays: number): number {
  return now - removeOlderThanDays * DAY_MS;
}

/** When the next age prune is due, given the last one (null: never ran → now). */
export function nextPruneAt(lastPrune: number | null, now: number): number {
  if (lastPrune === null || lastPrune > now) return now;
  return Math.max(now, lastPrune + PRUNE_EVERY_MS);
}
