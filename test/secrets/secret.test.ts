// A Secret must not leak through any of the ways a value usually gets printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, inspect } from 'node:util';
import { Writable } from 'node:stream';
import { Console } from 'node:console';
import { describeCredentials, isSecret, makeSecret, maskSecret } from '../../source/secrets/index.js';

const VALUE = 'tok-SUPER-secret-123456';

test('a Secret shows <secret> through String, templates, concatenation, JSON, inspect, format', () => {
  const s = makeSecret(VALUE);
  assert.equal(String(s), '<secret>');
  assert.equal(`${s}`, '<secret>');
  assert.equal('x' + s, 'x<secret>');
  assert.equal(JSON.stringify({ password: s }), '{"password":"<secret>"}');
  assert.equal(inspect(s), '<secret>');
  assert.equal(inspect({ nested: { deeper: [s] } }, { depth: 10 }), '{ nested: { deeper: [ <secret> ] } }');
  const hiddenToo = inspect(s, { showHidden: true, getters: true, customInspect: false });
  assert.ok(!hiddenToo.includes(VALUE), hiddenToo);
  assert.equal(format('%s %o %O %j', s, s, s, s), '<secret> <secret> <secret> "<secret>"');
  assert.deepEqual(Object.keys(s), []);
  assert.equal(JSON.stringify(structuredClone({ s })), '{"s":{}}');
  assert.equal(s.reveal(), VALUE);
  assert.ok(isSecret(s));
  assert.ok(!isSecret(VALUE));
});

test('console.log and console.error of credentials holding a Secret print no secret', () => {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  const con = new Console({ stdout: sink, stderr: sink });
  const credentials = { method: 'basic', username: 'ops-bot', password: makeSecret(VALUE) };
  con.log(credentials);
  con.error('creds: %s', credentials.password);
  con.log(new Error(`refused: ${credentials.password}`));
  assert.ok(!out.includes(VALUE), out);
  assert.match(out, /password: <secret>/);
  assert.match(out, /creds: <secret>/);
  assert.match(out, /refused: <secret>/);
});

test('a Secret cannot be changed after it is made', () => {
  const s = makeSecret(VALUE);
  assert.throws(() => { (s as any).reveal = () => 'other'; }, TypeError);
  assert.equal(s.reveal(), VALUE);
});

test('describeCredentials masks: the last four only of a long secret, nothing of a short one', () => {
  assert.equal(describeCredentials(null), 'none');
  assert.equal(describeCredentials({ method: 'basic', username: 'ops-bot', password: makeSecret('ATATT3xFfGF0abcd1234') }), 'basic ops-bot / ****1234');
  assert.equal(describeCredentials({ method: 'basic', username: 'jsmith', password: makeSecret('hunter2') }), 'basic jsmith / ****');
  assert.equal(describeCredentials({ method: 'key', key: makeSecret('NjM0MTk5ODQ3OTk2OqzQ8b') }), 'key ****zQ8b');
  assert.equal(maskSecret('0123456789abcde'), '****');
  assert.equal(maskSecret('0123456789abcdef'), '****cdef');
});
