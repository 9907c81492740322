// The first frame, written before Ink, the engine and the store have loaded: it already
// holds the Ticket Creation Table from the template (demo mode's, or the config's), where
// the Creation pane will draw it, within the screen's width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { earlyFrame, startTemplate } from '../../source/ui/early-frame.js';
import { tablePlace, tableWidths } from '../../source/ui/template-preview.js';
import { tableWidths as paneWidths } from '../../source/ui/panes/creation-table.js';
import { defaultConfig } from '../../source/core/config.js';

// The text of each screen row the escape codes address (`ESC[row;colH` then text).
function rowsOf(frame: string): Map<number, string> {
  const rows = new Map<number, string>();
  // eslint-disable-next-line no-control-regex -- reading escape codes is the point
  for (const m of frame.matchAll(/\x1b\[(\d+);(\d+)H((?:[^\x1b]|\x1b\[[0-9;]*m)*)/g)) {
    // eslint-disable-next-line no-control-regex -- as above
    rows.set(Number(m[1]), `${' '.repeat(Number(m[2]) - 1)}${m[3].replace(/\x1b\[[0-9;]*m/g, '')}`);
  }
  return rows;
}

test('the first frame draws the template\'s Creation table, with the built-in types, at 80×24', () => {
  const config = { ...defaultConfig(), template: [
    { field: 'project', value: 'OPS', mode: 'Include' as const },
    { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
    { field: 'summary', value: 'x'.repeat(200), mode: 'Exclude' as const },
  ] };
  const frame = earlyFrame({ columns: 80, rows: 24, demo: false, jiraUrl: 'https://jira.example.com', template: startTemplate({ demo: false, config }) });
  const rows = [...rowsOf(frame).values()];
  assert.ok(rows.some((r) => /^ Ticket Creation Table \(3 rows\)/.test(r)));
  assert.ok(rows.some((r) => /^ {3}project\s+OPS\s+project\s+Include$/.test(r)), rows.join('\n'));
  assert.ok(rows.some((r) => /summary\s+x+…\s+string\s+Exclude$/.test(r)));
  for (const r of rows) assert.ok(Array.from(r).length <= 80, `within 80 columns: ${r}`);
});

test('demo mode draws the demo template; side by side at 100 columns, where the pane puts the table', () => {
  const frame = earlyFrame({ columns: 120, rows: 30, demo: true, jiraUrl: null, template: startTemplate({ demo: true, config: defaultConfig() }) });
  const rows = rowsOf(frame);
  assert.match(rows.get(3) ?? '', new RegExp(`^ {${tablePlace(120).left}}Ticket Creation Table \\(4 rows\\)`));
  assert.match(rows.get(5) ?? '', /project\s+DEMO\s+project\s+Include/);
  assert.deepEqual(tableWidths(57), paneWidths(57), 'the pane\'s widths');
});
