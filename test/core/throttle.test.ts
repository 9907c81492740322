import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canStart, nextExpiryAt, nextStartAt, recordStart, usedSlots } from '../../source/core/throttle.js';

const window = { max: 3, intervalMs: 60_000 };

/** Drives the throttle the way the engine does: each update starts at the first moment allowed. */
function schedule(count: number, arrivals: number[] = []): number[] {
  let starts: number[] = [];
  const out: number[] = [];
  let clock = 0; // time never runs backwards: each update is looked at no sooner than the previous start
  for (let i = 0; i < count; i++) {
    clock = Math.max(clock, arrivals[i] ?? 0);
    const at = nextStartAt(starts, clock, window);
    clock = at;
    starts = recordStart(starts, at, window.intervalMs);
    out.push(at);
  }
  return out;
}

test('3 per 60 s: seven updates queued at once start at 0,0,0, 60,60,60, 120 s', () => {
  assert.deepEqual(schedule(7).map((t) => t / 1000), [0, 0, 0, 60, 60, 60, 120]);
});

test('the window slides: a slot frees exactly intervalSeconds after the start that took it', () => {
  // Starts at 0, 10 s and 20 s; the fourth may go at 60 s, the fifth at 70 s.
  const out = schedule(5, [0, 10_000, 20_000, 25_000, 25_000]);
  assert.deepEqual(out.map((t) => t / 1000), [0, 10, 20, 60, 70]);
});

test('no interval of the window ever holds more than max starts', () => {
  const arrivals = Array.from({ length: 40 }, (_, i) => i * 7_000);
  const starts = schedule(40, arrivals);
  for (const s of starts) {
    const inside = starts.filter((t) => t >= s && t < s + window.intervalMs).length;
    assert.ok(inside <= window.max, `${inside} starts within 60 s of ${s}`);
  }
});

test('used counts only starts inside the window; canStart follows it', () => {
  const starts = [0, 30_000, 59_999];
  assert.equal(usedSlots(starts, 59_999, 60_000), 3);
  assert.equal(canStart(starts, 59_999, window), false);
  assert.equal(usedSlots(starts, 60_000, 60_000), 2);
  assert.equal(canStart(starts, 60_000, window), true);
});

test('recordStart forgets starts that left the window; nextExpiryAt names the oldest live one', () => {
  assert.deepEqual(recordStart([0, 10_000], 65_000, 60_000), [10_000, 65_000]);
  assert.equal(nextExpiryAt([10_000, 65_000], 65_000, 60_000), 70_000);
  assert.equal(nextExpiryAt([0], 60_000, 60_000), null);
});
