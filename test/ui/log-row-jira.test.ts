// The Log pane's row view names the Jira a row's command was for: a data directory pointed
// at another Jira before keeps that Jira's rows, and they must not pass for this one's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logRowLines } from '../../source/ui/panes/log-pane.js';
import type { LogRow } from '../../source/core/ports.js';

const row: LogRow = {
  id: 1, type: 'Automatic', action: 'Update', time: 0, guid: 'alarm-1', status: 'Pending', ticketId: null, ticketKey: 'OPS-7',
  ticketUrl: null, error: null, lines: 1, request: null, response: null, attempts: 0, nextAttemptAt: null,
};

test('the row view names the row\'s Jira when it has one', () => {
  const text = (r: LogRow) => logRowLines(r, 0).map((l) => `${l.prefix ?? ''}${l.text}`);
  assert.ok(text({ ...row, jira: 'https://old.example.com' }).includes('Jira        https://old.example.com'));
  assert.ok(!text({ ...row, jira: '' }).some((l) => l.startsWith('Jira ')), 'rows of before the binding have none');
});
