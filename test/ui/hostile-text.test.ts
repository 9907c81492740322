// Text from Jira on its way to the app's screen: a summary, a field or a log cell holding
// ESC sequences or carriage returns must not drive the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit } from '../../source/ui/components/windowed-table.js';
import { ticketLines } from '../../source/ui/panes/jira-pane.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const escapes = /[\u001b\u009b\r\u0007]/;

test('the ticket view and table cells show Jira text without control characters', () => {
  const lines = ticketLines({ id: '1', key: 'OPS-1', fields: {
    summary: 'disk \u001b[2J\u001b]0;owned\u0007full', status: { name: 'To Do\r' }, customfield_1: 'x\u009b31m',
    comment: { comments: [{ author: { displayName: 'eve\u001b[5m' }, created: '2026', body: 'hi\u001b[0m\r\nthere' }] },
  } }, 'http://j/browse/OPS-1', [{ id: 'customfield_1', name: 'Evil\u001b[31m', custom: true }]);
  for (const line of lines) assert.doesNotMatch(line.text, escapes, JSON.stringify(line.text));
  assert.ok(lines.some((l) => l.text.includes('disk  [2J ]0;owned full')));
  assert.doesNotMatch(fit('key\u001b[31m-1', 20), escapes);
  assert.equal(fit('a\r\nb', 5), 'a b  ');
});
