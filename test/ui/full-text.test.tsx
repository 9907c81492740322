// `v` at 80×24: what the screen cuts at its width (the demo banner, a field's error with the
// values Jira allows, the key hints) is shown in full, wrapped; Esc goes back to the pane as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';
import { wrapText } from '../../source/ui/components/full-text.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());

test('v shows the cut banner, the selected row\'s error and the key hints in full; Esc returns', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await waitUntil(() => Boolean(live.runtime.engine.getSnapshot().allowed?.fields.priority), 'the allowed values from the simulator');
    assert.match(screen(live), /DEMO — real Jira: 2 Configuration → Jira URL, or --jira-url URL \/ JIRALINE_URL/, 'the banner\'s action shows');
    assert.doesNotMatch(screen(live), /\(project DEMO\)/, 'the rest of the banner is cut at 80 columns');
    // A priority Jira does not allow: its message leads with the allowed values, so they show on the pane;
    // what was wrong comes after them and is cut.
    await press(live.app, keys.down, keys.down, keys.down, keys.enter);
    await press(live.app, ...Array.from({ length: 8 }, () => keys.backspace));
    await type(live.app, 'Urgentest');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /\? priority/.test(plain(f)));
    assert.match(screen(live), /\? priority: (did you mean \w+\? Pick|pick) one of Highest, High, Medium, Low, Lowest/, 'the values to pick on the pane');
    assert.doesNotMatch(screen(live), /Jira would refuse it/, 'the end of the message is cut');
    await press(live.app, 'v');
    const full = await waitForFrame(live.app.lastFrame, (f) => /In full \(v\)/.test(plain(f)));
    const text = plain(full).replace(/\s+/g, ' ');
    assert.match(text, /--jira-url URL \/ JIRALINE_URL · this is the built-in Jira simulator \(project DEMO\)/, 'the whole banner');
    assert.match(text, /priority: Urgentest/);
    assert.match(text, /one of Highest, High, Medium, Low, Lowest — "Urgentest" is not a value Jira allows here/, 'the whole message');
    assert.match(text, /Tab JSON · e \$EDITOR/, 'the whole key hint line');
    for (const line of plain(full).split('\n')) assert.ok(Array.from(line).length <= 80, `no line wider than 80: ${line}`);
    await press(live.app, keys.escape);
    await waitForFrame(live.app.lastFrame, (f) => /Ticket Creation Table/.test(plain(f)));
    assert.match(screen(live), /priority\s+Urgentest/, 'the pane as it was');
  } finally {
    await live.close();
  }
});

test('wrapText cuts at spaces and keeps every character', () => {
  const text = 'expected an option such as High, got "x" — Allowed: Highest, High, Medium';
  const lines = wrapText(text, 20);
  assert.ok(lines.every((l) => l.length <= 20));
  assert.equal(lines.join(' '), text);
});
