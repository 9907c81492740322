// The configuration: one zod schema with defaults, labels and help. It validates the
// config file and the merged flags/env/file settings, and it is what the
// Configuration pane draws its form from (label and help live in each field's meta).
import { z } from 'zod';
import { endpointProblem } from './endpoints.js';
import { nearest } from './edit-distance.js';
import { splitHostPort } from './host-port.js';
import { templateProblem } from './template-placeholders.js';
import { DEFAULT_ELIGIBLE_JQL, unknownPlaceholder } from './alarms.js';

/** Label and help text for a config field, shown by the Configuration pane. */
export type FieldMeta = {
  label: string;
  help: string;
};

const meta = (label: string, help: string): FieldMeta => ({ label, help });

const hostPort = z.string().refine((v) => v === 'off' || splitHostPort(v) !== null,
  { message: 'expected HOST:PORT (e.g. 127.0.0.1:7465) or off' });

const jiraUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, { message: 'expected an http(s) URL without credentials, e.g. https://jira.example.com' });

/** One row of the Ticket Creation Table as kept in the config (the template). */
export const templateRowSchema = z.object({
  field: z.string().min(1),
  value: z.string(),
  mode: z.enum(['Include', 'Exclude']).default('Include'),
  type: z.string().optional(),
}).strict();

/** The whole configuration file. Every key has a default, so `{}` is a valid file. */
export const configSchema = z.object({
  jira: z.object({
    url: jiraUrl.nullable().default(null).meta(meta('Jira URL', 'Scheme, host and port of Jira; empty means demo mode in the app')),
    ticketLocation: z.string().min(1).default('rest/api/latest/issue')
      .meta(meta('Ticket Location URL', 'Path of the issue resource relative to the Jira URL; rest/api/3/issue sends rich text as ADF')),
    bypassProxy: z.boolean().default(false).meta(meta('Bypass proxy', 'Connect directly, ignoring HTTPS_PROXY/HTTP_PROXY')),
    caFile: z.string().nullable().default(null).meta(meta('CA file', 'PEM bundle of a private CA (self-signed Jira Server)')),
    insecure: z.boolean().default(false).meta(meta('Skip TLS verification', 'Dangerous: accepts any certificate; warned about on every start')),
    timeoutSeconds: z.number().int().min(1).max(600).default(30).meta(meta('Timeout (s)', 'Connect, header and body timeout of each request')),
    // Defaults a Jira Cloud site accepts: its burst limits are per endpoint and method, and 10
    // requests a second in all stays under each of them; 10 at once stays far under the
    // concurrency Cloud tolerates. The pace adapts below these to what Jira answers; a Data
    // Center admin who grants more raises them.
    maxRequestsPerSecond: z.number().min(0.5).max(10_000).default(10)
      .meta(meta('Max requests/s', 'Ceiling of the request rate to Jira; jiraline paces below it when Jira rate-limits')),
    maxConcurrent: z.number().int().min(1).max(1024).default(10)
      .meta(meta('Max requests at once', 'Ceiling of the requests at Jira at the same time')),
    // A Jira under load (or behind a gateway that answers 504 while Jira goes on) may finish a
    // CREATE after jiraline gave up on it: the label is looked up over this window before the
    // CREATE is sent again. Empty: twice the timeout plus 5 s (plus Cloud's search lag on Cloud).
    settleSeconds: z.number().min(0).max(3600).nullable().default(null)
      .meta(meta('Settle window (s)', 'How long a CREATE whose answer was lost is looked up before it is sent again; empty: twice the timeout plus 5 s')),
  }).strict().prefault({}),
  auth: z.object({
    method: z.enum(['basic', 'key']).default('basic').meta(meta('Method', 'basic: username + password/API token; key: Authorization Key')),
    username: z.string().nullable().default(null).meta(meta('Username', 'Jira username or e-mail (Cloud); the password is kept as a secret')),
  }).strict().prefault({}),
  updates: z.object({
    maxUpdates: z.number().int().min(1).max(100000).default(10).meta(meta('Max updates', 'Automatic updates allowed per interval')),
    intervalSeconds: z.number().int().min(1).max(86400).default(60).meta(meta('Interval (s)', 'Length of the sliding throttle window')),
    retryForHours: z.number().min(0).max(24 * 30).default(24).meta(meta('Retry for (h)', 'Give up on a command still failing after this long')),
  }).strict().prefault({}),
  log: z.object({
    maxEntries: z.number().int().min(1).max(10_000_000).default(1000).meta(meta('Maximum entries', 'Adding a row beyond this deletes the oldest')),
    removeOlderThanDays: z.number().int().min(1).max(36500).default(30).meta(meta('Remove entries older than (days)', 'Pruned at start and every 24 hours; Pending rows stay')),
  }).strict().prefault({}),
  // Named request templates for CALL lines (endpoints.ts); an unknown placeholder is refused here.
  endpoints: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an endpoint name is 1–64 of A-Za-z0-9._-'), z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).default('POST'),
    path: z.string().min(1).max(2048),
    body: z.unknown().optional(),
  }).strict().superRefine((def, ctx) => {
    const problem = endpointProblem(def);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })).default({}),
  responses: z.object({
    maxEntries: z.number().int().min(0).max(1_000_000).default(1000)
      .meta(meta('Responses kept', 'Jira answers kept for the Responses view (0: none recorded)')),
  }).strict().prefault({}),
  // The ceiling on waiting work (accepted, not yet finished). Everything waiting lives in the
  // database, which sql.js holds in memory and writes whole at each snapshot: without a bound,
  // a long Jira outage grows it until it can no longer be written or read back (a snapshot
  // over 2 GiB cannot be written in one call, nor read back by readFile). 64 MiB of lines
  // made a 69 MB database and a 354 MB peak (test/store/measure-queue-ceiling.ts); 50,000
  // commands is hours of a busy feed. Beyond either, a line is refused before it is acknowledged.
  queue: z.object({
    maxCommands: z.number().int().min(1).max(1_000_000).default(50_000)
      .meta(meta('Max waiting commands', 'Lines accepted and not yet sent; beyond this a line gets ERR queue full')),
    maxBytes: z.number().int().min(1024 * 1024).max(512 * 1024 * 1024).default(64 * 1024 * 1024)
      .meta(meta('Max waiting bytes', 'Bytes of the waiting lines (1 MiB to 512 MiB); beyond this a line gets ERR queue full')),
  }).strict().prefault({}),
  listen: hostPort.default('127.0.0.1:7465').meta(meta('Listen address', 'HOST:PORT of the Advanced socket, or off')),
  socketToken: z.string().min(1).nullable().default(null).meta(meta('Socket token', 'When set, each connection must begin with AUTH <token>')),
  metrics: hostPort.refine((v) => v !== 'off', { message: 'expected HOST:PORT (e.g. 127.0.0.1:9465), or null for off' }).nullable().default(null)
    .meta(meta('Metrics address', 'HOST:PORT where the daemon serves Prometheus /metrics and /healthz; empty is off')),
  // The alarms' lifecycle. onRecurrence…linkType: what happens when an alarm comes back (a
  // CREATE for a GUID whose ticket Jira reports resolved): docs/architecture.md#recurrence.
  // onDuplicate, duplicateStatus: what happens to a second ticket of one GUID that still
  // slipped through (Jira made it after the settle window):
  // docs/architecture.md#exactly-once-settling-and-repair. maxEntries, eligibleJql: the
  // Alarms table and Get Eligible Ticket (docs/architecture.md#alarms-and-links): bounded like
  // the log; an alarm with work waiting is never dropped, and its link to a ticket lives in
  // the GUID → ticket map and stays.
  alarms: z.object({
    maxEntries: z.number().int().min(1).max(1_000_000).default(10_000)
      .meta(meta('Maximum alarms', 'Alarms kept; beyond this the least recently seen go (never one with work pending)')),
    eligibleJql: z.string().min(1).max(4096).default(DEFAULT_ELIGIBLE_JQL)
      .refine((v) => unknownPlaceholder(v) === null, { message: 'unknown placeholder: only {project} and {guid} are filled in' })
      .meta(meta('Get Eligible Ticket JQL', 'The search offered to link an alarm to a ticket; {project} and {guid} are filled in')),
    onDuplicate: z.enum(['close', 'label', 'leave']).default('close')
      .meta(meta('On a duplicate ticket', 'close: label it, comment the kept key and move it to the duplicate status; label: only label it; leave: only log it')),
    duplicateStatus: z.string().min(1).default('Done')
      .meta(meta('Duplicate status', 'The status a duplicate ticket is moved to when onDuplicate is close')),
    onRecurrence: z.enum(['reopen', 'new', 'update']).default('reopen')
      .meta(meta('On recurrence', 'A CREATE for a GUID whose ticket is resolved: reopen it, open a new linked ticket, or only update it')),
    reopenTransition: z.string().trim().min(1).default('Reopen')
      .meta(meta('Reopen transition', 'Name of the transition (or of its target status) that moves a resolved ticket back')),
    reopenWithinDays: z.number().min(0).max(36500).nullable().default(null)
      .meta(meta('Reopen within (days)', 'reopen: only tickets resolved this recently; older ones get a new linked ticket; empty: any age')),
    linkType: z.string().trim().min(1).default('Relates')
      .meta(meta('Link type', 'Jira issue link type between a new ticket and the resolved one it follows')),
  }).strict().prefault({}),
  // The automatic CREATE template: its values may hold placeholders filled from the line
  // (template-placeholders.ts); an unknown one is refused here, so never sent.
  template: z.array(templateRowSchema).superRefine((rows, ctx) => {
    const bad = templateProblem(rows);
    if (bad !== null) ctx.addIssue({ code: 'custom', message: bad.message, path: [bad.index, 'value'] });
  }).default([
    { field: 'project', value: 'OPS', mode: 'Include' },
    { field: 'issuetype', value: 'Incident', mode: 'Include' },
  ]),
  // The Creation pane's Manual draft, apart from the template: a one-off ticket drafted there
  // changes no automatic CREATE. null (a config written before the two were apart): the
  // draft starts as a copy of the template.
  draft: z.array(templateRowSchema).nullable().default(null),
}).strict();

/** The validated configuration with every default filled in. */
export type Config = z.infer<typeof configSchema>;
/** A template row as kept in the config. */
export type TemplateRow = z.infer<typeof templateRowSchema>;

/** The defaults, as `{}` parses. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Thrown for a config that fails validation; the message names the key at fault. */
export class ConfigError extends Error {
  constructor(message: string, readonly key: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// The keys an object of the schema takes at `path` (through defaults, optionals, nullables).
function keysAt(schema: z.ZodType, path: string[]): string[] {
  let node: unknown = schema;
  const unwrap = () => {
    for (;;) {
      const def = (node as { _zod?: { def?: { innerType?: unknown } } })._zod?.def;
      if (def?.innerType === undefined) return;
      node = def.innerType;
    }
  };
  unwrap();
  for (const step of path) {
    const shape = (node as { shape?: Record<string, unknown> }).shape;
    if (shape === undefined || !(step in shape)) return [];
    node = shape[step];
    unwrap();
  }
  return Object.keys((node as { shape?: Record<string, unknown> }).shape ?? {});
}

/**
 * Validates raw config data. `origin` says where it came from ("config file /x/config.json",
 * "--listen", "JIRALINE_URL") so the one-line error names what to fix.
 */
export function parseConfig(raw: unknown, origin = 'config'): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = [...path, issue.keys[0]].join('.');
    const known = keysAt(configSchema, path);
    const hint = nearest(issue.keys[0], known);
    // The fix first: a long path in front already takes much of an 80-column line.
    const advice = hint !== null ? `did you mean ${[...path, hint].join('.')}? (or remove it)` : `remove it, or use one of the keys here: ${known.join(', ')}`;
    throw new ConfigError(`${origin}: error in ${key}: ${advice} — unknown key`, key);
  }
  const key = path.join('.');
  const where = key || '(top level)';
  throw new ConfigError(`${origin}: error in ${where}: ${issue.message}`, key);
}
