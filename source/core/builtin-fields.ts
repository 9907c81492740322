// The system fields jiraline knows without asking Jira: the fallback catalogue used while
// GET /field has never answered. The schemas are what Jira itself reports for these
// fields, so shaping is the same either way.
import type { FieldDef } from './ports.js';

const system = (id: string, name: string, type: string, items?: string): FieldDef => ({
  id,
  name,
  custom: false,
  schema: items === undefined ? { type, system: id } : { type, items, system: id },
});

/** The system fields of every Jira, with the schemas GET /field reports for them. */
export const BUILTIN_FIELDS: readonly FieldDef[] = Object.freeze([
  system('project', 'Project', 'project'),
  system('issuetype', 'Issue Type', 'issuetype'),
  system('summary', 'Summary', 'string'),
  system('description', 'Description', 'string'),
  system('priority', 'Priority', 'priority'),
  system('labels', 'Labels', 'array', 'string'),
  system('components', 'Component/s', 'array', 'component'),
  system('fixVersions', 'Fix Version/s', 'array', 'version'),
  system('versions', 'Affects Version/s', 'array', 'version'),
  system('assignee', 'Assignee', 'user'),
  system('reporter', 'Reporter', 'user'),
  system('duedate', 'Due Date', 'date'),
  system('environment', 'Environment', 'string'),
  system('resolution', 'Resolution', 'resolution'),
  system('security', 'Security Level', 'securitylevel'),
  system('parent', 'Parent', 'issuelink'),
]);

/** Custom field type URIs whose string values are rich text (ADF on API 3). */
export const RICH_TEXT_CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:textarea';
/** Custom field type URI of a labels custom field (same rules as the system labels). */
export const LABELS_CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:labels';
/** Custom field type URI of a URL field. */
export const URL_CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:url';

/** System string fields that hold rich text (ADF on API 3). */
export const RICH_TEXT_SYSTEM: ReadonlySet<string> = new Set(['description', 'environment']);
