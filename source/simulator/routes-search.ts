// Searches: Cloud's /search/jql (token paging, fields only when asked for, bounded JQL
// only) — where the old /search answers 410 Gone — and Server/DC's /search (startAt paging).
import type { Req, SimState } from './context.js';
import { parseFieldFilter } from './issues.js';
import { compileJql, JqlError } from './jql.js';
import { jiraError, json, type Reply } from './reply.js';

/** What Jira Cloud answers on the removed /rest/api/{2,3}/search (fixtures/observed__search-410-gone.json). */
export const SEARCH_GONE = {
  errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'],
  errors: {},
};

interface SearchParams { jql: string; fields: unknown; maxResults: number; startAt: number; nextPageToken: string | null }

function params(req: Req, maxCap: number): SearchParams | Reply {
  const b = req.method === 'POST' ? req.body : null;
  if (req.method === 'POST' && (typeof b !== 'object' || b === null || Array.isArray(b))) {
    return jiraError(400, ['The request body must be a JSON object.']);
  }
  const body = (b ?? {}) as Record<string, unknown>;
  const q = req.query;
  const pick = (name: string): unknown => (req.method === 'POST' ? body[name] : q.get(name) ?? undefined);
  const jql = pick('jql');
  const maxRaw = pick('maxResults');
  const max = maxRaw === undefined || maxRaw === null ? 50 : Number(maxRaw);
  const startRaw = pick('startAt');
  const start = startRaw === undefined || startRaw === null ? 0 : Number(startRaw);
  if (!Number.isInteger(max) || max < 0) return jiraError(400, [`The value '${String(maxRaw)}' is not valid for maxResults.`]);
  if (!Number.isInteger(start) || start < 0) return jiraError(400, [`The value '${String(startRaw)}' is not valid for startAt.`]);
  const fields = req.method === 'POST' ? body.fields : q.getAll('fields').join(',') || undefined;
  const token = pick('nextPageToken');
  return { jql: typeof jql === 'string' ? jql : '', fields, maxResults: Math.min(max, maxCap), startAt: start, nextPageToken: typeof token === 'string' && token !== '' ? token : null };
}

function run(sim: SimState, req: Req, jql: string) {
  try {
    const query = compileJql(jql, { catalog: sim.catalog, issues: sim.issues, me: sim.me(req), now: sim.now() });
    return { query, hits: query.run(sim.issues.all()) };
  } catch (e) {
    if (e instanceof JqlError) return jiraError(400, [e.message]);
    throw e;
  }
}

// A page token: the offset and the query it belongs to, so a token cannot be replayed
// against another query (Cloud refuses that too).
function token(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}
function untoken(t: string, jql: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    return typeof v.o === 'number' && v.q === jql ? v.o : null;
  } catch {
    return null;
  }
}

/** GET|POST /search/jql (Cloud) */
export function searchJql(sim: SimState, req: Req): Reply {
  const p = params(req, 5000);
  if ('status' in p) return p;
  const result = run(sim, req, p.jql);
  if ('status' in result) return result;
  if (!result.query.bounded) {
    return jiraError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
  }
  const offset = p.nextPageToken === null ? 0 : untoken(p.nextPageToken, p.jql);
  if (offset === null) return jiraError(400, ['The provided next page token is invalid or expired.']);
  const size = p.maxResults === 0 ? 50 : p.maxResults;
  const page = result.hits.slice(offset, offset + size);
  const filter = parseFieldFilter(p.fields, 'none');
  const author = sim.catalog.userRefJson(sim.me(req));
  const issues = page.map((i) => {
    const r = sim.issues.render(i, req.api, filter, author);
    // Without `fields`, Cloud returns the issue's id, key and self only.
    if (r.fields === undefined) return { id: r.id, key: r.key, self: r.self };
    return r;
  });
  const isLast = offset + page.length >= result.hits.length;
  return json(200, { issues, isLast, ...(isLast ? {} : { nextPageToken: token(offset + page.length, p.jql) }) });
}

/** GET|POST /search (Server/DC) */
export function searchStartAt(sim: SimState, req: Req): Reply {
  const p = params(req, 1000);
  if ('status' in p) return p;
  const result = run(sim, req, p.jql);
  if ('status' in result) return result;
  const page = result.hits.slice(p.startAt, p.startAt + p.maxResults);
  const filter = parseFieldFilter(p.fields, 'all');
  const author = sim.catalog.userRefJson(sim.me(req));
  return json(200, {
    expand: 'schema,names', startAt: p.startAt, maxResults: p.maxResults, total: result.hits.length,
    issues: page.map((i) => sim.issues.render(i, req.api, filter, author)),
  });
}
