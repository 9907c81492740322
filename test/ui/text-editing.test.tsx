// The editors' guard against several keys in one read, and their editing keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React, { useState } from 'react';
import { Text } from 'ink';
import { editReducer, editState, splitTyped } from '../../source/ui/components/text-editing.js';
import { TextInput } from '../../source/ui/components/text-input.js';
import { TextArea } from '../../source/ui/components/text-area.js';
import { keys, mount, paste, plain, press, type } from './support.js';

test('a read holding text, backspaces and Enter is split in order', () => {
  assert.deepEqual(splitTyped('ab\x7fc\r'), [
    { kind: 'text', text: 'ab' }, { kind: 'backspace' }, { kind: 'text', text: 'c' }, { kind: 'enter' },
  ]);
});

test('up and down keep the column across lines of different length', () => {
  let s = { text: 'abcdef\nxy\nlonger line', cursor: 4 };
  s = editReducer(s, { type: 'down' });
  assert.equal(s.cursor, 9, 'clamped to the end of "xy"');
  s = editReducer(s, { type: 'down' });
  assert.equal(s.text.slice(0, s.cursor), 'abcdef\nxy\nlo');
  s = editReducer(editReducer(s, { type: 'up' }), { type: 'up' });
  assert.equal(s.cursor, 2);
  assert.deepEqual(editReducer(editState('ab'), { type: 'backspace' }), { text: 'a', cursor: 1 });
});

function LineHarness({ onSubmit }: { onSubmit(text: string): void }) {
  const [value, setValue] = useState('');
  return (
    <>
      <TextInput value={value} isActive onChange={setValue} onSubmit={onSubmit} />
      <Text>value=[{value}]</Text>
    </>
  );
}

test('TextInput keeps every character when keys come one per read, and when many come in one read', async () => {
  const submitted: string[] = [];
  const app = await mount(<LineHarness onSubmit={(t) => submitted.push(t)} />);
  await type(app, 'OPS-1');
  assert.match(plain(app.lastFrame()), /value=\[OPS-1\]/);
  // A paste / fast typing over SSH: several keys in one read, with a backspace and Enter.
  await paste(app, ' disk fulx\x7fl\r');
  assert.match(plain(app.lastFrame()), /value=\[OPS-1 disk full\]/);
  assert.deepEqual(submitted, ['OPS-1 disk full']);
  await press(app, keys.left, keys.left, keys.backspace);
  await type(app, 'X');
  assert.match(plain(app.lastFrame()), /value=\[OPS-1 disk fXll\]/);
  app.unmount();
});

function AreaHarness() {
  const [text, setText] = useState('{\n}');
  return (
    <>
      <TextArea text={text} isActive width={40} height={6} onChange={setText} />
      <Text>json={JSON.stringify(text)}</Text>
    </>
  );
}

test('TextArea inserts line breaks on Enter and takes a multi-line paste whole', async () => {
  const app = await mount(<AreaHarness />);
  await press(app, keys.up, keys.enter);
  await type(app, '"a": 1');
  await paste(app, ',\r"b": 2');
  assert.ok(plain(app.lastFrame()).includes(`json=${JSON.stringify('{\n"a": 1,\n"b": 2\n}')}`), plain(app.lastFrame()));
  app.unmount();
});

test('readline keys: Ctrl-A/E, Ctrl-B/F, Alt-B/F move; Ctrl-U, Ctrl-K, Ctrl-W, Ctrl-D, Alt-Backspace cut', async () => {
  const app = await mount(<LineHarness onSubmit={() => undefined} />);
  const value = () => /value=\[(.*)\]/.exec(plain(app.lastFrame()))?.[1];
  await paste(app, 'disk full on db-7');
  await press(app, '\x01'); // Ctrl-A: to the start
  await type(app, '> ');
  assert.equal(value(), '> disk full on db-7');
  await press(app, '\x05', '\x17'); // Ctrl-E, Ctrl-W: the word before the cursor
  assert.equal(value(), '> disk full on db-');
  await press(app, '\x1bb', '\x1bb', '\x0b'); // Alt-B twice, Ctrl-K: to the end
  assert.equal(value(), '> disk full ');
  await press(app, '\x02', '\x02', '\x15'); // Ctrl-B twice, Ctrl-U: to the start
  assert.equal(value(), 'l ');
  await press(app, '\x01', '\x04'); // Ctrl-A, Ctrl-D: the character under the cursor
  assert.equal(value(), ' ');
  await paste(app, 'alarm text');
  await press(app, '\x1b\x7f'); // Alt-Backspace
  assert.equal(value(), 'alarm  ');
  await press(app, '\x01', '\x1bf', '\x06'); // Ctrl-A, Alt-F past "alarm", Ctrl-F
  await type(app, 'X');
  assert.equal(value(), 'alarm X ');
  await press(app, keys.home);
  await type(app, '[');
  await press(app, keys.end);
  await type(app, ']');
  assert.equal(value(), '[alarm X ]');
  app.unmount();
});

test('Ctrl-W stops at the start of a line; Ctrl-U and Ctrl-K cut only the cursor\'s line', () => {
  assert.deepEqual(editReducer({ text: 'one\ntwo three', cursor: 13 }, { type: 'kill-word' }), { text: 'one\ntwo ', cursor: 8 });
  assert.deepEqual(editReducer({ text: 'one\ntwo', cursor: 4 }, { type: 'kill-word' }), { text: 'onetwo', cursor: 3 });
  assert.deepEqual(editReducer({ text: 'one\ntwo three', cursor: 8 }, { type: 'kill-start' }), { text: 'one\nthree', cursor: 4 });
  assert.deepEqual(editReducer({ text: 'one two\nthree', cursor: 3 }, { type: 'kill-end' }), { text: 'one\nthree', cursor: 3 });
});
