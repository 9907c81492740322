// One smoke test of the real binary in a real terminal (tmux, 100×30, its own server):
// start in demo mode → 1 → x → 3 shows a Manual row Ok with its key → 4 counts it → a
// resize to 80×24 redraws (the Creation pane stacks) → q gives the shell its screen back.
// `npm test` builds dist/ before the tests run; .ci/run installs tmux on a fresh machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeTempDir } from '../helpers/temp-dir.js';
import { screenUntil, tmux } from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

test('the real binary in tmux: Execute, Log, Statistics, resize, q restores the shell', async () => {
  assert.ok(existsSync(cli), `${cli} is missing: npm test builds it (npm run build)`);
  const tmp = await makeTempDir('jiraline-smoke-');
  const server = `jiraline-smoke-${process.pid}-${randomBytes(3).toString('hex')}`;
  const marker = `MARKER-${randomBytes(4).toString('hex')}`;
  try {
    // CI and CONTINUOUS_INTEGRATION are unset: under them Ink prints only the last frame at exit.
    tmux(server, 'new-session', '-d', '-x', '100', '-y', '30', '-s', 'smoke',
      'env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color bash --norc --noprofile');
    writeFileSync(join(tmp.dir, 'config.json'), '{}'); // a --config that does not exist is refused
    const command = `node ${cli} --demo --data-dir ${join(tmp.dir, 'data')} --config ${join(tmp.dir, 'config.json')} --listen 127.0.0.1:0`;
    tmux(server, 'send-keys', '-t', 'smoke', `PS1='smoke$ '; clear; echo ${marker}; ${command}; echo EXIT=$?`, 'Enter');

    let screen = await screenUntil(server, 'the first frame, connected', (s) => s.includes('1 Creation  2 Configuration  3 Log  4 Statistics  5 Jira') && s.includes('connected as'));
    assert.ok(!screen.includes(marker), 'the app is on the alternate screen');
    assert.match(screen, /DEMO/);

    tmux(server, 'send-keys', '-t', 'smoke', '1');
    tmux(server, 'send-keys', '-t', 'smoke', 'x');
    screen = await screenUntil(server, 'Created DEMO-N', (s) => /Created DEMO-\d+/.test(s));
    const key = /Created (DEMO-\d+)/.exec(screen)?.[1] as string;

    tmux(server, 'send-keys', '-t', 'smoke', '3');
    screen = await screenUntil(server, 'the Manual row', (s) => new RegExp(`Manual\\s+Create .*Ok\\s+${key}\\s`).test(s));

    tmux(server, 'send-keys', '-t', 'smoke', '4');
    screen = await screenUntil(server, 'the statistics', (s) => /Created\s+1\s+1\s+0/.test(s));

    tmux(server, 'resize-window', '-t', 'smoke', '-x', '80', '-y', '24');
    tmux(server, 'send-keys', '-t', 'smoke', '1');
    screen = await screenUntil(server, 'the stacked Creation pane at 80×24', (s) => {
      const lines = s.split('\n');
      const table = lines.findIndex((l) => l.includes('Ticket Creation Table'));
      const query = lines.findIndex((l) => l.includes('Create Query'));
      return table >= 0 && query > table;
    });
    assert.ok(screen.split('\n').every((l) => l.length <= 80));

    tmux(server, 'send-keys', '-t', 'smoke', 'q');
    screen = await screenUntil(server, 'the shell back', (s) => s.includes('EXIT=0'));
    assert.ok(screen.includes(marker), 'the shell\'s screen (with the marker echoed before start) is back');
    assert.ok(!screen.includes('1 Creation  2 Configuration'), 'no trace of the app');
    assert.match(screen, /EXIT=0\s*\nsmoke\$/);
  } finally {
    try {
      tmux(server, 'kill-server');
    } catch {
      // Already gone.
    }
    await tmp.cleanup();
  }
});
