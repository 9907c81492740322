// The socket's line framing on its own: byte cap, \r\n, skipping without buffering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer, type Frame } from '../../source/daemon/line-framer.js';

const text = (frames: Frame[]) => frames.map((f) => (f.kind === 'line' ? f.bytes.toString('utf8') : '<too long>'));

test('lines across chunks, \\r\\n, empty lines and an unterminated last line', () => {
  const f = new LineFramer(10);
  assert.deepEqual(text(f.push(Buffer.from('ab'))), []);
  assert.deepEqual(text(f.push(Buffer.from('c\r\n\n\r\nde\nf'))), ['abc', 'de']);
  assert.deepEqual(text(f.push(Buffer.from('g'))), []);
  assert.deepEqual(text(f.end()), ['fg']);
});

test('the cap counts bytes without the terminator; \\r\\n may follow a line at the cap', () => {
  const f = new LineFramer(4);
  assert.deepEqual(text(f.push(Buffer.from('abcd\nabcd\r\nabcde\néé\néé\r\néée\n'))), ['abcd', 'abcd', '<too long>', 'éé', 'éé', '<too long>']);
});

test('an over-long line is reported once and its rest is skipped, never buffered', () => {
  const f = new LineFramer(1024);
  const frames: Frame[] = [];
  let maxHeld = 0;
  for (let i = 0; i < 256; i++) {
    frames.push(...f.push(Buffer.alloc(4096, 0x61)));
    maxHeld = Math.max(maxHeld, f.buffered);
  }
  frames.push(...f.push(Buffer.from('still the long line\nnext\n')));
  assert.deepEqual(text(frames), ['<too long>', 'next']);
  assert.ok(maxHeld <= 1025, `held at most the cap (held ${maxHeld} bytes of a 1 MiB line)`);
});

test('an over-long line cut by the end of the stream gives no extra line', () => {
  const f = new LineFramer(3);
  assert.deepEqual(text(f.push(Buffer.from('abcdefg'))), ['<too long>']);
  assert.deepEqual(text(f.end()), []);
});
