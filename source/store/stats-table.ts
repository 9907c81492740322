// Statistics: counters per local calendar day and running totals. Which day a
// moment belongs to is the engine's business (localDay); the store only adds.
// See docs/architecture.md#the-log-statistics-and-pruning.
import type { DayCount, RefusedCounts } from '../core/ports.js';
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

  /** Lines refused with ERR: in total, and the days from..to that have any, oldest first. */
  refused(fromDay: string, toDay: string): RefusedCounts {
    const days = this.db
      .all('SELECT day, refused FROM stats_days WHERE day BETWEEN ? AND ? AND refused > 0 ORDER BY day', [fromDay, toDay])
      .map((row) => ({ day: String(row.day), refused: Number(row.refused) }));
    return { total: Number(this.db.get('SELECT refused FROM stats_totals WHERE id = 1')?.refused ?? 0), days };
  }
}

/** Counts of one day or of all time. */
interface Totals {
  created: number;
  updated: number;
  refused: number;
}

/** Counts added and not yet written into the tables. */
export interface StatsBuffer {
  days: Map<string, Totals>;
  totals: Totals;
}

/** The statistics tables with writes. */
export class StatsTable extends StatsReader {
  // Counts wait here until the commit that makes them durable (flush) or a read that needs
  // them: each ticket made two statements of its own, the same two every time.
  private readonly pendingDays = new Map<string, Totals>();
  private pendingTotals: Totals = { created: 0, updated: 0, refused: 0 };

  constructor(db: Db, private readonly changed: () => void) {
    super(db);
  }

  /** Adds to one day's counters and to the totals. */
  add(day: string, created: number, updated: number, refused = 0): void {
    if (created === 0 && updated === 0 && refused === 0) return;
    const counts = this.pendingDays.get(day);
    if (counts) {
      counts.created += created;
      counts.updated += updated;
      counts.refused += refused;
    } else {
      this.pendingDays.set(day, { created, updated, refused });
    }
    this.pendingTotals.created += created;
    this.pendingTotals.updated += updated;
    this.pendingTotals.refused += refused;
    this.changed();
  }

  /**
   * Writes the counts added since the last flush into the tables (the store calls it before
   * each commit's capture). Each count leaves the buffer as it is written, so a statement that
   * fails half-way never has the next flush add again what went in.
   */
  flush(): void {
    if (this.pendingDays.size === 0) return;
    for (const [day, counts] of this.pendingDays) {
      this.db.run(
        'INSERT INTO stats_days (day, created, updated, refused) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (day) DO UPDATE SET created = created + excluded.created, updated = updated + excluded.updated, refused = refused + excluded.refused',
        [day, counts.created, counts.updated, counts.refused],
      );
      this.pendingDays.delete(day);
    }
    this.db.run('UPDATE stats_totals SET created = created + ?, updated = updated + ?, refused = refused + ? WHERE id = 1',
      [this.pendingTotals.created, this.pendingTotals.updated, this.pendingTotals.refused]);
    this.pendingTotals = { created: 0, updated: 0, refused: 0 };
  }

  /** A copy of the counts not written yet (the store keeps one across a transaction). */
  saveBuffer(): StatsBuffer {
    return { days: new Map([...this.pendingDays].map(([day, c]) => [day, { ...c }])), totals: { ...this.pendingTotals } };
  }

  /** Puts back a saved copy: a rolled-back transaction undoes the counts it added, and gets back those a flush inside it wrote. */
  restoreBuffer(saved: StatsBuffer): void {
    this.pendingDays.clear();
    for (const [day, counts] of saved.days) this.pendingDays.set(day, { ...counts });
    this.pendingTotals = { ...saved.totals };
  }

  override days(fromDay: string, toDay: string): DayCount[] {
    this.flush();
    return super.days(fromDay, toDay);
  }

  override totals(): { created: number; updated: number } {
    this.flush();
    return super.totals();
  }

  override refused(fromDay: string, toDay: string): RefusedCounts {
    this.flush();
    return super.refused(fromDay, toDay);
  }

  /** Forgets every daily counter (today, yesterday and the chart's days). */
  resetDaily(): void {
    this.flush();
    this.db.run('DELETE FROM stats_days');
    this.changed();
  }

  /** Sets the totals back to zero. */
  resetTotals(): void {
    this.flush();
    this.db.run('UPDATE stats_totals SET created = 0, updated = 0, refused = 0 WHERE id = 1');
    this.changed();
  }
}
