// JQL search, one page at a time. Cloud: POST /rest/api/3/search/jql with nextPageToken
// paging; Server/Data Center: POST /rest/api/2/search with startAt. Cloud answers 410 on
// the removed /search: the client then switches to /search/jql for good.
import { JiraError } from '../core/jira-error.js';
import type { SearchResult, ServerInfo } from '../core/ports.js';
import { toIssue } from './issues.js';
import { expectObject, looksLikeCloud } from './server.js';
import type { Transport } from './transport.js';
import type { JiraEndpoint } from './urls.js';
import { ANSWER_CAPS } from './answer-body.js';

/** What the client knows about which search endpoint works. */
export interface SearchState {
  deployment: ServerInfo['deploymentType'] | undefined;
  /** Set once the old endpoint answered 410. */
  jqlEndpoint: boolean;
}

/** Options of one search page. */
export interface SearchOptions {
  fields?: string[];
  maxResults?: number;
  nextPageToken?: string;
  startAt?: number;
}

/** Whether this search goes to /search/jql. */
export function usesJqlEndpoint(state: SearchState, ep: JiraEndpoint): boolean {
  if (state.jqlEndpoint) return true;
  if (state.deployment !== undefined) return state.deployment === 'Cloud';
  return looksLikeCloud(ep.origin);
}

/** One page of a JQL search on the endpoint this Jira has. */
export async function search(t: Transport, ep: JiraEndpoint, state: SearchState, jql: string, options: SearchOptions = {}): Promise<SearchResult> {
  if (!usesJqlEndpoint(state, ep)) {
    try {
      return await searchClassic(t, ep, jql, options);
    } catch (error) {
      if (!(error instanceof JiraError) || error.status !== 410) throw error;
      state.jqlEndpoint = true;
    }
  }
  return searchJql(t, ep, jql, options);
}

async function searchJql(t: Transport, ep: JiraEndpoint, jql: string, options: SearchOptions): Promise<SearchResult> {
  // /search/jql returns only ids unless fields are asked for.
  const body = { jql, maxResults: options.maxResults ?? 50, fields: options.fields ?? ['*navigable'],
    ...(options.nextPageToken ? { nextPageToken: options.nextPageToken } : {}) };
  const { json } = await t.call<unknown>({ method: 'POST', path: `${ep.contextPath}/rest/api/3/search/jql`, body, maxBytes: ANSWER_CAPS.large });
  const o = expectObject(json, 'search');
  const result: SearchResult = { issues: issuesOf(o) };
  if (typeof o.nextPageToken === 'string' && o.nextPageToken !== '' && o.isLast !== true) result.nextPageToken = o.nextPageToken;
  if (typeof o.total === 'number') result.total = o.total;
  return result;
}

async function searchClassic(t: Transport, ep: JiraEndpoint, jql: string, options: SearchOptions): Promise<SearchResult> {
  const body = { jql, startAt: options.startAt ?? 0, maxResults: options.maxResults ?? 50, ...(options.fields ? { fields: options.fields } : {}) };
  const { json } = await t.call<unknown>({ method: 'POST', path: `${ep.contextPath}/rest/api/2/search`, body, maxBytes: ANSWER_CAPS.large });
  const o = expectObject(json, 'search');
  return { issues: issuesOf(o), ...(typeof o.total === 'number' ? { total: o.total } : {}) };
}

function issuesOf(o: Record<string, unknown>) {
  return Array.isArray(o.issues)
    // An issue whose key is not Jira's syntax is left out: it can be neither shown nor adopted.
    ? o.issues.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object').map(toIssue).filter((i) => i.key !== '')
    : [];
}
