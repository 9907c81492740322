// The ceiling on waiting work: with Jira down, a line that would go past queue.maxCommands or
// queue.maxBytes is refused before it is acknowledged (nothing of it stored), saying how
// many wait and why; the fill level is in the snapshot; crossing 80 % is said once, and the
// fall back below 70 % once Jira drains the queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkError } from '../helpers/fake-jira.js';
import { harness } from './engine-harness.js';

const down = () => Array.from({ length: 200 }, () => networkError('network'));

test('past queue.maxCommands a line gets ERR queue full naming the count and since when Jira is unreachable; nothing of it is stored', async (t) => {
  const h = await harness(t, { config: { queue: { maxCommands: 5 } }, noStart: true });
  h.jira.script('serverInfo', ...down()).script('createIssue', ...down()).script('search', ...down());
  await h.engine.start();
  await h.engine.whenIdle();
  assert.equal(h.engine.getSnapshot().connection.state, 'down');
  const accepted = await h.send('A1|CREATE|summary;one|', 'A2|CREATE|summary;two|', 'A3|CREATE|summary;three|', 'A4|CREATE|summary;four|', 'A5|CREATE|summary;five|');
  assert.deepEqual(accepted, ['OK A1 queued', 'OK A2 queued', 'OK A3 queued', 'OK A4 queued', 'OK A5 queued']);
  const [refused, update] = await h.send('A6|CREATE|summary;six|', 'A1|UPDATE|comment;more|');
  assert.match(refused, /^ERR A6 queue full: send it again once the queue drains — 5 commands waiting \(the ceiling queue\.maxCommands is 5\), Jira unreachable since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.match(update, /^ERR A1 queue full: send it again once the queue drains — 5 commands waiting/, 'an UPDATE is waiting work too');
  assert.equal(h.store.openCommands().length, 5, 'no command of the refused lines');
  assert.equal(h.store.countLog(), 5, 'and no log row');
  const fill = h.engine.getSnapshot().queueFill;
  assert.equal(fill.commands, 5);
  assert.equal(fill.maxCommands, 5);
  assert.equal(fill.fill, 1);
  const filling = h.events.filter((e) => e.type === 'queue-filling');
  assert.equal(filling.length, 1, 'crossing 80 % is said once');
  assert.equal(filling[0].type === 'queue-filling' && filling[0].fill.commands, 4, 'at the line that crossed it');
  assert.equal(h.events.filter((e) => e.type === 'queue-eased').length, 0);

  // Jira comes back: the queue drains, the fall back is said, lines are taken again.
  h.jira.unscript();
  for (let i = 0; i < 20 && h.engine.pendingCount() > 0; i++) {
    await h.clock.advance(60_000);
    await h.engine.whenIdle();
  }
  assert.equal(h.engine.pendingCount(), 0, 'everything acknowledged was sent');
  assert.equal(h.jira.issues.size, 5);
  assert.equal(h.events.filter((e) => e.type === 'queue-eased').length, 1);
  assert.deepEqual(await h.send('A6|CREATE|summary;six|'), ['OK A6 queued']);
});

test('past queue.maxBytes (the bytes of the waiting lines) a line is refused the same way', async (t) => {
  const h = await harness(t, { config: { queue: { maxBytes: 1024 * 1024 } }, noStart: true });
  h.jira.script('serverInfo', ...down()).script('createIssue', ...down()).script('search', ...down());
  await h.engine.start();
  await h.engine.whenIdle();
  const summary = 'x'.repeat(60_000);
  const lines = Array.from({ length: 18 }, (_, i) => `B${i}|CREATE|summary;${summary}|`);
  const replies = await h.send(...lines);
  const ok = replies.filter((r) => r.startsWith('OK '));
  assert.equal(ok.length, 17, '17 lines of 60 KB fit in 1 MiB, the 18th does not');
  assert.match(replies[17], /^ERR B17 queue full: send it again once the queue drains — 17 commands waiting \(1\.0 MiB of lines, the ceiling queue\.maxBytes is 1\.0 MiB\), Jira unreachable since /);
  assert.equal(h.store.openCommands().length, 17);
  const fill = h.engine.getSnapshot().queueFill;
  assert.ok(fill.bytes > 0.95 * 1024 * 1024 && fill.bytes <= 1024 * 1024, String(fill.bytes));
});
