// The Alarms pane and the Jira pane's `l`, on the real engine and simulator: alarms listed
// and filtered by state; Get Eligible Ticket searches with the configured JQL and links the
// alarm to the ticket picked, so its next UPDATE goes there; `u` unlinks after asking; `l`
// on a Jira pane ticket links a GUID typed in. And the pane draws only its window of 10,000.
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient } from '../../source/jira/index.js';
import { App } from '../../source/ui/app.js';
import type { AlarmRow } from '../../source/core/alarms.js';
import { EngineDouble } from '../helpers/ui-engine-double.js';
import { startLiveApp } from './live-app.js';
import { inAct, keys, makeServices, mount, plain, press, type, waitForFrame, waitUntil } from './support.js';

test('alarms listed and filtered by state; Get Eligible Ticket links one, its UPDATE goes there; u unlinks; l in the Jira pane links', async () => {
  const live = await startLiveApp();
  const engine = live.runtime.engine;
  const store = live.runtime.store;
  const client = createJiraClient({ baseUrl: live.simulator.url, credentials: null, timeoutMs: 5000, env: {} });
  try {
    await engine.submitLine('a-1|CREATE|summary;Router down|');
    await engine.submitLine('a-2|CREATE|summary;Fan noisy|');
    await waitUntil(() => engine.status('a-1')?.status === 'Ok' && engine.status('a-2')?.status === 'Ok', 'created');
    await engine.submitLine('a-2|UPDATE|status;Done|');
    await waitUntil(() => store.getAlarm('a-2')?.state === 'resolved', 'a-2 resolved');
    const incident = await client.createIssue({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'The incident' } });

    await press(live.app, '6');
    let text = await waitForFrame(live.app.lastFrame, (f) => /Alarms 2/.test(f) && /a-1/.test(f));
    const rows = text.split('\n').filter((l) => /\ba-\d\b/.test(l));
    assert.match(rows[0], /a-2\s+resolved\s.*\s2\s+Update\s+DEMO-\d+\s+Done/, 'most recently seen first');
    assert.match(rows[1], /a-1\s+open\s.*\s1\s+Create\s+DEMO-\d+/);

    await press(live.app, 's');
    text = await waitForFrame(live.app.lastFrame, (f) => /state: pending/.test(f));
    await waitForFrame(live.app.lastFrame, (f) => /No alarm matches the filter/.test(f));
    await press(live.app, 's');
    text = await waitForFrame(live.app.lastFrame, (f) => /Alarms 1 open/.test(f));
    assert.match(text, /a-1/);
    assert.doesNotMatch(text, /a-2/);
    await press(live.app, keys.escape);
    await waitForFrame(live.app.lastFrame, (f) => /Alarms 2/.test(f) && /state: all/.test(f));

    // a-1 is the second row; Get Eligible Ticket from it.
    await press(live.app, keys.down, 'g');
    text = await waitForFrame(live.app.lastFrame, (f) => /Get Eligible Ticket for alarm a-1/.test(f) && /shown/.test(f));
    assert.match(text, /JQL project = DEMO AND resolution = Unresolved ORDER BY updated DESC/);
    assert.match(text, new RegExp(`${incident.key}\\s+To Do\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+The incident`));
    assert.doesNotMatch(text, /Fan noisy/, 'a resolved ticket is not eligible');
    const results = text.split('\n').filter((l) => /DEMO-\d+/.test(l));
    const at = results.findIndex((l) => l.includes(incident.key));
    await press(live.app, ...Array.from({ length: at }, () => keys.down), keys.enter);
    text = await waitForFrame(live.app.lastFrame, (f) => new RegExp(`a-1 linked to ${incident.key}`).test(f));
    assert.equal(store.getTicket('a-1')?.ticketKey, incident.key);

    assert.equal(await engine.submitLine('a-1|UPDATE|comment;seen again|'), 'OK a-1 queued');
    await waitUntil(() => live.simulator.issues().find((i) => i.key === incident.key)!.comments.length === 1, 'the comment on the linked ticket');

    // u asks first, then unlinks.
    text = await waitForFrame(live.app.lastFrame, (f) => f.split('\n').some((l) => /a-1/.test(l) && l.includes(incident.key)));
    const cursorOn = text.split('\n').filter((l) => /\ba-\d\b/.test(l)).findIndex((l) => /a-1/.test(l));
    await press(live.app, keys.home, ...Array.from({ length: cursorOn }, () => keys.down), 'u');
    await waitForFrame(live.app.lastFrame, (f) => /Unlink a-1\?/.test(f));
    await press(live.app, 'y');
    await waitForFrame(live.app.lastFrame, (f) => /a-1 unlinked/.test(f));
    assert.equal(store.getTicket('a-1'), undefined);

    // l on a ticket of the Jira pane links a GUID typed in.
    await press(live.app, '5');
    text = await waitForFrame(live.app.lastFrame, (f) => /shown/.test(f));
    const first = text.split('\n').find((l) => /DEMO-\d+/.test(l))!.match(/DEMO-\d+/)![0];
    await press(live.app, 'l');
    await waitForFrame(live.app.lastFrame, (f) => new RegExp(`Link alarm \\(GUID\\) to ${first}`).test(f));
    await type(live.app, 'a-9');
    await press(live.app, keys.enter);
    await waitForFrame(live.app.lastFrame, (f) => new RegExp(`a-9 linked to ${first}`).test(f));
    assert.equal(store.getTicket('a-9')?.ticketKey, first);
    assert.equal(store.getAlarm('a-9')?.lastAction, 'Link');
  } finally {
    await client.close();
    await live.close();
  }
});

test('the Alarms pane asks only for a block around its window: End over 10,000 alarms shows the oldest', async () => {
  const engine = new EngineDouble();
  const base = Date.parse('2026-12-01T10:00:00');
  engine.alarms = Array.from({ length: 10_000 }, (_, i): AlarmRow => ({
    guid: `al-${String(i).padStart(5, '0')}`, firstSeen: base - i * 1000, lastSeen: base - i * 1000, lines: 1, lastAction: 'Create',
    ticketKey: `OPS-${i + 1}`, ticketUrl: `http://jira.test/browse/OPS-${i + 1}`, ticketStatus: 'To Do', ticketResolved: false, state: 'open',
  }));
  const asked: number[] = [];
  const query = engine.queryAlarms.bind(engine);
  engine.queryAlarms = async (q) => {
    asked.push(q.limit ?? Infinity);
    return query(q);
  };
  const app = await mount(<App services={makeServices(engine).services} size={{ columns: 100, rows: 30 }} initialPane="alarms" onQuit={() => undefined} />);
  try {
    await waitForFrame(app.lastFrame, (f) => /Alarms 10,000/.test(f) && /al-00000/.test(f));
    await press(app, keys.end);
    const text = await waitForFrame(app.lastFrame, (f) => /al-09999/.test(f));
    assert.match(plain(text), /10,000 selected/);
    assert.ok(asked.length > 0 && asked.every((n) => n <= 500), `only a block around the window is asked for, never all: ${asked.join(',')}`);
  } finally {
    await inAct(() => app.unmount());
  }
});
