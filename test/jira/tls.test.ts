// HTTPS against a Jira with a private CA: refused without caFile (with the message that
// says to set it), accepted with it, and accepted with insecure — which warns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createJiraClient } from '../../source/jira/index.js';
import { JiraError } from '../../source/core/jira-error.js';
import { ConfigError } from '../../source/core/config.js';
import { makeTestCerts, type TestCerts } from './helpers/tls-certs.js';
import { startHttpsServer, type HttpsTestServer } from './helpers/https-server.js';

let certs: TestCerts;
let server: HttpsTestServer;
const info = { deploymentType: 'Server', version: '9.12.0', baseUrl: 'https://jira.example.com' };

before(async () => {
  certs = makeTestCerts();
  server = await startHttpsServer(certs.key, certs.cert, info);
});
after(async () => {
  await server.close();
  certs.remove();
});

test('without caFile a private CA is refused with a TLS error that says to set jira.caFile', async () => {
  const client = createJiraClient({ baseUrl: server.url, credentials: null, env: {} });
  try {
    await assert.rejects(client.serverInfo(), (e: unknown) => {
      assert.ok(e instanceof JiraError);
      assert.equal(e.status, 0);
      assert.equal(e.cause_, 'tls');
      assert.match(e.message, /^TLS: set jira\.caFile to your CA bundle — the certificate of Jira at https:\/\/127\.0\.0\.1:\d+ is not trusted \(.+\)$/);
      return true;
    });
    assert.deepEqual(client.warnings, []);
  } finally {
    await client.close();
  }
});

test('with caFile the same server is trusted', async () => {
  const client = createJiraClient({ baseUrl: server.url, credentials: null, env: {}, caFile: certs.caFile });
  try {
    const result = await client.serverInfo();
    assert.equal(result.deploymentType, 'Server');
    assert.equal(result.version, '9.12.0');
    assert.deepEqual(client.warnings, []);
  } finally {
    await client.close();
  }
});

test('insecure connects without the CA, and says so in warnings', async () => {
  const client = createJiraClient({ baseUrl: server.url, credentials: null, env: {}, insecure: true });
  try {
    assert.equal((await client.serverInfo()).version, '9.12.0');
    assert.equal(client.warnings.length, 1);
    assert.match(client.warnings[0], /TLS verification is off \(jira\.insecure\).*set jira\.caFile/);
  } finally {
    await client.close();
  }
});

test('an unreadable caFile is a ConfigError naming jira.caFile', () => {
  assert.throws(() => createJiraClient({ baseUrl: server.url, credentials: null, env: {}, caFile: certs.caFile + '.missing' }),
    (e: unknown) => e instanceof ConfigError && e.key === 'jira.caFile' && /cannot read/.test(e.message));
  assert.throws(() => createJiraClient({ baseUrl: server.url, credentials: null, env: {}, caFile: new URL(import.meta.url).pathname }),
    (e: unknown) => e instanceof ConfigError && /no PEM certificate/.test(e.message));
});
