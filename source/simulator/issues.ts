// The simulator's issues, in memory: creation, edits, comments, transitions, and
// rendering as GET /issue and the searches answer, per API version and `fields` filter.
import { renderRichText } from './adf.js';
import { jiraTime, type Catalog } from './catalog.js';
import { applySteps, type Plan } from './changes.js';
import { FIELDS, type SeedProject } from './seed.js';
import type { SimComment, SimIssue } from './types.js';

type Json = Record<string, unknown>;

/** Which fields a rendering includes: every field, none, or a set (with exclusions). */
export type FieldFilter = { all: boolean; include: Set<string>; exclude: Set<string> };

/** Parses Jira's `fields` parameter (comma list or array; *all, *navigable, -field). */
export function parseFieldFilter(raw: unknown, fallback: 'all' | 'none'): FieldFilter {
  const items = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [])
    .map((s) => String(s).trim()).filter((s) => s !== '');
  const filter: FieldFilter = { all: items.length === 0 && fallback === 'all', include: new Set(), exclude: new Set() };
  for (const item of items) {
    if (item === '*all' || item === '*navigable') filter.all = true;
    else if (item.startsWith('-')) filter.exclude.add(item.slice(1));
    else filter.include.add(item);
  }
  return filter;
}

const ARRAY_FIELDS = new Set(FIELDS.filter((f) => f.schema?.type === 'array').map((f) => f.id));
const RICH_TEXT = new Set(FIELDS.filter((f) => f.kind === 'richtext').map((f) => f.id));
const RENDERED = FIELDS.filter((f) => f.id !== 'issuekey').map((f) => f.id);

/** The issues of one simulator. */
export class IssueStore {
  private readonly list: SimIssue[] = [];
  private readonly byKey = new Map<string, SimIssue>();
  private readonly byId = new Map<string, SimIssue>();
  private readonly counters = new Map<string, number>();
  private nextId = 10000;
  private nextCommentId = 10000;

  constructor(private readonly catalog: Catalog) {}

  /** Every issue in creation order (the live list: for searches, which only read it). */
  all(): readonly SimIssue[] {
    return this.list;
  }

  /** An issue by key (case-insensitive) or id. */
  get(keyOrId: string): SimIssue | undefined {
    return this.byKey.get(keyOrId.toUpperCase()) ?? this.byId.get(keyOrId);
  }

  /** Makes an issue from a checked create plan. */
  create(plan: Plan, reporter: Json, now: number): SimIssue {
    const project = plan.project as SeedProject;
    const n = (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, n);
    const id = String(this.nextId++);
    const key = `${project.key}-${n}`;
    const time = jiraTime(now);
    const fields: Json = {
      labels: [], components: [], fixVersions: [], versions: [], priority: this.catalog.priority('name', 'Medium'),
      assignee: null, reporter, creator: reporter, created: time, updated: time, resolution: null, resolutiondate: null,
      issuelinks: [], subtasks: [],
      watches: { self: `${this.catalog.baseUrl}/rest/api/2/issue/${key}/watchers`, watchCount: 1, isWatching: true },
      votes: { self: `${this.catalog.baseUrl}/rest/api/2/issue/${key}/votes`, votes: 0, hasVoted: false },
    };
    applySteps(fields, plan.steps);
    const issue: SimIssue = { id, key, fields, comments: [], status: 'To Do' };
    this.list.push(issue);
    this.byKey.set(key, issue);
    this.byId.set(id, issue);
    for (const body of plan.comments) this.addComment(issue, body, now, reporter);
    return issue;
  }

  /** Applies a checked edit plan. */
  edit(issue: SimIssue, plan: Plan, now: number, author?: Json): void {
    applySteps(issue.fields, plan.steps);
    for (const body of plan.comments) this.addComment(issue, body, now, author);
    issue.fields.updated = jiraTime(now);
  }

  /** Adds a checked comment body (by `author`, with entity properties); returns the comment. */
  addComment(issue: SimIssue, body: unknown, now: number, author?: Json, properties?: SimComment['properties']): SimComment {
    const comment: SimComment = { id: String(this.nextCommentId++), body, created: jiraTime(now),
      ...(author ? { author } : {}), ...(properties && properties.length > 0 ? { properties } : {}) };
    issue.comments.push(comment);
    issue.fields.updated = comment.created;
    return comment;
  }

  /** Moves an issue to a status; Done sets the resolution, leaving Done clears it. */
  setStatus(issue: SimIssue, status: string, now: number): void {
    issue.status = status;
    const time = jiraTime(now);
    const done = status === 'Done';
    issue.fields.resolution = done ? this.catalog.resolutionDone : null;
    issue.fields.resolutiondate = done ? time : null;
    issue.fields.updated = time;
  }

  /** A comment as Jira renders it; its properties only when asked for (`expand=properties`). */
  renderComment(issue: SimIssue, c: SimComment, api: 2 | 3, author: Json, withProperties = false): Json {
    const by = c.author ?? author;
    return {
      self: `${this.catalog.baseUrl}/rest/api/${api}/issue/${issue.id}/comment/${c.id}`, id: c.id, author: by,
      body: renderRichText(c.body, api), updateAuthor: by, created: c.created, updated: c.created, jsdPublic: true,
      ...(withProperties ? { properties: c.properties ?? [] } : {}),
    };
  }

  /** An issue as GET /issue/{key} (or a search) renders it. */
  render(issue: SimIssue, api: 2 | 3, filter: FieldFilter, author: Json): Json {
    const out: Json = { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: issue.id,
      self: `${this.catalog.baseUrl}/rest/api/${api}/issue/${issue.id}`, key: issue.key };
    const wanted = (id: string) => !filter.exclude.has(id) && (filter.all || filter.include.has(id));
    if (!filter.all && filter.include.size === 0) return out;
    const fields: Json = {};
    for (const id of RENDERED) {
      if (!wanted(id)) continue;
      if (id === 'status') fields.status = this.catalog.status(issue.status);
      else if (id === 'comment') {
        const comments = issue.comments.map((c) => this.renderComment(issue, c, api, author));
        fields.comment = { comments, self: `${this.catalog.baseUrl}/rest/api/${api}/issue/${issue.id}/comment`,
          maxResults: comments.length, total: comments.length, startAt: 0 };
      } else {
        const v = issue.fields[id];
        fields[id] = v === undefined ? (ARRAY_FIELDS.has(id) ? [] : null) : RICH_TEXT.has(id) ? renderRichText(v, api) : v;
      }
    }
    out.fields = fields;
    return out;
  }
}
