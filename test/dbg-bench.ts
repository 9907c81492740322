process.env.JIRALINE_SETTLE_BENCH_COUNT = '200';
const { benchSettle } = await import('./bench/settle-bench.js');
const t0 = Date.now();
for (const r of await benchSettle()) console.log(r.name, r.value.toFixed(2), r.unit, r.goal ?? '', r.ok ?? '');
console.log('total', (Date.now() - t0) / 1000);
process.exit(0);
