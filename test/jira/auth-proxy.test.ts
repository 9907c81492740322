// The Authorization header and the choice of proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizationHeader, secretStrings } from '../../source/jira/auth.js';
import { bypassedByNoProxy, describeProxy, proxyFor } from '../../source/jira/proxy.js';
import type { Secret } from '../../source/core/ports.js';

const secret = (value: string): Secret => ({ reveal: () => value, toString: () => '<secret>', toJSON: () => '<secret>' });

test('Basic auth is base64 of username:password', () => {
  const header = authorizationHeader({ method: 'basic', username: 'ops-bot', password: secret('tok:en') });
  assert.equal(header, 'Basic ' + Buffer.from('ops-bot:tok:en').toString('base64'));
});

test('an Authorization Key goes as Bearer unless it already starts with a scheme word', () => {
  assert.equal(authorizationHeader({ method: 'key', key: secret('NjE0MzY2Mzk') }), 'Bearer NjE0MzY2Mzk');
  assert.equal(authorizationHeader({ method: 'key', key: secret('Bearer abc') }), 'Bearer abc');
  assert.equal(authorizationHeader({ method: 'key', key: secret('Basic b3BzOnB3') }), 'Basic b3BzOnB3');
  assert.equal(authorizationHeader({ method: 'key', key: secret('Token xyz') }), 'Token xyz');
  assert.equal(authorizationHeader(null), null);
});

test('secretStrings lists the password, the basic token and a key with and without its scheme', () => {
  const basic = secretStrings({ method: 'basic', username: 'u', password: secret('pw-123') });
  assert.ok(basic.includes('pw-123'));
  assert.ok(basic.includes(Buffer.from('u:pw-123').toString('base64')));
  const key = secretStrings({ method: 'key', key: secret('Bearer abcdef') });
  assert.ok(key.includes('abcdef'));
});

test('HTTPS_PROXY for an https Jira, HTTP_PROXY for http; lower-case names win; HTTP_PROXY serves https too', () => {
  assert.equal(proxyFor('https://jira.example.com', { HTTPS_PROXY: 'http://p:3128' }), 'http://p:3128');
  assert.equal(proxyFor('https://jira.example.com', { HTTP_PROXY: 'http://p:8080' }), 'http://p:8080');
  assert.equal(proxyFor('http://jira.example.com', { HTTPS_PROXY: 'http://p:3128' }), null);
  assert.equal(proxyFor('http://jira.example.com', { HTTP_PROXY: 'p:8080' }), 'http://p:8080');
  assert.equal(proxyFor('http://jira.example.com', { http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:2' }), 'http://low:1');
  assert.equal(proxyFor('http://jira.example.com', {}), null);
});

test('NO_PROXY: exact host, domain suffix, leading dot or *., port, *, IPv6', () => {
  const u = (s: string) => new URL(s);
  assert.ok(bypassedByNoProxy(u('https://jira.example.com'), 'localhost,jira.example.com'));
  assert.ok(bypassedByNoProxy(u('https://jira.example.com'), 'example.com'));
  assert.ok(bypassedByNoProxy(u('https://jira.example.com'), '.example.com'));
  assert.ok(bypassedByNoProxy(u('https://jira.example.com'), '*.example.com'));
  assert.ok(!bypassedByNoProxy(u('https://jira.example.com'), 'ample.com'));
  assert.ok(bypassedByNoProxy(u('http://127.0.0.1:8080'), '127.0.0.1:8080'));
  assert.ok(!bypassedByNoProxy(u('http://127.0.0.1:8080'), '127.0.0.1:9090'));
  assert.ok(bypassedByNoProxy(u('http://127.0.0.1:8080'), ' foo , 127.0.0.1 '));
  assert.ok(bypassedByNoProxy(u('http://anything'), '*'));
  assert.ok(bypassedByNoProxy(u('http://[::1]:8080'), '::1'));
  assert.ok(bypassedByNoProxy(u('http://[::1]:8080'), '[::1]:8080'));
  assert.equal(proxyFor('http://127.0.0.1:8080', { HTTP_PROXY: 'http://p:1', no_proxy: '127.0.0.1' }), null);
});

test('describeProxy drops user:password', () => {
  assert.equal(describeProxy('http://user:pass@proxy.local:3128'), 'http://proxy.local:3128');
});
