// Child process of the crash test: appends log rows as fast as commits allow and prints
// each row's id once its commit has resolved (that is, once it is acknowledged as durable).
import { openStore } from '../../source/store/index.js';
import { logRow } from './rows.js';

const store = await openStore({ dir: process.argv[2] });
process.stdout.write(`open ${store.tookOverStaleLock ? 'took-over' : 'clean'}\n`);
for (;;) {
  const ids = [0, 1, 2].map((i) => store.insertLog(logRow({ guid: `crash-${i}`, request: 'x'.repeat(200) })));
  await store.commit();
  process.stdout.write(`${ids.join('\n')}\n`);
}
