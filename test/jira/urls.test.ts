// URL joining: whatever slashes the user typed, calls go to one well-formed path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiVersionOf, joinPath, resolveEndpoint, withQuery } from '../../source/jira/urls.js';
import { ConfigError } from '../../source/core/config.js';

test('base URL and ticket location join with exactly one slash, however they were typed', () => {
  const cases: Array<[string, string]> = [
    ['https://jira.example.com', 'rest/api/2/issue'],
    ['https://jira.example.com/', 'rest/api/2/issue'],
    ['https://jira.example.com/', '/rest/api/2/issue'],
    ['https://jira.example.com', '/rest/api/2/issue/'],
    ['https://jira.example.com//', '//rest//api/2/issue//'],
  ];
  for (const [url, location] of cases) {
    const ep = resolveEndpoint(url, location);
    assert.equal(ep.origin, 'https://jira.example.com', `${url} + ${location}`);
    assert.equal(ep.issuePath, '/rest/api/2/issue', `${url} + ${location}`);
    assert.equal(ep.apiPath, '/rest/api/2');
    assert.equal(ep.baseUrl, 'https://jira.example.com');
  }
});

test('a Jira under a context path keeps it in every call and in browse links', () => {
  const ep = resolveEndpoint('http://127.0.0.1:8080/jira/', '/rest/api/latest/issue');
  assert.equal(ep.origin, 'http://127.0.0.1:8080');
  assert.equal(ep.baseUrl, 'http://127.0.0.1:8080/jira');
  assert.equal(ep.issuePath, '/jira/rest/api/latest/issue');
  assert.equal(ep.apiPath, '/jira/rest/api/latest');
  assert.equal(ep.contextPath, '/jira');
});

test('a location pasted as a whole URL is used for its path, without doubling the context path', () => {
  const ep = resolveEndpoint('https://h.example/jira', 'https://h.example/jira/rest/api/3/issue');
  assert.equal(ep.issuePath, '/jira/rest/api/3/issue');
  assert.equal(ep.apiVersion, 3);
});

test('the default location is rest/api/latest/issue and means API 2 (strings, not ADF)', () => {
  const ep = resolveEndpoint('https://acme.atlassian.net');
  assert.equal(ep.issuePath, '/rest/api/latest/issue');
  assert.equal(ep.apiVersion, 2);
});

test('apiVersion is 3 only when the location names api/3', () => {
  assert.equal(apiVersionOf('rest/api/3/issue'), 3);
  assert.equal(apiVersionOf('/rest/api/3/issue/'), 3);
  assert.equal(apiVersionOf('rest/api/2/issue'), 2);
  assert.equal(apiVersionOf('rest/api/latest/issue'), 2);
  assert.equal(apiVersionOf('rest/api/30/issue'), 2);
});

test('a bad Jira URL is a ConfigError naming jira.url', () => {
  for (const bad of ['jira.example.com', 'ftp://jira.example.com', 'https://user:pw@jira.example.com']) {
    assert.throws(() => resolveEndpoint(bad), (e: unknown) => e instanceof ConfigError && e.key === 'jira.url', bad);
  }
  assert.throws(() => resolveEndpoint('https://user:hunter22@jira.example.com'), (e: unknown) => !(e as Error).message.includes('hunter22'));
});

test('joinPath and withQuery', () => {
  assert.equal(joinPath('', '/a/', '/b'), '/a/b');
  assert.equal(joinPath(''), '/');
  assert.equal(withQuery('/x', { a: 'b c', skip: undefined, n: 2 }), '/x?a=b+c&n=2');
  assert.equal(withQuery('/x', {}), '/x');
});
