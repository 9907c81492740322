// Custom endpoints: named request templates from the config (`endpoints: { NAME: { method,
// path, body } }`) for what jiraline does not model — add a watcher, link two issues, assign,
// log work. `GUID|CALL|endpoint;NAME|PARAM;value|…` fills the placeholders `{key}` (the GUID's
// ticket), `{guid}` and `{param:PARAM}` in the path (URL-encoded there) and in the strings of
// the body. A line naming an unknown endpoint or lacking a parameter is refused at once.
// See docs/protocol.md#call.
import type { AdvancedCommand } from './advanced-parse.js';

/** One endpoint as the config holds it. */
export interface EndpointDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the Jira URL, e.g. rest/api/2/issue/{key}/watchers. */
  path: string;
  body?: unknown;
}

/** The request a CALL makes, placeholders filled. */
export interface CallPlan {
  endpoint: string;
  method: EndpointDef['method'];
  path: string;
  body: unknown;
}

const placeholder = /\{([^{}]*)\}/g;

/** The placeholders of a text: `key`, `guid`, `param:NAME`, or whatever else was written. */
function placeholdersIn(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]);
}

function bodyStrings(body: unknown, out: string[] = []): string[] {
  if (typeof body === 'string') out.push(body);
  else if (Array.isArray(body)) for (const item of body) bodyStrings(item, out);
  else if (body !== null && typeof body === 'object') for (const value of Object.values(body)) bodyStrings(value, out);
  return out;
}

function allPlaceholders(def: EndpointDef): string[] {
  return [def.path, ...bodyStrings(def.body)].flatMap(placeholdersIn);
}

/** Why an endpoint's templates are not usable (an unknown placeholder), or null. */
export function endpointProblem(def: EndpointDef): string | null {
  for (const name of allPlaceholders(def)) {
    if (name !== 'key' && name !== 'guid' && !/^param:[A-Za-z0-9._-]+$/.test(name)) {
      return `unknown placeholder {${name}} — use {key}, {guid} or {param:NAME}`;
    }
  }
  if (/^[a-z]+:\/\//i.test(def.path) || def.path.includes('..')) return 'path is relative to the Jira URL (e.g. rest/api/2/issue/{key}/watchers), without .. or a scheme';
  return null;
}

/** The parameters an endpoint needs. */
export function endpointParams(def: EndpointDef): string[] {
  return [...new Set(allPlaceholders(def).filter((n) => n.startsWith('param:')).map((n) => n.slice(6)))];
}

/** Whether the endpoint names the GUID's ticket ({key}): then the GUID must have one. */
export function usesKey(def: EndpointDef): boolean {
  return allPlaceholders(def).includes('key');
}

/** The endpoint a CALL names and its parameters, or why the line cannot be served. */
export function readCall(command: AdvancedCommand, endpoints: Record<string, EndpointDef>):
  { ok: true; name: string; def: EndpointDef; params: Map<string, string> } | { ok: false; error: string } {
  const params = new Map<string, string>();
  let name: string | null = null;
  for (const { field, value } of command.pairs) {
    if (field === 'endpoint') name = value;
    else params.set(field, value);
  }
  const known = Object.keys(endpoints);
  if (name === null || name === '') {
    return { ok: false, error: `CALL needs endpoint;NAME — ${known.length > 0 ? `the config's endpoints: ${known.join(', ')}` : 'the config has no endpoints'}` };
  }
  const def = Object.hasOwn(endpoints, name) ? endpoints[name] : undefined;
  if (def === undefined) {
    return { ok: false, error: `unknown endpoint '${name}' — ${known.length > 0 ? `the config's endpoints: ${known.join(', ')}` : 'the config has no endpoints (endpoints in the config file)'}` };
  }
  const missing = endpointParams(def).filter((p) => !params.has(p));
  if (missing.length > 0) return { ok: false, error: `endpoint '${name}' needs ${missing.map((p) => `${p};value`).join(', ')}` };
  return { ok: true, name, def, params };
}

function fill(text: string, values: (name: string) => string): string {
  return text.replace(placeholder, (_m, name: string) => values(name));
}

function fillBody(body: unknown, values: (name: string) => string): unknown {
  if (typeof body === 'string') return fill(body, values);
  if (Array.isArray(body)) return body.map((item) => fillBody(item, values));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(v, values)]));
  }
  return body;
}

/** The request of a CALL for a GUID whose ticket is `ticketKey` (null: none, refused if {key} is used). */
export function planCall(command: AdvancedCommand, endpoints: Record<string, EndpointDef>, ticketKey: string | null):
  { ok: true; value: CallPlan } | { ok: false; error: string } {
  const read = readCall(command, endpoints);
  if (!read.ok) return read;
  const { name, def, params } = read;
  if (usesKey(def) && ticketKey === null) return { ok: false, error: `endpoint '${name}' names the ticket ({key}) and ${command.guid} has none — send a CREATE first` };
  const raw = (n: string) => (n === 'key' ? ticketKey ?? '' : n === 'guid' ? command.guid : params.get(n.slice(6)) ?? '');
  return { ok: true, value: {
    endpoint: name, method: def.method,
    path: fill(def.path.replace(/^\/+/, ''), (n) => encodeURIComponent(raw(n))),
    body: def.body === undefined ? undefined : fillBody(def.body, raw),
  } };
}
