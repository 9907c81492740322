// Keys that arrive several in one read — a held arrow over SSH (`tmux send-keys Down Down`),
// fast typing — each act once, on the screen the previous key left. The key reader gives
// Ink one key per read; in edit mode a run of text (a paste) stays whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink';
import { KeyReader, splitReads } from '../../source/ui/key-reader.js';
import { LogPane } from '../../source/ui/panes/log-pane.js';
import { EngineDouble } from '../helpers/ui-engine-double.js';
import { makeServices, plain, waitForFrame } from './support.js';

test('a read is split into keys: escape sequences, control keys, characters; text runs whole in edit mode', () => {
  assert.deepEqual(splitReads('\x1b[B\x1b[B\x1b[B', false), ['\x1b[B', '\x1b[B', '\x1b[B']);
  assert.deepEqual(splitReads('\x1b[6~\x1b[5~\x1bOB\x1b[1;5A', false), ['\x1b[6~', '\x1b[5~', '\x1bOB', '\x1b[1;5A']);
  assert.deepEqual(splitReads('\x1b\x1b[Dq', false), ['\x1b\x1b[D', 'q'], 'Alt+← is one key');
  assert.deepEqual(splitReads('jj1x', false), ['j', 'j', '1', 'x']);
  assert.deepEqual(splitReads('jj1x', true), ['jj1x']);
  assert.deepEqual(splitReads('disk full\r\x1b[Dé😀', true), ['disk full', '\r', '\x1b[D', 'é😀']);
  assert.deepEqual(splitReads('a😀\x15\x7f', false), ['a', '😀', '\x15', '\x7f']);
  assert.deepEqual(splitReads('\x1b', false), ['\x1b'], 'Esc alone');
});

/** A terminal's input as Node gives it: 'data' events in flowing mode. */
class TerminalIn extends EventEmitter {
  isTTY = true;
  setEncoding(): this { return this; }
  setRawMode(): this { return this; }
  resume(): this { return this; }
  pause(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}

class Screen extends EventEmitter {
  columns = 100;
  rows = 30;
  last = '';
  write = (frame: string) => { this.last = frame; return true; };
}

function mountLog(stdin: NodeJS.ReadStream, terminal: TerminalIn) {
  const engine = new EngineDouble();
  engine.fillLog(100);
  const { services } = makeServices(engine);
  const screen = new Screen();
  const modes: string[] = [];
  const instance = render(
    <LogPane services={services} snapshot={engine.getSnapshot()} isActive width={100} height={20}
      setMode={(m) => modes.push(m)} memory={new Map()} />,
    { stdout: screen as unknown as NodeJS.WriteStream, stdin, debug: true, exitOnCtrlC: false, patchConsole: false });
  return { instance, frame: () => plain(screen.last), send: (data: string) => terminal.emit('data', data), modes };
}

test('a held ↓ (three in one read) moves the Log selection three rows', async () => {
  const terminal = new TerminalIn();
  const log = mountLog(new KeyReader(terminal) as unknown as NodeJS.ReadStream, terminal);
  try {
    await waitForFrame(log.frame, (f) => /1 selected/.test(f));
    log.send('\x1b[B\x1b[B\x1b[B');
    await waitForFrame(log.frame, (f) => /4 selected/.test(f), 5_000);
    log.send('\x1b[A\x1b[A');
    await waitForFrame(log.frame, (f) => /2 selected/.test(f), 5_000);
  } finally {
    log.instance.unmount();
  }
});

test('`/` and the filter typed in the same read: the text lands in the filter the key opened', async () => {
  const terminal = new TerminalIn();
  const reader = new KeyReader(terminal);
  const log = mountLog(reader as unknown as NodeJS.ReadStream, terminal);
  try {
    await waitForFrame(log.frame, (f) => /1 selected/.test(f));
    log.send('/ops');
    const frame = await waitForFrame(log.frame, (f) => /ops/.test(f.split('\n').find((l) => l.includes('/')) ?? ''), 5_000);
    assert.equal(log.modes.at(-1), 'edit', `the filter is being edited:\n${frame}`);
  } finally {
    log.instance.unmount();
  }
});
