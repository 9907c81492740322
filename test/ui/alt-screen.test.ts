// The alternate screen switch and the exit guards, without a terminal: what is written,
// once, and which process events end the app with which cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createAltScreen, crashMessage, ENTER_ALT_SCREEN, installExitGuards, LEAVE_ALT_SCREEN, type ExitCause } from '../../source/ui/alt-screen.js';
import { splitKeys } from '../../source/ui/hooks/use-keys.js';

test('the alternate screen is entered and left once each, however often asked', () => {
  const written: string[] = [];
  const alt = createAltScreen({ write: (s: string) => written.push(s) });
  alt.leave();
  alt.enter();
  alt.enter();
  assert.equal(alt.active, true);
  alt.leave();
  alt.leave();
  assert.deepEqual(written, [ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN]);
  assert.ok(ENTER_ALT_SCREEN.startsWith('\x1b[?1049h') && LEAVE_ALT_SCREEN.endsWith('\x1b[?1049l'));
  assert.ok(LEAVE_ALT_SCREEN.includes('\x1b[?25h'), 'the cursor is shown again');
});

test('SIGTERM, SIGINT, SIGHUP and crashes end the app; detaching removes every listener', () => {
  const proc = new EventEmitter();
  const causes: ExitCause[] = [];
  const detach = installExitGuards((cause) => causes.push(cause), proc);
  proc.emit('SIGTERM', 'SIGTERM');
  proc.emit('SIGINT', 'SIGINT');
  proc.emit('SIGHUP', 'SIGHUP');
  const boom = new Error('render exploded');
  proc.emit('uncaughtException', boom);
  proc.emit('unhandledRejection', 'a string reason');
  assert.deepEqual(causes, [
    { kind: 'signal', signal: 'SIGTERM' }, { kind: 'signal', signal: 'SIGINT' }, { kind: 'signal', signal: 'SIGHUP' },
    { kind: 'crash', error: boom }, { kind: 'crash', error: 'a string reason' },
  ]);
  detach();
  for (const event of ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'unhandledRejection']) assert.equal(proc.listenerCount(event), 0);
  assert.equal(crashMessage(boom), 'jiraline: render exploded');
});

test('a read holding several keys is handed to navigation one key at a time', () => {
  const base = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false };
  const keys = splitKeys('3Q\r\x03', base);
  assert.deepEqual(keys.map(([input, key]) => [input, key.shift, key.return, key.ctrl]), [
    ['3', false, false, false], ['Q', true, false, false], ['', false, true, false], ['c', false, false, true],
  ]);
  assert.deepEqual(splitKeys('x', base), [['x', base]]);
});
