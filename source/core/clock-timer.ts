// One timer on the Clock that can be armed for a moment, moved, or cleared: the scheduler, the
// gate and the pacer each keep "wake me at T" and used to repeat the same handle bookkeeping.
// Given the engine's stop signal, a timer clears itself when the engine stops and cannot be
// armed again, so a stop leaves no timer behind and no timer starts work after it.
import type { Clock, TimerHandle } from './ports.js';

/** A single re-armable timer; see the file comment. */
export class ClockTimer {
  private handle: TimerHandle | null = null;
  private at: number | null = null;

  constructor(private readonly clock: Clock, private readonly fire: () => void, private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.clear(), { once: true });
  }

  /** When it fires next, or null when not armed. */
  get armedAt(): number | null {
    return this.at;
  }

  /** Fires at `at` (ms epoch), never while now() is before it; a timer already armed for that moment is kept. Does nothing once stopped. */
  armAt(at: number): void {
    if (this.at === at || this.signal?.aborted) return;
    this.clear();
    this.at = at;
    this.wait(at);
  }

  private wait(at: number): void {
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      // Node runs a timer by the event loop's own millisecond clock, which Date.now() is rounded
      // apart from: now and then it runs while now() still says at - 1. Whoever it wakes judges
      // "is it time?" by now(), and some (the gate's next probe) would find it not yet and never
      // be woken again, so it fires only once now() has reached its moment.
      if (this.clock.now() < at) {
        this.wait(at);
        return;
      }
      this.at = null;
      this.fire();
    }, Math.max(0, at - this.clock.now()));
  }

  /** Fires `ms` from now. */
  armIn(ms: number): void {
    this.armAt(this.clock.now() + ms);
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

/**
 * Resolves after `ms` on the Clock; rejects with the signal's reason as soon as it aborts (at
 * once when it already has), its timer cleared: a wait ends with the stop, as a request does.
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
