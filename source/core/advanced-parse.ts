// The Advanced line parser: `<GUID>|<ACTION>|field;value|…|` → a typed command, or
// one precise, one-line reason with its column. The reason is what the socket sends after
// `ERR <GUID or -> `, so each refusal says what was wrong and how to write it instead.
// This is syntax only; fields are resolved and values shaped by checkCommand/compose.
// See docs/protocol.md#advanced-lines.
import { quote } from './field-shaping.js';

/** The verbs of an Advanced line (CALL is parsed now, served with the 3.0 endpoints). */
export type AdvancedAction = 'CREATE' | 'UPDATE' | 'CALL';

/** A parsed line. Fields keep the name as written; a field given twice keeps only the last (case-insensitive). */
export interface AdvancedCommand {
  guid: string;
  action: AdvancedAction;
  pairs: Array<{ field: string; value: string }>;
}

/** A command, or why not: `guid` is set once the GUID itself was valid (for `ERR <GUID>`), `column` is 1-based. */
export type ParseResult =
  | { ok: true; command: AdvancedCommand }
  | { ok: false; guid: string | null; error: string; column: number | null };

/** The longest line accepted, in UTF-8 bytes without its line break (64 KiB). */
export const MAX_LINE_BYTES = 64 * 1024;
/** The longest GUID accepted. */
export const MAX_GUID_LENGTH = 128;

const SHAPE = '<GUID>|<ACTION>|field;value|';
const ACTIONS: Record<string, AdvancedAction> = { CREATE: 'CREATE', UPDATE: 'UPDATE', CALL: 'CALL' };
const decoder = new TextDecoder('utf-8');

/** Parses one Advanced line (a trailing \n or \r\n is ignored); bytes must be UTF-8. Never throws. */
export function parseAdvancedLine(line: string | Uint8Array): ParseResult {
  let text: string;
  if (typeof line === 'string') {
    text = stripBreak(line);
    // Every UTF-16 unit is at least one UTF-8 byte and at most three, so most lines skip the count.
    if (text.length > MAX_LINE_BYTES || (text.length * 3 > MAX_LINE_BYTES && utf8Length(text) > MAX_LINE_BYTES)) return tooLong(utf8Length(text));
  } else {
    let end = line.length;
    if (end > 0 && line[end - 1] === 0x0a) end -= end > 1 && line[end - 2] === 0x0d ? 2 : 1;
    if (end > MAX_LINE_BYTES) return tooLong(end);
    const bad = invalidUtf8At(line, end);
    if (bad >= 0) {
      return { ok: false, guid: null, column: bad + 1, error: `byte ${bad + 1}: the line is not valid UTF-8 — send UTF-8 text` };
    }
    text = decoder.decode(line.subarray(0, end));
  }
  return parseText(text);
}

function stripBreak(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function tooLong(bytes: number): ParseResult {
  return { ok: false, guid: null, column: null, error: `line too long: ${bytes} bytes, over the 64 KiB (${MAX_LINE_BYTES} bytes) limit` };
}

function err(guid: string | null, index: number, message: string): ParseResult {
  return { ok: false, guid, column: index + 1, error: `column ${index + 1}: ${message}` };
}

// A character named so that the reply stays one readable line: 'x', a space, or U+0009.
function showChar(cp: number): string {
  if (cp === 32) return 'a space';
  if (cp > 32 && cp < 127) return `'${String.fromCharCode(cp)}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function escapeShown(cp: number): string {
  return cp > 32 && cp < 127 ? `\\${String.fromCharCode(cp)}` : `'\\' then ${showChar(cp)}`;
}

function isGuidChar(c: number): boolean {
  // A-Z a-z 0-9 . _ : -
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 58) || c === 46 || c === 95 || c === 45;
}

function parseText(text: string): ParseResult {
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return { ok: false, guid: null, column: null, error: `empty line — write ${SHAPE}` };
  let bar = text.indexOf('|');
  const guidEnd = bar < 0 ? text.length : bar;
  if (guidEnd === 0) return err(null, 0, `no GUID — a line begins with the caller's id: ${SHAPE}`);
  for (let i = 0; i < guidEnd; i++) {
    const c = text.charCodeAt(i);
    if (!isGuidChar(c)) {
      return err(null, i, `the GUID has ${showChar(text.codePointAt(i) ?? c)} — a GUID is 1 to ${MAX_GUID_LENGTH} characters of A-Za-z0-9._:-`);
    }
  }
  if (guidEnd > MAX_GUID_LENGTH) return err(null, MAX_GUID_LENGTH, `the GUID is ${guidEnd} characters long; at most ${MAX_GUID_LENGTH}`);
  const guid = text.slice(0, guidEnd);
  if (bar < 0) return err(guid, guidEnd, `no '|' after the GUID — write ${SHAPE}`);

  const actionStart = bar + 1;
  bar = text.indexOf('|', actionStart);
  const actionText = text.slice(actionStart, bar < 0 ? text.length : bar);
  if (actionText === '') return err(guid, actionStart, 'no action after the GUID — write CREATE, UPDATE or CALL');
  const action = ACTIONS[actionText.toUpperCase()];
  if (action === undefined) return err(guid, actionStart, `unknown action ${quote(actionText)} — write CREATE, UPDATE or CALL`);

  const pairs: Array<{ field: string; value: string }> = [];
  const keys: string[] = [];
  let pos = bar < 0 ? text.length : bar + 1;
  while (pos < text.length) {
    const pair = scanPair(text, pos, guid);
    if ('error' in pair) return pair.error;
    pos = pair.next;
    if (pair.field === null) continue; // an empty segment (`||`) carries nothing
    const key = pair.field.toLowerCase();
    // The last of a repeated field wins; it takes the place of the last mention.
    // (A line has a handful of pairs: a linear search beats a Map here.)
    const before = keys.indexOf(key);
    if (before >= 0) {
      pairs.splice(before, 1);
      keys.splice(before, 1);
    }
    keys.push(key);
    pairs.push({ field: pair.field, value: pair.value });
  }
  return { ok: true, command: { guid, action, pairs } };
}

type Scanned = { field: string | null; value: string; next: number } | { error: ParseResult };

// One `field;value` segment from `start` to the next unescaped '|' (or the end).
function scanPair(text: string, start: number, guid: string): Scanned {
  const field = scanPart(text, start, true, guid);
  if ('error' in field) return field;
  const stop = field.end < text.length ? text.charCodeAt(field.end) : -1;
  if (stop !== 59 /* ; */) {
    // An empty or blank segment carries nothing: `||`, or a space a script left after the last '|'.
    if (field.end === start || field.text.trim() === '') return { field: null, value: '', next: field.end + 1 };
    const raw = text.slice(start, field.end);
    return { error: err(guid, start, `pair ${quote(raw)} has no ';' — write field;value`) };
  }
  const name = field.text.trim();
  if (name === '') return { error: err(guid, start, `a pair has no field name before ';' — write field;value`) };
  const value = scanPart(text, field.end + 1, false, guid);
  if ('error' in value) return value;
  return { field: name, value: value.text, next: value.end + 1 };
}

type Part = { text: string; end: number } | { error: ParseResult };

// Reads up to the next unescaped '|' (and, for a field name, ';'), undoing the escapes.
function scanPart(text: string, start: number, isField: boolean, guid: string): Part {
  let out = '';
  let from = start;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 124 /* | */ || (isField && c === 59 /* ; */)) break;
    if (c === 92 /* \ */) {
      const next = i + 1 < text.length ? text[i + 1] : '';
      let replacement: string;
      if (next === '|' || next === ';' || next === '\\') replacement = next;
      else if (next === 'n') replacement = '\n';
      else if (next === '') return { error: err(guid, i, `the line ends in a lone '\\' — write \\\\ for a backslash`) };
      else return { error: err(guid, i, `unknown escape ${escapeShown(text.codePointAt(i + 1) ?? 0)} — the escapes are \\| \\; \\\\ and \\n (write \\\\ for a backslash)`) };
      out += text.slice(from, i) + replacement;
      i += 1;
      from = i + 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate has no UTF-8 form; a proper pair is skipped as one character.
      const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c >= 0xdc00 || low < 0xdc00 || low > 0xdfff) return { error: err(guid, i, 'the line is not valid UTF-8 (a lone surrogate) — send UTF-8 text') };
      i += 1;
    }
  }
  return { text: from === start ? text.slice(start, i) : out + text.slice(from, i), end: i };
}

/** The UTF-8 length of a string, in bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Index of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included), or -1. */
export function invalidUtf8At(bytes: Uint8Array, end: number = bytes.length): number {
  let i = 0;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= end) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if ((cont & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
