// `/` and `:` at 80×24: `/` finds a row in the Creation table and the Configuration form
// (the selection jumps to it), the Statistics pane says where searching is; `:` opens a
// command line that switches panes, filters the Log, sends an Advanced line, and answers an
// unknown command with the nearest one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';
import { parseCommand } from '../../source/ui/command-line.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());

test('/ finds rows; : switches panes, filters the Log, sends a line, and names the nearest command', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await waitUntil(() => Boolean(live.runtime.engine.getSnapshot().allowed?.fields.priority), 'the allowed values');
    // Creation: / prio → the priority row is selected; Enter on it edits the priority.
    await press(live.app, '/');
    await type(live.app, 'prio');
    await press(live.app, keys.enter);
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Values Jira allows for Priority/.test(plain(f)));
    await press(live.app, keys.escape);

    // : then a command; an Advanced line sent from it is answered on the command row.
    await press(live.app, ':');
    await type(live.app, 'send c-1|CREATE|summary;from the command line|');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /OK c-1 queued/.test(plain(f)));
    await press(live.app, ':');
    await type(live.app, 'lgo');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /unknown command "lgo" — did you mean log\?/.test(plain(f)));
    await press(live.app, ':');
    await type(live.app, 'log c-1');
    await press(live.app, keys.enter);
    const log = await waitForFrame(live.app.lastFrame, (f) => /Log 1 row \(filtered\)/.test(plain(f)));
    assert.match(plain(log), /\/ c-1/, 'the filter is shown');

    // Configuration: / listen → the Listen address field is selected.
    await press(live.app, ':');
    await type(live.app, 'conf');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /Configuration/.test(plain(f)) && /Jira URL/.test(plain(f)));
    await press(live.app, '/');
    await type(live.app, 'listen');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => /HOST:PORT of the Advanced socket/.test(plain(f)));

    await press(live.app, '4', '/');
    await waitForFrame(live.app.lastFrame, (f) => /Nothing to search here/.test(plain(f)));
    assert.match(screen(live), /Statistics|Created/);
  } finally {
    await live.close();
  }
});

test('command names: prefixes, numbers, help and quit', () => {
  assert.deepEqual(parseCommand('st'), { kind: 'pane', pane: 'statistics', arg: '' });
  assert.deepEqual(parseCommand('5'), { kind: 'pane', pane: 'jira', arg: '' });
  assert.deepEqual(parseCommand('jira project = OPS'), { kind: 'pane', pane: 'jira', arg: 'project = OPS' });
  assert.deepEqual(parseCommand('q'), { kind: 'quit' });
  assert.equal(parseCommand('c').kind, 'error', 'c names two panes');
});
