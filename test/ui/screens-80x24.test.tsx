// Every pane at 80×24, as a new user over SSH sees it: what a cut text needs you to do is on
// the screen, or one key away (Enter on the row, or `v` for everything cut in full) — the
// demo banner, a field's error, Jira's refusal of a JQL, the Log's and Alarms' ticket URL,
// and each pane's key hint line. No line is wider than the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());

function fits(text: string): void {
  for (const line of text.split('\n')) assert.ok(Array.from(line).length <= 80, `no line wider than 80: ${line}`);
}

/** `v`, the view of everything cut (joined to one line to match across its wrapping), then Esc back. */
async function fullText(live: LiveApp, back: RegExp): Promise<string> {
  await press(live.app, 'v');
  const full = await waitForFrame(live.app.lastFrame, (f) => /In full \(v\)/.test(plain(f)));
  fits(plain(full));
  // The view scrolls: read it to its end.
  let text = plain(full);
  for (let i = 0; i < 4; i++) {
    await press(live.app, keys.pageDown);
    text += `\n${screen(live)}`;
  }
  await press(live.app, keys.escape);
  await waitForFrame(live.app.lastFrame, (f) => back.test(plain(f)));
  return text.replace(/\s+/g, ' ');
}

test('Creation: the demo banner\'s action and a field\'s values to pick are on the pane; the key hints are one key away', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await waitUntil(() => Boolean(live.runtime.engine.getSnapshot().allowed?.fields.customfield_10010), 'the allowed values from the simulator');
    assert.match(screen(live), /DEMO — real Jira: 2 Configuration → Jira URL, or --jira-url URL \/ JIRALINE_URL/);
    // An option field with no value yet: the options come first on the error line.
    await press(live.app, 'a');
    await type(live.app, 'Severity');
    await press(live.app, keys.enter);
    const error = await waitForFrame(live.app.lastFrame, (f) => /✗ Severity:/.test(plain(f)));
    assert.match(plain(error), /✗ Severity: pick one of Sev1, Sev2, Sev3, Sev4 — /);
    fits(plain(error));
    assert.doesNotMatch(screen(live), /\/ find/, 'the key hint line is cut');
    const full = await fullText(live, /Ticket Creation Table/);
    assert.match(full, /e \$EDITOR · \/ find/, 'the whole key hint line');
    assert.match(full, /expected an option such as High, got ""/, 'the whole error');
  } finally {
    await live.close();
  }
});

test('Log: the Ticket column\'s URL is cut, and one key (Enter) away; the key hints with v', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  const engine = live.runtime.engine;
  try {
    await engine.submitLine('L-1|CREATE|summary;Router down|');
    await waitUntil(() => engine.status('L-1')?.status === 'Ok', 'created');
    const url = engine.status('L-1')?.ticketUrl as string;
    await press(live.app, '3');
    await waitForFrame(live.app.lastFrame, (f) => /L-1\s+Ok/.test(plain(f)));
    assert.doesNotMatch(screen(live), new RegExp(url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), 'the URL is cut in the table');
    fits(screen(live));
    await press(live.app, keys.enter);
    const open = await waitForFrame(live.app.lastFrame, (f) => plain(f).includes(url));
    fits(plain(open));
    await press(live.app, keys.escape);
    await waitForFrame(live.app.lastFrame, (f) => /L-1\s+Ok/.test(plain(f)));
    assert.doesNotMatch(screen(live), /a answers/, 'the key hint line is cut');
    assert.match(await fullText(live, /L-1\s+Ok/), /C cancel · a answers/);
  } finally {
    await live.close();
  }
});

test('Jira: a JQL Jira refuses shows Jira\'s own words first; the whole error and the key hints with v', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  try {
    await press(live.app, '5');
    await waitForFrame(live.app.lastFrame, (f) => /JQL project = DEMO/.test(plain(f)));
    await press(live.app, '/', ...Array.from({ length: 90 }, () => keys.backspace));
    await type(live.app, 'project = = DEMO');
    await press(live.app, keys.enter);
    const failed = await waitForFrame(live.app.lastFrame, (f) => /Search failed/.test(plain(f)));
    assert.match(plain(failed), /Search failed: 400 from Jira: Error in the JQL Query/, 'what Jira objects to, on the pane');
    fits(plain(failed));
    const full = await fullText(live, /Search failed/);
    assert.match(full, /Search failed: 400 from Jira: Error in the JQL Query: .* \(on (GET|POST) \S*search\S*\)/, 'the whole error');
    assert.match(full, /l link an alarm/, 'the whole key hint line');
  } finally {
    await live.close();
  }
});

test('Configuration and Alarms: their cut hints, and the selected alarm\'s ticket, are one key (v) away', async () => {
  const live = await startLiveApp({ columns: 80, rows: 24 });
  const engine = live.runtime.engine;
  try {
    await press(live.app, '2');
    await waitForFrame(live.app.lastFrame, (f) => /Configuration/.test(plain(f)) && /Jira URL/.test(plain(f)));
    assert.doesNotMatch(screen(live), /\/ find/, 'the header hints are cut');
    fits(screen(live));
    assert.match(await fullText(live, /Jira URL/), /t Test connection · \/ find/);

    await engine.submitLine('A-1|CREATE|summary;Disk full|');
    await waitUntil(() => engine.status('A-1')?.status === 'Ok', 'created');
    const url = engine.status('A-1')?.ticketUrl as string;
    await press(live.app, '6');
    await waitForFrame(live.app.lastFrame, (f) => /A-1\s+open/.test(plain(f)));
    fits(screen(live));
    assert.doesNotMatch(screen(live), /u unlink/, 'the key hint line is cut');
    const full = await fullText(live, /A-1\s+open/);
    assert.ok(full.includes(`URL ${url}`), 'the selected alarm\'s ticket URL');
    assert.match(full, /g Get Eligible Ticket · u unlink/, 'the whole key hint line');
  } finally {
    await live.close();
  }
});
