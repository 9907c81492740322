import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageCutoff, nextPruneAt, PRUNE_EVERY_MS } from '../../source/core/retention.js';

test('the age cutoff is removeOlderThanDays before now', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  assert.equal(ageCutoff(now, 30), Date.parse('2026-10-29T10:00:00Z'));
  assert.equal(ageCutoff(now, 1), Date.parse('2026-11-27T10:00:00Z'));
});

test('the age prune runs at once the first time, then every 24 hours', () => {
  assert.equal(nextPruneAt(null, 5000), 5000);
  assert.equal(nextPruneAt(1000, 5000), 1000 + PRUNE_EVERY_MS);
  assert.equal(nextPruneAt(1000, 1000 + 2 * PRUNE_EVERY_MS), 1000 + 2 * PRUNE_EVERY_MS);
  // A last-prune time in the future (clock set back) does not postpone pruning.
  assert.equal(nextPruneAt(9000, 5000), 5000);
});
