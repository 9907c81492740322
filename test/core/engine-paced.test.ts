// The scheduler's "paced" state (unit-states.ts): a unit whose request waits for the pacer's
// permit is not "sending" — Jira's rate limit holds it, not Jira — and the snapshot counts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './engine-harness.js';
import { waitUntil } from '../helpers/wait-until.js';

test('a unit whose request waits for the pacer is paced, not sending: counted in the snapshot until its permit comes', async (t) => {
  const h = await harness(t, { config: { jira: { maxRequestsPerSecond: 100, maxConcurrent: 1 } } });
  const release = h.jira.hold('createIssue');
  await h.send('P1|CREATE|summary;a|', 'P2|CREATE|summary;b|', 'P3|CREATE|summary;c|');
  await waitUntil(() => h.jira.callsOf('createIssue').length === 1 && h.engine.getSnapshot().pacing.paced === 2, 'one CREATE with Jira, two waiting for the pacer');
  assert.deepEqual(h.engine.schedulerViolations(), []);
  assert.equal(h.engine.getSnapshot().pacing.waiting, 2, 'the pacer holds their two requests');
  release();
  await h.engine.whenIdle();
  assert.equal(h.jira.created().length, 3);
  assert.equal(h.engine.getSnapshot().pacing.paced, 0);
  assert.deepEqual(h.engine.schedulerViolations(), []);
});
