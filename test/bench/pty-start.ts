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
