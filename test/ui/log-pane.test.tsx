// The Log pane on the real engine and store: rows appear newest first as commands are sent
// (Manual and Automatic, Ok and Failed), the filter finds them, Enter opens a row with the
// request sent, Jira's answer and the attempts; ticket URLs are hyperlinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';

test('rows appear as commands are sent, newest first; filter; open a row', async () => {
  const live = await startLiveApp({ pane: 'log' });
  const engine = live.runtime.engine;
  try {
    assert.match(plain(live.app.lastFrame()), /Log 0 rows/);
    assert.match(plain(live.app.lastFrame()), /Maximum entries 1,000 · Remove entries older than 30 days/);
    assert.equal(await engine.submitLine('alarm-1|CREATE|summary;Disk full|'), 'OK alarm-1 queued');
    // Another issue type than the template's: not judged at the socket, so Jira refuses it when sent.
    assert.equal(await engine.submitLine('alarm-2|CREATE|summary;Bad one|issuetype;Bug|priority;Urgentest|'), 'OK alarm-2 queued');
    await waitUntil(() => engine.status('alarm-1')?.status === 'Ok' && engine.status('alarm-2')?.status === 'Failed', 'both sent');
    const manual = await engine.execute({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'By hand' } });
    assert.ok(manual.ok);
    const key1 = engine.status('alarm-1')?.ticketKey as string;

    // Until the pane has drawn the Execute's outcome: a frame from before it shows the row Pending.
    const text = await waitForFrame(live.app.lastFrame, (f) => /Log 3 rows/.test(f) && new RegExp(`Ok\\s+${manual.ticketKey}\\s`).test(f));
    const rows = text.split('\n').filter((l) => /^ (Manual|Automatic) /.test(l));
    assert.match(rows[0], new RegExp(`Manual\\s+Create .*Ok\\s+${manual.ticketKey}\\s`));
    assert.match(rows[1], /Automatic Create .*alarm-2\s+Failed\s+.*priority/);
    assert.match(rows[2], new RegExp(`Automatic Create .*alarm-1\\s+Ok\\s+${key1}\\s`));
    assert.ok((live.app.lastFrame() ?? '').includes(`\x1b]8;;${live.simulator.url}/browse/${key1}\x07`), 'URL cells are OSC 8 links');

    await press(live.app, '/');
    await type(live.app, 'failed');
    let filtered = plain(live.app.lastFrame());
    assert.match(filtered, /Log 1 row \(filtered\)/);
    assert.match(filtered, /alarm-2\s+Failed/);
    await press(live.app, keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace);
    await type(live.app, `key:${key1}`);
    filtered = plain(live.app.lastFrame());
    assert.match(filtered, /Log 1 row \(filtered\)/);
    assert.match(filtered, /alarm-1\s+Ok/);
    await press(live.app, keys.escape);
    assert.match(plain(live.app.lastFrame()), /Log 3 rows/, 'Esc while typing clears the filter');

    await press(live.app, keys.down, keys.enter);
    const detail = plain(live.app.lastFrame());
    assert.match(detail, /Automatic Create {2}Failed/);
    assert.match(detail, /GUID\s+alarm-2/);
    assert.match(detail, /Attempts\s+1/);
    assert.match(detail, /Request sent/);
    assert.match(detail, /"summary": "Bad one"/);
    assert.match(detail, /priority: The priority selected is invalid/, 'the Error Message');
    await press(live.app, keys.end);
    const answer = plain(live.app.lastFrame());
    assert.match(answer, /Jira's answer/);
    assert.match(answer, /400/);
    await press(live.app, keys.escape);
    assert.match(plain(live.app.lastFrame()), /Log 3 rows, 2 selected/);
  } finally {
    await live.close();
  }
});
