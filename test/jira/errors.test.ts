// Error parsing: Jira's JSON, HTML pages, empty bodies, Retry-After in both forms, and
// messages that say what to do without ever carrying a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlSummary, httpError, parseErrorBody, parseRetryAfter, type RequestContext } from '../../source/jira/errors.js';
import { redactError } from '../../source/jira/redact.js';
import { JiraError } from '../../source/core/jira-error.js';
import { fixture } from './helpers/fixtures.js';

const ctx: RequestContext = { method: 'POST', path: '/rest/api/2/issue', baseUrl: 'https://jira.example.com', credentials: 'basic', timeoutMs: 30000, proxy: null };

test('Retry-After: delta seconds, an HTTP date, or nothing usable', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter(['7'], now), 7000);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
});

test("Jira's {errorMessages, errors} become messages and field errors", () => {
  const parsed = parseErrorBody(JSON.stringify({ errorMessages: ['Bad thing'], errors: { summary: 'Summary must be less than 255 characters.' } }), 'application/json');
  assert.deepEqual(parsed.messages, ['Bad thing']);
  assert.deepEqual(parsed.fieldErrors, { summary: 'Summary must be less than 255 characters.' });
  const recorded = parseErrorBody(JSON.stringify(fixture('spec-example__createIssue-400.json')), 'application/json');
  assert.deepEqual(recorded.messages, ["Field 'priority' is required"]);
});

test('an HTML error page is summarised by its title; an empty body gives no messages', () => {
  const html = '<!DOCTYPE html><html><head><title>503 Service   Unavailable</title></head><body><h1>Down</h1><p>maintenance &amp; upgrade</p></body></html>';
  assert.deepEqual(parseErrorBody(html, 'text/html').messages, ['503 Service Unavailable']);
  assert.equal(htmlSummary('<html><body><h1>Rate &lt;limited&gt;</h1></body></html>'), 'Rate <limited>');
  assert.deepEqual(parseErrorBody('', undefined), { messages: [], fieldErrors: {} });
  assert.deepEqual(parseErrorBody('{not json', 'application/json').messages, ['{not json']);
  assert.deepEqual(parseErrorBody(JSON.stringify({ message: 'Unauthorized; scope does not match' }), 'application/json').messages, ['Unauthorized; scope does not match']);
});

test('status decides retryable: 429/500/502/503/504 pass, other 4xx are final', () => {
  for (const s of [429, 500, 502, 503, 504]) assert.equal(httpError(s, {}, '', ctx).retryable, true, String(s));
  for (const s of [400, 401, 403, 404, 405, 409, 410, 422, 501]) assert.equal(httpError(s, {}, '', ctx).retryable, false, String(s));
});

test('messages say what to do', () => {
  assert.match(httpError(401, {}, '', ctx).message, /401 from Jira: check the username and API token — `jiraline auth set`/);
  assert.match(httpError(401, {}, '', { ...ctx, credentials: 'key' }).message, /Authorization Key/);
  assert.match(httpError(401, {}, '', { ...ctx, credentials: null }).message, /no credentials/);
  assert.match(httpError(403, {}, '', ctx).message, /^403 from Jira.*permissions/);
  assert.match(httpError(403, { 'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE; login-url=x' }, '', ctx).message, /CAPTCHA/);
  assert.match(httpError(404, {}, '{"errorMessages":["Issue does not exist"],"errors":{}}', ctx).message,
    /404 from Jira: check the Jira URL and the Ticket Location URL \(on POST \/rest\/api\/2\/issue\) \(Jira said: Issue does not exist\)/);
  const e429 = httpError(429, { 'retry-after': '17' }, '<html><title>Too Many Requests</title></html>', ctx);
  assert.equal(e429.retryAfterMs, 17_000);
  assert.match(e429.message, /429 from Jira: too many requests, retry after 17 s/);
  assert.match(httpError(302, { location: 'https://jira.example.com/login.jsp' }, '', ctx).message, /redirected to https:\/\/jira.example.com\/login.jsp/);
});

test('400 with field errors: the message and detail() carry each field', () => {
  const e = httpError(400, { 'content-type': 'application/json' }, JSON.stringify({ errorMessages: [], errors: { customfield_10010: 'Option value \'Sev9\' is not valid' } }), ctx);
  assert.equal(e.status, 400);
  assert.deepEqual(e.fieldErrors, { customfield_10010: "Option value 'Sev9' is not valid" });
  assert.match(e.message, /customfield_10010: Option value 'Sev9' is not valid/);
  assert.equal(e.detail(), "customfield_10010: Option value 'Sev9' is not valid");
});

test('redactError removes secrets everywhere, URL-encoded forms too', () => {
  const e = new JiraError({ status: 400, message: 'bad p@ss/1 and p%40ss%2F1', messages: ['echo p@ss/1'], fieldErrors: { 'p@ss/1': 'x p@ss/1' } });
  const r = redactError(e, ['p@ss/1']);
  const all = JSON.stringify({ m: r.message, ms: r.messages, f: r.fieldErrors, d: r.detail() });
  assert.ok(!all.includes('p@ss/1') && !all.includes('p%40ss%2F1'), all);
  assert.equal(r.status, 400);
  assert.equal(r.retryable, false);
});

test('401/403 with credentials from the environment name the variables to fix, not only `jiraline auth set` (the environment outranks it)', () => {
  const env = { ...ctx, credentialSource: 'environment' as const };
  const basic = httpError(401, {}, '', env).message;
  assert.match(basic, /401 from Jira: check the username and API token — JIRALINE_USER\/JIRALINE_PASSWORD in jiraline's environment \(they were used, and outrank `jiraline auth set`\): correct or unset them and restart/);
  assert.match(httpError(401, {}, '', { ...env, credentials: 'key' }).message, /check the Authorization Key — JIRALINE_AUTH_KEY in jiraline's environment/);
  assert.match(httpError(403, {}, '', env).message, /and the credentials \(JIRALINE_USER\/JIRALINE_PASSWORD in jiraline's environment/);
  // From the keychain or the file: `jiraline auth set` is the fix.
  assert.match(httpError(401, {}, '', { ...ctx, credentialSource: 'keychain' }).message, /— `jiraline auth set`$/);
});
