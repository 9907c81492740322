// 100,000 random and mutated Advanced lines (strings and raw bytes): each one is a command or
// a one-line error, never an exception; a command survives being written out and read back;
// checking and composing a command never throws either. Seeded, so a failure repeats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCommand, composeCreate, composeUpdate, parseAdvancedLine, updatePlanBody, type AdvancedCommand, type ParseResult,
} from '../../source/core/advanced.js';
import { FieldCatalogue, type ShapeContext } from '../../source/core/fields.js';
import { jira } from './fields-fixture.js';

const builtin = FieldCatalogue.builtin();
const CTX: ShapeContext[] = [{ deployment: 'server', apiVersion: 2 }, { deployment: 'cloud', apiVersion: 3 }];
const TEMPLATE = [{ field: 'project', value: 'OPS', mode: 'Include' as const }, { field: 'labels', value: 'a', mode: 'Include' as const }];

// xorshift32: small, fast and repeatable.
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const SEEDS = [
  'alarm-42|CREATE|summary;Disk full on db1|priority;High|labels;disk,db|',
  'a.b:c_d-1|update|Story Points;3.5|Site;EU > Paris|comment;line\\nbreak|status;Done',
  'g|UPDATE|labels;+a,-b|priority;|Affected Systems;web,db|Due Time;2026-12-01T09:30Z',
  'x|CREATE|description;pipe \\| semi \\; slash \\\\|customfield_10010;{"value":"Sev1"}|',
  'id|CALL|endpoint;ack|param;1',
];
const ATOMS = ['|', ';', '\\', '\\n', '\\|', '\\;', '\\\\', 'CREATE', 'UPDATE', 'call', 'summary', 'labels', 'comment', 'status',
  '+', '-', ',', '>', '{', '[', '"', ' ', '\t', '\r', '\n', 'é', '🔥', '\ud800', '\udc00', '\u0000', 'x', '9', ':'];

function randomText(next: () => number, max: number): string {
  let out = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) {
    out += next() < 0.7 ? ATOMS[Math.floor(next() * ATOMS.length)] : String.fromCharCode(Math.floor(next() * 0x3000));
  }
  return out;
}

function mutate(next: () => number, line: string): string {
  let s = line;
  const edits = 1 + Math.floor(next() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(next() * (s.length + 1));
    const r = next();
    if (r < 0.4) s = s.slice(0, at) + ATOMS[Math.floor(next() * ATOMS.length)] + s.slice(at);
    else if (r < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(next() * 3));
    else if (r < 0.9) s = s.slice(0, at) + randomText(next, 3) + s.slice(at + 1);
    else s = s.slice(0, at) + s.slice(at).toLowerCase();
  }
  return s;
}

function mutateBytes(next: () => number, line: string): Uint8Array {
  const bytes = Array.from(new TextEncoder().encode(line));
  const edits = 1 + Math.floor(next() * 3);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(next() * (bytes.length + 1));
    if (next() < 0.5) bytes.splice(at, 0, Math.floor(next() * 256));
    else bytes[at] = Math.floor(next() * 256);
  }
  return Uint8Array.from(bytes);
}

const escape = (text: string): string => text.replace(/[\\|;\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

function write(command: AdvancedCommand): string {
  return `${command.guid}|${command.action}|${command.pairs.map((p) => `${escape(p.field)};${escape(p.value)}`).join('|')}`;
}

const GUID = /^[A-Za-z0-9._:-]{1,128}$/;

function checkResult(r: ParseResult, length: number, what: () => string, turn: number): void {
  if (!r.ok) {
    assert.ok(r.error.length > 0 && !/[\r\n]/.test(r.error), `one-line error for ${what()}: ${JSON.stringify(r.error)}`);
    assert.ok(r.column === null || (r.column >= 1 && r.column <= length + 1), `column in the line for ${what()}`);
    assert.ok(r.guid === null || GUID.test(r.guid));
    return;
  }
  const c = r.command;
  assert.match(c.guid, GUID);
  assert.ok(['CREATE', 'UPDATE', 'CALL'].includes(c.action));
  const names = c.pairs.map((p) => p.field.toLowerCase());
  assert.equal(new Set(names).size, names.length, `no field twice in ${what()}`);
  for (const p of c.pairs) assert.ok(p.field !== '' && p.field === p.field.trim());
  const again = parseAdvancedLine(write(c));
  assert.ok(again.ok, `written back and read again: ${what()}`);
  assert.deepEqual(again.command, c);
  // Each turn takes one context and one catalogue (Jira's, the built-in one, none) in rotation.
  const ctx = CTX[turn % 2];
  const catalogue = [jira, builtin, null][turn % 3];
  const reason = checkCommand(c, catalogue, ctx);
  assert.ok(reason === null || (typeof reason === 'string' && reason !== '' && !/[\r\n]/.test(reason)));
  const using = catalogue ?? jira;
  const created = composeCreate(c, TEMPLATE, using, ctx);
  const updated = composeUpdate(c, using, ctx);
  if (updated.ok) updatePlanBody(updated.value, c.guid);
  // What check accepts (with a catalogue), compose can make.
  if (catalogue !== null && reason === null) {
    if (c.action === 'CREATE') assert.ok(created.ok, `composes what check accepted: ${what()}`);
    if (c.action === 'UPDATE') assert.ok(updated.ok, `composes what check accepted: ${what()}`);
  }
}

describe('Advanced line fuzz', () => {
  it('100,000 random and mutated lines never throw: each is a command or a one-line error', () => {
    const next = rng(20260101);
    let commands = 0;
    let errors = 0;
    for (let i = 0; i < 100_000; i++) {
      const kind = i % 4;
      const seed = SEEDS[Math.floor(next() * SEEDS.length)];
      if (kind === 3) {
        const bytes = mutateBytes(next, seed);
        const r = parseAdvancedLine(bytes);
        checkResult(r, bytes.length, () => `bytes ${Array.from(bytes).join(',')}`, i);
        if (r.ok) commands++;
        else errors++;
        continue;
      }
      const line = kind === 0 ? randomText(next, 40) : kind === 1 ? mutate(next, seed) : `${seed.split('|').slice(0, 2).join('|')}|${randomText(next, 30)}`;
      const r = parseAdvancedLine(line);
      checkResult(r, line.length, () => JSON.stringify(line), i);
      if (r.ok) commands++;
      else errors++;
    }
    // Both outcomes are exercised, not just one.
    assert.ok(commands > 10_000, `commands: ${commands}`);
    assert.ok(errors > 10_000, `errors: ${errors}`);
  });
});
