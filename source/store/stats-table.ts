// Statistics (SPEC §8): counters per local calendar day and running totals. Which day a
// moment belongs to is the engine's business (localDay); the store only adds.
import type { DayCount } from '../core/ports.js';
import type { Db } from './database.js';

/** Read access to the statistics; shared with the snapshot reader. */
export class StatsReader {
  constructor(protected readonly db: Db) {}

  /** The counters of the days from..to inclusive ('YYYY-MM-DD'), oldest first; days without counts are absent. */
  days(fromDay: string, toDay: string): DayCount[] {
    return this.db
      .all('SELECT day, created, updated FROM stats_days WHERE day BETWEEN ? AND ? ORDER BY day', [fromDay, toDay])
      .map((row) => ({ day: String(row.day), created: Number(row.created), updated: Number(row.updated) }));
  }

  /** The running totals. */
  totals(): { created: number; updated: number } {
    const row = this.db.get('SELECT created, updated FROM stats_totals WHERE id = 1');
    return { created: Number(row?.created ?? 0), updated: Number(row?.updated ?? 0) };
  }
}

/** The statistics tables with writes. */
export class StatsTable extends StatsReader {
  constructor(db: Db, private readonly changed: () => void) {
    super(db);
  }

  /** Adds to one day's counters and to the totals. */
  add(day: string, created: number, updated: number): void {
    if (created === 0 && updated === 0) return;
    this.db.run(
      'INSERT INTO stats_days (day, created, updated) VALUES (?, ?, ?) ' +
        'ON CONFLICT (day) DO UPDATE SET created = created + excluded.created, updated = updated + excluded.updated',
      [day, created, updated],
    );
    this.db.run('UPDATE stats_totals SET created = created + ?, updated = updated + ? WHERE id = 1', [created, updated]);
    this.changed();
  }

  /** Forgets every daily counter (today, yesterday and the chart's days). */
  resetDaily(): void {
    this.db.run('DELETE FROM stats_days');
    this.changed();
  }

  /** Sets the totals back to zero. */
  resetTotals(): void {
    this.db.run('UPDATE stats_totals SET created = 0, updated = 0 WHERE id = 1');
    this.changed();
  }
}
