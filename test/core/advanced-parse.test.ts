import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LINE_BYTES, parseAdvancedLine, type AdvancedCommand } from '../../source/core/advanced.js';

function parsed(line: string | Uint8Array): AdvancedCommand {
  const r = parseAdvancedLine(line);
  assert.ok(r.ok, `parses: ${r.ok ? '' : r.error}`);
  return r.command;
}

function refused(line: string | Uint8Array): { guid: string | null; error: string; column: number | null } {
  const r = parseAdvancedLine(line);
  assert.equal(r.ok, false, 'is refused');
  return r.ok ? { guid: null, error: '', column: null } : { guid: r.guid, error: r.error, column: r.column };
}

describe('Advanced line syntax', () => {
  it('reads GUID, action and pairs', () => {
    assert.deepEqual(parsed('alarm-42|CREATE|summary;Disk full|priority;High|'), {
      guid: 'alarm-42', action: 'CREATE', pairs: [{ field: 'summary', value: 'Disk full' }, { field: 'priority', value: 'High' }],
    });
  });

  it('takes the action in any case, and the trailing | is optional', () => {
    assert.equal(parsed('g|update|summary;x').action, 'UPDATE');
    assert.equal(parsed('g|Create|summary;x|').action, 'CREATE');
    assert.deepEqual(parsed('g|UPDATE|summary;x').pairs, parsed('g|UPDATE|summary;x|').pairs);
    assert.deepEqual(parsed('g|CREATE').pairs, []);
    assert.deepEqual(parsed('g|CREATE|').pairs, []);
  });

  it('accepts every GUID character and 128 of them', () => {
    const guid = 'Az09._:-'.repeat(16);
    assert.equal(guid.length, 128);
    assert.equal(parsed(`${guid}|CREATE|`).guid, guid);
    assert.equal(parsed('550e8400-e29b-41d4-a716-446655440000|UPDATE|summary;x').guid, '550e8400-e29b-41d4-a716-446655440000');
  });

  it('undoes the escapes \\| \\; \\\\ and \\n in values and names', () => {
    const c = parsed('g|CREATE|summary;a \\| b \\; c \\\\ d\\ne|desc\\;x;y');
    assert.deepEqual(c.pairs, [{ field: 'summary', value: 'a | b ; c \\ d\ne' }, { field: 'desc;x', value: 'y' }]);
  });

  it('lets a value hold unescaped ; and run to the next unescaped |', () => {
    assert.deepEqual(parsed('g|CREATE|summary;a;b;c|x;1').pairs, [{ field: 'summary', value: 'a;b;c' }, { field: 'x', value: '1' }]);
  });

  it('keeps an empty value (it clears the field on UPDATE)', () => {
    assert.deepEqual(parsed('g|UPDATE|priority;|').pairs, [{ field: 'priority', value: '' }]);
  });

  it('keeps only the last of a field given twice, case-insensitively, at its last place', () => {
    assert.deepEqual(parsed('g|UPDATE|summary;one|priority;High|Summary;two|').pairs,
      [{ field: 'priority', value: 'High' }, { field: 'Summary', value: 'two' }]);
    assert.deepEqual(parsed('g|UPDATE|a;1|b;2|a;3|c;4|b;5|').pairs,
      [{ field: 'a', value: '3' }, { field: 'c', value: '4' }, { field: 'b', value: '5' }]);
  });

  it('trims field names, not values; skips empty segments', () => {
    assert.deepEqual(parsed('g|CREATE| Story Points ; 3 ||summary;x|').pairs,
      [{ field: 'Story Points', value: ' 3 ' }, { field: 'summary', value: 'x' }]);
  });

  it('skips blanks a script left after the last | (space, tab)', () => {
    assert.deepEqual(parsed('g|CREATE|summary;x| ').pairs, [{ field: 'summary', value: 'x' }]);
    assert.deepEqual(parsed('g|CREATE|summary;x|\t \r\n').pairs, [{ field: 'summary', value: 'x' }]);
    assert.deepEqual(parsed('g|CREATE|summary;x|  |priority;High').pairs, [{ field: 'summary', value: 'x' }, { field: 'priority', value: 'High' }]);
  });

  it('parses CALL (served with the 3.0 endpoints)', () => {
    assert.deepEqual(parsed('g|call|endpoint;ack|param;1'), { guid: 'g', action: 'CALL', pairs: [{ field: 'endpoint', value: 'ack' }, { field: 'param', value: '1' }] });
  });

  it('ignores the line break at the end, \\n or \\r\\n', () => {
    assert.deepEqual(parsed('g|CREATE|summary;x|\r\n').pairs, [{ field: 'summary', value: 'x' }]);
    assert.deepEqual(parsed(new TextEncoder().encode('g|CREATE|summary;é\n')).pairs, [{ field: 'summary', value: 'é' }]);
  });
});

describe('Advanced line refusals, each with its own message and column', () => {
  it('an empty line', () => {
    assert.deepEqual(refused(''), { guid: null, column: null, error: 'empty line — write <GUID>|<ACTION>|field;value|' });
    assert.equal(refused('   ').error, 'empty line — write <GUID>|<ACTION>|field;value|');
  });

  it('no GUID', () => {
    assert.deepEqual(refused('|CREATE|summary;x'), { guid: null, column: 1, error: "column 1: no GUID — a line begins with the caller's id: <GUID>|<ACTION>|field;value|" });
  });

  it('a GUID with other characters', () => {
    assert.deepEqual(refused('alarm 42|CREATE|'), { guid: null, column: 6, error: 'column 6: the GUID has a space — a GUID is 1 to 128 characters of A-Za-z0-9._:-' });
    assert.equal(refused('a/b|CREATE|').error, "column 2: the GUID has '/' — a GUID is 1 to 128 characters of A-Za-z0-9._:-");
    assert.equal(refused('aé|CREATE|').error, 'column 2: the GUID has U+00E9 — a GUID is 1 to 128 characters of A-Za-z0-9._:-');
    assert.equal(refused('a\tb|CREATE|').error, 'column 2: the GUID has U+0009 — a GUID is 1 to 128 characters of A-Za-z0-9._:-');
  });

  it('a GUID over 128 characters', () => {
    assert.deepEqual(refused(`${'x'.repeat(129)}|CREATE|`), { guid: null, column: 129, error: 'column 129: the GUID is 129 characters long; at most 128' });
  });

  it('a GUID and nothing else', () => {
    assert.deepEqual(refused('alarm-42'), { guid: 'alarm-42', column: 9, error: "column 9: no '|' after the GUID — write <GUID>|<ACTION>|field;value|" });
  });

  it('no action, or an unknown one', () => {
    assert.deepEqual(refused('g||summary;x'), { guid: 'g', column: 3, error: 'column 3: no action after the GUID — write CREATE, UPDATE or CALL' });
    assert.deepEqual(refused('g|DELETE|summary;x'), { guid: 'g', column: 3, error: 'column 3: unknown action "DELETE" — write CREATE, UPDATE or CALL' });
    assert.equal(refused('g|CREATE |').error, 'column 3: unknown action "CREATE " — write CREATE, UPDATE or CALL');
  });

  it('a pair without ;', () => {
    assert.deepEqual(refused('g|CREATE|summary|'), { guid: 'g', column: 10, error: 'column 10: pair "summary" has no \';\' — write field;value' });
    assert.equal(refused('g|CREATE|summary;x|priority High').error, 'column 20: pair "priority High" has no \';\' — write field;value');
  });

  it('a pair without a field name', () => {
    assert.deepEqual(refused('g|CREATE|;x|'), { guid: 'g', column: 10, error: "column 10: a pair has no field name before ';' — write field;value" });
  });

  it('an unknown escape, and a lone backslash at the end', () => {
    assert.deepEqual(refused('g|CREATE|summary;C:\\temp'), { guid: 'g', column: 20, error: 'column 20: unknown escape \\t — the escapes are \\| \\; \\\\ and \\n (write \\\\ for a backslash)' });
    assert.equal(refused('g|CREATE|summary;a\\ b').error, "column 19: unknown escape '\\' then a space — the escapes are \\| \\; \\\\ and \\n (write \\\\ for a backslash)");
    assert.equal(refused('g|CREATE|summary;x\\').error, "column 19: the line ends in a lone '\\' — write \\\\ for a backslash");
  });

  it('a line over 64 KiB (bytes, without its line break)', () => {
    const head = 'g|CREATE|summary;';
    const exact = head + 'x'.repeat(MAX_LINE_BYTES - head.length);
    assert.equal(parsed(exact).pairs[0].value.length, MAX_LINE_BYTES - head.length);
    assert.equal(parsed(`${exact}\n`).guid, 'g', 'the \\n does not count');
    assert.deepEqual(refused(`${exact}x`), { guid: null, column: null, error: 'line too long: 65537 bytes, over the 64 KiB (65536 bytes) limit' });
    // Multi-byte characters count as their UTF-8 bytes: 22,000 × 'é' (2 bytes) is over.
    assert.equal(refused(head + 'é'.repeat(33000)).error, `line too long: ${head.length + 66000} bytes, over the 64 KiB (65536 bytes) limit`);
    const bytes = new TextEncoder().encode(`${exact}x`);
    assert.equal(refused(bytes).error, 'line too long: 65537 bytes, over the 64 KiB (65536 bytes) limit');
    assert.equal(parsed(new TextEncoder().encode(`${exact}\r\n`)).guid, 'g');
  });

  it('bytes that are not UTF-8', () => {
    const enc = new TextEncoder();
    const line = (bad: number[]) => Uint8Array.from([...enc.encode('g|CREATE|summary;'), ...bad, ...enc.encode('|')]);
    for (const bad of [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      assert.deepEqual(refused(line(bad)), { guid: null, column: 18, error: 'byte 18: the line is not valid UTF-8 — send UTF-8 text' }, bad.join(','));
    }
    assert.equal(parsed(line([0xf0, 0x9f, 0x94, 0xa5])).pairs[0].value, '🔥');
  });

  it('a string with a lone surrogate (it has no UTF-8 form)', () => {
    assert.equal(refused('g|CREATE|summary;a\ud800b').error, 'column 19: the line is not valid UTF-8 (a lone surrogate) — send UTF-8 text');
    assert.equal(parsed('g|CREATE|summary;🔥').pairs[0].value, '🔥');
  });
});
