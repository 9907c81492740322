// A property over random feeds and random passing failures: whatever Jira does (503s,
// answers lost after the ticket was made), every GUID ends with exactly one ticket, its
// comments in the order the lines were accepted, the last summary, and nothing left Pending;
// and its stop leaves no timer on the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { harness, runFor } from './engine-harness.js';
import { httpError, networkError, type Outcome } from '../helpers/fake-jira.js';

const guidArb = fc.constantFrom('A', 'B', 'C');
const stepArb = fc.record({ guid: guidArb, create: fc.boolean(), batch: fc.boolean() });
const failureArb = fc.constantFrom<'503' | 'lost' | '429'>('503', 'lost', '429');

test('random feeds and failures: one ticket per GUID, comments in accept order, nothing Pending', async (t) => {
  await fc.assert(fc.asyncProperty(
    fc.array(stepArb, { minLength: 1, maxLength: 12 }),
    fc.array(failureArb, { maxLength: 4 }),
    fc.array(fc.constantFrom('503', '429'), { maxLength: 3 }),
    async (steps, createFailures, editFailures) => {
      await t.test('one feed', async (tt) => {
        const h = await harness(tt, { config: { updates: { maxUpdates: 2, intervalSeconds: 30 } } });
        const toError = (f: string): Outcome => (f === 'lost' ? { after: networkError('timeout') } : httpError(Number(f), { retryAfterMs: f === '429' ? 1500 : undefined }));
        h.jira.script('createIssue', ...createFailures.map(toError));
        h.jira.script('editIssue', ...editFailures.map(toError));
        const expected = new Map<string, { comments: string[]; summary: string }>();
        let pending: Array<Promise<string>> = [];
        for (const [i, step] of steps.entries()) {
          const known = expected.has(step.guid);
          const action = !known || step.create ? 'CREATE' : 'UPDATE';
          const line = `${step.guid}|${action}|summary;s${i}|comment;c${i}|`;
          pending.push(h.engine.submitLine(line).then((reply) => {
            assert.equal(reply, `OK ${step.guid} queued`);
            const e = expected.get(step.guid) ?? { comments: [], summary: '' };
            e.comments.push(`c${i}`);
            e.summary = `s${i}`;
            expected.set(step.guid, e);
            return reply;
          }));
          // Lines of a batch arrive together; otherwise each is answered before the next.
          if (!step.batch) {
            await Promise.all(pending);
            pending = [];
            await h.clock.advance(700);
          }
        }
        await Promise.all(pending);
        await runFor(h, 15 * 60_000, 5000);
        assert.equal(h.engine.pendingCount(), 0);
        assert.equal(h.store.countLog({ status: 'Pending' }), 0);
        assert.equal(h.store.countLog({ status: 'Failed' }), 0);
        for (const [guid, e] of expected) {
          const issues = h.jira.created().filter((i) => (i.fields.labels as string[]).includes(`jiraline-${guid}`));
          assert.equal(issues.length, 1, `one ticket for ${guid}`);
          assert.deepEqual(issues[0].comments, e.comments, `comments of ${guid}`);
          assert.equal(issues[0].fields.summary, e.summary);
        }
        assert.equal(h.jira.created().length, expected.size);
        // The stop clears every timer the run armed (the day timers, the lazy commit, retries): none is left.
        await h.engine.stop();
        assert.equal(h.clock.pendingTimers, 0, 'no timer left on the clock after the stop');
      });
    },
  ), { numRuns: 15 });
});
