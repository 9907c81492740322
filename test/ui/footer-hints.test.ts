// Footer hints are written from the key table, so a pane's footer names the keys that
// really act (the same table isKey() matches against and the ? overlay prints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footerHints, keyBindings } from '../../source/ui/key-bindings.js';

test('footer hints name each action by its keys in the table; arrows group, other keys are spaced', () => {
  const keys = (action: string) => keyBindings.find((b) => b.action === action)?.keys;
  assert.equal(footerHints([['execute', 'Execute'], ['add-field', 'Add Field']]), `${keys('execute')} Execute · ${keys('add-field')} Add Field`);
  assert.equal(footerHints([[['up', 'down', 'page-up', 'page-down', 'home', 'end'], 'move']]), '↑↓ PgUp PgDn Home End move');
  assert.equal(footerHints([[['left', 'right'], 'column'], ['filter', 'filter']]), '←→ column · / filter');
});
