// The Create Query as text: how it is written out, and where a broken one breaks.
// JSON.parse's messages differ between Node versions and often carry no position, so a
// small validating scanner finds the first error itself and says it in words an operator
// can act on, with the line and column. It is iterative: deep nesting cannot overflow it.

/** Where the Create Query text stops being JSON (line and column are 1-based). */
export interface JsonError {
  message: string;
  line: number;
  column: number;
}

/** The Create Query text of a body: two-space indent, keys in their order. */
export function formatQuery(body: Record<string, unknown>): string {
  return JSON.stringify(body, null, 2);
}

/** Parses the Create Query text: the value, or where and why it is not JSON. Never throws. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: JsonError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const found = findJsonError(text);
    const at = found?.offset ?? 0;
    const message = found?.message ?? (e instanceof Error ? e.message : 'not valid JSON');
    return { ok: false, error: { message, ...lineColumn(text, at) } };
  }
}

/** The 1-based line and column of an offset in the text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

type Frame = 'object' | 'array';

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function shown(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const c = text.codePointAt(i) ?? 0;
  return c > 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first JSON syntax error in the text, or null if it is valid JSON. */
export function findJsonError(text: string): { message: string; offset: number } | null {
  const stack: Frame[] = [];
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (message: string): { message: string; offset: number } => ({ message, offset: Math.min(i, text.length) });
  // The states: a value is wanted, or the container on top of the stack wants ',' or its end.
  let wantValue = true;
  skip();
  if (i >= text.length) return fail('the text is empty — write {"fields": {…}}');
  for (;;) {
    skip();
    if (wantValue) {
      if (i >= text.length) return fail('the text ends where a value should be');
      const c = text[i];
      if (c === '{') {
        i++;
        skip();
        if (text[i] === '}') {
          i++;
          wantValue = false;
        } else {
          stack.push('object');
          const key = readKey();
          if (key !== null) return key;
        }
        continue;
      }
      if (c === '[') {
        i++;
        skip();
        if (text[i] === ']') {
          i++;
          wantValue = false;
        } else stack.push('array');
        continue;
      }
      const scalar = readScalar();
      if (scalar !== null) return scalar;
      wantValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return i >= text.length ? null : fail(`unexpected ${shown(text, i)} after the end of the JSON value`);
    }
    const close = top === 'object' ? '}' : ']';
    if (text[i] === ',') {
      i++;
      if (top === 'object') {
        skip();
        const key = readKey();
        if (key !== null) return key;
      }
      wantValue = true;
    } else if (text[i] === close) {
      i++;
      stack.pop();
    } else {
      return fail(`expected ',' or '${close}' after ${top === 'object' ? 'a property value' : 'an array element'}, found ${shown(text, i)}`);
    }
  }

  // `"name" :` — leaves i after the colon with a value wanted.
  function readKey(): { message: string; offset: number } | null {
    if (text[i] !== '"') {
      return fail(`expected a property name in double quotes, found ${shown(text, i)}${text[i] === '}' ? ' (a trailing comma?)' : ''}`);
    }
    const s = readString();
    if (s !== null) return s;
    skip();
    if (text[i] !== ':') return fail(`expected ':' after the property name, found ${shown(text, i)}`);
    i++;
    wantValue = true;
    return null;
  }

  function readScalar(): { message: string; offset: number } | null {
    const c = text[i];
    if (c === '"') return readString();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text) !== null && NUMBER.lastIndex > i) {
      i = NUMBER.lastIndex;
      return null;
    }
    if (c === ']' || c === '}') return fail(`expected a value, found ${shown(text, i)} (a trailing comma?)`);
    if (c === "'") return fail('strings are written in double quotes, not single quotes');
    return fail(`expected a value (a "string", a number, true, false, null, {…} or […]), found ${shown(text, i)}`);
  }

  function readString(): { message: string; offset: number } | null {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail(`a line break or control character inside a string (started at ${lineColumnText(start)}) — write \\n`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('a \\u escape needs four hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail(`unknown escape in a string: \\${e ?? ''} (known: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
        continue;
      }
      i++;
    }
    i = start;
    return fail('a string is never closed with \'"\'');
  }

  function lineColumnText(offset: number): string {
    const at = lineColumn(text, offset);
    return `line ${at.line}, column ${at.column}`;
  }
}
