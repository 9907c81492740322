// Footer hints are written from the key table, so a pane's footer names the keys that
// really act (the same table isKey() matches against and the ? overlay prints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footerHints, keyBindings } from '../../source/ui/key-bindings.js';
import { authHints } from '../../source/ui/panes/auth-dialog.js';
import { addFieldHints } from '../../source/ui/panes/add-field-dialog.js';
import { tabBarHint } from '../../source/ui/components/tab-bar.js';
import { jsonTitleHint } from '../../source/ui/panes/creation-pane.js';
import { pickListHints } from '../../source/ui/panes/value-picker.js';
import { findHint } from '../../source/ui/hooks/use-find.js';
import { helpCloseHint } from '../../source/ui/components/help-overlay.js';

test('footer hints name each action by its keys in the table; arrows group, other keys are spaced', () => {
  const keys = (action: string) => keyBindings.find((b) => b.action === action)?.keys;
  assert.equal(footerHints([['execute', 'Execute'], ['add-field', 'Add Field']]), `${keys('execute')} Execute · ${keys('add-field')} Add Field`);
  assert.equal(footerHints([[['up', 'down', 'page-up', 'page-down', 'home', 'end'], 'move']]), '↑↓ PgUp PgDn Home End move');
  assert.equal(footerHints([[['left', 'right'], 'column'], ['filter', 'filter']]), '←→ column · / filter');
});

test('the Add Field and Authentication dialogs write their hints from the table too: a key changed there changes them', () => {
  assert.equal(authHints(), '↑↓ move · Enter edit / save · Esc close');
  assert.equal(addFieldHints().search, 'type to search · ↑↓ PgUp PgDn pick · Enter add · Esc cancel');
  assert.equal(addFieldHints().type, 'How its value is shaped. ↑↓ PgUp PgDn Home End pick · Enter add · Esc back');
  const leave = keyBindings.find((b) => b.action === 'leave') as { keys: string };
  const was = leave.keys;
  leave.keys = 'Ctrl-G';
  try {
    assert.match(authHints(), /Ctrl-G close$/);
    assert.match(addFieldHints().search, /Ctrl-G cancel$/);
    assert.match(addFieldHints().type, /Ctrl-G back$/);
  } finally {
    leave.keys = was;
  }
});

test('the tab bar, the Create Query title, the pick list, the find box and the help header write their hints from the table', () => {
  assert.equal(tabBarHint('edit'), ' EDIT (Esc leaves)');
  assert.equal(tabBarHint('navigate'), ' ? help');
  assert.equal(jsonTitleHint('editing'), '(editing: Esc leaves)');
  assert.equal(jsonTitleHint('focused'), '(↑↓ scroll · Enter edits)');
  assert.equal(jsonTitleHint('table'), '(Tab, Enter edits)');
  assert.equal(pickListHints(), 'type filters · ↑↓ choose · Enter takes · Esc leaves');
  assert.equal(findHint(), 'Enter/Esc ends');
  assert.equal(helpCloseHint(), 'Esc, ? or q closes');
  const binding = (action: string) => keyBindings.find((b) => b.action === action) as { keys: string };
  const changed: Array<[string, string]> = [['leave', 'Ctrl-G'], ['edit', 'F2'], ['help', 'F1'], ['next-region', 'F6'], ['commit', 'F3']];
  const was = changed.map(([action]) => binding(action).keys);
  changed.forEach(([action, keys]) => (binding(action).keys = keys));
  try {
    assert.equal(tabBarHint('edit'), ' EDIT (Ctrl-G leaves)');
    assert.equal(tabBarHint('navigate'), ' F1 help');
    assert.equal(jsonTitleHint('editing'), '(editing: Ctrl-G leaves)');
    assert.equal(jsonTitleHint('focused'), '(↑↓ scroll · F2 edits)');
    assert.equal(jsonTitleHint('table'), '(F6, F2 edits)');
    assert.equal(pickListHints(), 'type filters · ↑↓ choose · F3 takes · Ctrl-G leaves');
    assert.equal(findHint(), 'F3/Ctrl-G ends');
    assert.equal(helpCloseHint(), 'Ctrl-G, F1 or q closes');
  } finally {
    changed.forEach(([action], i) => (binding(action).keys = was[i]));
  }
});
