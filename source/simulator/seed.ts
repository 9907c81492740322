// The data every simulator starts with (contracts.md "Seed data"): two projects, their
// issue types, components and versions, priorities, a three-status workflow, two users,
// and system and custom fields of every type jiraline shapes, with stable ids.
// See docs/protocol.md#field-values.

/** How the simulator reads and checks a field's value. */
export type FieldKind =
  | 'project' | 'issuetype' | 'priority' | 'string' | 'richtext' | 'labels' | 'components'
  | 'versions' | 'user' | 'date' | 'datetime' | 'number' | 'option' | 'options' | 'cascading'
  | 'url' | 'readonly';

/** A selectable option of a select, multi-select or cascading field. */
export interface SeedOption { id: string; value: string; children?: SeedOption[] }

/** A field of the catalogue, with what the simulator needs to validate it. */
export interface SeedField {
  id: string;
  name: string;
  custom: boolean;
  kind: FieldKind;
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  clauseNames: string[];
  /** Update verbs Jira lists in createmeta/editmeta. */
  operations: string[];
  options?: SeedOption[];
  /** Longest accepted text (characters). */
  maxLength?: number;
}

/** A project and what can be chosen in it. */
export interface SeedProject {
  id: string;
  key: string;
  name: string;
  issueTypeIds: string[];
  components: Array<{ id: string; name: string }>;
  versions: Array<{ id: string; name: string }>;
}

/** A user; Cloud refers to it by accountId, Server/DC by name. */
export interface SeedUser { accountId: string; name: string; key: string; displayName: string; emailAddress: string }

/** A workflow status. */
export interface SeedStatus { id: string; name: string; category: { id: number; key: string; colorName: string; name: string } }

/** A workflow transition, from some statuses to one. */
export interface SeedTransition { id: string; name: string; to: string; from: string[] }

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** Issue types, shared by both projects. */
export const ISSUE_TYPES = [
  { id: '10001', name: 'Task', description: 'A task that needs to be done.', icon: 'task' },
  { id: '10002', name: 'Bug', description: 'A problem which impairs or prevents the functions of the product.', icon: 'bug' },
  { id: '10003', name: 'Incident', description: 'A service interruption or degradation.', icon: 'incident' },
];

/** The two projects. */
export const PROJECTS: SeedProject[] = [
  {
    id: '10000', key: 'OPS', name: 'Operations', issueTypeIds: ['10003', '10001', '10002'],
    components: [{ id: '10000', name: 'Database' }, { id: '10001', name: 'Network' }],
    versions: [{ id: '10000', name: '1.0' }],
  },
  {
    id: '10001', key: 'DEMO', name: 'Demo', issueTypeIds: ['10001', '10002', '10003'],
    components: [],
    versions: [{ id: '10001', name: '1.0' }],
  },
];

/** Priorities, highest first. */
export const PRIORITIES = [
  { id: '1', name: 'Highest', color: '#d04437', description: 'This problem will block progress.' },
  { id: '2', name: 'High', color: '#f15c75', description: 'Serious problem that could block progress.' },
  { id: '3', name: 'Medium', color: '#f79232', description: 'Has the potential to affect progress.' },
  { id: '4', name: 'Low', color: '#707070', description: 'Minor problem or easily worked around.' },
  { id: '5', name: 'Lowest', color: '#999999', description: 'Trivial problem with little or no impact on progress.' },
];

/** The workflow's statuses. */
export const STATUSES: SeedStatus[] = [
  { id: '10000', name: 'To Do', category: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } },
  { id: '3', name: 'In Progress', category: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
  { id: '10001', name: 'Done', category: { id: 3, key: 'done', colorName: 'green', name: 'Done' } },
];

/** The workflow's transitions; each leads to one status. */
export const TRANSITIONS: SeedTransition[] = [
  { id: '11', name: 'Start progress', to: 'In Progress', from: ['To Do'] },
  { id: '21', name: 'Done', to: 'Done', from: ['To Do', 'In Progress'] },
  { id: '31', name: 'Reopen', to: 'To Do', from: ['Done'] },
  { id: '41', name: 'Stop progress', to: 'To Do', from: ['In Progress'] },
];

/** The resolution a Done status sets. */
export const RESOLUTION_DONE = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' };

/** The users; ops-bot is who the simulator says you are. */
export const USERS: SeedUser[] = [
  { accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'ops-bot', key: 'JIRAUSER10000', displayName: 'Ops Bot', emailAddress: 'ops-bot@example.com' },
  { accountId: '5b10a2844c20165700ede21g', name: 'jsmith', key: 'JIRAUSER10001', displayName: 'John Smith', emailAddress: 'jsmith@example.com' },
];

function system(id: string, name: string, kind: FieldKind, type: string, operations: string[], extra: Partial<SeedField> = {}, items?: string): SeedField {
  return { id, name, custom: false, kind, schema: { type, ...(items ? { items } : {}), system: id }, clauseNames: [id], operations, ...extra };
}

function custom(n: number, name: string, kind: FieldKind, type: string, plugin: string, operations: string[], extra: Partial<SeedField> = {}, items?: string): SeedField {
  const id = `customfield_${n}`;
  return {
    id, name, custom: true, kind,
    schema: { type, ...(items ? { items } : {}), custom: CF + plugin, customId: n },
    clauseNames: [`cf[${n}]`, name], operations, ...extra,
  };
}

const opt = (id: number, value: string, children?: SeedOption[]): SeedOption => ({ id: String(id), value, ...(children ? { children } : {}) });

/** The field catalogue GET /field answers, in that order. */
export const FIELDS: SeedField[] = [
  { id: 'issuekey', name: 'Key', custom: false, kind: 'readonly', clauseNames: ['id', 'issue', 'issuekey', 'key'], operations: [] },
  system('summary', 'Summary', 'string', 'string', ['set'], { maxLength: 255 }),
  system('description', 'Description', 'richtext', 'string', ['set'], { maxLength: 32767 }),
  system('environment', 'Environment', 'richtext', 'string', ['set'], { maxLength: 32767 }),
  system('project', 'Project', 'project', 'project', ['set']),
  system('issuetype', 'Issue Type', 'issuetype', 'issuetype', [], { clauseNames: ['issuetype', 'type'] }),
  system('priority', 'Priority', 'priority', 'priority', ['set']),
  system('labels', 'Labels', 'labels', 'array', ['add', 'set', 'remove'], {}, 'string'),
  system('components', 'Component/s', 'components', 'array', ['add', 'set', 'remove'], { clauseNames: ['component'] }, 'component'),
  system('fixVersions', 'Fix Version/s', 'versions', 'array', ['set', 'add', 'remove'], { clauseNames: ['fixVersion'] }, 'version'),
  system('versions', 'Affects Version/s', 'versions', 'array', ['set', 'add', 'remove'], { clauseNames: ['affectedVersion'] }, 'version'),
  system('assignee', 'Assignee', 'user', 'user', ['set']),
  system('reporter', 'Reporter', 'user', 'user', ['set']),
  system('duedate', 'Due date', 'date', 'date', ['set'], { clauseNames: ['due', 'duedate'] }),
  system('status', 'Status', 'readonly', 'status', []),
  system('resolution', 'Resolution', 'readonly', 'resolution', []),
  system('resolutiondate', 'Resolved', 'readonly', 'datetime', [], { clauseNames: ['resolutiondate', 'resolved'] }),
  system('created', 'Created', 'readonly', 'datetime', [], { clauseNames: ['created', 'createdDate'] }),
  system('updated', 'Updated', 'readonly', 'datetime', [], { clauseNames: ['updated', 'updatedDate'] }),
  system('creator', 'Creator', 'readonly', 'user', []),
  system('comment', 'Comment', 'readonly', 'comments-page', ['add', 'edit', 'remove']),
  system('issuelinks', 'Linked Issues', 'readonly', 'array', [], { clauseNames: ['issueLink'] }, 'issuelinks'),
  system('subtasks', 'Sub-tasks', 'readonly', 'array', [], { clauseNames: ['subtasks'] }, 'issuelinks'),
  system('watches', 'Watchers', 'readonly', 'watches', [], { clauseNames: ['watchers'] }),
  system('votes', 'Votes', 'readonly', 'votes', [], { clauseNames: ['votes'] }),
  custom(10010, 'Severity', 'option', 'option', 'select', ['set'], { options: [opt(10100, 'Sev1'), opt(10101, 'Sev2'), opt(10102, 'Sev3'), opt(10103, 'Sev4')] }),
  custom(10011, 'Story Points', 'number', 'number', 'float', ['set']),
  custom(10012, 'Affected Systems', 'options', 'array', 'multiselect', ['add', 'set', 'remove'],
    { options: [opt(10110, 'web'), opt(10111, 'db'), opt(10112, 'network'), opt(10113, 'storage')] }, 'option'),
  custom(10013, 'Due Time', 'datetime', 'datetime', 'datetime', ['set']),
  custom(10014, 'Start Date', 'date', 'date', 'datepicker', ['set']),
  custom(10015, 'On Call', 'user', 'user', 'userpicker', ['set']),
  custom(10016, 'Runbook Notes', 'richtext', 'string', 'textarea', ['set'], { maxLength: 32767 }),
  custom(10017, 'Tags', 'labels', 'array', 'labels', ['add', 'set', 'remove'], {}, 'string'),
  custom(10018, 'Site', 'cascading', 'option-with-child', 'cascadingselect', ['set'], {
    options: [opt(10120, 'EU', [opt(10121, 'Paris'), opt(10122, 'Berlin')]), opt(10123, 'US', [opt(10124, 'Boston')])],
  }),
  custom(10019, 'Runbook URL', 'url', 'string', 'url', ['set'], { maxLength: 255 }),
];

/** Fields that must be given on create. */
export const REQUIRED_ON_CREATE = new Set(['project', 'issuetype', 'summary']);

/** Field id → field, for O(1) lookups on the hot path. */
export const FIELD_BY_ID: ReadonlyMap<string, SeedField> = new Map(FIELDS.map((f) => [f.id, f]));
