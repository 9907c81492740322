// A forwarding proxy on loopback: requests go through it when HTTP_PROXY/HTTPS_PROXY are
// set, and around it with bypassProxy or NO_PROXY.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient, type JiraClientOptions } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import type { Secret } from '../../source/core/ports.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { startForwardingProxy, type ForwardingProxy } from './helpers/forwarding-proxy.js';
import { makeTestCerts, type TestCerts } from './helpers/tls-certs.js';
import { startHttpsServer, type HttpsTestServer } from './helpers/https-server.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });
const credentials = { method: 'basic' as const, username: 'ops-bot', password: secret('tok-123') };

let jira: RecordingServer;
let proxy: ForwardingProxy;
let certs: TestCerts;
let tlsJira: HttpsTestServer;

before(async () => {
  jira = await startRecordingServer(() => ({ status: 201, json: { id: '10001', key: 'OPS-1', self: 'x' } }));
  proxy = await startForwardingProxy();
  certs = makeTestCerts();
  tlsJira = await startHttpsServer(certs.key, certs.cert, { deploymentType: 'DataCenter', version: '9.12.0' });
});
after(async () => {
  await proxy.close();
  await jira.close();
  await tlsJira.close();
  certs.remove();
});

async function createThrough(options: Partial<JiraClientOptions>) {
  const client = createJiraClient({ baseUrl: jira.url, credentials, ...options });
  try {
    return { created: await client.createIssue({ fields: { summary: 'via proxy?' } }), proxyInUse: client.proxy };
  } finally {
    await client.close();
  }
}

test('HTTP_PROXY: an http Jira is reached through the proxy with absolute-URI requests, headers and body intact', async () => {
  const before = { forwarded: proxy.forwarded.length, seen: jira.requests.length };
  const { created, proxyInUse } = await createThrough({ env: { HTTP_PROXY: proxy.url } });
  assert.equal(created.key, 'OPS-1');
  assert.equal(proxyInUse, proxy.url);
  assert.deepEqual(proxy.forwarded.slice(before.forwarded), [`${jira.url}/rest/api/latest/issue`]);
  const req = jira.requests[before.seen];
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/rest/api/latest/issue');
  assert.equal(req.headers.authorization, 'Basic ' + Buffer.from('ops-bot:tok-123').toString('base64'));
  assert.equal(req.headers['content-type'], 'application/json');
  assert.deepEqual(req.json, { fields: { summary: 'via proxy?' } });
});

test('HTTPS_PROXY: an https Jira is reached through a CONNECT tunnel, the private CA still checked', async () => {
  const tunnelsBefore = proxy.tunnels.length;
  const client = createJiraClient({ baseUrl: tlsJira.url, credentials, env: { HTTPS_PROXY: proxy.url }, caFile: certs.caFile });
  try {
    assert.equal((await client.serverInfo()).deploymentType, 'DataCenter');
    assert.deepEqual(proxy.tunnels.slice(tunnelsBefore), [`127.0.0.1:${tlsJira.port}`]);
  } finally {
    await client.close();
  }
  const untrusted = createJiraClient({ baseUrl: tlsJira.url, credentials, env: { HTTPS_PROXY: proxy.url } });
  try {
    await assert.rejects(untrusted.serverInfo(), (e: unknown) => e instanceof JiraError && e.cause_ === 'tls' && /through the proxy/.test(e.message));
  } finally {
    await untrusted.close();
  }
});

test('bypassProxy: true connects directly although HTTP_PROXY is set', async () => {
  const before = proxy.forwarded.length + proxy.tunnels.length;
  const { created, proxyInUse } = await createThrough({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, bypassProxy: true });
  assert.equal(created.key, 'OPS-1');
  assert.equal(proxyInUse, null);
  assert.equal(proxy.forwarded.length + proxy.tunnels.length, before);
});

test('NO_PROXY naming the Jira host connects directly', async () => {
  const before = proxy.forwarded.length + proxy.tunnels.length;
  const seen = jira.requests.length;
  const { proxyInUse } = await createThrough({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
  assert.equal(proxyInUse, null);
  assert.equal(proxy.forwarded.length + proxy.tunnels.length, before);
  assert.equal(jira.requests.length, seen + 1);
});

test('a proxy that is down: a network error naming the proxy and its settings, without its password', async () => {
  const down = await startForwardingProxy();
  const deadUrl = down.url;
  await down.close();
  const withAuth = deadUrl.replace('http://', 'http://puser:proxy-secret-9@');
  const client = createJiraClient({ baseUrl: jira.url, credentials, env: { HTTP_PROXY: withAuth } });
  try {
    await assert.rejects(client.myself(), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 0);
      assert.equal(e.retryable, true);
      assert.match(e.message, new RegExp(`proxy settings.* — Jira at \\S+ \\(through the proxy ${deadUrl.replace(/[.]/g, '\\.')}\\)$`));
      assert.ok(!e.message.includes('proxy-secret-9'));
      return true;
    });
  } finally {
    await client.close();
  }
});

test('through the proxy the timeout still applies to a Jira that never answers', async () => {
  const silent = await startRecordingServer(() => null);
  const client = createJiraClient({ baseUrl: silent.url, credentials, env: { HTTP_PROXY: proxy.url }, timeoutMs: 300 });
  try {
    await assert.rejects(client.myself(), (e: unknown) => e instanceof JiraError && e.cause_ === 'timeout' && /through the proxy/.test(e.message));
    assert.equal(silent.requests.length, 1, 'the request reached Jira through the proxy');
  } finally {
    await client.close();
    await silent.close();
  }
});
