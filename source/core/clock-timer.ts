// One timer on the Clock that can be armed for a moment, moved, or cleared: the scheduler, the
// gate and the pacer each keep "wake me at T" and used to repeat the same handle bookkeeping.
import type { Clock, TimerHandle } from './ports.js';

/** A single re-armable timer; see the file comment. */
export class ClockTimer {
  private handle: TimerHandle | null = null;
  private at: number | null = null;

  constructor(private readonly clock: Clock, private readonly fire: () => void) {}

  /** When it fires next, or null when not armed. */
  get armedAt(): number | null {
    return this.at;
  }

  /** Fires at `at` (ms epoch); a timer already armed for that moment is kept. */
  armAt(at: number): void {
    if (this.at === at) return;
    this.clear();
    this.at = at;
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      this.at = null;
      this.fire();
    }, Math.max(0, at - this.clock.now()));
  }

  /** Arms for `at` unless it is armed for an earlier moment already. */
  armNoLaterThan(at: number): void {
    if (this.at !== null && this.at <= at) return;
    this.armAt(at);
  }

  clear(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.at = null;
  }
}
