// Measures a store whose queue is at its default ceiling: 64 MiB of waiting lines (60 KB
// summaries, as in the issue that stranded 35,000 lines) or 50,000 short lines. Figures for
// the README's reasoning on the defaults: snapshot size and time, open (read + check + replay)
// time, and the process's peak memory. Not a test.
// Run: node --import tsx test/store/measure-queue-ceiling.ts [big|small]
import { performance } from 'node:perf_hooks';
import { stat } from 'node:fs/promises';
import { openStore } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { command, logRow } from './rows.js';

const shape = process.argv[2] === 'small' ? 'small' : 'big';
const lineBytes = shape === 'big' ? 60_000 : 120;
const count = shape === 'big' ? Math.floor((64 * 1024 * 1024) / (lineBytes + 40)) : 50_000;
const temp = await makeTempDir();
let peak = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 20);
try {
  let store = await openStore({ dir: temp.dir });
  for (let at = 0; at < count; at += 100) {
    store.transaction(() => {
      for (let i = at; i < Math.min(count, at + 100); i++) {
        const guid = `alarm-${i}`;
        const logId = store.insertLog(logRow({ guid }));
        store.insertCommand(command({ guid, logId, line: `${guid}|CREATE|summary;${'x'.repeat(lineBytes)}|` }));
      }
    });
    await store.commit();
  }
  let start = performance.now();
  await store.checkpoint();
  const snapshotMs = performance.now() - start;
  await store.close();
  const size = (await stat(`${temp.dir}/jiraline.db`)).size;
  start = performance.now();
  store = await openStore({ dir: temp.dir });
  const openMs = performance.now() - start;
  const open = store.openCommands().length;
  await store.close();
  sample();
  console.log(JSON.stringify({ shape, commands: count, lineBytes, open, databaseMB: +(size / 1e6).toFixed(1),
    snapshotMs: Math.round(snapshotMs), openMs: Math.round(openMs), peakRssMB: Math.round(peak / 1e6) }));
} finally {
  clearInterval(timer);
  await temp.cleanup();
}
