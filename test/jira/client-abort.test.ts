// A call's signal (the engine's stop) goes down to the request itself: when it aborts, the
// request under way is ended at once — its socket closed, not left to run out its timeout —
// and the call rejects as `stopped`; a call whose signal already aborted sends nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';

async function waitUntil(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('aborting the signal ends the request under way (its socket closed) and the call rejects as stopped', { timeout: 60_000 }, async (t) => {
  // A Jira that reads the request and never answers (an answer stuck behind a proxy).
  const arrived: IncomingMessage[] = [];
  let closed = 0;
  const server = createServer((req, res) => {
    if (req.url?.includes('serverInfo')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ deploymentType: 'Server', version: '9.12.0', baseUrl: 'http://127.0.0.1' }));
      return;
    }
    arrived.push(req);
    req.socket.once('close', () => closed++);
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The client's own deadline is far away: only the signal can end the request soon.
  const client = createJiraClient({ baseUrl: url, credentials: null, env: {}, timeoutMs: 600_000 });
  t.after(() => client.close());

  const controller = new AbortController();
  const call = client.createIssue({ fields: { summary: 'x' } }, { signal: controller.signal });
  call.catch(() => undefined);
  await waitUntil(() => arrived.length === 1, 'the request reached Jira');
  controller.abort();
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof JiraError);
    assert.equal(e.status, 0);
    assert.equal(e.cause_, 'stopped', 'cut off by the stop: its outcome is unknown (a CREATE is looked up at the next start)');
    assert.match(e.message, /cut off because jiraline is stopping/);
    return true;
  });
  await waitUntil(() => closed === 1, 'the request\'s connection was closed (the client itself is still open)');

  // Already aborted: nothing is sent.
  await assert.rejects(client.editIssue('OPS-1', { fields: {} }, { signal: controller.signal }), (e: unknown) => e instanceof JiraError && e.cause_ === 'stopped');
  assert.equal(arrived.length, 1, 'a call whose signal already aborted never reaches Jira');
  // The client goes on serving calls without that signal.
  assert.equal((await client.serverInfo()).deploymentType, 'Server');
});
