// The README's "Try it" block, run exactly as printed: each "# terminal N" part is a shell
// of its own (its `export` lines hold for its later commands only, as in a real terminal),
// the simulator and the daemon are started in the background by this harness and stopped
// by PID, every other command must exit 0 and print the lines the README shows under it
// (a `…` stands for any text, runs of spaces for any spacing). The harness waits, as a
// reader does, for the daemon to have sent what it acknowledged before the next command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isolatedEnv } from './helpers/daemon-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Step { terminal: number; command: string; expected: string[] }

/** The first sh block after the "## Try it" heading, as commands with the output lines shown under each. */
function walkthrough(readme: string): Step[] {
  const section = readme.slice(readme.indexOf('\n## Try it'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'README.md has a "## Try it" section with an sh block');
  const steps: Step[] = [];
  let terminal = 0;
  let last: Step | null = null;
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i];
    if (line.trim() === '') {
      last = null;
      continue;
    }
    const section = /^# terminal (\d+)/.exec(line);
    if (section) {
      terminal = Number(section[1]);
      last = null;
    } else if (line.startsWith('# ')) {
      assert.ok(last, `an output line in the README with no command above it: ${line}`);
      last.expected.push(line.slice(2));
    } else {
      while (line.endsWith('\\')) line = `${line}\n${lines[(i += 1)]}`;
      last = { terminal, command: line, expected: [] };
      steps.push(last);
    }
  }
  return steps;
}

/** A shown output line as a pattern: `…` is any text, a run of spaces any spacing. */
function shownLine(text: string): RegExp {
  const parts = text.trim().split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`^${parts.join('.*')}`);
}

/** Takes a lock shared by every checkout on this machine: two runs would share the README's ports and directory. */
async function machineLock(path: string): Promise<() => void> {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(join(path, 'pid'), { encoding: 'utf8', flag: 'a+' }));
      let alive = holder > 0;
      try {
        if (alive) process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (!alive) rmSync(path, { recursive: true, force: true });
      else if (waited > 240_000) assert.fail(`another README walk-through (pid ${holder}) holds ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Runs one command in a shell with the terminal's exports before it; resolves with its output and exit code. */
function run(script: string, env: Record<string, string>, background: boolean): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn('bash', ['-c', script], { cwd: root, env, detached: background, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, done };
}

test('the README walk-through works pasted as written: send, STATUS, log, stats and status on the daemon\'s directory', async (t) => {
  assert.ok(existsSync(join(root, 'dist/cli.js')), 'dist/cli.js is missing: npm test builds it (npm run build)');
  const steps = walkthrough(readFileSync(join(root, 'README.md'), 'utf8'));
  assert.ok(steps.some((s) => / daemon /.test(s.command)) && steps.some((s) => / simulator /.test(s.command)), 'it starts a simulator and a daemon');
  assert.ok(!steps.some((s) => /\bnc\b/.test(s.command)), 'the block needs nothing beyond node (nc is shown in prose)');

  const release = await machineLock(join('/tmp', 'jiraline-readme-walkthrough.lock'));
  t.after(release);
  // The directories the walk-through exports: started fresh, as a first reading would be.
  const dirs = steps.flatMap((s) => [...s.command.matchAll(/JIRALINE_DATA_DIR=(\/tmp\/[\w.-]+)/g)].map((m) => m[1]));
  assert.ok(dirs.length > 0, 'the walk-through names its data directory');
  const clean = () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  clean();
  t.after(clean);
  const ports = new Set([7465, ...steps.flatMap((s) => [...s.command.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))]);
  for (const port of ports) assert.ok(await portFree(port), `127.0.0.1:${port} is in use: the walk-through needs it (stop what listens there)`);

  const tmp = await makeTempDir('jl-readme-');
  t.after(() => tmp.cleanup());
  const env = isolatedEnv(tmp.dir, { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}` });
  const exports = new Map<number, string[]>();
  const background: Array<ReturnType<typeof run>> = [];
  t.after(async () => {
    for (const b of background) {
      if (b.child.exitCode === null && b.child.pid !== undefined) {
        try {
          process.kill(-b.child.pid, 'SIGTERM');
        } catch { /* already gone */ }
      }
    }
    await Promise.all(background.map((b) => b.done));
  });
  let daemon: ReturnType<typeof run> | null = null;
  const count = (event: string) => (daemon?.output().match(new RegExp(`"event":"${event}"`, 'g')) ?? []).length;

  for (const step of steps) {
    const mine = exports.get(step.terminal) ?? [];
    if (step.command.startsWith('export ')) {
      exports.set(step.terminal, [...mine, step.command]);
      continue;
    }
    const script = [...mine, step.command].join('\n');
    if (/ (simulator|daemon) /.test(step.command)) {
      const started = run(script, env, true);
      background.push(started);
      const isDaemon = / daemon /.test(step.command);
      if (isDaemon) daemon = started;
      const ready = isDaemon ? '"event":"listening"' : 'listening on';
      await waitUntil(() => {
        assert.equal(started.child.exitCode, null, `${step.command} exited:\n${started.output()}`);
        return started.output().includes(ready);
      }, () => `${step.command} to listen; it printed:\n${started.output()}`, 60_000, 50);
      continue;
    }
    const ran = run(script, env, false);
    const code = await ran.done;
    const output = ran.output();
    assert.equal(code, 0, `${step.command} exited ${code}:\n${output}`);
    const lines = output.split('\n');
    let from = 0;
    for (const shown of step.expected) {
      const pattern = shownLine(shown);
      const at = lines.findIndex((line, i) => i >= from && pattern.test(line));
      assert.ok(at >= 0, `${step.command}: the README shows '${shown}', it printed:\n${output}`);
      from = at + 1;
    }
    // As a reader would, the next command comes once the daemon has sent what it acknowledged.
    await waitUntil(() => count('accepted') === count('sent') + count('failed'), () => `the daemon to send what it acknowledged after ${step.command}; its log:\n${daemon?.output() ?? ''}`, 60_000, 50);
  }
});
