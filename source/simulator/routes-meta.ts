// Read-only metadata: serverInfo, myself, field, priority, project (and its statuses), and createmeta in
// its current form (/issue/createmeta/{project}/issuetypes[/{id}], shaped as Cloud or as
// Data Center 9 answers) and the old expand form (Cloud only; Data Center 9 removed it).
import { jiraTime } from './catalog.js';
import type { Req, SimState } from './context.js';
import { jiraError, json, type Reply } from './reply.js';
import { FIELDS, ISSUE_TYPES, REQUIRED_ON_CREATE, STATUSES, type SeedField, type SeedProject } from './seed.js';

/** GET /serverInfo */
export function serverInfo(sim: SimState): Reply {
  const cloud = sim.mode === 'cloud';
  const version = cloud ? [1001, 0, 0] : [9, 12, 2];
  return json(200, {
    baseUrl: sim.catalog.baseUrl, version: cloud ? '1001.0.0-SNAPSHOT' : '9.12.2', versionNumbers: version,
    deploymentType: cloud ? 'Cloud' : 'DataCenter', buildNumber: cloud ? 100204 : 9120002,
    buildDate: '2024-01-15T12:00:00.000+0000', serverTime: jiraTime(sim.now()), scmInfo: 'a2b8f1c4e7d9d3e0f6a1b2c3d4e5f60718293a4b',
    serverTitle: 'Jira (jiraline simulator)', defaultLocale: { locale: 'en_US' },
  });
}

/** GET /myself */
export function myself(sim: SimState, req: Req): Reply {
  return json(200, sim.catalog.userJson(sim.me(req), true));
}

/** GET /project/{key} */
export function project(sim: SimState, req: Req, keyOrId: string): Reply {
  const p = sim.catalog.project(keyOrId);
  if (!p) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const base = sim.catalog.projects.find((x) => x.id === p.id)!;
  return json(200, {
    ...base,
    components: p.components.map((c) => sim.catalog.component(c)),
    issueTypes: p.issueTypeIds.map((id) => sim.catalog.issueType(id)),
    versions: p.versions.map((v) => sim.catalog.version(v, p.id)),
  });
}

/** GET /project/{key}/statuses: each issue type of the project with the statuses its workflow has (one workflow here). */
export function projectStatuses(sim: SimState, keyOrId: string): Reply {
  const p = sim.catalog.project(keyOrId);
  if (!p) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const statuses = STATUSES.map((s) => sim.catalog.status(s.name)!);
  return json(200, p.issueTypeIds.map((id) => {
    const t = sim.catalog.issueType(id)!;
    return { self: `${sim.catalog.baseUrl}/rest/api/2/issuetype/${id}`, id, name: t.name, subtask: false, statuses };
  }));
}

function page(req: Req, total: number): { startAt: number; maxResults: number } {
  const startAt = Math.max(0, Number(req.query.get('startAt') ?? 0) || 0);
  const maxResults = Math.min(200, Math.max(1, Number(req.query.get('maxResults') ?? 50) || 50));
  return { startAt: Math.min(startAt, total), maxResults };
}

/** GET /issue/createmeta/{project}/issuetypes */
export function createMetaIssueTypes(sim: SimState, req: Req, keyOrId: string): Reply {
  const p = sim.catalog.project(keyOrId);
  if (!p) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const types = p.issueTypeIds.map((id) => sim.catalog.issueType(id)!);
  const { startAt, maxResults } = page(req, types.length);
  const values = types.slice(startAt, startAt + maxResults);
  if (sim.mode === 'cloud') return json(200, { maxResults, startAt, total: types.length, issueTypes: values });
  return json(200, { maxResults, startAt, total: types.length, isLast: startAt + values.length >= types.length, values });
}

function fieldMeta(sim: SimState, f: SeedField, p: SeedProject, issueTypeId: string, withIds: boolean): Record<string, unknown> {
  const allowed = sim.catalog.allowedValues(f, p, issueTypeId);
  const auto = f.kind === 'user'
    ? `${sim.catalog.baseUrl}/rest/api/2/user/search?${sim.mode === 'cloud' ? 'query' : 'username'}=`
    : f.kind === 'labels' ? `${sim.catalog.baseUrl}/rest/api/1.0/labels/suggest?query=` : undefined;
  return {
    required: REQUIRED_ON_CREATE.has(f.id), schema: f.schema, name: f.name,
    ...(withIds ? { fieldId: f.id } : {}), ...(sim.mode === 'cloud' || !withIds ? { key: f.id } : {}),
    ...(auto ? { autoCompleteUrl: auto } : {}), hasDefaultValue: f.id === 'priority', operations: f.operations,
    ...(allowed ? { allowedValues: allowed } : {}),
    ...(f.id === 'priority' ? { defaultValue: sim.catalog.priority('name', 'Medium') } : {}),
  };
}

/** The fields on the create screen (every settable field here). */
function createFields(): SeedField[] {
  return FIELDS.filter((f) => f.kind !== 'readonly');
}

/** GET /issue/createmeta/{project}/issuetypes/{issueTypeId} */
export function createMetaFields(sim: SimState, req: Req, keyOrId: string, issueTypeId: string): Reply {
  const p = sim.catalog.project(keyOrId);
  if (!p) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  if (!p.issueTypeIds.includes(issueTypeId)) return jiraError(404, [`Issue type with id '${issueTypeId}' does not exist or is not available in project '${p.key}'.`]);
  const all = createFields().map((f) => fieldMeta(sim, f, p, issueTypeId, true));
  const { startAt, maxResults } = page(req, all.length);
  const values = all.slice(startAt, startAt + maxResults);
  if (sim.mode === 'cloud') return json(200, { maxResults, startAt, total: all.length, fields: values });
  return json(200, { maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values });
}

/** GET /issue/createmeta?projectKeys=…&expand=projects.issuetypes.fields (Cloud only; gone from Data Center 9). */
export function createMetaOld(sim: SimState, req: Req): Reply {
  if (sim.mode !== 'cloud') return jiraError(404, ['The requested resource was not found: use /issue/createmeta/{projectIdOrKey}/issuetypes.']);
  const list = (name: string) => (req.query.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const keys = [...list('projectKeys'), ...list('projectIds')];
  const typeNames = list('issuetypeNames').map((s) => s.toLowerCase());
  const typeIds = list('issuetypeIds');
  const expandFields = (req.query.get('expand') ?? '').includes('projects.issuetypes.fields');
  const projects = sim.catalog.projects.filter((p) => keys.length === 0 || keys.some((k) => sim.catalog.project(k)?.id === p.id));
  return json(200, {
    expand: 'projects',
    projects: projects.map((pj) => {
      const p = sim.catalog.project(pj.id as string)!;
      const types = p.issueTypeIds.filter((id) => {
        const t = ISSUE_TYPES.find((x) => x.id === id)!;
        return (typeIds.length === 0 || typeIds.includes(id)) && (typeNames.length === 0 || typeNames.includes(t.name.toLowerCase()));
      });
      return {
        expand: 'issuetypes', self: pj.self, id: pj.id, key: pj.key, name: pj.name, avatarUrls: pj.avatarUrls,
        issuetypes: types.map((id) => ({
          ...sim.catalog.issueType(id), expand: 'fields',
          ...(expandFields ? { fields: Object.fromEntries(createFields().map((f) => [f.id, fieldMeta(sim, f, p, id, false)])) } : {}),
        })),
      };
    }),
  });
}
