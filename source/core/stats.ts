// Statistics: counters by local calendar day. Today and yesterday are computed
// from `now` each time, so the midnight roll-over needs no bookkeeping.
// See docs/architecture.md#the-log-statistics-and-pruning.
import { localDay } from './clock.js';
import type { Counter, StatsSnapshot } from './engine-api.js';
import type { DayCount, RefusedCounts, StorePort } from './ports.js';

/** How many days the bar chart shows. */
export const CHART_DAYS = 14;

/** The local calendar day before `day` ('YYYY-MM-DD'); DST-safe (calendar arithmetic, not 24 h). */
export function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return localDay(new Date(y, m - 1, d - 1, 12).getTime());
}

/** The `count` local days ending with the day of `now`, oldest first. */
export function lastDays(now: number, count: number): string[] {
  const days = [localDay(now)];
  while (days.length < count) days.unshift(dayBefore(days[0]));
  return days;
}

/** The first moment of the local day after the one holding `now` (when "today" rolls over). */
export function nextLocalMidnight(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** The snapshot from the stored day counters and totals, as seen at `now`. */
export function buildStats(days: readonly DayCount[], totals: { created: number; updated: number }, now: number,
  refused: RefusedCounts = { total: 0, days: [] }): StatsSnapshot {
  const wanted = lastDays(now, CHART_DAYS);
  const byDay = new Map(days.map((d) => [d.day, d]));
  const chart = wanted.map((day) => ({ day, created: byDay.get(day)?.created ?? 0, updated: byDay.get(day)?.updated ?? 0 }));
  const refusedOn = (day: string) => refused.days.find((d) => d.day === day)?.refused ?? 0;
  const today = chart[chart.length - 1];
  const yesterday = chart[chart.length - 2];
  const counter = (total: number, t: number, y: number): Counter => ({ total, today: t, yesterday: y });
  return {
    created: counter(totals.created, today.created, yesterday.created),
    updated: counter(totals.updated, today.updated, yesterday.updated),
    total: counter(totals.created + totals.updated, today.created + today.updated, yesterday.created + yesterday.updated),
    // Not tickets, so not in `total`: lines answered ERR (a typo in a fire-and-forget `nc` shows here).
    refused: counter(refused.total, refusedOn(today.day), refusedOn(yesterday.day)),
    days: chart,
  };
}

/** The statistics as stored, seen at `now` (the engine's snapshot and `jiraline stats`). */
export function statsFromStore(store: Pick<StorePort, 'statsDays' | 'statsTotals'> & Partial<Pick<StorePort, 'statsRefused'>>, now: number): StatsSnapshot {
  const wanted = lastDays(now, CHART_DAYS);
  const [from, to] = [wanted[0], wanted[wanted.length - 1]];
  return buildStats(store.statsDays(from, to), store.statsTotals(), now, store.statsRefused?.(dayBefore(to), to));
}
