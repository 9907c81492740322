// ClockTimer on a clock whose timers may run a millisecond early (Node's do now and then): it
// fires only once the Clock has reached its moment, so whoever it wakes finds it due.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockTimer } from '../../source/core/clock-timer.js';
import { EarlyClock } from '../helpers/fake-clock.js';

test('a timer whose clock runs it a millisecond early fires only once now() has reached its moment', async () => {
  const clock = new EarlyClock();
  const start = clock.now();
  const fired: number[] = [];
  const timer = new ClockTimer(clock, () => fired.push(clock.now() - start));
  timer.armAt(start + 1000);
  await clock.advance(999);
  assert.deepEqual(fired, [], 'not at 999 ms, when the clock ran it');
  assert.equal(timer.armedAt, start + 1000, 'still armed for its moment');
  await clock.advance(1);
  assert.deepEqual(fired, [1000]);
  assert.equal(timer.armedAt, null);
  assert.equal(clock.pendingTimers, 0);
});
