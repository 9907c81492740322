// The error paths over real sockets: what the engine needs (status, retryable, Retry-After)
// and what the user reads (a message that says what to do, never a secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJiraClient, type JiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { Credentials, Secret } from '../../source/core/ports.js';
import { startRecordingServer, type Recorded, type Reply } from './helpers/recording-server.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const PASSWORD = 'Hunter2-Pa55word-77';
const basic: Credentials = { method: 'basic', username: 'ops-bot', password: secret(PASSWORD) };

async function failure(handler: (req: Recorded) => Reply | null, call: (c: JiraClient) => Promise<unknown>, options: { timeoutMs?: number; credentials?: Credentials | null } = {}): Promise<JiraError> {
  const server = await startRecordingServer(handler);
  const client = createJiraClient({ baseUrl: server.url, credentials: basic, env: {}, ...options });
  try {
    await call(client);
  } catch (error) {
    assert.ok(error instanceof JiraError, `a JiraError, got ${String(error)}`);
    return error;
  } finally {
    await client.close();
    await server.close();
  }
  assert.fail('the call should have failed');
}

const create = (c: JiraClient) => c.createIssue({ fields: { summary: 'x' } });

test('400 with field errors: final, with each field and Jira message', async () => {
  const e = await failure(() => ({ status: 400, json: { errorMessages: ['Bad request'], errors: { summary: 'You must specify a summary of the issue.', customfield_10012: 'Option id \'x\' is not valid' } } }), create);
  assert.equal(e.status, 400);
  assert.equal(e.retryable, false);
  assert.deepEqual(e.messages, ['Bad request']);
  assert.equal(e.fieldErrors.summary, 'You must specify a summary of the issue.');
  assert.match(e.detail(), /Bad request; summary: You must specify a summary of the issue\.; customfield_10012: Option id 'x' is not valid/);
});

test('401: says to check the username and API token with jiraline auth set; isAuth', async () => {
  const e = await failure(() => ({ status: 401, text: '', headers: { 'www-authenticate': 'Basic realm="protected-area"' } }), (c) => c.myself());
  assert.equal(e.status, 401);
  assert.ok(e.isAuth);
  assert.equal(e.retryable, false);
  assert.equal(e.message, '401 from Jira: check the username and API token — `jiraline auth set`');
});

test('404: says to check the Jira URL and the Ticket Location URL', async () => {
  const e = await failure(() => ({ status: 404, text: '<html><head><title>Oops, you\'ve found a dead link.</title></head></html>', headers: { 'content-type': 'text/html' } }), create);
  assert.equal(e.status, 404);
  assert.match(e.message, /^404 from Jira: check the Jira URL and the Ticket Location URL \(on POST \/rest\/api\/latest\/issue\)/);
  assert.match(e.message, /dead link/);
});

test('429 with Retry-After in seconds and as an HTTP date', async () => {
  const seconds = await failure(() => ({ status: 429, json: { errorMessages: ['Rate limit exceeded.'], errors: {} }, headers: { 'retry-after': '42' } }), create);
  assert.equal(seconds.status, 429);
  assert.equal(seconds.retryable, true);
  assert.equal(seconds.retryAfterMs, 42_000);
  assert.match(seconds.message, /429 from Jira: too many requests, retry after 42 s/);
  const when = new Date(Date.now() + 120_000).toUTCString();
  const date = await failure(() => ({ status: 429, text: '<html><body><h1>Too many requests</h1></body></html>', headers: { 'retry-after': when, 'content-type': 'text/html' } }), create);
  assert.ok(date.retryAfterMs !== null && date.retryAfterMs > 100_000 && date.retryAfterMs <= 120_000, String(date.retryAfterMs));
  assert.deepEqual(date.messages, ['Too many requests']);
});

test('an HTML 503 page: retryable, summarised to its title', async () => {
  const e = await failure(() => ({ status: 503, headers: { 'content-type': 'text/html; charset=utf-8' },
    text: '<!DOCTYPE html>\n<html><head><title>Jira is down for maintenance</title><style>body{}</style></head><body><div>…</div></body></html>' }), create);
  assert.equal(e.status, 503);
  assert.equal(e.retryable, true);
  assert.deepEqual(e.messages, ['Jira is down for maintenance']);
  assert.match(e.message, /^503 from Jira \(jiraline will retry\): .* on POST .* \(Jira said: Jira is down for maintenance\)$/);
  assert.ok(!e.message.includes('<'), 'no HTML in the message');
});

test('an empty 502 body: retryable, still a readable message', async () => {
  const e = await failure(() => ({ status: 502, text: '' }), create);
  assert.equal(e.status, 502);
  assert.equal(e.retryable, true);
  assert.deepEqual(e.messages, []);
  assert.match(e.message, /^502 from Jira \(jiraline will retry\): Jira, or a proxy in front of it, failed on POST \/rest\/api\/latest\/issue$/);
});

test('a 200 that is not JSON (a login page): final, says to check the URL', async () => {
  const e = await failure(() => ({ status: 200, text: '<html><title>Log in</title></html>', headers: { 'content-type': 'text/html' } }), (c) => c.serverInfo());
  assert.equal(e.retryable, false);
  assert.match(e.message, /not JSON.*check the Jira URL/);
});

test('connection refused: status 0, retryable, names the URL and what to check', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = createJiraClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: basic, env: {} });
  try {
    await assert.rejects(client.serverInfo(), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 0);
      assert.equal(e.retryable, true);
      assert.equal(e.cause_, 'unreached', 'nothing was written: a CREATE refused so needs no lookup');
      assert.match(e.message, new RegExp(`^cannot reach Jira \\(connection refused\\): check the Jira URL, the proxy settings.* — Jira at http://127\\.0\\.0\\.1:${port}$`));
      return true;
    });
  } finally {
    await client.close();
  }
});

test('a server that never answers: a timeout error, retryable, naming jira.timeoutSeconds', async () => {
  const e = await failure(() => null, create, { timeoutMs: 300 });
  assert.equal(e.status, 0);
  assert.equal(e.cause_, 'timeout');
  assert.equal(e.retryable, true);
  assert.match(e.message, /^no answer within 1 s: check the network .*jira\.timeoutSeconds \(Jira at http:\/\/127\.0\.0\.1:\d+\)$/);
});

test('a secret echoed in the body or sitting in the URL path never reaches an error', async () => {
  const echo = (req: Recorded): Reply => {
    const auth = String(req.headers.authorization ?? '');
    const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8');
    return { status: 400, json: { errorMessages: [`bad auth ${auth} (${decoded})`, `path was ${req.url}`], errors: { [PASSWORD]: `value ${PASSWORD}` } } };
  };
  const token = Buffer.from(`ops-bot:${PASSWORD}`).toString('base64');
  const inBody = await failure(echo, create);
  const inPath = await failure((req) => ({ status: 404, json: { errorMessages: [`Issue ${decodeURIComponent(req.url)} does not exist`], errors: {} } }), (c) => c.getIssue(PASSWORD));
  const keyed = await failure(echo, create, { credentials: { method: 'key', key: secret(PASSWORD) } });
  const html = await failure((req) => ({ status: 503, text: `<html><title>${req.headers.authorization} ${PASSWORD}</title></html>`, headers: { 'content-type': 'text/html' } }), create);
  for (const e of [inBody, inPath, keyed, html]) {
    const everything = [e.message, e.detail(), JSON.stringify(e.messages), JSON.stringify(e.fieldErrors), String(e), e.stack ?? ''].join('\n');
    assert.ok(!everything.includes(PASSWORD), everything);
    assert.ok(!everything.includes(token), everything);
    assert.ok(!everything.includes(encodeURIComponent(PASSWORD)), everything);
  }
  assert.match(inBody.detail(), /bad auth Basic \*\*\*\*/, 'the rest of the message is kept');
  assert.match(inPath.message, /\/rest\/api\/latest\/issue\/\*\*\*\*/);
});
