// A small checker for the subset of JSON Schema that Jira's OpenAPI description uses in
// components.schemas: type (with nullable), required, properties, additionalProperties,
// items, $ref, allOf/anyOf/oneOf and enum. Formats, lengths and readOnly are not checked.
import { readFileSync } from 'node:fs';

type Schema = Record<string, unknown>;

/** Jira's components.schemas, from Atlassian's OpenAPI description (a copy of ../shared/jira/openapi-v3.json). */
export function loadSchemas(): Record<string, Schema> {
  const file = new URL('../../fixtures/openapi-v3.json', import.meta.url);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  return doc.components.schemas;
}

/** Reads a JSON fixture from the repository's fixtures/ folder. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const t = typeOf(v);
  return t === want || (want === 'number' && t === 'integer');
}

/**
 * Checks a value against a named schema; returns one line per violation (empty: valid).
 * `allowExtra` lists paths (e.g. "$.defaultLocale") where an undeclared property is tolerated.
 */
export function checkSchema(schemas: Record<string, Schema>, name: string, value: unknown, allowExtra: string[] = []): string[] {
  const errors: string[] = [];
  const resolve = (s: Schema): Schema => {
    let cur = s;
    while (typeof cur.$ref === 'string') {
      const target = schemas[cur.$ref.replace('#/components/schemas/', '')];
      if (!target) throw new Error(`unknown $ref ${cur.$ref}`);
      cur = target;
    }
    return cur;
  };
  const visit = (raw: Schema, v: unknown, path: string): void => {
    const s = resolve(raw);
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) visit(sub, v, path);
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(s[key])) {
        const ok = (s[key] as Schema[]).some((sub) => {
          const before = errors.length;
          visit(sub, v, path);
          const fine = errors.length === before;
          errors.length = before;
          return fine;
        });
        if (!ok) errors.push(`${path}: matches none of ${key}`);
      }
    }
    if (v === null && s.nullable === true) return;
    if (typeof s.type === 'string' && !typeMatches(s.type, v)) {
      errors.push(`${path}: expected ${s.type}, got ${typeOf(v)}`);
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} not in enum`);
    if (typeOf(v) === 'array' && s.items) (v as unknown[]).forEach((item, i) => visit(s.items as Schema, item, `${path}[${i}]`));
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const req of (s.required ?? []) as string[]) if (!(req in obj)) errors.push(`${path}: missing required '${req}'`);
      for (const [k, val] of Object.entries(obj)) {
        const at = `${path}.${k}`;
        if (props[k]) visit(props[k], val, at);
        else if (s.additionalProperties === false) {
          if (!allowExtra.includes(at)) errors.push(`${at}: not allowed (additionalProperties false)`);
        } else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
          visit(s.additionalProperties as Schema, val, at);
        }
      }
    }
  };
  if (!schemas[name]) throw new Error(`unknown schema ${name}`);
  visit({ $ref: `#/components/schemas/${name}` }, value, '$');
  return errors;
}

/**
 * Compares a value's shape with a recorded fixture's: every key the fixture has is there
 * with the same JSON type (null on either side matches anything; arrays compare their
 * first elements). Returns one line per difference. `ignore` lists paths to skip.
 */
export function shapeDiff(recorded: unknown, actual: unknown, ignore: string[] = [], path = '$'): string[] {
  if (ignore.includes(path) || recorded === null || actual === null) return [];
  const rt = typeOf(recorded) === 'integer' ? 'number' : typeOf(recorded);
  const at = typeOf(actual) === 'integer' ? 'number' : typeOf(actual);
  if (rt !== at) return [`${path}: recorded ${rt}, simulator ${at}`];
  if (rt === 'array') {
    const [r] = recorded as unknown[];
    const [a] = actual as unknown[];
    return r === undefined || a === undefined ? [] : shapeDiff(r, a, ignore, `${path}[]`);
  }
  if (rt !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(recorded as Record<string, unknown>)) {
    const p = `${path}.${k}`;
    if (ignore.includes(p)) continue;
    if (!(k in (actual as Record<string, unknown>))) out.push(`${p}: missing in the simulator's answer`);
    else out.push(...shapeDiff(v, (actual as Record<string, unknown>)[k], ignore, p));
  }
  return out;
}
