// The daemon's JSON events carry a level, and under journald each line starts with its
// syslog priority (journald takes it off, so `journalctl -p err` finds failures and the
// entry's text stays plain JSON); anywhere else stdout is plain JSON lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJsonLog, levelOf, stdoutIsJournal } from '../../source/daemon/json-log.js';

test('every record carries a level: failures are error, things to look at warning, the rest info', () => {
  let out = '';
  const log = createJsonLog((text) => (out += text), () => 0);
  log({ event: 'failed', guid: 'a', error: 'no transition' });
  log({ event: 'jira', state: 'auth-refused', error: '401' });
  log({ event: 'jira', state: 'down', error: 'timeout' });
  log({ event: 'refused', guid: 'b', reason: 'unknown action' });
  log({ event: 'sent', guid: 'a' });
  log({ event: 'jira-changed', level: 'warning' });
  const records = out.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.level), ['error', 'error', 'warning', 'warning', 'info', 'warning']);
  assert.deepEqual(Object.keys(records[0]).slice(0, 3), ['time', 'event', 'level']);
  assert.equal(levelOf({ event: 'start-failed' }), 'error');
});

test('the syslog priority prefix only when asked, and only when stdout is the journal stream', () => {
  let out = '';
  const log = createJsonLog((text) => (out += text), () => 0, { priorityPrefix: true });
  log({ event: 'failed', guid: 'a' });
  log({ event: 'retry', guid: 'a' });
  log({ event: 'sent', guid: 'a' });
  const lines = out.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(0, 3)), ['<3>', '<4>', '<6>']);
  assert.equal(JSON.parse(lines[0].slice(3)).event, 'failed', 'after the prefix, one JSON object');

  const stat = () => ({ dev: 25, ino: 4711 });
  assert.equal(stdoutIsJournal({ JOURNAL_STREAM: '25:4711' }, stat), true);
  assert.equal(stdoutIsJournal({ JOURNAL_STREAM: '25:4712' }, stat), false, 'stdout redirected elsewhere by a wrapper');
  assert.equal(stdoutIsJournal({}, stat), false);
});
