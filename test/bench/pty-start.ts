// Starts a command in a pseudo-terminal (util-linux `script`) at 100×30 and times, from the
// spawn, the moments given strings first appear on screen; then sends `q`. What a user
// waits for at the shell prompt, measured from outside the program.
import { spawn } from 'node:child_process';

/** ms from spawn to each marker's first appearance; rejects if one never came. */
export function timeMarkers(command: string, markers: string[], cwd?: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec env -u CI -u CONTINUOUS_INTEGRATION ${command}`, '/dev/null'],
      { stdio: ['pipe', 'pipe', 'ignore'], cwd });
    let out = '';
    const seen = markers.map(() => 0);
    let quit = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdin.on('error', () => { /* the program may be gone before the q arrives */ });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const now = performance.now() - t0;
      markers.forEach((m, i) => { if (!seen[i] && out.includes(m)) seen[i] = now; });
      if (seen[markers.length - 1] && !quit) {
        quit = true;
        child.stdin.write('q');
      }
    });
    child.on('exit', () => {
      clearTimeout(killer);
      if (seen.every((s) => s > 0)) resolve(seen);
      else reject(new Error(`${command}: no frame with ${markers.filter((_, i) => !seen[i]).join(', ')}; output: ${out.slice(0, 300)}`));
    });
  });
}

/** What timeFirstKey measured, in ms from the spawn. */
export interface FirstKeyTimes {
  /** The Ticket Creation Table first on screen (the early frame). */
  table: number;
  /** The frame that answers a key sent the moment the table showed. */
  answered: number;
  /** The engine up: Jira's connection in the status line. */
  engine: number;
}

/**
 * Starts the app as a user does and presses a key the moment the Ticket Creation Table is on
 * screen: `3`, the Log pane. Times the table, the frame that answers the key (the Log pane's
 * header) and the engine's start (`connected as` in the status line); then sends `q`.
 */
export function timeFirstKey(command: string, cwd?: string): Promise<FirstKeyTimes> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec env -u CI -u CONTINUOUS_INTEGRATION ${command}`, '/dev/null'],
      { stdio: ['pipe', 'pipe', 'ignore'], cwd });
    let out = '';
    let sentAt = -1;
    const times = { table: 0, answered: 0, engine: 0 };
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdin.on('error', () => { /* the program may be gone before the q arrives */ });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const now = performance.now() - t0;
      if (!times.table && out.includes('Ticket Creation Table')) {
        times.table = now;
        sentAt = out.length;
        child.stdin.write('3');
      }
      if (sentAt >= 0 && !times.answered && out.slice(sentAt).includes('Maximum entries')) times.answered = now;
      if (!times.engine && out.includes('connected as')) times.engine = now;
      if (times.answered && times.engine && sentAt >= 0) {
        sentAt = -2;
        child.stdin.write('q');
      }
    });
    child.on('exit', () => {
      clearTimeout(killer);
      if (times.table && times.answered && times.engine) resolve(times);
      else reject(new Error(`${command}: ${JSON.stringify(times)}; output: ${out.slice(-300)}`));
    });
  });
}
