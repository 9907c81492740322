import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStats, dayBefore, lastDays, nextLocalMidnight, statsFromStore } from '../../source/core/stats.js';
import { localDay } from '../../source/core/clock.js';
import type { DayCount } from '../../source/core/ports.js';

const at = (s: string) => new Date(s).getTime(); // local time, like the engine's days

test('dayBefore crosses months, years and leap days', () => {
  assert.equal(dayBefore('2026-03-01'), '2026-02-28');
  assert.equal(dayBefore('2028-03-01'), '2028-02-29');
  assert.equal(dayBefore('2027-01-01'), '2026-12-31');
});

test('lastDays gives 14 local days ending today, oldest first', () => {
  const days = lastDays(at('2026-11-28T10:00:00'), 14);
  assert.equal(days.length, 14);
  assert.equal(days[0], '2026-11-15');
  assert.equal(days[13], '2026-11-28');
});

test('today and yesterday roll over at local midnight', () => {
  const days: DayCount[] = [{ day: '2026-11-27', created: 2, updated: 5 }, { day: '2026-11-28', created: 3, updated: 1 }];
  const totals = { created: 40, updated: 60 };
  const before = buildStats(days, totals, at('2026-11-28T23:59:59'));
  assert.deepEqual(before.created, { total: 40, today: 3, yesterday: 2 });
  assert.deepEqual(before.updated, { total: 60, today: 1, yesterday: 5 });
  assert.deepEqual(before.total, { total: 100, today: 4, yesterday: 7 });
  const after = buildStats(days, totals, at('2026-11-29T00:00:00'));
  assert.deepEqual(after.created, { total: 40, today: 0, yesterday: 3 });
  assert.deepEqual(after.total, { total: 100, today: 0, yesterday: 4 });
  assert.equal(nextLocalMidnight(at('2026-11-28T23:59:59')), at('2026-11-29T00:00:00'));
  assert.equal(localDay(nextLocalMidnight(at('2026-11-28T00:00:00'))), '2026-11-29');
});

test('statsFromStore asks for the 14 chart days and fills missing days with zeros', () => {
  let asked: [string, string] | null = null;
  const store = {
    statsDays(from: string, to: string): DayCount[] {
      asked = [from, to];
      return [{ day: '2026-11-20', created: 1, updated: 2 }];
    },
    statsTotals: () => ({ created: 1, updated: 2 }),
  };
  const s = statsFromStore(store, at('2026-11-28T10:00:00'));
  assert.deepEqual(asked, ['2026-11-15', '2026-11-28']);
  assert.equal(s.days.length, 14);
  assert.deepEqual(s.days[5], { day: '2026-11-20', created: 1, updated: 2 });
  assert.equal(s.days.filter((d) => d.created + d.updated > 0).length, 1);
  assert.deepEqual(s.created, { total: 1, today: 0, yesterday: 0 });
});
