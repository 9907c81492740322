// A fake Clock for tests: time moves only when the test says so, and due timers fire in
// time order. Await `advance()` so that promise chains started by a timer run before the
// next timer fires.
import type { Clock, TimerHandle } from '../../source/core/ports.js';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** Fake time: starts at `start` (ms epoch) and moves with advance()/advanceTo(). */
export class FakeClock implements Clock {
  private current: number;
  private timers: Pending[] = [];
  private nextId = 1;
  /**
   * What runs between two timers (and before time jumps): a few turns of the loop by default.
   * A test engine adds its store's commits under way, so that a step waiting for its commit
   * (real disk I/O) goes on at the fake moment it started, not at the end of the advance.
   */
  settle: () => Promise<void> = () => flush();

  constructor(start = Date.parse('2026-11-28T10:00:00')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as unknown as { id: number }).id;
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** A real yield of the thread: fake time stands still while the loop turns. */
  nextTurn(fn: () => void): void {
    setImmediate(fn);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, firing each due timer at its own moment. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  /** Moves time to `target`, firing due timers in order and letting promises settle between them. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await this.settle();
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = Math.max(this.current, target);
    await this.settle();
  }
}

/**
 * Fake time whose timers run a millisecond before their moment, as Node's now and then do: they
 * run on the event loop's own millisecond clock, and Date.now() (the engine's Clock) is rounded
 * apart from it, so a timer armed for T may run while now() still says T - 1.
 */
export class EarlyClock extends FakeClock {
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    return super.setTimeout(fn, ms > 1 ? ms - 1 : ms);
  }
}

/** Lets queued microtasks and I/O callbacks run (several turns, for chained promises). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
