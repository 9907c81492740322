// The client against a hostile Jira (the simulator's hostile mode and a counting server):
// every answer is bounded in time and size, a 2xx without a usable key is an unknown
// outcome (never a refusal), and no secret survives into a message, cut or not.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { Credentials, Secret } from '../../source/core/ports.js';
import { startSimulator, type HostileFault, type Simulator } from '../../source/simulator/index.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const PASSWORD = 's3cret-Pa55word-for-ops';
const basic: Credentials = { method: 'basic', username: 'ops-bot', password: secret(PASSWORD) };
const create = (c: JiraClient) => c.createIssue({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'disk full' } });

async function hostile(t: TestContext, fault: HostileFault, timeoutMs = 5000): Promise<{ sim: Simulator; client: JiraClient }> {
  const sim = await startSimulator({ auth: { user: 'ops-bot', password: PASSWORD }, faults: { hostile: fault } });
  const client = createJiraClient({ baseUrl: sim.url, credentials: basic, timeoutMs, env: {} });
  t.after(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

async function failure(call: Promise<unknown>): Promise<JiraError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof JiraError, `a JiraError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call should have failed');
}

test('a body that drips one byte at a time ends at the request deadline (headers and body together)', { timeout: 30_000 }, async (t) => {
  // 400 ms between bytes never trips an idle timer of 1 s, but the answer would take minutes.
  const { client } = await hostile(t, { mode: 'drip', intervalMs: 400 }, 1000);
  const e = await failure(client.serverInfo());
  assert.equal(e.cause_, 'timeout');
  assert.equal(e.retryable, true);
  assert.match(e.message, /no answer within 1 s: .*\(Jira at /);
});

test('close() cuts off an answer still dripping instead of waiting for it', { timeout: 30_000 }, async (t) => {
  const { sim, client } = await hostile(t, { mode: 'drip', intervalMs: 400 }, 600_000);
  const pending = failure(client.serverInfo());
  while (sim.requestCount() === 0) await new Promise((resolve) => setImmediate(resolve));
  await client.close();
  const e = await pending;
  assert.equal(e.retryable, true, 'the command stays Pending for the next start');
  assert.match(e.message, /stopping/);
});

test('a 2xx far larger than its cap is cut and said so; a create cut short is an unknown outcome, not a refusal', { timeout: 60_000 }, async (t) => {
  const { sim, client } = await hostile(t, { mode: 'huge', bytes: 48 * 1024 * 1024 });
  const fields = await failure(client.fields());
  assert.match(fields.message, /longer than 32 MiB and was cut there/);
  const created = await failure(create(client));
  assert.equal(created.retryable, true);
  assert.equal(created.cause_, 'unknown-outcome');
  assert.match(created.message, /looks it up by its label/);
  assert.equal(sim.issues().length, 1, 'the create did happen: that is why it must be looked up, not sent again blindly');
});

test('a 201 cut short, one with no key, or one whose key is not PROJECT-123 is an unknown outcome', async (t) => {
  const cut = await hostile(t, { mode: 'cut', createsOnly: true });
  const e1 = await failure(create(cut.client));
  assert.equal(e1.cause_, 'unknown-outcome');
  assert.equal(e1.retryable, true);
  const forged = await hostile(t, { mode: 'bad-key', createsOnly: true });
  const e2 = await failure(create(forged.client));
  assert.equal(e2.cause_, 'unknown-outcome');
  assert.doesNotMatch(e2.message, /[\n\r]/);
  const noKey = await hostile(t, { mode: 'bad-key', key: '', createsOnly: true });
  assert.equal((await failure(create(noKey.client))).cause_, 'unknown-outcome');
  // A real key still passes, and the search that finds it keeps only real keys.
  const plain = await hostile(t, { mode: 'drip', intervalMs: 1, createsOnly: true });
  assert.match((await create(plain.client)).key, /^OPS-\d+$/);
});

test('an HTML error page of 300 KB of "<" is summarised from its first few KB, at once', { timeout: 15_000 }, async (t) => {
  const { client } = await hostile(t, { mode: 'html', status: 400, bytes: 300_000 });
  for (let i = 0; i < 3; i += 1) {
    const e = await failure(client.myself());
    assert.equal(e.status, 400);
    assert.ok(e.message.length < 1000, 'one short line');
  }
});

test('a 503 page of 20 MB is not downloaded: only its first part is read, on every retry', { timeout: 60_000 }, async (t) => {
  const total = 20 * 1024 * 1024;
  const sent: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(503, { 'content-type': 'text/html', 'content-length': total });
    const chunk = Buffer.alloc(64 * 1024, '<');
    let written = 0;
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => sent.push(written));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const client = createJiraClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: basic, env: {} });
  t.after(() => client.close());
  for (let i = 0; i < 2; i += 1) {
    const e = await failure(client.serverInfo());
    assert.equal(e.status, 503);
    assert.equal(e.retryable, true);
    assert.match(e.message, /cut there/);
  }
  while (sent.length < 2) await new Promise((resolve) => setImmediate(resolve));
  for (const bytes of sent) assert.ok(bytes < total / 2, `the server got to write ${bytes} of ${total} bytes before the client hung up`);
});

test('credentials Jira echoes back are masked before any message is cut: not even their first characters remain', async (t) => {
  const { client } = await hostile(t, { mode: 'echo-credentials' });
  const e = await failure(create(client));
  const base64 = Buffer.from(`ops-bot:${PASSWORD}`).toString('base64');
  const everything = [e.message, e.detail(), ...e.messages, ...Object.values(e.fieldErrors)].join('\n');
  for (const value of [PASSWORD, base64]) {
    for (let n = 6; n <= value.length; n += 1) {
      assert.ok(!everything.includes(value.slice(0, n)), `the first ${n} characters of a secret leaked: ${value.slice(0, n)}`);
    }
  }
  assert.match(everything, /\*\*\*\*/);
});
