// What jiraline reaches only through custom endpoints (CALL lines): watchers, the assignee,
// work logs and issue links, with Jira's shapes and its refusals of a malformed body.
import type { Req, SimState } from './context.js';
import { jiraError, json, noIssue, type Reply } from './reply.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** POST /issue/{key}/watchers with a JSON string (an accountId, or a username on Server) → 204. */
export function addWatcher(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  if (typeof req.body !== 'string' || req.body === '') return jiraError(400, ['The request body must be the user\'s id as a JSON string.']);
  const watchers = (issue.watchers ??= []);
  if (!watchers.includes(req.body)) watchers.push(req.body);
  return { status: 204 };
}

/** GET /issue/{key}/watchers */
export function listWatchers(sim: SimState, _req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const watchers = issue.watchers ?? [];
  return json(200, { isWatching: false, watchCount: watchers.length, watchers: watchers.map((id) => ({ accountId: id, name: id, displayName: id })) });
}

/** PUT /issue/{key}/assignee with {accountId} (Cloud) or {name} (Server) → 204; null unassigns. */
export function setAssignee(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const body = req.body;
  if (!isObject(body) || !('accountId' in body || 'name' in body)) return jiraError(400, [], { assignee: 'Specify an accountId (or a name on Server).' });
  const who = body.accountId ?? body.name;
  if (who !== null && typeof who !== 'string') return jiraError(400, [], { assignee: 'The user must be a string or null.' });
  issue.fields.assignee = who === null ? null : { accountId: who, name: who, displayName: who };
  return { status: 204 };
}

/** POST /issue/{key}/worklog with timeSpent ("1h 30m") or timeSpentSeconds → 201 with the work log. */
export function addWorklog(sim: SimState, req: Req, key: string): Reply {
  const issue = sim.issues.get(key);
  if (!issue) return noIssue();
  const body = isObject(req.body) ? req.body : {};
  const spent = typeof body.timeSpentSeconds === 'number' ? body.timeSpentSeconds
    : typeof body.timeSpent === 'string' ? seconds(body.timeSpent) : null;
  if (spent === null || spent <= 0) return jiraError(400, [], { timeLogged: 'You must indicate the time spent working.' });
  const worklogs = (issue.worklogs ??= []);
  const worklog = { id: String(10000 + worklogs.length), issueId: issue.id, timeSpentSeconds: spent, comment: body.comment ?? null, started: body.started ?? null };
  worklogs.push(worklog);
  return json(201, { ...worklog, self: `${sim.catalog.baseUrl}/rest/api/${req.api}/issue/${issue.id}/worklog/${worklog.id}` });
}

function seconds(text: string): number | null {
  const units: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  let total = 0;
  for (const part of text.trim().split(/\s+/)) {
    const m = /^(\d+(?:\.\d+)?)([wdhm])$/.exec(part);
    if (!m) return null;
    total += Number(m[1]) * units[m[2]];
  }
  return total;
}
