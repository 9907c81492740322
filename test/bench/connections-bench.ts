// Benchmark, connections part: 1,000 connections to the daemon's Advanced socket, each
// sending 10 CREATEs and reading its 10 replies, against the simulator. Reports the time
// until all 10,000 lines are acknowledged and the daemon's peak RSS. The daemon serves 256
// connections at once (more get `ERR - too many connections`), so at most 250 are open at
// a time: the figure is the socket's churn and acknowledgement, not the cap.
import { connect } from 'node:net';
import { makeTempDir } from '../helpers/temp-dir.js';
import { peakRssMiB } from '../daemon/helpers/fuzz-feed.js';
import { fuzzDaemon } from '../fuzz/fuzz-daemon.js';
import type { BenchResult } from './bench-types.js';

const connections = 1000;
const linesEach = 10;
const openAtOnce = 250;
let firstRefusal: string | undefined;

/** One connection: its lines, then its replies; resolves with how many were OK. */
function oneConnection(address: string, index: number): Promise<number> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let text = '';
    let replies: string[] = [];
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(Array.from({ length: linesEach }, (_, l) => `conn-${index}-${l}|CREATE|summary;connection ${index} line ${l}|\n`).join(''));
    });
    socket.on('data', (chunk: string) => {
      text += chunk;
      replies = text.split('\n').slice(0, -1);
      if (replies.length >= linesEach) socket.end();
      if (replies.some((r) => !r.startsWith('OK '))) firstRefusal ??= replies.find((r) => !r.startsWith('OK '));
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies.filter((r) => r.startsWith('OK ')).length));
  });
}

/** Runs the part; the daemon and simulator are stopped before it returns. */
export async function benchConnections(): Promise<BenchResult[]> {
  const tmp = await makeTempDir('jiraline-bench-conn-');
  const run = await fuzzDaemon(tmp.dir, 'sim');
  try {
    let next = 0;
    let acknowledged = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: openAtOnce }, async () => {
      while (next < connections) {
        const ok = await oneConnection(run.daemon.address, next++);
        acknowledged += ok;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const rss = (await peakRssMiB(run.daemon.pid)) ?? Number.NaN;
    const all = acknowledged === connections * linesEach;
    if (!all) process.stderr.write(`bench: connections: ${acknowledged} of ${connections * linesEach} lines acknowledged; first refusal: ${firstRefusal}\n`);
    return [
      { name: `connections: ${connections} × ${linesEach} lines, all acknowledged`, value: seconds, unit: 's', goal: 'every line OK', ok: all },
      { name: 'connections: daemon peak RSS', value: rss, unit: 'MiB' },
    ];
  } finally {
    await run.stop();
    await tmp.cleanup();
  }
}
