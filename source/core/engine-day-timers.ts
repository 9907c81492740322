// The engine's two daily timers: the log pruned by age (log.removeOlderThanDays) at start and
// then once a day, and a redraw at local midnight, when "today" becomes "yesterday" in the
// statistics. Both are on the engine's stop signal: a stop clears them.
import type { ClockTimer } from './clock-timer.js';
import { META, type EngineCore } from './engine-core.js';
import { ageCutoff, nextPruneAt } from './retention.js';
import { nextLocalMidnight } from './stats.js';

/** The prune and the midnight redraw; see the file comment. */
export class DayTimers {
  private readonly prune: ClockTimer;
  private readonly midnight: ClockTimer;

  constructor(private readonly core: EngineCore) {
    this.prune = core.timer(() => this.pruneByAge());
    this.midnight = core.timer(() => {
      core.signals.changed();
      this.armMidnight();
    });
  }

  /** Prunes by age now and arms both timers. */
  start(): void {
    this.pruneByAge();
    this.armMidnight();
  }

  /** Applies removeOlderThanDays now and arms the next run (in 24 hours). */
  private pruneByAge(): void {
    const now = this.core.clock.now();
    pruneOlderThan(this.core, ageCutoff(now, this.core.config.log.removeOlderThanDays));
    this.prune.armAt(nextPruneAt(now, now));
  }

  private armMidnight(): void {
    this.midnight.armAt(nextLocalMidnight(this.core.clock.now()));
  }
}

/** Applies removeOlderThanDays: rows before the cutoff go (Pending ones stay), and any finished command left. */
export function pruneOlderThan(core: EngineCore, cutoff: number): void {
  const rows = core.store.pruneLogOlderThan(cutoff);
  // Finished commands are deleted as they finish; this clears any an older version left.
  core.store.purgeFinishedCommands(cutoff);
  core.store.setMeta(META.lastPrune, String(core.clock.now()));
  if (rows > 0) core.signals.emit({ type: 'pruned', rows });
  void core.commitQuietly();
}
