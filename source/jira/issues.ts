// The issue resource at the Ticket Location URL: create (POST {location}), edit
// (PUT {location}/{key}), get, and comments. What Jira answers is checked before it is
// used: a key or id that is not Jira's syntax is never stored, shown or written to a client.
import { adfToText, textToAdf } from '../core/adf.js';
import { JiraError } from '../core/jira-error.js';
import type { CommentPage, CreatedIssue, IssuePayload, JiraComment, JiraIssue } from '../core/ports.js';
import { neutralise, oneLine } from '../core/safe-text.js';
import { ANSWER_CAPS } from './answer-body.js';
import { expectObject } from './server.js';
import type { Transport } from './transport.js';
import { keySegment, type JiraEndpoint } from './urls.js';

/**
 * An issue key: the project key (an uppercase letter, then uppercase letters, digits or
 * underscores, as Jira's project key rules allow) and the issue's number.
 */
const issueKeyPattern = /^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$/;
const issueIdPattern = /^[1-9][0-9]{0,18}$/;

/** Whether Jira's text is an issue key (`OPS-123`). */
export function isIssueKey(value: unknown): value is string {
  return typeof value === 'string' && issueKeyPattern.test(value);
}

/** Whether Jira's value is an issue id (digits; Jira sends it as a string, sometimes as a number). */
export function isIssueId(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && issueIdPattern.test(String(value));
}

/** Cause of the error for a 2xx to a create that names no usable ticket. */
export const UNKNOWN_OUTCOME_CAUSE = 'unknown-outcome';

/**
 * A create answered 2xx without a usable key (cut short, not JSON, no key, a key that is
 * not Jira's syntax): Jira may well have made the ticket, so this is not a refusal. The
 * error is a passing one, which the engine treats like a lost answer — the ticket is
 * looked up by its label before the CREATE is sent again.
 */
function unknownOutcome(status: number, why: string): JiraError {
  const message = `Jira answered ${status} to the create without a usable ticket key (${oneLine(why, 200)}) — `
    + 'whether the ticket was made is unknown: jiraline looks it up by its label before sending again';
  return new JiraError({ status, retryable: true, cause: UNKNOWN_OUTCOME_CAUSE, message, messages: [message] });
}

/** A ticket URL from Jira: http(s), no spaces or control characters; otherwise null. */
function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048 || /\s/.test(value) || neutralise(value) !== value) return null;
  return /^https?:\/\//i.test(value) ? value : null;
}

/** POST {location}: 201 {id, key, self}. */
export async function createIssue(t: Transport, ep: JiraEndpoint, body: IssuePayload): Promise<CreatedIssue> {
  let status: number;
  let json: Record<string, unknown> | undefined;
  try {
    ({ status, json } = await t.call<Record<string, unknown>>({ method: 'POST', path: ep.issuePath, body }));
  } catch (error) {
    // A 2xx that could not be read (cut at its cap, not JSON): the create may have happened.
    if (error instanceof JiraError && error.status >= 200 && error.status < 300) throw unknownOutcome(error.status, error.message);
    throw error;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw unknownOutcome(status, json === undefined ? 'an empty body' : 'not an object');
  if (!isIssueKey(json.key)) throw unknownOutcome(status, json.key === undefined ? 'no key' : 'the key is not of the form PROJECT-123');
  if (!isIssueId(json.id)) throw unknownOutcome(status, json.id === undefined ? 'no id' : 'the id is not a number');
  const id = String(json.id);
  return { id, key: json.key, self: safeUrl(json.self) ?? `${ep.origin}${ep.issuePath}/${id}` };
}

/** PUT {location}/{key} with `fields` and/or `update` verbs: 204. */
export async function editIssue(t: Transport, ep: JiraEndpoint, key: string, body: IssuePayload): Promise<void> {
  await t.call({ method: 'PUT', path: `${ep.issuePath}/${keySegment(key)}`, body, discardBody: true });
}

/** GET {location}/{key}, optionally only some fields. */
export async function getIssue(t: Transport, ep: JiraEndpoint, key: string, fields?: string[]): Promise<JiraIssue> {
  const { json } = await t.call<Record<string, unknown>>({ method: 'GET', path: `${ep.issuePath}/${keySegment(key)}`,
    query: fields && fields.length > 0 ? { fields: fields.join(',') } : undefined, maxBytes: ANSWER_CAPS.large });
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
    body: { body, ...(marker ? { properties: [{ key: COMMENT_PROPERTY, value: marker }] } : {}) }, discardBody: true });
}

/** GET {location}/{key}/comment, newest first, with the comments' properties. */
export async function listComments(t: Transport, ep: JiraEndpoint, key: string, options: { startAt: number; maxResults: number }): Promise<CommentPage> {
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.issuePath}/${keySegment(key)}/comment`,
    query: { startAt: options.startAt, maxResults: options.maxResults, orderBy: '-created', expand: 'properties' }, maxBytes: ANSWER_CAPS.large });
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

/** An issue object from Jira, with its fields defaulting to {}; a key or id not of Jira's syntax becomes ''. */
export function toIssue(o: Record<string, unknown>): JiraIssue {
  const self = safeUrl(o.self);
  return {
    id: isIssueId(o.id) ? String(o.id) : '',
    key: isIssueKey(o.key) ? o.key : '',
    ...(self !== null ? { self } : {}),
    fields: o.fields && typeof o.fields === 'object' ? (o.fields as Record<string, unknown>) : {},
  };
}
