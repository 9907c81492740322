// A scripted Jira for fast engine tests. It behaves like Jira where the engine can tell:
// creates return {id, key, self} with increasing keys and refuse a body without project,
// issuetype or summary; edits apply fields and label/comment verbs; transitions follow the
// status names; a search returns only issues it made (plus any decoys a test adds).
// Tests script failures per method, and can hold calls in flight with a gate.
import { JiraError } from '../../source/core/jira-error.js';
import type {
  CallOptions, Clock, CommentPage, CreatedIssue, CreateMetaField, CreateMetaIssueType, FieldDef, IssuePayload, JiraIssue, JiraPort, JiraUser,
  SearchResult, ServerInfo, Transition,
} from '../../source/core/ports.js';
import { BUILTIN_FIELDS } from '../../source/core/builtin-fields.js';

/** One recorded call. */
export interface FakeCall {
  method: string;
  args: unknown[];
  at: number;
  /** What the caller passed with the call (the engine's stop signal), when the method records it. */
  call?: CallOptions;
}

/** A scripted outcome: throw before Jira acts, or act and then throw (the answer was lost). */
export type Outcome = JiraError | { after: JiraError };

/** An issue as the fake keeps it. */
export interface FakeIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: string[];
  status: string;
}

const STATUSES = ['To Do', 'In Progress', 'Done'];

/** The custom fields the fake reports besides the built-in system ones. */
export const FAKE_CUSTOM_FIELDS: FieldDef[] = [
  { id: 'customfield_10010', name: 'Severity', custom: true,
    schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10010 } },
  { id: 'customfield_10011', name: 'Story Points', custom: true,
    schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10011 } },
];

/** A 4xx/5xx as the client would throw it. */
export function httpError(status: number, options: { retryAfterMs?: number; messages?: string[]; fieldErrors?: Record<string, string>;
  rateLimitReason?: string } = {}): JiraError {
  return new JiraError({ status, message: `Jira answered ${status}`, retryAfterMs: options.retryAfterMs ?? null,
    rateLimitReason: options.rateLimitReason ?? null,
    messages: options.messages ?? [], fieldErrors: options.fieldErrors ?? {} });
}

/** A connection failure or timeout (status 0). */
export function networkError(cause: 'network' | 'timeout' | 'unreached' = 'timeout'): JiraError {
  return new JiraError({ status: 0, message: `request failed: ${cause}`, cause });
}

/** A fake JiraPort; see the file comment. */
export class FakeJira implements JiraPort {
  readonly baseUrl = 'https://jira.example.test';
  apiVersion: 2 | 3 = 2;
  deploymentType: ServerInfo['deploymentType'] = 'Server';
  readonly calls: FakeCall[] = [];
  readonly issues = new Map<string, FakeIssue>();
  /** A search finds an issue only this long after it was made (Jira Cloud's index trails; 0: at once). */
  searchLagMs = 0;
  private readonly madeAt = new Map<string, number>();
  /** Issues every search returns although they do not match (to test that only a real match is adopted). */
  decoys: JiraIssue[] = [];
  fieldDefs: FieldDef[] = [...BUILTIN_FIELDS, ...FAKE_CUSTOM_FIELDS];
  private readonly scripts = new Map<string, Outcome[]>();
  private readonly gates = new Map<string, { promise: Promise<void>; release: () => void }>();
  private counter = 0;

  constructor(private readonly clock: Clock) {}

  /** The next calls of `method` meet these outcomes in turn, then succeed again. */
  script(method: keyof JiraPort, ...outcomes: Outcome[]): this {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...outcomes]);
    return this;
  }

  /** Drops the outcomes still scripted (for every method when none is named): Jira is back. */
  unscript(method?: keyof JiraPort): this {
    if (method) this.scripts.delete(method);
    else this.scripts.clear();
    return this;
  }

  /** Calls of `method` wait (after being recorded) until the returned function is called. */
  hold(method: keyof JiraPort): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => { release = resolve; });
    const gate = { promise, release: () => { this.gates.delete(method); release(); } };
    this.gates.set(method, gate);
    return gate.release;
  }

  /** The recorded calls of one method. */
  callsOf(method: keyof JiraPort): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The issues made, in creation order. */
  created(): FakeIssue[] {
    return [...this.issues.values()];
  }

  private async enter(method: string, args: unknown[], call?: CallOptions): Promise<{ after: JiraError } | undefined> {
    this.calls.push({ method, args: structuredClone(args), at: this.clock.now(), ...(call ? { call } : {}) });
    const gate = this.gates.get(method);
    if (gate) await gate.promise;
    const outcome = this.scripts.get(method)?.shift();
    if (outcome instanceof JiraError) throw outcome;
    return outcome;
  }

  private async run<T>(method: string, args: unknown[], act: () => T, call?: CallOptions): Promise<T> {
    const outcome = await this.enter(method, args, call);
    const result = act();
    if (outcome) throw outcome.after;
    return result;
  }

  private issue(key: string): FakeIssue {
    const issue = this.issues.get(key);
    if (!issue) throw httpError(404, { messages: ['Issue does not exist or you do not have permission to see it.'] });
    return issue;
  }

  serverInfo(): Promise<ServerInfo> {
    return this.run('serverInfo', [], () => ({ deploymentType: this.deploymentType, version: '9.12.0', baseUrl: this.baseUrl }));
  }

  myself(): Promise<JiraUser> {
    return this.run('myself', [], () => ({ name: 'ops-bot', displayName: 'Ops Bot' }));
  }

  fields(): Promise<FieldDef[]> {
    return this.run('fields', [], () => structuredClone(this.fieldDefs));
  }

  createMetaIssueTypes(_project: string): Promise<CreateMetaIssueType[]> {
    return this.run('createMetaIssueTypes', [_project], () => [{ id: '10001', name: 'Incident' }]);
  }

  createMetaFields(project: string, issueTypeId: string): Promise<CreateMetaField[]> {
    return this.run('createMetaFields', [project, issueTypeId], () => []);
  }

  createIssue(body: IssuePayload, call?: CallOptions): Promise<CreatedIssue> {
    return this.run('createIssue', [body], () => {
      const fields = body.fields ?? {};
      const errors: Record<string, string> = {};
      for (const f of ['project', 'issuetype', 'summary']) if (fields[f] === undefined || fields[f] === '') errors[f] = `${f} is required.`;
      if (Object.keys(errors).length > 0) throw httpError(400, { fieldErrors: errors });
      const project = (fields.project as { key?: string }).key ?? 'OPS';
      const n = ++this.counter;
      const issue: FakeIssue = { id: String(10000 + n), key: `${project}-${n}`, fields: structuredClone(fields), comments: [], status: 'To Do' };
      this.issues.set(issue.key, issue);
      this.madeAt.set(issue.key, this.clock.now());
      return { id: issue.id, key: issue.key, self: `${this.baseUrl}/rest/api/2/issue/${issue.id}` };
    }, call);
  }

  editIssue(key: string, body: IssuePayload): Promise<void> {
    return this.run('editIssue', [key, body], () => {
      const issue = this.issue(key);
      Object.assign(issue.fields, structuredClone(body.fields ?? {}));
      let labels = [...((issue.fields.labels as string[] | undefined) ?? [])];
      for (const op of body.update?.labels ?? []) {
        if ('add' in op && !labels.includes(op.add as string)) labels.push(op.add as string);
        if ('remove' in op) labels = labels.filter((l) => l !== op.remove);
        if ('set' in op) labels = [...(op.set as string[])];
      }
      issue.fields.labels = labels;
      for (const op of body.update?.comment ?? []) {
        const add = op.add as { body: unknown } | undefined;
        if (add) {
          issue.comments.push(String(add.body));
          const info = this.commentInfo.get(key) ?? [];
          info[issue.comments.length - 1] = { at: this.clock.now() };
          this.commentInfo.set(key, info);
        }
      }
    });
  }

  transitions(key: string): Promise<Transition[]> {
    return this.run('transitions', [key], () => this.available(this.issue(key)));
  }

  private available(issue: FakeIssue): Transition[] {
    return STATUSES.filter((s) => s !== issue.status).map((s, i) => ({ id: String(11 + 10 * i), name: `Go ${s}`, to: { id: s, name: s } }));
  }

  transitionTo(key: string, statusName: string): Promise<Transition> {
    return this.run('transitionTo', [key, statusName], () => {
      const issue = this.issue(key);
      const options = this.available(issue);
      const match = options.find((t) => t.to.name.toLowerCase() === statusName.toLowerCase());
      if (!match) {
        throw new JiraError({ status: 400, retryable: false, cause: 'no-transition', message: `no transition to '${statusName}'`,
          messages: [`No transition of ${key} leads to '${statusName}'; available: ${options.map((t) => t.to.name).join(', ')}`] });
      }
      issue.status = match.to.name;
      return match;
    });
  }

  /** Comment properties are not kept (a Jira that ignores them). */
  dropsCommentProperties = false;
  /** Per issue key, what Jira knows of each comment besides its text: its property and time. */
  private readonly commentInfo = new Map<string, Array<{ marker?: unknown; at: number }>>();

  addComment(key: string, text: string, marker?: Record<string, unknown>): Promise<void> {
    return this.run('addComment', marker ? [key, text, marker] : [key, text], () => {
      this.issue(key).comments.push(text);
      const info = this.commentInfo.get(key) ?? [];
      info[this.issue(key).comments.length - 1] = { ...(marker && !this.dropsCommentProperties ? { marker: structuredClone(marker) } : {}), at: this.clock.now() };
      this.commentInfo.set(key, info);
    });
  }

  comments(key: string, options: { startAt: number; maxResults: number }): Promise<CommentPage> {
    return this.run('comments', [key, options], () => {
      const issue = this.issue(key);
      const info = this.commentInfo.get(key) ?? [];
      const all = issue.comments.map((text, i) => ({ id: String(i + 1), text, author: 'ops-bot', created: info[i]?.at ?? 0,
        ...(info[i]?.marker !== undefined ? { marker: structuredClone(info[i].marker) } : {}) })).reverse();
      return { comments: all.slice(options.startAt, options.startAt + options.maxResults), total: all.length };
    });
  }

  getIssue(key: string, fields?: string[]): Promise<JiraIssue> {
    return this.run('getIssue', fields === undefined ? [key] : [key, fields], () => {
      const issue = this.issue(key);
      // As Jira: a Done issue carries a resolution (what tells a resolved ticket).
      return { id: issue.id, key: issue.key, fields: { ...structuredClone(issue.fields), status: { name: issue.status },
        ...(issue.status === 'Done' ? { resolution: { name: 'Done' } } : {}) } };
    });
  }

  /** Links as made: [type, inward key, outward key]. */
  readonly links: Array<[string, string, string]> = [];

  linkIssues(type: string, inwardKey: string, outwardKey: string): Promise<void> {
    return this.run('linkIssues', [type, inwardKey, outwardKey], () => {
      this.issue(inwardKey);
      this.issue(outwardKey);
      this.links.push([type, inwardKey, outwardKey]);
    });
  }

  search(jql: string, options: { maxResults?: number; startAt?: number } = {}): Promise<SearchResult> {
    return this.run('search', [jql], () => {
      // As Jira: labels match case-insensitively, and the answer comes a page at a time (startAt, total).
      const label = /labels\s*=\s*"([^"]+)"/.exec(jql)?.[1]?.toLowerCase();
      const indexed = this.clock.now() - this.searchLagMs;
      const hits = [...this.issues.values()]
        .filter((i) => (this.madeAt.get(i.key) ?? 0) <= indexed)
        .filter((i) => label !== undefined && ((i.fields.labels as string[] | undefined) ?? []).some((l) => l.toLowerCase() === label))
        .map((i) => ({ id: i.id, key: i.key, fields: { labels: structuredClone(i.fields.labels), created: new Date(this.madeAt.get(i.key) ?? 0).toISOString() } }));
      const all = [...structuredClone(this.decoys), ...hits];
      const startAt = options.startAt ?? 0;
      return { issues: all.slice(startAt, startAt + (options.maxResults ?? 50)), total: all.length };
    });
  }

  browseUrl(key: string): string {
    return `${this.baseUrl}/browse/${key}`;
  }

  async close(): Promise<void> {}
}
