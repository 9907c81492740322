// Credentials (Basic or Bearer, 401 in Jira's shape otherwise) and fault injection:
// failures at a rate (503 or 429 with Retry-After), HTML error pages, a per-second limit,
// added latency — all deterministic (rate 1, a fixed clock).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FaultGate } from '../../source/simulator/faults.js';
import { startSimulator } from '../../source/simulator/index.js';
import { checkSchema, loadSchemas } from './schema-check.js';
import { call, createBody } from './sim-client.js';

const schemas = loadSchemas();
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('credentials', () => {
  test('Basic: the right user and password pass; a wrong or missing one gets a Jira 401 on every call', async () => {
    const sim = await startSimulator({ auth: { user: 'ops-bot', password: 's3cret' } });
    try {
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/myself', undefined, { auth: basic('ops-bot', 's3cret') })).status, 200);
      for (const auth of [basic('ops-bot', 'wrong'), basic('jsmith', 's3cret'), 'Bearer s3cret', null]) {
        for (const [method, path, body] of [['GET', '/rest/api/2/serverInfo'], ['POST', '/rest/api/2/issue', createBody()]] as const) {
          const res = await call(sim.url, method, path, body, { auth });
          assert.equal(res.status, 401, `${String(auth)} ${path}`);
          assert.deepEqual(checkSchema(schemas, 'ErrorCollection', res.body), []);
          assert.equal(res.body.errorMessages.length, 1);
          assert.doesNotMatch(JSON.stringify(res.body), /s3cret/);
        }
      }
      assert.equal(sim.issues().length, 0, 'nothing was created without the right credentials');
    } finally {
      await sim.close();
    }
  });

  test('Bearer: the right token passes, anything else is 401', async () => {
    const sim = await startSimulator({ auth: { token: 'pat-123' } });
    try {
      const ok = await call(sim.url, 'POST', '/rest/api/2/issue', createBody(), { auth: 'Bearer pat-123' });
      assert.equal(ok.status, 201);
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/myself', undefined, { auth: 'Bearer pat-124' })).status, 401);
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/myself', undefined, { auth: basic('x', 'pat-123') })).status, 401);
    } finally {
      await sim.close();
    }
  });

  test('without auth (demo) any credentials, or none, are accepted; myself follows the Basic user', async () => {
    const sim = await startSimulator({ auth: null });
    try {
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/serverInfo', undefined, { auth: null })).status, 200);
      const me = await call(sim.url, 'GET', '/rest/api/2/myself', undefined, { auth: basic('jsmith', 'whatever') });
      assert.equal(me.body.name, 'jsmith');
    } finally {
      await sim.close();
    }
  });
});

describe('fault injection', () => {
  test('failureRate 1 answers 503 with Retry-After in JSON, and nothing is created', async () => {
    const sim = await startSimulator({ faults: { failureRate: 1, retryAfterSeconds: 7 } });
    try {
      const res = await call(sim.url, 'POST', '/rest/api/2/issue', createBody());
      assert.equal(res.status, 503);
      assert.equal(res.headers['retry-after'], '7');
      assert.deepEqual(checkSchema(schemas, 'ErrorCollection', res.body), []);
      assert.equal(sim.issues().length, 0);
      sim.setFaults({});
      assert.equal((await call(sim.url, 'POST', '/rest/api/2/issue', createBody())).status, 201);
      assert.equal(sim.requestCount(), 2);
    } finally {
      await sim.close();
    }
  });

  test('failureStatus 429 carries Retry-After; htmlErrors sends an HTML page instead of JSON; 502 has no Retry-After', async () => {
    const sim = await startSimulator({ faults: { failureRate: 1, failureStatus: 429 } });
    try {
      const json = await call(sim.url, 'GET', '/rest/api/2/serverInfo');
      assert.equal(json.status, 429);
      assert.equal(json.headers['retry-after'], '1');
      sim.setFaults({ failureRate: 1, failureStatus: 503, htmlErrors: true });
      const html = await call(sim.url, 'GET', '/rest/api/2/serverInfo');
      assert.equal(html.status, 503);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(html.body, /<html>.*503 Service Unavailable/s);
      sim.setFaults({ failureRate: 1, failureStatus: 502 });
      const gateway = await call(sim.url, 'GET', '/rest/api/2/serverInfo');
      assert.equal(gateway.status, 502);
      assert.equal(gateway.headers['retry-after'], undefined);
    } finally {
      await sim.close();
    }
  });

  test('failures come before the credential check, as a proxy in front of Jira answers', async () => {
    const sim = await startSimulator({ auth: { token: 't' }, faults: { failureRate: 1 } });
    try {
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/myself', undefined, { auth: null })).status, 503);
    } finally {
      await sim.close();
    }
  });

  test('a requests-per-second limit answers 429 with Retry-After and the rate-limit headers', async () => {
    const sim = await startSimulator({ faults: { maxRequestsPerSecond: 0 } });
    try {
      const res = await call(sim.url, 'GET', '/rest/api/2/serverInfo');
      assert.equal(res.status, 429);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.headers['x-ratelimit-remaining'], '0');
    } finally {
      await sim.close();
    }
  });

  test('the per-second window lets maxRequestsPerSecond through each second, then refuses', () => {
    const gate = new FaultGate({ maxRequestsPerSecond: 2 });
    const t = 1_700_000_000_000;
    assert.equal(gate.check(t), null);
    assert.equal(gate.check(t + 300), null);
    assert.equal(gate.check(t + 900)?.status, 429);
    assert.equal(gate.check(t + 1000), null);
    const rates = new FaultGate({ failureRate: 0.5 }, (() => { let i = 0; return () => [0.2, 0.7][i++ % 2]; })());
    assert.equal(rates.check(t)?.status, 503);
    assert.equal(rates.check(t), null);
    assert.throws(() => gate.set({ failureRate: 2 }), RangeError);
  });

  test('latency delays every answer by at least latencyMs', async () => {
    const sim = await startSimulator({ faults: { latencyMs: 150 } });
    try {
      const start = process.hrtime.bigint();
      assert.equal((await call(sim.url, 'GET', '/rest/api/2/serverInfo')).status, 200);
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      assert.ok(elapsedMs >= 140, `answered after ${elapsedMs} ms`);
    } finally {
      await sim.close();
    }
  });
});
