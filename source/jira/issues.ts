// The issue resource at the Ticket Location URL: create (POST {location}), edit
// (PUT {location}/{key}), get, and comments.
import { textToAdf } from '../core/adf.js';
import type { CreatedIssue, IssuePayload, JiraIssue } from '../core/ports.js';
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

/** POST {location}/{key}/comment; the text goes as ADF on API 3, as a string on API 2. */
export async function addComment(t: Transport, ep: JiraEndpoint, key: string, text: string): Promise<void> {
  const body = ep.apiVersion === 3 ? textToAdf(text) : text;
  await t.call({ method: 'POST', path: `${ep.issuePath}/${keySegment(key)}/comment`, body: { body } });
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
