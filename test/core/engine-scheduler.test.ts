// The scheduler's one state per GUID (engine-worker.ts), as a property over random feeds and
// whatever Jira answers (refusals for rate with their reasons, 503s, gateways down, answers
// lost): at every moment each GUID is in exactly one state and its index, no more units are
// sending than the cap, a GUID with open commands is never left without a state once the
// engine is idle (it would never be sent), and in the end every line is one ticket's.
// A stop at any moment: everything under way ends by itself (what it awaits rejects), no
// timer is left on the clock, nothing more reaches Jira, and the next start finishes the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { harness } from './engine-harness.js';
import { httpError, networkError, type Outcome } from '../helpers/fake-jira.js';

const failure = fc.constantFrom('503', '502', 'lost', '429-site', '429-issue', '429-burst');
const toError = (f: string): Outcome => {
  if (f === 'lost') return { after: networkError('timeout') };
  if (f.startsWith('429')) {
    const reason = f === '429-issue' ? 'jira-per-issue-on-write' : f === '429-burst' ? 'jira-burst-based' : undefined;
    return httpError(429, { retryAfterMs: 1500, rateLimitReason: reason });
  }
  return httpError(Number(f));
};

test('property: one state per GUID, indexes in step, nothing forgotten, one ticket per GUID', async (t) => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.record({ guid: fc.constantFrom('A', 'B', 'C', 'D'), wait: fc.integer({ min: 0, max: 3000 }) }), { minLength: 1, maxLength: 14 }),
    fc.array(failure, { maxLength: 5 }),
    fc.array(failure, { maxLength: 5 }),
    async (steps, createFailures, editFailures) => {
      await t.test('one feed', async (tt) => {
        const h = await harness(tt, { config: { updates: { maxUpdates: 3, intervalSeconds: 20 }, jira: { maxRequestsPerSecond: 5, maxConcurrent: 2 } } });
        h.jira.script('createIssue', ...createFailures.map(toError));
        h.jira.script('editIssue', ...editFailures.map(toError));
        const check = (when: string) => assert.deepEqual(h.engine.schedulerViolations(), [], when);
        const seen = new Set<string>();
        for (const [i, step] of steps.entries()) {
          const action = seen.has(step.guid) ? 'UPDATE' : 'CREATE';
          seen.add(step.guid);
          const reply = await h.engine.submitLine(`${step.guid}|${action}|summary;s${i}|comment;c${i}|`);
          assert.equal(reply, `OK ${step.guid} queued`, JSON.stringify(h.store.queryLog({ status: 'Failed' }).map((r) => r.error)));
          check(`after line ${i}`);
          await h.clock.advance(step.wait);
          await h.engine.whenIdle();
          check(`after ${step.wait} ms`);
        }
        for (let passed = 0; passed < 20 * 60_000 && h.engine.pendingCount() > 0; passed += 2000) {
          await h.clock.advance(2000);
          await h.engine.whenIdle();
          check(`at ${passed} ms`);
        }
        assert.equal(h.engine.pendingCount(), 0, 'everything sent');
        assert.equal(h.store.countLog({ status: 'Failed' }), 0);
        for (const guid of seen) {
          const issues = h.jira.created().filter((i) => (i.fields.labels as string[]).includes(`jiraline-${guid}`));
          assert.equal(issues.length, 1, `one ticket for ${guid}`);
        }
      });
    },
  ), { numRuns: 25 });
});

test('property: a stop at any moment ends all work by itself, leaves no timer and loses nothing', async (t) => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.record({ guid: fc.constantFrom('A', 'B', 'C'), wait: fc.integer({ min: 0, max: 3000 }) }), { minLength: 1, maxLength: 10 }),
    fc.array(failure, { maxLength: 4 }),
    fc.constantFrom<'createIssue' | 'editIssue' | 'search' | null>('createIssue', 'editIssue', 'search', null),
    fc.integer({ min: 0, max: 5000 }),
    async (steps, failures, held, stopAfter) => {
      await t.test('one feed', async (tt) => {
        const h = await harness(tt, { config: { updates: { maxUpdates: 3, intervalSeconds: 20 }, jira: { maxRequestsPerSecond: 5, maxConcurrent: 2 } } });
        h.jira.script('createIssue', ...failures.map(toError));
        // Requests of one kind never answer before the stop: units are cut off with Jira.
        const release = held ? h.jira.hold(held) : () => undefined;
        const seen = new Set<string>();
        for (const [i, step] of steps.entries()) {
          const action = seen.has(step.guid) ? 'UPDATE' : 'CREATE';
          seen.add(step.guid);
          assert.equal(await h.engine.submitLine(`${step.guid}|${action}|summary;s${i}|comment;c${i}|`), `OK ${step.guid} queued`);
          await h.clock.advance(step.wait);
        }
        await h.clock.advance(stopAfter);
        // Fake time stands still from here: stop() resolves only if every unit, wait and check
        // ends by itself (its call or wait rejects), not by its grace running out.
        await h.engine.stop();
        assert.equal(h.clock.pendingTimers, 0, 'no timer left on the clock');
        const counts = h.engine.schedulerCounts();
        assert.equal(counts.sending + counts.paced, 0, `no unit started after the stop: ${JSON.stringify(counts)}`);
        const calls = h.jira.calls.length;
        const events = h.events.length;
        release();
        await h.clock.advance(30 * 60_000);
        assert.equal(h.jira.calls.length, calls, 'no request to Jira after the stop');
        assert.deepEqual(h.events.slice(events), [], 'nothing done after the stop');
        assert.equal(h.clock.pendingTimers, 0, 'no timer armed after the stop');
        await h.close();
        // The next start finishes what the stop left: every GUID one ticket, nothing lost.
        const again = await harness(tt, { clock: h.clock, jira: h.jira.unscript(), temp: h.temp });
        for (let passed = 0; passed < 20 * 60_000 && again.engine.pendingCount() > 0; passed += 2000) {
          await again.clock.advance(2000);
          await again.engine.whenIdle();
        }
        assert.equal(again.engine.pendingCount(), 0, 'everything sent after the restart');
        assert.equal(again.store.countLog({ status: 'Failed' }), 0);
        for (const guid of seen) {
          const issues = again.jira.created().filter((i) => (i.fields.labels as string[]).includes(`jiraline-${guid}`));
          assert.equal(issues.length, 1, `one ticket for ${guid}`);
        }
      });
    },
  ), { numRuns: 20 });
});
