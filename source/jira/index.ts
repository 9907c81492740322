// The Jira REST client: implements JiraPort (source/core/ports.ts) over one keep-alive
// undici pool. Each concern has its own file; this one wires them together.
import type {
  CallOptions, CommentPage, CreateMetaField, CreateMetaIssueType, CreatedIssue, CredentialSource, Credentials, FieldDef, IssuePayload,
  JiraIssue, JiraPort, JiraUser, SearchResult, ServerInfo, Transition,
} from '../core/ports.js';
import { getCreateMetaFields, getCreateMetaIssueTypes, type CreateMetaState } from './createmeta.js';
import { buildDispatcher } from './dispatcher.js';
import { addComment, createIssue, editIssue, getIssue, listComments } from './issues.js';
import { search, type SearchState } from './search.js';
import { getFields, getMyself, getServerInfo } from './server.js';
import { getTransitions, transitionTo } from './transitions.js';
import { getProjectStatuses } from './project-statuses.js';
import { linkIssues } from './links.js';
import { createTransport, type CallSpec, type Transport } from './transport.js';
import { defaultTicketLocation, keySegment, resolveEndpoint } from './urls.js';

/** How to reach Jira. */
export interface JiraClientOptions {
  baseUrl: string;
  /** Path of the issue resource relative to baseUrl; default rest/api/latest/issue. */
  ticketLocation?: string;
  credentials: Credentials | null;
  /** Where they came from: a 401/403 says where to correct them. */
  credentialSource?: CredentialSource;
  caFile?: string | null;
  insecure?: boolean;
  bypassProxy?: boolean;
  /** Connect, headers and body timeout of each request; default 30000. */
  timeoutMs?: number;
  /** Pool size; default 16. */
  connections?: number;
  /** Where HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** A hint; otherwise learned from serverInfo. */
  deploymentType?: 'Cloud' | 'Server' | 'DataCenter';
}

/** The client: JiraPort plus credential swapping and start-up warnings. */
export interface JiraClient extends JiraPort {
  setCredentials(c: Credentials | null, source?: CredentialSource): void;
  /** Warnings to show on every start, e.g. TLS verification off. */
  readonly warnings: string[];
  /** The deployment type from the hint or the last serverInfo; undefined before either. */
  readonly deploymentType: ServerInfo['deploymentType'] | undefined;
  /** The proxy requests go through (without credentials), or null. */
  readonly proxy: string | null;
}

/** Builds the client. Throws ConfigError for a bad Jira URL, an unreadable caFile or an unusable proxy. */
export function createJiraClient(options: JiraClientOptions): JiraClient {
  const ep = resolveEndpoint(options.baseUrl, options.ticketLocation ?? defaultTicketLocation);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const built = buildDispatcher({
    origin: ep.origin,
    caFile: options.caFile,
    insecure: options.insecure,
    bypassProxy: options.bypassProxy,
    timeoutMs,
    connections: options.connections ?? 16,
    env: options.env ?? process.env,
  });
  const t = createTransport({ origin: ep.origin, baseUrl: ep.baseUrl, dispatcher: built.dispatcher, proxy: built.proxy, timeoutMs, credentials: options.credentials, credentialSource: options.credentialSource });
  const searchState: SearchState = { deployment: options.deploymentType, jqlEndpoint: false };
  const metaState: CreateMetaState = { legacy: false };
  let closing: Promise<void> | null = null;

  return {
    baseUrl: ep.baseUrl,
    apiVersion: ep.apiVersion,
    warnings: built.warnings,
    proxy: built.proxy,
    get deploymentType() {
      return searchState.deployment;
    },
    setCredentials: (c, source) => t.setCredentials(c, source),
    observeRate: (listener) => t.observeRate(listener),
    observeResponses: (listener) => t.observeResponses(listener),
    async serverInfo(call?: CallOptions): Promise<ServerInfo> {
      const info = await getServerInfo(via(t, call), ep);
      searchState.deployment = info.deploymentType;
      return info;
    },
    myself: (call?: CallOptions): Promise<JiraUser> => getMyself(via(t, call), ep),
    fields: (call?: CallOptions): Promise<FieldDef[]> => getFields(via(t, call), ep),
    createMetaIssueTypes: (project: string, call?: CallOptions): Promise<CreateMetaIssueType[]> => getCreateMetaIssueTypes(via(t, call), ep, metaState, project),
    createMetaFields: (project: string, issueTypeId: string, call?: CallOptions): Promise<CreateMetaField[]> => getCreateMetaFields(via(t, call), ep, metaState, project, issueTypeId),
    projectStatuses: (project: string, call?: CallOptions): Promise<string[]> => getProjectStatuses(via(t, call), ep, project),
    createIssue: (body: IssuePayload, call?: CallOptions): Promise<CreatedIssue> => createIssue(via(t, call), ep, body),
    editIssue: (key: string, body: IssuePayload, call?: CallOptions): Promise<void> => editIssue(via(t, call), ep, key, body),
    transitions: (key: string, call?: CallOptions): Promise<Transition[]> => getTransitions(via(t, call), ep, key),
    transitionTo: (key: string, statusName: string, call?: CallOptions): Promise<Transition> => transitionTo(via(t, call), ep, key, statusName),
    addComment: (key: string, text: string, marker?: Record<string, unknown>, call?: CallOptions): Promise<void> => addComment(via(t, call), ep, key, text, marker),
    comments: (key: string, options: { startAt: number; maxResults: number }, call?: CallOptions): Promise<CommentPage> => listComments(via(t, call), ep, key, options),
    getIssue: (key: string, fields?: string[], call?: CallOptions): Promise<JiraIssue> => getIssue(via(t, call), ep, key, fields),
    linkIssues: (type: string, inwardKey: string, outwardKey: string, call?: CallOptions): Promise<void> => linkIssues(via(t, call), ep, type, inwardKey, outwardKey),
    search: (jql, searchOptions, call?: CallOptions): Promise<SearchResult> => search(via(t, call), ep, searchState, jql, searchOptions),
    // A custom endpoint (CALL): its path is relative to the Jira URL; the answer's body is not used.
    request: async (method, path, body, call?: CallOptions) => ({ status: (await via(t, call).call({ method, path: `${ep.basePath}/${path.replace(/^\/+/, '')}`, body, discardBody: true })).status }),
    browseUrl: (key: string): string => `${ep.baseUrl}/browse/${keySegment(key)}`,
    close: (): Promise<void> => {
      // Requests still waiting for an answer are cut off rather than waited for: a dripping
      // answer would otherwise hold the shutdown for as long as it drips.
      t.abortAll();
      closing ??= built.dispatcher.destroy();
      return closing;
    },
  };
}

/**
 * The transport with the call's signal and tag on each of its requests (the same transport when
 * there are none): a call that makes several requests (a transition reads, then posts) is ended
 * by the signal whichever request is under way, and each answer names the command it was for.
 */
function via(t: Transport, call: CallOptions | undefined): Transport {
  const signal = call?.signal;
  const tag = call?.tag;
  if (!signal && tag === undefined) return t;
  // Made for every call: the transport's other members are reached through it, not copied,
  // and the spec goes on as it is (a copy of it per request showed in the profile).
  const tagged = Object.create(t) as Transport;
  tagged.call = <T>(spec: CallSpec) => t.call<T>(spec, call);
  return tagged;
}
