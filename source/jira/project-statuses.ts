// The statuses a project's workflows have (GET /project/{key}/statuses, one entry per issue
// type): the names an Advanced line's `status;NAME` can reach in that project at all. Which
// of them a ticket can move to depends on its current status; that stays Jira's to judge.
import type { Transport } from './transport.js';
import { keySegment, type JiraEndpoint } from './urls.js';
import { ANSWER_CAPS } from './answer-body.js';

/** At most this many names are kept: a project with more is not a list to check against. */
const MAX_STATUSES = 1000;

/** The distinct status names of every issue type of the project, in Jira's order. */
export async function getProjectStatuses(t: Transport, ep: JiraEndpoint, project: string): Promise<string[]> {
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.apiPath}/project/${keySegment(project)}/statuses`, maxBytes: ANSWER_CAPS.large });
  const names = new Map<string, string>();
  for (const type of Array.isArray(json) ? json : []) {
    const statuses = type && typeof type === 'object' ? (type as Record<string, unknown>).statuses : undefined;
    for (const s of Array.isArray(statuses) ? statuses : []) {
      const name = s && typeof s === 'object' ? (s as Record<string, unknown>).name : undefined;
      if (typeof name === 'string' && name.trim() !== '' && names.size < MAX_STATUSES) names.set(name.trim().toLowerCase(), name.trim());
    }
  }
  return [...names.values()];
}
