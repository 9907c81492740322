// The simulator in a child node process for the benchmarks, so that its work does not share
// the measured process's event loop; and the same for any benchmark module's function.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulatorFaults, SimulatorOptions } from '../../source/simulator/index.js';

/** A running child simulator. */
export interface ChildSimulator {
  url: string;
  child: ChildProcess;
}

/** Starts the simulator (Data Center mode) in a child process; resolves with its URL. */
export async function startChildSimulator(options: { auth?: SimulatorOptions['auth']; faults?: SimulatorFaults } = {}): Promise<ChildSimulator> {
  const entry = fileURLToPath(new URL('../../source/simulator/index.ts', import.meta.url));
  const code = `import { startSimulator } from ${JSON.stringify(entry)};
const sim = await startSimulator({ mode: 'datacenter', auth: ${JSON.stringify(options.auth ?? null)}, faults: ${JSON.stringify(options.faults ?? {})} });
process.stdout.write(sim.url + '\\n');
process.stdin.on('end', () => sim.close().then(() => process.exit(0)));
process.stdin.resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.on('exit', (status) => reject(new Error(`simulator exited with ${status}`)));
  });
  return { url, child };
}

/** Stops a child simulator: closes its stdin, and kills it if it is still there after 3 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.stdin?.end();
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** Runs `call` (an exported function of `module`, with its arguments) in a child node process; its stdout piped. */
export function spawnModule(module: string, call: string, stdin: 'pipe' | 'ignore' = 'pipe'): ChildProcess {
  const code = `const m = await import(${JSON.stringify(module)}); await m.${call};`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: [stdin, 'pipe', 'inherit'] });
}

/** Resolves once a child has said `word` on its stdout; rejects if it exits first. */
export function untilSaid(child: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(word) && resolve());
    child.on('exit', () => reject(new Error(`benchmark child exited before saying '${word}'`)));
  });
}
