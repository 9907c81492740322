// The Creation pane on the real engine, store and simulator: the table and the Create
// Query stay in sync both ways through the draft reducer, Add Field searches Jira's
// catalogue, Execute creates a ticket (or shows Jira's refusal on the row), $EDITOR's
// text is applied, and the rows are saved to the config file as the template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startLiveApp, type LiveApp } from './live-app.js';
import { keys, plain, press, type, waitForFrame, waitUntil } from './support.js';

const screen = (live: LiveApp) => plain(live.app.lastFrame());
/** The table's line for a field (the right half of the side-by-side layout). */
const rowLine = (live: LiveApp, field: string) => screen(live).split('\n').map((l) => l.slice(44)).find((l) => new RegExp(`\\s${field}\\s`).test(l)) ?? '';

test('table → JSON: a cell edit, a Mode toggle and a delete show at once in the Create Query', async () => {
  const live = await startLiveApp();
  try {
    assert.match(screen(live), /"summary": "Demo ticket from jiraline"/);
    // Rows: project, issuetype, summary, priority; the Value column is focused.
    await press(live.app, keys.down, keys.down, keys.enter);
    await press(live.app, ...Array.from({ length: 30 }, () => keys.backspace));
    await type(live.app, 'Disk full on db-7');
    await press(live.app, keys.enter);
    assert.match(screen(live), /"summary": "Disk full on db-7"/);

    await press(live.app, keys.down, 'm');
    assert.match(rowLine(live, 'priority'), /Exclude/);
    assert.doesNotMatch(screen(live), /"priority"/, 'an Exclude row leaves the JSON');
    assert.match(screen(live), /Ticket Creation Table \(4 rows\)/, 'but stays in the table');
    await press(live.app, 'm');
    assert.match(screen(live), /"priority": \{/);

    await press(live.app, 'd');
    assert.match(screen(live), /Ticket Creation Table \(3 rows\)/);
    assert.doesNotMatch(screen(live), /"priority"/);
  } finally {
    await live.close();
  }
});

test('JSON → table: typed JSON rebuilds the rows; broken JSON shows line and column and leaves the table', async () => {
  const live = await startLiveApp();
  try {
    await press(live.app, keys.tab, keys.enter);
    // To the top, then line 4 (`"key": "DEMO"`), to its end, and change DEMO to OPS.
    await press(live.app, ...Array.from({ length: 20 }, () => keys.up), keys.down, keys.down, keys.down, keys.end);
    await press(live.app, ...Array.from({ length: 5 }, () => keys.backspace));
    await type(live.app, 'OPS"');
    assert.match(rowLine(live, 'project'), /project\s+OPS\s/);
    assert.match(screen(live), /valid JSON/);

    await type(live.app, ',');
    const broken = screen(live);
    assert.match(broken, /✗ JSON error at line 5, column 5/, 'under the Create Query');
    assert.match(broken, /✗ line 5, column 5: expected a property name in double quotes, found '\}' \(a trailing comma\?\)/);
    assert.match(rowLine(live, 'project'), /project\s+OPS\s/, 'the table keeps the last valid rows');
    await press(live.app, keys.backspace);
    assert.match(screen(live), /valid JSON/);
    await press(live.app, keys.escape);
    await press(live.app, '3');
    assert.match(screen(live), /Log/, 'after Esc the number keys switch panes again');
  } finally {
    await live.close();
  }
});

test('Add Field searches Jira\'s catalogue; the new row\'s value is shaped by its type', async () => {
  const live = await startLiveApp();
  try {
    await waitUntil(() => live.runtime.engine.catalogue() !== null, 'the catalogue from the simulator');
    await press(live.app, 'a');
    await waitForFrame(live.app.lastFrame, (f) => /Add Field .*fields from Jira/.test(f));
    await type(live.app, 'sever');
    const list = screen(live);
    assert.match(list, /Severity\s+customfield_10010\s+option\s+custom/);
    await press(live.app, keys.enter);
    assert.match(screen(live), /Ticket Creation Table \(5 rows\)/);
    await press(live.app, keys.enter);
    await type(live.app, 'Sev2');
    await press(live.app, keys.enter);
    assert.match(screen(live), /"customfield_10010": \{\s*$/m);
    assert.match(screen(live), /"value": "Sev2"/);

    // A free custom field id the catalogue lacks, with a type picked from the built-in ones.
    await press(live.app, 'a');
    await type(live.app, 'customfield_99999');
    assert.match(screen(live), /\+ custom field id customfield_99999/);
    await press(live.app, keys.enter);
    assert.match(screen(live), /Type of customfield_99999/);
    await press(live.app, keys.home, keys.down, keys.down, keys.down, keys.enter);
    assert.match(rowLine(live, 'number'), /✗ customfield_999…\s+number\s+Include/, 'a number field without a value cannot be sent yet');
  } finally {
    await live.close();
  }
});

test('x executes: a spinner, then the key and its URL; the ticket exists and is logged as Manual', async () => {
  const live = await startLiveApp();
  try {
    await press(live.app, 'x');
    const done = await waitForFrame(live.app.lastFrame, (f) => /Created DEMO-\d+/.test(f));
    const key = /Created (DEMO-\d+)/.exec(done)?.[1] as string;
    assert.ok(done.includes(`${live.simulator.url}/browse/${key}`), 'the URL is shown');
    assert.ok((live.app.lastFrame() ?? '').includes(`\x1b]8;;${live.simulator.url}/browse/${key}\x07`), 'as an OSC 8 hyperlink');
    assert.equal(live.simulator.issue(key)?.fields.summary, 'Demo ticket from jiraline');
    const [row] = live.runtime.engine.queryLog({ limit: 1 });
    assert.deepEqual([row.type, row.action, row.status, row.ticketKey], ['Manual', 'Create', 'Ok', key]);
  } finally {
    await live.close();
  }
});

test('x with a value Jira refuses: Jira\'s error shown and the field\'s row marked', async () => {
  const live = await startLiveApp();
  try {
    await press(live.app, keys.down, keys.down, keys.down, keys.enter);
    await press(live.app, ...Array.from({ length: 6 }, () => keys.backspace));
    await type(live.app, 'Urgentest');
    await press(live.app, keys.enter, 'x');
    const refused = await waitForFrame(live.app.lastFrame, (f) => /Jira refused it/.test(f));
    assert.match(refused, /Jira refused it: .*priority: The priority selected is invalid/);
    assert.match(rowLine(live, 'priority'), /^\s*! priority\s+Urgentest/, 'the refused row is marked !');
    assert.match(screen(live), /! priority: The priority selected is invalid/, 'and its error shown when selected');
    assert.equal(live.runtime.engine.queryLog({ limit: 1 })[0].status, 'Failed');
  } finally {
    await live.close();
  }
});

test('e: the text saved in $EDITOR replaces the Create Query and the table follows', async () => {
  const live = await startLiveApp({
    editor: (text) => ({ ok: true, text: text.replace('Demo ticket from jiraline', 'Edited in vi') }),
  });
  try {
    await press(live.app, 'e');
    await waitForFrame(live.app.lastFrame, (f) => /"summary": "Edited in vi"/.test(f));
    assert.match(rowLine(live, 'summary'), /summary\s+Edited in vi/);
    assert.equal(live.editorTexts.length, 1);
    assert.match(live.editorTexts[0], /"project": \{\s+"key": "DEMO"/, 'the editor got the Create Query');
  } finally {
    await live.close();
  }
});

test('the template\'s rows (t switches to it) are saved to the config file as the template (a real Jira URL, not demo)', async () => {
  const live = await startLiveApp({ demo: false, config: { template: [{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'summary', value: 'x', mode: 'Include' }] } });
  try {
    await press(live.app, 't');
    await waitForFrame(live.app.lastFrame, (f) => f.includes('Automatic CREATE template'));
    await press(live.app, keys.down, keys.enter, keys.backspace);
    await type(live.app, 'Template summary');
    await press(live.app, keys.enter, 'm');
    await waitForFrame(live.app.lastFrame, (f) => /summary\s+Template summary\s+string\s+Exclude/.test(f));
    let saved: { template?: unknown } = {};
    // The file as it is at each check (read and awaited there, not a read still on its way).
    await waitUntil(async () => {
      try {
        saved = JSON.parse(await readFile(live.configPath, 'utf8')) as { template?: unknown };
      } catch {
        return false; // not written yet
      }
      return JSON.stringify(saved.template) === JSON.stringify([
        { field: 'project', value: 'OPS', mode: 'Include' },
        { field: 'summary', value: 'Template summary', mode: 'Exclude' },
      ]);
    }, () => `the template in the config file; it holds ${JSON.stringify(saved.template)}`);
  } finally {
    await live.close();
  }
});

/** The config file as last written (read until `done` holds). */
async function fileUntil(live: LiveApp, done: (c: { template?: unknown; draft?: unknown }) => boolean, what: string): Promise<{ template?: unknown; draft?: unknown }> {
  let saved: { template?: unknown; draft?: unknown } = {};
  await waitUntil(() => {
    readFile(live.configPath, 'utf8').then((t) => {
      saved = JSON.parse(t) as { template?: unknown };
    }, () => undefined);
    return done(saved);
  }, what);
  return saved;
}

test('the Manual draft is not the template: a draft edit is saved as the draft and changes no automatic CREATE', async () => {
  const template = [{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'summary', value: 'x', mode: 'Include' }];
  // A config from before the two were apart: only `template`. The draft starts as a copy of it.
  const live = await startLiveApp({ demo: false, config: { template } });
  try {
    await waitForFrame(live.app.lastFrame, (f) => f.includes('Manual draft · Ticket Creation Table'));
    await press(live.app, keys.down, keys.enter, keys.backspace);
    await type(live.app, 'One-off');
    await press(live.app, keys.enter);
    const saved = await fileUntil(live, (c) => JSON.stringify(c.draft) === JSON.stringify([template[0], { ...template[1], value: 'One-off' }]), 'the draft in the config file');
    assert.deepEqual(saved.template, template, 'the template is untouched');
    assert.deepEqual(live.runtime.shared.store.get().config.template, template, 'the engine still creates from the template');
    // t shows the template, with its own rows and label.
    await press(live.app, 't');
    const frame = await waitForFrame(live.app.lastFrame, (f) => f.includes('Automatic CREATE template · Ticket Creation Table'));
    assert.match(frame, /summary\s+x\s/);
    await press(live.app, 'x');
    assert.match(screen(live), /press t to switch to the Manual draft: x executes it, not the automatic template/);
    await press(live.app, 't');
    await waitForFrame(live.app.lastFrame, (f) => /Manual draft · Ticket Creation Table/.test(f) && /summary\s+One-off\s/.test(f));
  } finally {
    await live.close();
  }
});

test('a template value with an unknown placeholder is refused, saying which and what is allowed; a known one is saved', async () => {
  const template = [{ field: 'project', value: 'OPS', mode: 'Include' }, { field: 'summary', value: 'x', mode: 'Include' }];
  const live = await startLiveApp({ demo: false, config: { template } });
  try {
    await press(live.app, 't');
    await waitForFrame(live.app.lastFrame, (f) => f.includes('Automatic CREATE template'));
    await press(live.app, keys.down, keys.enter, keys.backspace);
    await type(live.app, '{host} down');
    await press(live.app, keys.enter);
    const frame = await waitForFrame(live.app.lastFrame, (f) => f.includes('not saved'));
    assert.match(frame, /✗ not saved — summary: unknown placeholder \{host\} — use \{guid\}, \{field:NAME\}, \{now\} or \{date\}/);
    await live.services.settled();
    assert.deepEqual(live.runtime.shared.store.get().config.template, template, 'the engine keeps the last good template');
    assert.deepEqual(JSON.parse(await readFile(live.configPath, 'utf8')).template, template);
    // Fixed: saved at once.
    await press(live.app, keys.enter, ...Array.from({ length: 12 }, () => keys.backspace));
    await type(live.app, '{field:host} down');
    await press(live.app, keys.enter);
    await fileUntil(live, (c) => JSON.stringify(c.template) === JSON.stringify([template[0], { ...template[1], value: '{field:host} down' }]), 'the fixed template in the config file');
    assert.doesNotMatch(screen(live), /not saved/);
  } finally {
    await live.close();
  }
});
