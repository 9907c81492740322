// Issue links, as Jira serves them: the link types (GET /issueLinkType) and a link between
// two issues (POST /issueLink → 201 with an empty body). The link then shows in both issues'
// `issuelinks` field, as `outwardIssue` on the inward issue and `inwardIssue` on the outward
// one, each with the other issue's key, summary and status.
import type { Req, SimState } from './context.js';
import { jiraError, json, type Reply } from './reply.js';
import type { SimIssue } from './types.js';

type Json = Record<string, unknown>;

/** The seed's link types (the ones a new Jira site has). */
export const LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

let nextLinkId = 10000;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeJson(sim: SimState, t: (typeof LINK_TYPES)[number]): Json {
  return { ...t, self: `${sim.catalog.baseUrl}/rest/api/2/issueLinkType/${t.id}` };
}

/** GET /issueLinkType */
export function listLinkTypes(sim: SimState): Reply {
  return json(200, { issueLinkTypes: LINK_TYPES.map((t) => typeJson(sim, t)) });
}

function issueRef(sim: SimState, raw: unknown): SimIssue | undefined {
  if (!isObject(raw)) return undefined;
  const ref = typeof raw.key === 'string' ? raw.key : typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : null;
  return ref === null ? undefined : sim.issues.get(ref);
}

/** The other issue as a link shows it. */
function linked(sim: SimState, issue: SimIssue): Json {
  return {
    id: issue.id, key: issue.key, self: `${sim.catalog.baseUrl}/rest/api/2/issue/${issue.id}`,
    fields: { summary: issue.fields.summary, status: sim.catalog.status(issue.status), priority: issue.fields.priority, issuetype: issue.fields.issuetype },
  };
}

/** POST /issueLink → 201, empty body */
export function createLink(sim: SimState, req: Req): Reply {
  const body = req.body;
  if (!isObject(body) || !isObject(body.type) || body.inwardIssue === undefined || body.outwardIssue === undefined) {
    return jiraError(400, ['The issue link needs a "type" ({"name": …} or {"id": …}), an "inwardIssue" and an "outwardIssue".']);
  }
  const wanted = body.type;
  const type = LINK_TYPES.find((t) => (typeof wanted.name === 'string' && t.name.toLowerCase() === wanted.name.toLowerCase()) || (wanted.id !== undefined && t.id === String(wanted.id)));
  if (!type) return jiraError(404, [`No issue link type with name '${String(wanted.name ?? wanted.id)}' found.`]);
  const inward = issueRef(sim, body.inwardIssue);
  const outward = issueRef(sim, body.outwardIssue);
  if (!inward || !outward) return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
  if (inward === outward) return jiraError(400, ['You cannot link an issue to itself.']);
  const already = (inward.fields.issuelinks as Json[] | undefined ?? []).some((l) => isObject(l.outwardIssue) && l.outwardIssue.key === outward.key && isObject(l.type) && l.type.id === type.id);
  // Jira keeps one link of a type between two issues: the same request again changes nothing.
  if (already) return { status: 201 };
  const id = String(nextLinkId++);
  const self = `${sim.catalog.baseUrl}/rest/api/2/issueLink/${id}`;
  const t = typeJson(sim, type);
  (inward.fields.issuelinks as Json[]).push({ id, self, type: t, outwardIssue: linked(sim, outward) });
  (outward.fields.issuelinks as Json[]).push({ id, self, type: t, inwardIssue: linked(sim, inward) });
  return { status: 201 };
}
