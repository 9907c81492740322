// Reading a secret: no echo at all on a terminal (editing keys work, escape sequences are
// not part of it, the terminal mode is restored), the first line from a pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { PromptAborted, readFirstLine, readHidden } from '../../source/secrets/prompt.js';

class FakeTty extends EventEmitter {
  isRaw = false;
  modes: boolean[] = [];
  paused = false;
  setRawMode(mode: boolean) { this.isRaw = mode; this.modes.push(mode); }
  setEncoding() {}
  resume() { this.paused = false; }
  pause() { this.paused = true; }
  type(...chunks: string[]) { for (const c of chunks) this.emit('data', c); }
}

function sink() {
  const out = { text: '', write(t: string) { out.text += t; } };
  return out;
}

test('typed characters are not echoed; backspace, Ctrl-U and arrow keys edit; Enter ends; raw mode is restored', async () => {
  const tty = new FakeTty();
  const out = sink();
  const reading = readHidden(tty, out, 'Password: ');
  tty.type('wrong', '\u0015', 'pa', 'ss\u007f\u007fw', '\u001b[D', '\u001bOA', 'ord!', '\r', 'after-enter');
  assert.equal(await reading, 'paword!');
  assert.equal(out.text, 'Password: \n', 'nothing but the prompt and the final line break reaches the terminal');
  assert.deepEqual(tty.modes, [true, false]);
  assert.equal(tty.paused, true);
  assert.equal(tty.listenerCount('data'), 0);
});

test('a pasted secret with its line break in one chunk is read whole', async () => {
  const tty = new FakeTty();
  const reading = readHidden(tty, sink(), '? ');
  tty.type('ATATT3xFfGF0-pasted-token\n');
  assert.equal(await reading, 'ATATT3xFfGF0-pasted-token');
});

test('Ctrl-C, and Ctrl-D on an empty prompt, abort; the terminal mode is restored', async () => {
  for (const key of ['\u0003', '\u0004']) {
    const tty = new FakeTty();
    const reading = readHidden(tty, sink(), '? ');
    tty.type(key === '\u0003' ? 'partial' : '', key);
    await assert.rejects(reading, PromptAborted);
    assert.equal(tty.isRaw, false);
  }
});

test('from a pipe: the first line without \\r\\n; the rest is not read; an empty stream is null', async () => {
  const pipe = new PassThrough();
  const reading = readFirstLine(pipe);
  pipe.write('first-li');
  pipe.write('ne\r\nsecond line\n');
  assert.equal(await reading, 'first-line');
  assert.equal(pipe.listenerCount('data'), 0);

  const noNewline = new PassThrough();
  const r2 = readFirstLine(noNewline);
  noNewline.end('only-line');
  assert.equal(await r2, 'only-line');

  const empty = new PassThrough();
  const r3 = readFirstLine(empty);
  empty.end();
  assert.equal(await r3, null);
});
