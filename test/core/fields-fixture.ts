// A field catalogue as Jira's GET /rest/api/2/field reports it: the system fields and one
// custom field of every type jiraline shapes (the ids the simulator seeds, see /tmp contracts).
// See docs/protocol.md#field-values.
import { FieldCatalogue, type ShapeContext } from '../../source/core/fields.js';
import type { FieldDef } from '../../source/core/ports.js';

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';

const system = (id: string, name: string, type: string, items?: string): FieldDef =>
  ({ id, name, custom: false, schema: { type, ...(items ? { items } : {}), system: id } });
const custom = (n: number, name: string, type: string, plugin: string, items?: string): FieldDef =>
  ({ id: `customfield_${n}`, name, custom: true, schema: { type, ...(items ? { items } : {}), custom: CF + plugin, customId: n } });

/** The catalogue the tests shape against. */
export const JIRA_FIELDS: FieldDef[] = [
  { id: 'issuekey', name: 'Key', custom: false },
  system('summary', 'Summary', 'string'),
  system('description', 'Description', 'string'),
  system('environment', 'Environment', 'string'),
  system('project', 'Project', 'project'),
  system('issuetype', 'Issue Type', 'issuetype'),
  system('priority', 'Priority', 'priority'),
  system('labels', 'Labels', 'array', 'string'),
  system('components', 'Component/s', 'array', 'component'),
  system('fixVersions', 'Fix Version/s', 'array', 'version'),
  system('versions', 'Affects Version/s', 'array', 'version'),
  system('assignee', 'Assignee', 'user'),
  system('reporter', 'Reporter', 'user'),
  system('duedate', 'Due date', 'date'),
  system('resolution', 'Resolution', 'resolution'),
  system('security', 'Security Level', 'securitylevel'),
  system('status', 'Status', 'status'),
  system('comment', 'Comment', 'comments-page'),
  system('timetracking', 'Time tracking', 'timetracking'),
  custom(10010, 'Severity', 'option', 'select'),
  custom(10011, 'Story Points', 'number', 'float'),
  custom(10012, 'Affected Systems', 'array', 'multiselect', 'option'),
  custom(10013, 'Due Time', 'datetime', 'datetime'),
  custom(10014, 'Start Date', 'date', 'datepicker'),
  custom(10015, 'On Call', 'user', 'userpicker'),
  custom(10016, 'Runbook Notes', 'string', 'textarea'),
  custom(10017, 'Tags', 'array', 'labels', 'string'),
  custom(10018, 'Site', 'option-with-child', 'cascadingselect'),
  custom(10019, 'Runbook URL', 'string', 'url'),
  custom(10020, 'Sprint', 'array', 'com.pyxis.greenhopper.jira:gh-sprint', 'json'),
  custom(10021, 'Sprint', 'array', 'com.pyxis.greenhopper.jira:gh-sprint', 'json'),
  custom(10022, 'Responders', 'array', 'multiuserpicker', 'user'),
  custom(10023, 'Approver Group', 'group', 'grouppicker'),
  custom(10024, 'Target Version', 'version', 'version'),
];

/** The catalogue built from JIRA_FIELDS, as the engine builds it from GET /field. */
export const jira = FieldCatalogue.fromJira(JIRA_FIELDS);

/** The shaping contexts the tests run under: deployment × API version. */
export const CLOUD3: ShapeContext = { deployment: 'cloud', apiVersion: 3 };
export const CLOUD2: ShapeContext = { deployment: 'cloud', apiVersion: 2 };
export const DC2: ShapeContext = { deployment: 'server', apiVersion: 2 };
export const DC3: ShapeContext = { deployment: 'server', apiVersion: 3 };
