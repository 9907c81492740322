// The label lookup of a CREATE whose outcome is unknown reads Jira's search to its end
// (startAt on Data Center, nextPageToken on Cloud), adopts only an issue whose label is
// exactly the GUID's (Jira matches labels case-insensitively), the oldest when there are
// several, and sends nothing again when it could not read to the end.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { JiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import { LOOKUP_MAX_PAGES, LOOKUP_PAGE_SIZE } from '../../source/core/engine-recovery.js';
import type { IssuePayload, JiraPort } from '../../source/core/ports.js';
import { harness, runFor } from './engine-harness.js';
import { simulated } from '../helpers/simulated-jira.js';
import { waitUntil } from '../helpers/wait-until.js';
import { FakeJira, networkError } from '../helpers/fake-jira.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';

const template = [
  { field: 'project', value: 'OPS', mode: 'Include' as const },
  { field: 'issuetype', value: 'Incident', mode: 'Include' as const },
];


/** Makes `n` issues straight in the simulator, each with these labels. */
async function seed(client: JiraClient, n: number, labels: string[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    await client.createIssue({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: `other ${i}`, labels } });
  }
}

/**
 * The real client, with two twists: the first create's answer is lost after Jira made the
 * ticket (a timeout), and, with `unnarrowed`, the search ignores the label clause and returns
 * every issue of the project (as a third-party Jira emulator did).
 */
function twisted(client: JiraClient, options: { unnarrowed?: boolean } = {}): JiraPort & { searches: string[] } {
  let lost = false;
  const searches: string[] = [];
  const port = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'searches') return searches;
      if (prop === 'createIssue') {
        return async (body: IssuePayload) => {
          const created = await target.createIssue(body);
          if (!lost) {
            lost = true;
            throw new JiraError({ status: 0, message: 'request timed out', cause: 'timeout' });
          }
          return created;
        };
      }
      if (prop === 'search') {
        return (jql: string, o: Parameters<JiraPort['search']>[1]) => {
          searches.push(jql);
          return target.search(options.unnarrowed ? 'project = OPS ORDER BY created ASC' : jql, o);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return port as unknown as JiraPort & { searches: string[] };
}

for (const mode of ['datacenter', 'cloud'] as const) {
  test(`a lookup with 120 hits (case-insensitive near misses first) pages to the end and adopts the exact label (${mode})`, async (t) => {
    const { sim, client } = await simulated(t, mode);
    // Jira's label search for jiraline-CaseX also returns jiraline-casex: 119 such issues come first.
    await seed(client, 119, ['jiraline-casex']);
    const port = twisted(client);
    const h = await harness(t, { port, catalogue: false, config: { template } });
    assert.equal(await h.engine.submitLine('CaseX|CREATE|summary;disk full|'), 'OK CaseX queued');
    await runFor(h, 5_000, 1000);
    const mine = sim.issues().filter((i) => (i.fields.labels as string[]).includes('jiraline-CaseX'));
    assert.equal(mine.length, 1, 'one ticket for the GUID, not a second one');
    assert.equal(sim.issues().length, 120);
    assert.equal(h.engine.status('CaseX')?.ticketKey, mine[0].key);
    assert.ok(h.events.some((e) => e.type === 'adopted' && e.ticketKey === mine[0].key));
    assert.ok(port.searches.length >= 2, `read ${port.searches.length} pages`);
  });
}

test('a case-insensitive near miss is never adopted: the CREATE is sent and makes its own ticket', async (t) => {
  const { sim, client } = await simulated(t, 'datacenter');
  await seed(client, 3, ['jiraline-casey']);
  // The first create fails before Jira made anything (refused connection): the lookup finds only near misses.
  let failed = false;
  const port = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'createIssue') {
        return async (body: IssuePayload) => {
          if (!failed && sim.issues().length === 3) {
            failed = true;
            throw new JiraError({ status: 0, message: 'connection refused', cause: 'network' });
          }
          return target.createIssue(body);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const h = await harness(t, { port, catalogue: false, config: { template } });
  await h.send('CaseY|CREATE|summary;fan failure|');
  await runFor(h, 5_000, 1000);
  const mine = sim.issues().filter((i) => (i.fields.labels as string[]).includes('jiraline-CaseY'));
  assert.equal(mine.length, 1);
  assert.equal(h.engine.status('CaseY')?.ticketKey, mine[0].key);
  assert.ok(!['OPS-1', 'OPS-2', 'OPS-3'].includes(mine[0].key), 'no near miss adopted');
  assert.ok(!h.events.some((e) => e.type === 'adopted'));
});

test('a Jira that does not narrow by the label clause (returns every issue) still finds the ticket past page 1', async (t) => {
  const { sim, client } = await simulated(t, 'datacenter');
  await seed(client, LOOKUP_PAGE_SIZE + 30, ['unrelated']);
  const port = twisted(client, { unnarrowed: true });
  const h = await harness(t, { port, catalogue: false, config: { template } });
  await h.send('NoNarrow-1|CREATE|summary;lost answer|');
  await runFor(h, 5_000, 1000);
  assert.equal(sim.issues().length, LOOKUP_PAGE_SIZE + 31, 'no second ticket');
  const mine = sim.issues().at(-1)!;
  assert.ok((mine.fields.labels as string[]).includes('jiraline-NoNarrow-1'));
  assert.equal(h.engine.status('NoNarrow-1')?.ticketKey, mine.key);
  assert.equal(h.engine.status('NoNarrow-1')?.status, 'Ok');
});

/** A CREATE sent, the engine dies before the answer, and Jira made nothing (the request was lost). */
async function crashBeforeJira(t: TestContext, guid: string) {
  const clock = new FakeClock();
  const jira = new FakeJira(clock);
  const first = await harness(t, { clock, jira });
  const release = jira.hold('createIssue');
  await first.engine.submitLine(`${guid}|CREATE|summary;x|`);
  await waitUntil(() => jira.callsOf('createIssue').length === 1, 'the request is with Jira');
  await first.close();
  jira.script('createIssue', networkError('network'));
  release();
  await flush(10);
  return { clock, jira, first };
}

test('of several issues carrying the label, the oldest is adopted', async (t) => {
  const { clock, jira, first } = await crashBeforeJira(t, 'Old1');
  // What a duplicate made by an earlier run looks like: two issues with the label, the newer listed first.
  jira.decoys = [
    { id: '20009', key: 'OPS-909', fields: { labels: ['jiraline-Old1'], created: '2026-12-01T10:05:00.000+0000' } },
    { id: '20007', key: 'OPS-907', fields: { labels: ['jiraline-Old1'], created: '2026-12-01T11:00:00.000+0100' } },
    { id: '20008', key: 'OPS-908', fields: { labels: ['jiraline-Old1'], created: '2026-12-01T10:01:00.000+0000' } },
  ];
  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('createIssue').length, 1, 'not sent again');
  // 11:00+01:00 is 10:00 UTC: the oldest.
  assert.equal(second.engine.status('Old1')?.ticketKey, 'OPS-907');
});

test('a lookup that cannot read to the end sends nothing and says why; the CREATE stays Pending', async (t) => {
  const { clock, jira, first } = await crashBeforeJira(t, 'Flood1');
  // A Jira that ignores the label clause, with more issues than a lookup reads.
  jira.decoys = Array.from({ length: LOOKUP_PAGE_SIZE * LOOKUP_MAX_PAGES + 1 }, (_, i) => ({ id: String(30000 + i), key: `OPS-${3000 + i}`, fields: { labels: [] } }));
  const second = await harness(t, { clock, jira, temp: first.temp });
  await second.engine.whenIdle();
  assert.equal(jira.callsOf('search').length, LOOKUP_MAX_PAGES, 'a bounded number of pages');
  assert.equal(jira.callsOf('createIssue').length, 1, 'not sent again: a ticket may exist');
  const [row] = second.store.queryLog({ guid: 'Flood1' });
  assert.equal(row.status, 'Pending');
  assert.match(row.error ?? '', /could not tell whether Jira already made this ticket.*does not seem to narrow/);
  // Once the search narrows again, the next lookup reads to the end and the CREATE goes.
  jira.decoys = [];
  await runFor(second, 5_000, 1000);
  assert.equal(jira.callsOf('createIssue').length, 2);
  assert.equal(second.engine.status('Flood1')?.status, 'Ok');
});
