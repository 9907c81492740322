// createmeta: which issue types a project offers and which fields each one takes. The current
// endpoints /issue/createmeta/{project}/issuetypes[/{id}] answer in two shapes — Cloud
// {issueTypes|fields: […]} and Data Center 9 {values: […]} — and page. The old
// ?expand=projects.issuetypes.fields form is used only where those are missing (404).
import { JiraError } from '../core/jira-error.js';
import type { CreateMetaField, CreateMetaIssueType, FieldDef } from '../core/ports.js';
import { expectObject } from './server.js';
import type { Transport } from './transport.js';
import { keySegment, type JiraEndpoint } from './urls.js';
import { ANSWER_CAPS } from './answer-body.js';

/** Remembers that this Jira has only the old createmeta, so later calls go there directly. */
export interface CreateMetaState {
  legacy: boolean;
}

const pageSize = 100;
// A guard against a server that never says the last page was reached.
const maxPages = 50;

async function pages(t: Transport, path: string, listKeys: string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 0, startAt = 0; page < maxPages; page++) {
    const { json } = await t.call<unknown>({ method: 'GET', path, query: { startAt, maxResults: pageSize }, maxBytes: ANSWER_CAPS.large });
    const o = expectObject(json, 'createmeta');
    const list = listKeys.map((k) => o[k]).find(Array.isArray) as unknown[] | undefined;
    const items = (list ?? []).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
    out.push(...items);
    const total = typeof o.total === 'number' ? o.total : undefined;
    startAt += items.length;
    if (items.length === 0 || o.isLast === true || (total !== undefined && startAt >= total) || (total === undefined && o.isLast === undefined)) break;
  }
  return out;
}

function toIssueType(o: Record<string, unknown>): CreateMetaIssueType {
  return { id: String(o.id ?? ''), name: String(o.name ?? ''), ...(typeof o.subtask === 'boolean' ? { subtask: o.subtask } : {}) };
}

function toField(o: Record<string, unknown>, idFromKey?: string): CreateMetaField {
  const fieldId = String(o.fieldId ?? o.key ?? idFromKey ?? o.id ?? '');
  return {
    fieldId,
    name: typeof o.name === 'string' ? o.name : fieldId,
    required: o.required === true,
    ...(o.schema && typeof o.schema === 'object' ? { schema: o.schema as FieldDef['schema'] } : {}),
    ...(Array.isArray(o.allowedValues) ? { allowedValues: o.allowedValues as Array<Record<string, unknown>> } : {}),
  };
}

async function withFallback<T>(state: CreateMetaState, current: () => Promise<T>, legacy: () => Promise<T | null>): Promise<T> {
  if (!state.legacy) {
    try {
      return await current();
    } catch (error) {
      if (!(error instanceof JiraError) || error.status !== 404) throw error;
      let old: T | null;
      try {
        old = await legacy();
      } catch {
        throw error;
      }
      if (old === null) throw error;
      state.legacy = true;
      return old;
    }
  }
  const old = await legacy();
  if (old === null) throw notFound();
  return old;
}

function notFound(): JiraError {
  return new JiraError({ status: 404, retryable: false,
    message: '404 from Jira: check the project key and the permissions — createmeta knows no such project or issue type, or the user may not create issues there' });
}

async function legacyProjects(t: Transport, ep: JiraEndpoint, project: string, issueTypeId: string | null, expand: string): Promise<Record<string, unknown>[] | null> {
  const projectParam = /^\d+$/.test(project) ? { projectIds: project } : { projectKeys: project };
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.issuePath}/createmeta`,
    query: { ...projectParam, ...(issueTypeId ? { issuetypeIds: issueTypeId } : {}), expand }, maxBytes: ANSWER_CAPS.large });
  const projects = expectObject(json, 'createmeta').projects;
  if (!Array.isArray(projects) || projects.length === 0) return null;
  const p = projects[0] as Record<string, unknown>;
  return Array.isArray(p.issuetypes) ? (p.issuetypes as Record<string, unknown>[]) : [];
}

/** The issue types the project offers for creation. */
export async function getCreateMetaIssueTypes(t: Transport, ep: JiraEndpoint, state: CreateMetaState, project: string): Promise<CreateMetaIssueType[]> {
  return withFallback(state,
    async () => (await pages(t, `${ep.issuePath}/createmeta/${keySegment(project)}/issuetypes`, ['issueTypes', 'values', 'createMetaIssueType'])).map(toIssueType),
    async () => (await legacyProjects(t, ep, project, null, 'projects.issuetypes'))?.map(toIssueType) ?? null);
}

/** The fields of one issue type of the project, with whether each is required. */
export async function getCreateMetaFields(t: Transport, ep: JiraEndpoint, state: CreateMetaState, project: string, issueTypeId: string): Promise<CreateMetaField[]> {
  return withFallback(state,
    async () => (await pages(t, `${ep.issuePath}/createmeta/${keySegment(project)}/issuetypes/${keySegment(issueTypeId)}`, ['fields', 'values', 'results']))
      .map((f) => toField(f)),
    async () => {
      const types = await legacyProjects(t, ep, project, issueTypeId, 'projects.issuetypes.fields');
      if (types === null) return null;
      const type = types.find((it) => String(it.id) === issueTypeId) ?? types[0];
      if (!type) return null;
      const fields = (type.fields && typeof type.fields === 'object' ? type.fields : {}) as Record<string, Record<string, unknown>>;
      return Object.entries(fields).map(([id, f]) => toField(f, id));
    });
}
