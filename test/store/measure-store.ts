// Measures the store at 10,000 and 100,000 log rows: building, export + atomic write, open
// (read + integrity check), and the Log pane's queries. Not a test: figures for the report.
// Run: node --import tsx test/store/measure-store.ts [--bodies] [ROWS]
// (--bodies: every row also carries a ~330-byte request and a ~100-byte response)
import { performance } from 'node:perf_hooks';
import { stat } from 'node:fs/promises';
import { openStore } from '../../source/store/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { logRow } from './rows.js';

const request = JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, summary: 'disk /var at 97% on db-host-17', labels: ['jiraline-alarm-123456'], customfield_10010: { value: 'Sev2' }, description: 'x'.repeat(150) } });
const response = `201 ${JSON.stringify({ id: '10234', key: 'OPS-1234', self: 'https://jira.example.com/rest/api/2/issue/10234' })}`;

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

const withBodies = process.argv.includes('--bodies');
const only = process.argv.find((a) => /^\d+$/.test(a));
for (const rows of only ? [Number(only)] : [10_000, 100_000]) {
  const temp = await makeTempDir();
  try {
    let store = await openStore({ dir: temp.dir });
    const [, buildMs] = time(() => store.transaction(() => {
      for (let i = 0; i < rows; i += 1) {
        store.insertLog(logRow({ guid: `alarm-${i % 5000}`, status: i % 10 === 1 ? 'Pending' : 'Ok', ticketKey: `OPS-${i}`, ticketUrl: `https://jira.example.com/browse/OPS-${i}`, ticketId: String(10_000 + i), request: withBodies ? request : null, response: withBodies ? response : null, time: i }));
      }
    }));
    const writes: number[] = [];
    const exports: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      store.setMeta('round', String(round));
      const before = process.cpuUsage();
      await store.commit();
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      writes.push(store.stats().lastWriteMs);
      exports.push(store.stats().lastExportMs);
    }
    const size = (await stat(store.file)).size;
    await store.close();
    const openStart = performance.now();
    store = await openStore({ dir: temp.dir });
    const openMs = performance.now() - openStart;
    const queries: Array<[string, () => unknown]> = [
      ['first page (50)', () => store.queryLog({ limit: 50 })],
      ['page at offset 90% ', () => store.queryLog({ offset: Math.floor(rows * 0.9), limit: 50 })],
      ['status=Pending page', () => store.queryLog({ status: 'Pending', limit: 50 })],
      ['guid page', () => store.queryLog({ guid: 'alarm-42', limit: 50 })],
      ['count()', () => store.countLog()],
      ['count(status)', () => store.countLog({ status: 'Pending' })],
      ['text page', () => store.queryLog({ text: 'alarm-4242', limit: 50 })],
      ['count(text)', () => store.countLog({ text: 'alarm-4242' })],
      ['insertLog + prune', () => { store.insertLog(logRow({ request, response })); store.pruneLogToCount(rows); }],
    ];
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const queryFigures = queries.map(([name, fn]) => `${name}: ${ms(median(Array.from({ length: 7 }, () => time(fn)[1])))}`);
    await store.close();
    process.stdout.write(
      `${rows} rows${withBodies ? ' with bodies' : ''} (file ${(size / 1e6).toFixed(1)} MB): build ${ms(buildMs)}; ` +
        `export+write median ${ms(median(writes))} wall, ${ms(median(cpu))} CPU (export alone ${ms(median(exports))} wall); open ${ms(openMs)}; ` +
        `rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n  ${queryFigures.join('\n  ')}\n`,
    );
  } finally {
    await temp.cleanup();
  }
}
