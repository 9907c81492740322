// Values Jira allows, in the Creation pane (80×24 stacked and wide): editing a priority offers
// the allowed values as a pick list filtered by what is typed, ↑↓ Enter takes one; a value
// outside them is marked ? at once, with the closest allowed value, and still sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());

test('a priority is picked from the values Jira allows; an issue type outside them is marked', async () => {
  const live = await startLiveApp();
  try {
    await waitUntil(() => Boolean(live.runtime.engine.getSnapshot().allowed?.fields.priority), 'the allowed values from the simulator');
    // Rows: project, issuetype, summary, priority.
    await press(live.app, keys.down, keys.down, keys.down, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Values Jira allows for Priority/.test(plain(f)));
    assert.match(screen(live), /Lowest/, "the whole list before typing");
    assert.match(screen(live), /\(5 of 5\)/);
    await press(live.app, ...Array.from({ length: 8 }, () => keys.backspace));
    await type(live.app, 'hi');
    const filtered = screen(live);
    assert.match(filtered, /\(2 of 5\)/);
    assert.doesNotMatch(filtered, /Lowest/);
    await press(live.app, keys.down, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /"name": "High"/.test(plain(f)));
    assert.doesNotMatch(screen(live), /Values Jira allows/, 'the list closes with the edit');

    // The issue type: a value no allowed one matches is kept as typed and marked.
    await press(live.app, keys.up, keys.up, keys.enter);
    await press(live.app, ...Array.from({ length: 12 }, () => keys.backspace));
    await type(live.app, 'Bugg');
    assert.match(screen(live), /No match: Enter keeps the text/);
    await press(live.app, keys.enter);
    const marked = await waitForFrame(live.app.lastFrame, (f) => /\? issuetype/.test(plain(f)));
    assert.match(marked, /"name": "Bugg"/, 'still in the Create Query (the list may be old)');
    assert.match(plain(marked), /\? issuetype: did you mean Bug\? Pick one of .*Bug/, 'what to do first, on screen');
  } finally {
    await live.close();
  }
});

test('at 80×24 the Create Query follows the selected row and scrolls with the focus on it', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await waitUntil(() => live.runtime.engine.catalogue() !== null, 'the catalogue from the simulator');
    // Rows: project, issuetype, summary, priority; the JSON's priority lines are below its first screenful.
    await press(live.app, keys.down, keys.down, keys.down);
    const followed = await waitForFrame(live.app.lastFrame, (f) => /"priority": \{/.test(plain(f)));
    assert.match(plain(followed), /"name": "Medium"/, 'the priority\'s value is in view');
    await press(live.app, keys.up, keys.up, keys.up);
    await waitForFrame(live.app.lastFrame, (f) => /"project": \{/.test(plain(f)));
    // The focus on the Create Query: End shows its last lines, Home its first.
    await press(live.app, keys.tab, keys.end);
    await waitForFrame(live.app.lastFrame, (f) => /"priority": \{/.test(plain(f)) && !/"project": \{/.test(plain(f)));
    await press(live.app, keys.home);
    await waitForFrame(live.app.lastFrame, (f) => /"project": \{/.test(plain(f)));
  } finally {
    await live.close();
  }
});

test('at 80×24 the issue type offers the project\'s types, and a Type cell picks from the types a row can be', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await waitUntil(() => Boolean(live.runtime.engine.getSnapshot().allowed?.fields.issuetype), 'the allowed values from the simulator');
    // The issuetype row's value: the project's issue types, from Jira's catalogue.
    await press(live.app, keys.down, keys.enter);
    const types = await waitForFrame(live.app.lastFrame, (f) => /Values Jira allows for Issue Type/.test(plain(f)));
    for (const name of ['Task', 'Bug', 'Incident']) assert.match(plain(types), new RegExp(`^\\s*${name}\\s*$`, 'm'), `${name} offered`);
    await press(live.app, keys.escape);

    // The summary row's Type cell: a pick list of types, filtered by what is typed.
    await press(live.app, keys.down, keys.right, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Types Summary can be sent as/.test(plain(f)));
    await press(live.app, ...Array.from({ length: 8 }, () => keys.backspace));
    await type(live.app, 'tex');
    assert.match(screen(live), /^\s*text\s*$/m, 'text offered');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /summary\s+Demo ticket.*\btext\b/.test(plain(f)));

    // A type outside the list is marked while it is typed, not only when Enter refuses it.
    await press(live.app, keys.enter, ...Array.from({ length: 8 }, () => keys.backspace));
    await type(live.app, 'strng');
    assert.match(screen(live), /\? no such type: Backspace shows the types, Esc leaves/);
    await press(live.app, keys.escape);
    await waitForFrame(live.app.lastFrame, (f) => !/Types Summary/.test(plain(f)));
    assert.match(screen(live), /summary\s+Demo ticket.*\btext\b/, 'the row kept its type');
  } finally {
    await live.close();
  }
});
