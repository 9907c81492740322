// The calls about Jira itself: serverInfo (deployment type, version), myself (do the
// credentials work), and the field catalogue.
import { JiraError } from '../core/jira-error.js';
import type { FieldDef, JiraUser, ServerInfo } from '../core/ports.js';
import type { Transport } from './transport.js';
import type { JiraEndpoint } from './urls.js';
import { ANSWER_CAPS } from './answer-body.js';

/** Cloud sites live under these domains; used only until serverInfo says otherwise. */
export function looksLikeCloud(origin: string): boolean {
  const host = new URL(origin).hostname.toLowerCase();
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com') || host.endsWith('.jira-dev.com');
}

/** GET /serverInfo; a missing deploymentType (old Server) is read from the host name. */
export async function getServerInfo(t: Transport, ep: JiraEndpoint): Promise<ServerInfo> {
  const { json } = await t.call<Record<string, unknown>>({ method: 'GET', path: `${ep.apiPath}/serverInfo` });
  const o = expectObject(json, 'serverInfo');
  const raw = typeof o.deploymentType === 'string' ? o.deploymentType : '';
  const deploymentType: ServerInfo['deploymentType'] = /cloud/i.test(raw) ? 'Cloud'
    : /data\s*center/i.test(raw) ? 'DataCenter'
      : /server/i.test(raw) ? 'Server'
        : looksLikeCloud(ep.origin) ? 'Cloud' : 'Server';
  return {
    deploymentType,
    version: typeof o.version === 'string' ? o.version : '',
    baseUrl: typeof o.baseUrl === 'string' ? o.baseUrl : ep.baseUrl,
    ...(typeof o.serverTitle === 'string' ? { serverTitle: o.serverTitle } : {}),
  };
}

/** GET /myself: the user the credentials belong to. */
export async function getMyself(t: Transport, ep: JiraEndpoint): Promise<JiraUser> {
  const { json } = await t.call<Record<string, unknown>>({ method: 'GET', path: `${ep.apiPath}/myself` });
  const o = expectObject(json, 'myself');
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const user: JiraUser = { displayName: str(o.displayName) ?? str(o.name) ?? str(o.accountId) ?? '' };
  if (str(o.accountId)) user.accountId = str(o.accountId);
  if (str(o.name)) user.name = str(o.name);
  if (str(o.emailAddress)) user.emailAddress = str(o.emailAddress);
  return user;
}

/** GET /field: the field catalogue, each entry reduced to what FieldDef holds. */
export async function getFields(t: Transport, ep: JiraEndpoint): Promise<FieldDef[]> {
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.apiPath}/field`, maxBytes: ANSWER_CAPS.large });
  if (!Array.isArray(json)) throw unexpected('field', json);
  return json.filter((f): f is Record<string, unknown> => !!f && typeof f === 'object' && typeof (f as { id?: unknown }).id === 'string')
    .map((f) => ({
      id: f.id as string,
      name: typeof f.name === 'string' ? f.name : (f.id as string),
      custom: f.custom === true,
      ...(f.schema && typeof f.schema === 'object' ? { schema: f.schema as FieldDef['schema'] } : {}),
    }));
}

/** The answer as an object, or a final JiraError saying the answer had the wrong shape. */
export function expectObject(json: unknown, what: string): Record<string, unknown> {
  if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  throw unexpected(what, json);
}

/** A final error for an answer that is not the shape Jira documents. */
export function unexpected(what: string, json: unknown): JiraError {
  const shape = json === undefined ? 'an empty body' : Array.isArray(json) ? 'a list' : typeof json;
  return new JiraError({ status: 200, retryable: false,
    message: `Jira's answer to ${what} had an unexpected shape (${shape}) — check the Jira URL and the Ticket Location URL` });
}
