// URL joining: the Jira URL and the Ticket Location URL come from people, who type
// slashes (or leave them out) anywhere. Everything here is pure so it can be tested alone.
import { ConfigError } from '../core/config.js';

/** Where requests go: the origin the connection pool is bound to and the path prefix in front of every call. */
export interface JiraEndpoint {
  /** scheme://host[:port], no path. */
  origin: string;
  /** The Jira URL without trailing slash, e.g. https://h/jira (browse links start here). */
  baseUrl: string;
  /** Path of the Jira URL ('' or '/jira'), no trailing slash. */
  basePath: string;
  /** Path of the issue resource from the origin, e.g. /jira/rest/api/2/issue. */
  issuePath: string;
  /** Path of the REST API root the issue resource lives in, e.g. /jira/rest/api/2. */
  apiPath: string;
  /** Path of the context in front of rest/api (basePath plus any prefix the location adds). */
  contextPath: string;
  /** 3 when the location names API 3, else 2. */
  apiVersion: 2 | 3;
}

/** The default Ticket Location URL. */
export const defaultTicketLocation = 'rest/api/latest/issue';

/** Joins path pieces with exactly one slash between them; the result starts with '/' and has no trailing slash. */
export function joinPath(...parts: string[]): string {
  const segments = parts.flatMap((p) => p.split('/')).filter((s) => s !== '');
  return '/' + segments.join('/');
}

/** 3 when the Ticket Location URL names API 3 (rich text goes as ADF), else 2. */
export function apiVersionOf(ticketLocation: string): 2 | 3 {
  return /(^|\/)api\/3(\/|$)/.test(locationPath(ticketLocation)) ? 3 : 2;
}

// A location typed as a whole URL is accepted for its path: people paste what the browser shows.
function locationPath(ticketLocation: string): string {
  const trimmed = ticketLocation.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).pathname;
    } catch {
      return trimmed;
    }
  }
  return trimmed.split(/[?#]/)[0];
}

/** Parses the Jira URL and the Ticket Location URL into the paths every call is built from. */
export function resolveEndpoint(jiraUrl: string, ticketLocation = defaultTicketLocation): JiraEndpoint {
  let url: URL;
  try {
    url = new URL(jiraUrl.trim());
  } catch {
    throw new ConfigError(`jira.url: expected an http(s) URL such as https://jira.example.com, got "${jiraUrl}"`, 'jira.url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`jira.url: expected an http or https URL, got scheme ${url.protocol}`, 'jira.url');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('jira.url: put no credentials in the URL — use `jiraline auth set`', 'jira.url');
  }
  const basePath = joinPath(url.pathname) === '/' ? '' : joinPath(url.pathname);
  const location = locationPath(ticketLocation || defaultTicketLocation);
  // A pasted absolute location already holds the base path; don't add it twice.
  const alreadyRooted = /^https?:\/\//i.test(ticketLocation.trim()) && basePath !== '' && joinPath(location).startsWith(basePath + '/');
  const issuePath = alreadyRooted ? joinPath(location) : joinPath(basePath, location);
  const api = /^(.*?\/rest\/api\/[^/]+)(\/|$)/.exec(issuePath);
  const apiVersion = apiVersionOf(location);
  const apiPath = api ? api[1] : joinPath(basePath, 'rest/api', String(apiVersion));
  const contextPath = api ? apiPath.replace(/\/rest\/api\/[^/]+$/, '') : basePath;
  return { origin: url.origin, baseUrl: url.origin + basePath, basePath, issuePath, apiPath, contextPath, apiVersion };
}

/** Appends a query string of the defined values to a path. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** An issue key or id made safe as one path segment. */
export function keySegment(key: string): string {
  return encodeURIComponent(key.trim());
}
