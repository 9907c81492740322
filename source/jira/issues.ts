// The issue resource at the Ticket Location URL: create (POST {location}), edit
// (PUT {location}/{key}), get, and comments.
import { adfToText, textToAdf } from '../core/adf.js';
import type { CommentPage, CreatedIssue, IssuePayload, JiraComment, JiraIssue } from '../core/ports.js';
import { expectObject, unexpected } from './server.js';
import type { Transport } from './transport.js';
import { keySegment, type JiraEndpoint } from './urls.js';

/** POST {location}: 201 {id, key, self}. */
export async function createIssue(t: Transport, ep: JiraEndpoint, body: IssuePayload): Promise<CreatedIssue> {
  const { json } = await t.call<Record<string, unknown>>({ method: 'POST', path: ep.issuePath, body });
  const o = expectObject(json, 'create issue');
  if (typeof o.key !== 'string' || o.key === '') throw unexpected('create issue (no key)', json);
  const id = String(o.id ?? '');
  return { id, key: o.key, self: typeof o.self === 'string' ? o.self : `${ep.origin}${ep.issuePath}/${id}` };
}

/** PUT {location}/{key} with `fields` and/or `update` verbs: 204. */
export async function editIssue(t: Transport, ep: JiraEndpoint, key: string, body: IssuePayload): Promise<void> {
  await t.call({ method: 'PUT', path: `${ep.issuePath}/${keySegment(key)}`, body });
}

/** GET {location}/{key}, optionally only some fields. */
export async function getIssue(t: Transport, ep: JiraEndpoint, key: string, fields?: string[]): Promise<JiraIssue> {
  const { json } = await t.call<Record<string, unknown>>({ method: 'GET', path: `${ep.issuePath}/${keySegment(key)}`,
    query: fields && fields.length > 0 ? { fields: fields.join(',') } : undefined });
  return toIssue(expectObject(json, 'get issue'));
}

/** The entity property jiraline sets on the comments it adds. */
export const COMMENT_PROPERTY = 'jiraline';

/**
 * POST {location}/{key}/comment; the text goes as ADF on API 3, as a string on API 2. A marker
 * goes as the comment's entity property (`properties` of the create body, kept by Jira Cloud
 * and Data Center), so that a comment whose answer was lost can be recognised.
 */
export async function addComment(t: Transport, ep: JiraEndpoint, key: string, text: string, marker?: Record<string, unknown>): Promise<void> {
  const body = ep.apiVersion === 3 ? textToAdf(text) : text;
  await t.call({ method: 'POST', path: `${ep.issuePath}/${keySegment(key)}/comment`,
    body: { body, ...(marker ? { properties: [{ key: COMMENT_PROPERTY, value: marker }] } : {}) } });
}

/** GET {location}/{key}/comment, newest first, with the comments' properties. */
export async function listComments(t: Transport, ep: JiraEndpoint, key: string, options: { startAt: number; maxResults: number }): Promise<CommentPage> {
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.issuePath}/${keySegment(key)}/comment`,
    query: { startAt: options.startAt, maxResults: options.maxResults, orderBy: '-created', expand: 'properties' } });
  const o = expectObject(json, 'comments');
  const list = Array.isArray(o.comments) ? o.comments : [];
  const comments: JiraComment[] = [];
  for (const c of list) if (c && typeof c === 'object') comments.push(toComment(c as Record<string, unknown>));
  return { comments, ...(typeof o.total === 'number' ? { total: o.total } : {}) };
}

/** Jira's time (2024-05-01T10:00:00.000+0200) as ms epoch, or null. */
export function parseJiraTime(raw: unknown): number | null {
  if (typeof raw !== 'string') return null;
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

// Everything here comes from Jira: read defensively, nothing trusted to have its type.
function toComment(c: Record<string, unknown>): JiraComment {
  const a = c.author && typeof c.author === 'object' ? (c.author as Record<string, unknown>) : {};
  const author = typeof a.accountId === 'string' ? a.accountId : typeof a.name === 'string' ? a.name : typeof a.key === 'string' ? a.key : null;
  const comment: JiraComment = { id: String(c.id ?? ''), text: adfToText(c.body), author, created: parseJiraTime(c.created) };
  if (Array.isArray(c.properties)) {
    const mine = c.properties.find((p) => !!p && typeof p === 'object' && (p as Record<string, unknown>).key === COMMENT_PROPERTY);
    if (mine) comment.marker = (mine as Record<string, unknown>).value;
  }
  return comment;
}

/** An issue object from Jira, with its fields defaulting to {}. */
export function toIssue(o: Record<string, unknown>): JiraIssue {
  return {
    id: String(o.id ?? ''),
    key: String(o.key ?? ''),
    ...(typeof o.self === 'string' ? { self: o.self } : {}),
    fields: o.fields && typeof o.fields === 'object' ? (o.fields as Record<string, unknown>) : {},
  };
}
