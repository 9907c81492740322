// The Jira pane on the real engine and simulator: the default JQL (the template project's
// unresolved tickets), the result list, a ticket with its fields, status, latest comments
// and URL as a hyperlink; a JQL of one's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp } from './live-app.js';
import { keys, press, type, waitForFrame, waitUntil } from './support.js';

test('search with the default JQL, open a ticket, search again with typed JQL', async () => {
  const live = await startLiveApp();
  const engine = live.runtime.engine;
  try {
    await engine.submitLine('j-1|CREATE|summary;Router down|priority;High|');
    await engine.submitLine('j-2|CREATE|summary;Fan noisy|');
    await waitUntil(() => engine.status('j-1')?.status === 'Ok' && engine.status('j-2')?.status === 'Ok', 'created');
    await engine.submitLine('j-1|UPDATE|comment;Rebooted the router|status;In Progress|');
    await waitUntil(() => engine.getSnapshot().stats.updated.total === 1, 'updated');
    const key1 = engine.status('j-1')?.ticketKey as string;

    await press(live.app, '5');
    let text = await waitForFrame(live.app.lastFrame, (f) => /shown/.test(f));
    assert.match(text, /JQL project = DEMO AND resolution = Unresolved ORDER BY created DESC/);
    assert.match(text, /2 shown/);
    const list = text.split('\n').filter((l) => /DEMO-\d+/.test(l));
    assert.match(list[0], /Fan noisy/, 'newest first');
    assert.match(list[1], new RegExp(`${key1}\\s+In Progress\\s+Task\\s+High\\s+Router down`));

    await press(live.app, keys.down);
    await press(live.app, keys.enter);
    text = await waitForFrame(live.app.lastFrame, (f) => /Latest comments/.test(f));
    assert.match(text, new RegExp(`URL\\s+${live.simulator.url.replace(/[.]/g, '\\.')}/browse/${key1}`));
    assert.ok((live.app.lastFrame() ?? '').includes(`\x1b]8;;${live.simulator.url}/browse/${key1}\x07`), 'a hyperlink');
    assert.match(text, /Summary\s+Router down/);
    assert.match(text, /Status\s+In Progress/);
    assert.match(text, /Priority\s+High/);
    assert.match(text, /Latest comments \(1 in all\)/);
    assert.match(text, /Rebooted the router/);
    await press(live.app, keys.escape);

    await press(live.app, '/', ...Array.from({ length: 80 }, () => keys.backspace));
    await type(live.app, 'summary ~ "Router"');
    await press(live.app, keys.enter);
    text = await waitForFrame(live.app.lastFrame, (f) => /1 shown/.test(f));
    assert.match(text, /Router down/);
    assert.doesNotMatch(text, /Fan noisy/);
  } finally {
    await live.close();
  }
});
