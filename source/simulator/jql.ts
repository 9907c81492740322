// JQL evaluation over the simulator's issues: each clause resolved against Jira's
// rules (a project, status or key that does not exist is an error, as on Jira; labels
// match case-insensitively; `!=` skips issues where the field is empty), then sorted.
import { adfText } from './adf.js';
import type { Catalog } from './catalog.js';
import type { IssueStore } from './issues.js';
import { JqlError, parseJql, type Clause, type Node, type Operand } from './jql-parse.js';
import { FIELDS, STATUSES, type SeedField, type SeedUser } from './seed.js';
import type { SimIssue } from './types.js';

export { JqlError } from './jql-parse.js';

/** What evaluation needs: the catalogue, the issues, who asks, and the time. */
export interface JqlEnv { catalog: Catalog; issues: IssueStore; me: SeedUser; now: number }

/** A compiled query. */
export interface CompiledQuery {
  /** Whether the query restricts the search (Cloud's /search/jql refuses unbounded ones). */
  bounded: boolean;
  /** The matching issues, sorted. */
  run(all: readonly SimIssue[]): SimIssue[];
}

type Kind = 'eq' | 'text' | 'date' | 'number';
/** How one field is read and compared. */
interface Handler {
  kind: Kind;
  /** The issue's values, normalised for comparison (lowercase strings, or epoch ms / numbers). */
  get(issue: SimIssue): Array<string | number>;
  /** An operand normalised the same way; throws JqlError when Jira would. */
  norm?(v: string): string;
  /** Empty for IS EMPTY (default: no values). */
  empty?(issue: SimIssue): boolean;
}

const lower = (s: unknown) => String(s).toLowerCase();
const ref = (v: unknown, key: string): string | null => (v && typeof v === 'object' ? String((v as Record<string, unknown>)[key]) : null);
const notExist = (v: string, field: string) => new JqlError(`The value '${v}' does not exist for the field '${field}'.`);

function parseJiraTime(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const ms = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

function richText(v: unknown): string {
  return typeof v === 'string' ? v : v ? adfText(v) : '';
}

function handlerFor(name: string, env: JqlEnv): Handler {
  const n = name.toLowerCase();
  const { catalog } = env;
  switch (n) {
    case 'project':
      return { kind: 'eq', get: (i) => [ref(i.fields.project, 'id')!], norm: (v) => {
        const p = catalog.project(v) ?? catalog.projects.find((x) => lower(x.name) === lower(v)) as unknown as { id: string } | undefined;
        if (!p) throw notExist(v, 'project');
        return p.id;
      } };
    case 'key': case 'issuekey': case 'id': case 'issue':
      return { kind: 'eq', get: (i) => [i.id], norm: (v) => {
        const hit = env.issues.get(v);
        if (!hit) throw new JqlError(`An issue with key '${v}' does not exist for field '${name}'.`);
        return hit.id;
      } };
    case 'status':
      return { kind: 'eq', get: (i) => [lower(i.status)], norm: (v) => {
        const s = STATUSES.find((x) => lower(x.name) === lower(v) || x.id === v);
        if (!s) throw notExist(v, 'status');
        return lower(s.name);
      } };
    case 'statuscategory':
      return { kind: 'eq', get: (i) => [STATUSES.find((s) => s.name === i.status)!.category.key], norm: (v) => {
        const s = STATUSES.find((x) => lower(x.category.name) === lower(v) || x.category.key === lower(v) || String(x.category.id) === v);
        if (!s) throw notExist(v, 'statusCategory');
        return s.category.key;
      } };
    case 'resolution':
      return { kind: 'eq', get: (i) => (i.fields.resolution ? [lower(ref(i.fields.resolution, 'name'))] : ['unresolved']),
        empty: (i) => !i.fields.resolution, norm: (v) => {
          if (lower(v) === 'unresolved' || lower(v) === 'done' || v === catalog.resolutionDone.id) return lower(v) === 'unresolved' ? 'unresolved' : 'done';
          throw notExist(v, 'resolution');
        } };
    case 'text':
      return { kind: 'text', get: (i) => [[i.fields.summary, richText(i.fields.description), richText(i.fields.environment),
        ...i.comments.map((c) => richText(c.body))].map(lower).join('\n')] };
    case 'comment':
      return { kind: 'text', get: (i) => i.comments.map((c) => lower(richText(c.body))) };
    case 'created': case 'createddate': case 'updated': case 'updateddate': case 'resolved': case 'resolutiondate': {
      const id = n.startsWith('created') ? 'created' : n.startsWith('updated') ? 'updated' : 'resolutiondate';
      return { kind: 'date', get: (i) => { const t = parseJiraTime(i.fields[id]); return t === null ? [] : [t]; } };
    }
    case 'type':
      return handlerFor('issuetype', env);
    case 'due':
      return handlerFor('duedate', env);
  }
  const cf = /^cf\[(\d+)\]$/i.exec(name);
  const field = cf
    ? FIELDS.find((f) => f.id === `customfield_${cf[1]}`)
    : FIELDS.find((f) => f.clauseNames.some((c) => lower(c) === n) || lower(f.name) === n);
  if (!field || field.kind === 'readonly') throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
  return fieldHandler(field, name, env);
}

function fieldHandler(f: SeedField, name: string, env: JqlEnv): Handler {
  const { catalog } = env;
  const raw = (i: SimIssue): unknown => i.fields[f.id];
  const list = (i: SimIssue): unknown[] => { const v = raw(i); return v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]; };
  switch (f.kind) {
    case 'string': case 'richtext': case 'url':
      return { kind: 'text', get: (i) => list(i).map((v) => lower(richText(v))) };
    case 'number':
      return { kind: 'number', get: (i) => list(i) as number[] };
    case 'date': case 'datetime':
      return { kind: 'date', get: (i) => list(i).map((v) => parseJiraTime(f.kind === 'date' ? `${String(v)}T00:00:00.000+0000` : v)).filter((t): t is number => t !== null) };
    case 'labels':
      return { kind: 'eq', get: (i) => list(i).map(lower), norm: lower };
    case 'user':
      return { kind: 'eq', get: (i) => list(i).map((u) => lower(ref(u, catalog.mode === 'cloud' ? 'accountId' : 'name'))), norm: (v) => {
        const u = catalog.user(v);
        if (!u) throw notExist(v, name);
        return lower(catalog.mode === 'cloud' ? u.accountId : u.name);
      } };
    case 'priority':
      return { kind: 'eq', get: (i) => list(i).map((p) => ref(p, 'id')!), norm: (v) => {
        const p = catalog.priority('name', v) ?? catalog.priority('id', v);
        if (!p) throw notExist(v, name);
        return p.id as string;
      } };
    case 'issuetype':
      return { kind: 'eq', get: (i) => list(i).map((t) => ref(t, 'id')!), norm: (v) => {
        const id = catalog.issueTypeIdByName(v) ?? (catalog.issueType(v) ? v : undefined);
        if (!id) throw notExist(v, name);
        return id;
      } };
    default: // options, components, versions, cascading: by value/name or id
      return { kind: 'eq', get: (i) => list(i).flatMap((o) => [lower(ref(o, 'id')), lower(ref(o, 'value') ?? ref(o, 'name'))]), norm: lower };
  }
}

const DATE_FORMATS = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

function dateOperand(op: Operand, field: string, env: JqlEnv): number {
  if (op.kind === 'fn') {
    const day = new Date(env.now);
    day.setUTCHours(0, 0, 0, 0);
    switch (op.name.toLowerCase()) {
      case 'now': return env.now;
      case 'startofday': return day.getTime();
      case 'endofday': return day.getTime() + 86_400_000 - 1;
      default: throw new JqlError(`Unable to find JQL function '${op.name}()'.`);
    }
  }
  const text = op.kind === 'value' ? op.text.trim() : '';
  const rel = /^([+-]?)((?:\d+[wdhm]\s*)+)$/.exec(text);
  if (rel) {
    const units: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };
    let ms = 0;
    for (const m of rel[2].matchAll(/(\d+)([wdhm])/g)) ms += Number(m[1]) * units[m[2]];
    return env.now + (rel[1] === '-' ? -ms : ms);
  }
  const abs = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (abs) return Date.UTC(+abs[1], +abs[2] - 1, +abs[3], +(abs[4] ?? 0), +(abs[5] ?? 0));
  throw new JqlError(`Date value '${text}' for field '${field}' is invalid. ${DATE_FORMATS}`);
}

function operandText(op: Operand, c: Clause, env: JqlEnv): string {
  if (op.kind === 'value') return op.text;
  if (op.kind === 'fn' && op.name.toLowerCase() === 'currentuser') return env.catalog.mode === 'cloud' ? env.me.accountId : env.me.name;
  if (op.kind === 'fn') throw new JqlError(`Unable to find JQL function '${op.name}()'.`);
  throw new JqlError(`The operator '${c.op.toUpperCase()}' does not support the value EMPTY for the field '${c.field}'.`);
}

const OPS: Record<Kind, Set<string>> = {
  eq: new Set(['=', '!=', 'in', 'not in', 'is', 'is not']),
  text: new Set(['~', '!~', 'is', 'is not']),
  date: new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not']),
  number: new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not']),
};

function compileClause(c: Clause, env: JqlEnv): (i: SimIssue) => boolean {
  const h = handlerFor(c.field, env);
  if (!OPS[h.kind].has(c.op)) throw new JqlError(`The operator '${c.op.toUpperCase()}' is not supported by the '${c.field}' field.`);
  const isEmpty = h.empty ?? ((i: SimIssue) => h.get(i).length === 0);
  if (c.op === 'is') return isEmpty;
  if (c.op === 'is not') return (i) => !isEmpty(i);
  if (h.kind === 'text') {
    const terms = lower(operandText(c.operands[0], c, env)).split(/\s+/).filter(Boolean).map((t) => t.replace(/\*$/, ''));
    const match = (i: SimIssue) => h.get(i).some((text) => terms.every((t) => String(text).includes(t)));
    return c.op === '~' ? match : (i) => !isEmpty(i) && !match(i);
  }
  const values: Array<string | number> = c.operands.map((op) => (h.kind === 'date'
    ? dateOperand(op, c.field, env)
    : h.kind === 'number' ? Number(operandText(op, c, env)) : (h.norm ?? lower)(operandText(op, c, env))));
  if (h.kind === 'number' && values.some((v) => Number.isNaN(v))) throw new JqlError(`The value for the field '${c.field}' must be a number.`);
  const has = (i: SimIssue) => h.get(i).some((v) => values.includes(v));
  switch (c.op) {
    case '=': case 'in': return has;
    case '!=': case 'not in': return (i) => !isEmpty(i) && !has(i);
    default: {
      const bound = values[0] as number;
      const cmp = { '>': (a: number) => a > bound, '>=': (a: number) => a >= bound, '<': (a: number) => a < bound, '<=': (a: number) => a <= bound }[c.op]!;
      return (i) => h.get(i).some((v) => cmp(v as number));
    }
  }
}

function compileNode(n: Node, env: JqlEnv): (i: SimIssue) => boolean {
  if (n.type === 'clause') return compileClause(n, env);
  if (n.type === 'not') { const inner = compileNode(n.node, env); return (i) => !inner(i); }
  const l = compileNode(n.left, env);
  const r = compileNode(n.right, env);
  return n.type === 'and' ? (i) => l(i) && r(i) : (i) => l(i) || r(i);
}

const STATUS_ORDER = new Map(STATUSES.map((s, k) => [s.name, k]));

function sortKey(field: string, env: JqlEnv): (i: SimIssue) => string | number {
  const n = field.toLowerCase();
  switch (n) {
    case 'key': case 'issuekey': return (i) => `${i.key.split('-')[0]}-${i.key.split('-')[1].padStart(12, '0')}`;
    case 'id': return (i) => Number(i.id);
    case 'created': case 'updated': case 'resolutiondate': case 'duedate':
      return (i) => parseJiraTime(n === 'duedate' && i.fields.duedate ? `${String(i.fields.duedate)}T00:00:00.000+0000` : i.fields[n]) ?? -Infinity;
    // Jira sorts priorities by their rank: DESC puts Highest first.
    case 'priority': return (i) => 10 - Number(ref(i.fields.priority, 'id') ?? 10);
    case 'status': return (i) => STATUS_ORDER.get(i.status) ?? 0;
    case 'summary': return (i) => lower(i.fields.summary ?? '');
    case 'project': return (i) => lower(ref(i.fields.project, 'key'));
    case 'issuetype': case 'type': return (i) => lower(ref(i.fields.issuetype, 'name'));
    case 'assignee': case 'reporter': return (i) => lower(ref(i.fields[n], 'displayName') ?? '');
    case 'resolution': return (i) => (i.fields.resolution ? 1 : 0);
  }
  handlerFor(field, env);
  throw new JqlError(`Field '${field}' does not support sorting.`);
}

/** Compiles a JQL query; throws JqlError with Jira's message when Jira would refuse it. */
export function compileJql(jql: string, env: JqlEnv): CompiledQuery {
  const parsed = parseJql(jql);
  const where = parsed.where ? compileNode(parsed.where, env) : null;
  const keys = parsed.orderBy.map((o) => ({ key: sortKey(o.field, env), desc: o.desc }));
  // Without ORDER BY, newest first (what Jira's issue navigator shows by default).
  if (keys.length === 0) keys.push({ key: (i) => Number(i.id), desc: true });
  return {
    bounded: where !== null,
    run(all) {
      const hits = where ? all.filter(where) : [...all];
      return hits.sort((a, b) => {
        for (const k of keys) {
          const x = k.key(a);
          const y = k.key(b);
          if (x < y) return k.desc ? 1 : -1;
          if (x > y) return k.desc ? -1 : 1;
        }
        return Number(a.id) - Number(b.id);
      });
    },
  };
}
