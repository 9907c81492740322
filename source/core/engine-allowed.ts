// The engine's side of allowed values (allowed-values.ts): fetched from createmeta for the
// template's project and issue type after the field catalogue, again when the template
// names another target, and again (at most once a minute) when a line is checked against
// a list that is old or finds a value outside it — so a value added in Jira since is taken
// on the next try. Kept in memory only: after a restart, nothing is refused until Jira answered.
import type { AdvancedCommand } from './advanced-parse.js';
import { ALLOWED_FRESH_MS, allowedFitsTarget, allowedFromCreateMeta, checkAllowed, checkStatus, type AllowedValues } from './allowed-values.js';
import type { TemplateRow } from './config.js';
import type { EngineCore } from './engine-core.js';
import { isStopped } from './engine-gate.js';
import { fieldLabel, type FieldCatalogue } from './fields.js';

/** The least time between two fetches a check asks for. */
const REFRESH_GAP_MS = 60_000;

/** The project and issue type the template's included rows name, if both are there. */
export function templateTarget(template: readonly TemplateRow[]): { project: string; issueType: string } | null {
  const value = (field: string) => template.find((r) => r.field.toLowerCase() === field && r.mode !== 'Exclude')?.value.trim();
  const project = value('project');
  const issueType = value('issuetype');
  return project && issueType ? { project, issueType } : null;
}

/**
 * Whether the list was fetched for the template's target: asked for every line accepted, with
 * the same list and template nearly always, so the last answer is kept (a config change brings
 * a new template array, a fetch a new list). Worked out afresh it made strings and closures
 * for every line — about 600 bytes of garbage a line (heap sampling), for the same answer.
 */
let fitsMemo: { allowed: AllowedValues; template: readonly TemplateRow[]; fits: boolean } | null = null;
function listFitsTemplate(allowed: AllowedValues, template: readonly TemplateRow[]): boolean {
  if (fitsMemo?.allowed === allowed && fitsMemo.template === template) return fitsMemo.fits;
  const target = templateTarget(template);
  const fits = target !== null && allowedFitsTarget(allowed, target.project, target.issueType);
  fitsMemo = { allowed, template, fits };
  return fits;
}

/** Fetches the allowed values for the template's target now (one fetch at a time); never rejects. */
export function refreshAllowed(core: EngineCore): Promise<void> {
  if (core.allowedFetch) return core.allowedFetch;
  const target = templateTarget(core.config.template);
  if (!target) return Promise.resolve();
  core.allowedTriedAt = core.clock.now();
  const run = async () => {
    try {
      const types = await core.jira.createMetaIssueTypes(target.project);
      const want = target.issueType.toLowerCase();
      const type = types.find((t) => t.id === target.issueType || t.name.toLowerCase() === want);
      // The template names an issue type the project does not offer: only the types (and statuses) are known.
      const fields = type ? await core.jira.createMetaFields(target.project, type.id) : [];
      const statuses = await projectStatuses(core, target.project);
      core.setAllowed(allowedFromCreateMeta(target.project, type ?? { id: target.issueType, name: target.issueType }, types, fields, core.clock.now(), statuses));
    } catch {
      // Jira down or the project unknown: a list for another target must not judge this one.
      if (core.allowed && !allowedFitsTarget(core.allowed, target.project, target.issueType)) core.setAllowed(null);
    }
  };
  core.allowedFetch = core.track(run()).finally(() => {
    core.allowedFetch = null;
  });
  return core.allowedFetch;
}

/** The statuses of the project's workflows, or undefined when Jira would not list them (then no status is refused). */
async function projectStatuses(core: EngineCore, project: string): Promise<string[] | undefined> {
  if (!core.jira.projectStatuses) return undefined;
  try {
    return await core.jira.projectStatuses(project);
  } catch (error) {
    // Without the statuses the list is still worth having; a stop is not a missing list.
    if (isStopped(error)) throw error;
    return undefined;
  }
}

/** A refresh in the background, unless one ran within the last minute. */
function refreshSoon(core: EngineCore): void {
  if (core.allowedTriedAt !== null && core.clock.now() - core.allowedTriedAt < REFRESH_GAP_MS) return;
  void refreshAllowed(core);
}

/** The template's target changed (config saved): the list is fetched for the new one. */
export function allowedAfterConfig(core: EngineCore): void {
  const target = templateTarget(core.config.template);
  if (!core.allowed && !target) return;
  if (core.allowed && target && allowedFitsTarget(core.allowed, target.project, target.issueType)) return;
  if (core.allowed) core.setAllowed(null);
  if (target && core.connection.state === 'ok') void refreshAllowed(core);
}

/**
 * Why a line carries a value Jira does not allow for the template's project and issue type,
 * or null. Only a recent list judges, and only fields of that same target: a line that names
 * another project or issue type is left to Jira. An UPDATE's fields are left to Jira too (its
 * ticket may be of another type than the template's); only its `status;NAME` is judged, and
 * only for a ticket of the list's project: against every status the project's workflows
 * have, since which one the ticket can reach from where it is, only Jira knows.
 */
export function allowedRefusal(core: EngineCore, command: AdvancedCommand): string | null {
  const allowed = core.allowed;
  const catalogue = core.catalogue;
  if (command.action === 'CALL' || allowed === null || catalogue === null) return null;
  if (!listFitsTemplate(allowed, core.config.template)) return null;
  if (core.clock.now() - allowed.fetchedAt > ALLOWED_FRESH_MS) {
    refreshSoon(core);
    return null;
  }
  if (command.action === 'UPDATE') {
    // The ticket's project is its key's: only a ticket of the list's project is judged.
    const key = core.store.getTicket(command.guid)?.ticketKey ?? '';
    const status = statusOf(command, catalogue);
    if (status === undefined || !key.toUpperCase().startsWith(`${allowed.project.toUpperCase()}-`)) return null;
    return refused(core, checkStatus(allowed, status));
  }
  const pairs = [];
  let sameType = true;
  for (const { field, value } of command.pairs) {
    const def = catalogue.resolve(field);
    if (!def.ok || isStatus(field, catalogue)) continue;
    if (def.value.id === 'project' && value.trim() !== '' && !allowedFitsTarget(allowed, value, undefined)) return null;
    if (def.value.id === 'issuetype' && value.trim() !== '' && !allowedFitsTarget(allowed, undefined, value)) sameType = false;
    pairs.push({ def: def.value, value });
  }
  for (const { def, value } of pairs) {
    if (!sameType && def.id !== 'issuetype') continue;
    const problem = checkAllowed(allowed, def.id, catalogue.typeOf(def), fieldLabel(def), value);
    if (problem !== null) return refused(core, problem);
  }
  // The statuses are the project's, whatever the issue type.
  const status = statusOf(command, catalogue);
  return status === undefined ? null : refused(core, checkStatus(allowed, status));
}

// Module functions rather than closures made per line: this runs for every line accepted.
function isStatus(field: string, catalogue: FieldCatalogue): boolean {
  if (field.trim().toLowerCase() === 'status') return true;
  const def = catalogue.resolve(field);
  return def.ok && def.value.id === 'status';
}

/** The line's last `status;NAME`, if any. */
function statusOf(command: AdvancedCommand, catalogue: FieldCatalogue): string | undefined {
  let status: string | undefined;
  for (const pair of command.pairs) if (isStatus(pair.field, catalogue)) status = pair.value;
  return status;
}

/** A refusal also asks for the list again soon: the value may have been added in Jira since. */
function refused(core: EngineCore, problem: string | null): string | null {
  if (problem !== null) refreshSoon(core);
  return problem;
}
