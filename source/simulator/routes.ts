// The REST route table under /rest/api/{2,3,latest}/: which handler answers which
// method and path, per mode (Cloud's removed /search answers 410; /search/jql is Cloud's).
import type { Req, SimState } from './context.js';
import { jiraError, json, type Reply } from './reply.js';
import * as issue from './routes-issue.js';
import { createLink, listLinkTypes } from './routes-link.js';
import * as extra from './routes-extra.js';
import * as meta from './routes-meta.js';
import { SEARCH_GONE, searchJql, searchStartAt } from './routes-search.js';

function methodNotAllowed(): Reply {
  return { status: 405 };
}

/** Answers one authenticated REST request. */
export function route(sim: SimState, req: Req): Reply {
  const [a, b, c, d, e] = req.parts;
  const m = req.method;
  const n = req.parts.length;
  switch (a) {
    case 'serverInfo':
      if (n !== 1) break;
      return m === 'GET' ? meta.serverInfo(sim) : methodNotAllowed();
    case 'myself':
      if (n !== 1) break;
      return m === 'GET' ? meta.myself(sim, req) : methodNotAllowed();
    case 'field':
      if (n !== 1) break;
      return m === 'GET' ? json(200, sim.catalog.fields) : methodNotAllowed();
    case 'priority':
      if (n !== 1) break;
      return m === 'GET' ? json(200, sim.catalog.priorities) : methodNotAllowed();
    case 'project':
      if (n === 1) return m === 'GET' ? json(200, sim.catalog.projects) : methodNotAllowed();
      if (n === 2) return m === 'GET' ? meta.project(sim, req, b) : methodNotAllowed();
      if (n === 3 && c === 'statuses') return m === 'GET' ? meta.projectStatuses(sim, b) : methodNotAllowed();
      break;
    case 'issueLink':
      if (n !== 1) break;
      return m === 'POST' ? createLink(sim, req) : methodNotAllowed();
    case 'issueLinkType':
      if (n !== 1) break;
      return m === 'GET' ? listLinkTypes(sim) : methodNotAllowed();
    case 'search':
      if (n === 1) {
        if (m !== 'GET' && m !== 'POST') return methodNotAllowed();
        return sim.mode === 'cloud' ? json(410, SEARCH_GONE) : searchStartAt(sim, req);
      }
      if (n === 2 && b === 'jql' && sim.mode === 'cloud') {
        return m === 'GET' || m === 'POST' ? searchJql(sim, req) : methodNotAllowed();
      }
      break;
    case 'issue':
      if (n === 1) return m === 'POST' ? issue.createIssue(sim, req) : methodNotAllowed();
      if (b === 'createmeta') {
        if (n === 2) return m === 'GET' ? meta.createMetaOld(sim, req) : methodNotAllowed();
        if (n === 4 && d === 'issuetypes') return m === 'GET' ? meta.createMetaIssueTypes(sim, req, c) : methodNotAllowed();
        if (n === 5 && d === 'issuetypes') return m === 'GET' ? meta.createMetaFields(sim, req, c, e) : methodNotAllowed();
        break;
      }
      if (n === 2) {
        if (m === 'GET') return issue.getIssue(sim, req, b);
        if (m === 'PUT') return issue.editIssue(sim, req, b);
        return methodNotAllowed();
      }
      if (n === 3 && c === 'transitions') {
        if (m === 'GET') return issue.listTransitions(sim, req, b);
        if (m === 'POST') return issue.doTransition(sim, req, b);
        return methodNotAllowed();
      }
      if (n === 3 && c === 'watchers') {
        if (m === 'GET') return extra.listWatchers(sim, req, b);
        if (m === 'POST') return extra.addWatcher(sim, req, b);
        return methodNotAllowed();
      }
      if (n === 3 && c === 'assignee') return m === 'PUT' ? extra.setAssignee(sim, req, b) : methodNotAllowed();
      if (n === 3 && c === 'worklog') return m === 'POST' ? extra.addWorklog(sim, req, b) : methodNotAllowed();
      if (n === 3 && c === 'comment') {
        if (m === 'GET') return issue.listComments(sim, req, b);
        if (m === 'POST') return issue.addComment(sim, req, b);
        return methodNotAllowed();
      }
      break;
  }
  return jiraError(404, [`No REST resource at /rest/api/${req.api === 3 ? 3 : 2}/${req.parts.join('/')}`]);
}
