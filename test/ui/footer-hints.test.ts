// Footer hints are written from the key table, so a pane's footer names the keys that
// really act (the same table isKey() matches against and the ? overlay prints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footerHints, keyBindings } from '../../source/ui/key-bindings.js';
import { authHints } from '../../source/ui/panes/auth-dialog.js';
import { addFieldHints } from '../../source/ui/panes/add-field-dialog.js';

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
