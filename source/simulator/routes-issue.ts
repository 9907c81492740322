// The issue resource: create, get, edit, transitions, comments — each refusing what
// Jira refuses, with Jira's 400/404 bodies.
import { checkCommentBody, planChange, cannotBeSet } from './changes.js';
import type { Req, SimState } from './context.js';
import { parseFieldFilter } from './issues.js';
import { jiraError, json, noIssue, type Reply } from './reply.js';
import { TRANSITIONS } from './seed.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function author(sim: SimState, req: Req): Record<string, unknown> {
  return sim.catalog.userRefJson(sim.me(req));
}

/** POST /issue → 201 {id, key, self} */
export function createIssue(sim: SimState, req: Req): Reply {
  const checked = planChange(req.body, null, sim.catalog, req.api);
  if (!checked.ok) return json(400, checked.error);
  // A create may carry a transition (IssueUpdateDetails.transition); it is checked before
  // anything is made, so a bad one leaves no issue behind.
  const t = isObject(req.body) && isObject(req.body.transition) ? req.body.transition : null;
  let to: string | null = null;
  if (t) {
    const id = typeof t.id === 'string' || typeof t.id === 'number' ? String(t.id) : '';
    const transition = TRANSITIONS.find((x) => x.id === id && x.from.includes('To Do'));
    if (!transition) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
    to = transition.to;
  }
  const now = sim.now();
  const issue = sim.issues.create(checked.plan, author(sim, req), now);
  if (to) sim.issues.setStatus(issue, to, now);
  return json(201, {
    id: issue.id, key: issue.key, self: `${sim.catalog.baseUrl}/rest/api/${req.api}/issue/${issue.id}`,
    ...(to ? { transition: { status: 200, errorCollection: { errorMessages: [], errors: {} } } } : {}),
  });
}

/** GET /issue/{key} */
export function getIssue(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  return json(200, sim.issues.render(issue, req.api, parseFieldFilter(req.query.get('fields') ?? undefined, 'all'), author(sim, req)));
}

/** PUT /issue/{key} → 204 (200 with the issue when returnIssue=true) */
export function editIssue(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const checked = planChange(req.body, issue, sim.catalog, req.api);
  if (!checked.ok) return json(400, checked.error);
  sim.issues.edit(issue, checked.plan, sim.now(), author(sim, req));
  if (req.query.get('returnIssue') === 'true') {
    return json(200, sim.issues.render(issue, req.api, parseFieldFilter(undefined, 'all'), author(sim, req)));
  }
  return { status: 204 };
}

/** GET /issue/{key}/transitions */
export function listTransitions(sim: SimState, _req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  return json(200, { expand: 'transitions', transitions: sim.catalog.transitionsFrom(issue.status) });
}

/** POST /issue/{key}/transitions → 204 */
export function doTransition(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const body = req.body;
  const t = isObject(body) && isObject(body.transition) ? body.transition : null;
  const id = t && (typeof t.id === 'string' || typeof t.id === 'number') ? String(t.id) : null;
  if (id === null) return jiraError(400, ["Missing 'transition' identifier"]);
  const transition = TRANSITIONS.find((x) => x.id === id && x.from.includes(issue.status));
  if (!transition) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
  // The seed's transitions have no screen: only a comment may ride along, as on Jira.
  const errors: Record<string, string> = {};
  if (isObject(body) && isObject(body.fields)) for (const f of Object.keys(body.fields)) errors[f] = cannotBeSet(f);
  const comments: unknown[] = [];
  if (isObject(body) && isObject(body.update)) {
    for (const [f, ops] of Object.entries(body.update)) {
      if (f !== 'comment') {
        errors[f] = cannotBeSet(f);
        continue;
      }
      for (const op of Array.isArray(ops) ? ops : [null]) {
        const add = isObject(op) && isObject(op.add) ? op.add : null;
        const problem = add ? checkCommentBody(add.body, req.api) : "Field 'comment' takes [{\"add\": {\"body\": …}}].";
        if (problem) errors.comment = problem;
        else comments.push(add!.body);
      }
    }
  }
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  const now = sim.now();
  sim.issues.setStatus(issue, transition.to, now);
  for (const c of comments) sim.issues.addComment(issue, c, now, author(sim, req));
  return { status: 204 };
}

/** Entity properties of a comment's create body: a list of {key, value}, as Jira takes them. */
function commentProperties(raw: unknown): Array<{ key: string; value: unknown }> | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return 'properties: expected a list of {"key": …, "value": …}';
  const out: Array<{ key: string; value: unknown }> = [];
  for (const p of raw) {
    if (!isObject(p) || typeof p.key !== 'string' || p.key === '' || p.key.length > 255) return 'properties: each needs a "key" of 1 to 255 characters';
    if (JSON.stringify(p.value ?? null).length > 32768) return 'properties: the value of a property is limited to 32768 characters';
    out.push({ key: p.key, value: p.value ?? null });
  }
  return out;
}

/** POST /issue/{key}/comment → 201 with the comment (and its properties, kept unless the simulator drops them) */
export function addComment(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const body = isObject(req.body) ? req.body.body : undefined;
  const problem = checkCommentBody(body, req.api);
  if (problem) return jiraError(400, [], { comment: problem });
  const properties = commentProperties(isObject(req.body) ? req.body.properties : undefined);
  if (typeof properties === 'string') return jiraError(400, [properties]);
  const comment = sim.issues.addComment(issue, body, sim.now(), author(sim, req), sim.dropCommentProperties() ? [] : properties);
  return json(201, sim.issues.renderComment(issue, comment, req.api, author(sim, req)));
}

/** GET /issue/{key}/comment?startAt&maxResults&orderBy=[-+]created&expand=properties */
export function listComments(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const startAt = Number(req.query.get('startAt') ?? 0);
  const maxResults = Number(req.query.get('maxResults') ?? 5000);
  if (!Number.isInteger(startAt) || startAt < 0) return jiraError(400, [`The value '${req.query.get('startAt')}' is not valid for startAt.`]);
  if (!Number.isInteger(maxResults) || maxResults < 0) return jiraError(400, [`The value '${req.query.get('maxResults')}' is not valid for maxResults.`]);
  const orderBy = req.query.get('orderBy') ?? 'created';
  if (!/^[-+]?created$/.test(orderBy)) return jiraError(400, [`The value '${orderBy}' is not valid for orderBy: use created or -created.`]);
  const withProperties = (req.query.get('expand') ?? '').split(',').map((s) => s.trim()).includes('properties');
  const all = orderBy.startsWith('-') ? [...issue.comments].reverse() : issue.comments;
  const page = all.slice(startAt, startAt + Math.min(maxResults, 5000));
  const comments = page.map((c) => sim.issues.renderComment(issue, c, req.api, author(sim, req), withProperties));
  return json(200, { startAt, maxResults: Math.min(maxResults, 5000), total: all.length, comments });
}
