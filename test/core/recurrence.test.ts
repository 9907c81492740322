// Whether Jira reports a ticket resolved, read defensively from its answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvedSince } from '../../source/core/recurrence.js';

const issue = (fields: Record<string, unknown>) => ({ id: '1', key: 'OPS-1', fields });

test('resolved: a resolution set (since its date, Jira\'s +0000 offset read), or a status in the Done category', () => {
  assert.deepEqual(resolvedSince(issue({ resolution: { name: 'Done' }, resolutiondate: '2026-12-01T10:00:00.000+0000' })),
    { resolved: true, at: Date.parse('2026-12-01T10:00:00Z') });
  assert.deepEqual(resolvedSince(issue({ resolution: null, status: { name: 'Closed', statusCategory: { key: 'done' } }, updated: '2026-12-02T10:00:00.000+0100' })),
    { resolved: true, at: Date.parse('2026-12-02T09:00:00Z') });
  assert.deepEqual(resolvedSince(issue({ resolution: null, status: { name: 'To Do', statusCategory: { key: 'new' } } })), { resolved: false, at: null });
});

test('hostile or odd answers: not resolved unless Jira clearly says so; an unreadable date is no date', () => {
  assert.equal(resolvedSince(issue({ resolution: 'Done' })).resolved, false);
  assert.equal(resolvedSince(issue({ status: 'Done' })).resolved, false);
  assert.equal(resolvedSince(issue({ status: { statusCategory: 'done' } })).resolved, false);
  assert.deepEqual(resolvedSince(issue({ resolution: { name: 'Done' }, resolutiondate: 'x'.repeat(100) })), { resolved: true, at: null });
  assert.equal(resolvedSince({ id: '1', key: 'OPS-1' } as never).resolved, false);
});
