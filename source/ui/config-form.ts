// The Configuration pane's form, generated from the zod config schema: each leaf field
// with its .meta() label and help, its kind (text, number, switch), and validation by
// the schema itself, so the pane and the config file can never disagree on what is valid.
import { configSchema, type Config } from '../core/config.js';

/** What kind of input a field takes. */
export type FieldKind = 'text' | 'number' | 'switch';

/** One field of the form. */
export interface FormField {
  /** Dotted key, e.g. "jira.url". */
  key: string;
  path: string[];
  group: string;
  label: string;
  help: string;
  kind: FieldKind;
  /** Empty input means null. */
  nullable: boolean;
  /** Shown masked (a token). */
  secretish: boolean;
  /** Only read at start: a change needs a restart. */
  restart: boolean;
}

// Groups the form shows, in order, with their titles. `auth` has its own dialog and
// `template` is the Creation pane's draft.
const groups: Array<{ key: string; title: string }> = [
  { key: 'jira', title: 'Jira' },
  { key: 'updates', title: 'Updates' },
  { key: 'log', title: 'Log' },
  { key: 'queue', title: 'Queue' },
  { key: 'listen', title: 'Socket' },
  { key: 'socketToken', title: 'Socket' },
];

// Settings the engine applies live through setConfig; everything else is read when the
// runtime starts (the Jira client's URL, TLS and proxy; the socket's address and token).
const liveGroups = new Set(['updates', 'log', 'queue', 'alarms', 'template', 'draft']);

type ZodLike = { _zod: { def: { type: string; innerType?: ZodLike; shape?: Record<string, ZodLike> } }; meta?: () => unknown };

function unwrap(schema: ZodLike): { base: string; nullable: boolean } {
  let node: ZodLike | undefined = schema;
  let nullable = false;
  while (node && ['default', 'prefault', 'nullable', 'optional'].includes(node._zod.def.type)) {
    if (node._zod.def.type === 'nullable') nullable = true;
    node = node._zod.def.innerType;
  }
  return { base: node?._zod.def.type ?? 'unknown', nullable };
}

function leaf(path: string[], group: string, schema: ZodLike): FormField {
  const meta = (schema.meta?.() ?? {}) as { label?: string; help?: string };
  const { base, nullable } = unwrap(schema);
  const key = path.join('.');
  return {
    key, path, group,
    label: meta.label ?? key,
    help: meta.help ?? '',
    kind: base === 'boolean' ? 'switch' : base === 'number' ? 'number' : 'text',
    nullable,
    secretish: key === 'socketToken',
    restart: !liveGroups.has(path[0]),
  };
}

/** Every field the form shows, in order. */
export function formFields(): FormField[] {
  const shape = (configSchema as unknown as ZodLike)._zod.def.shape ?? {};
  const fields: FormField[] = [];
  for (const { key, title } of groups) {
    const node = shape[key];
    if (!node) continue;
    let inner: ZodLike | undefined = node;
    while (inner && (inner._zod.def.type === 'prefault' || inner._zod.def.type === 'default') && inner._zod.def.innerType?._zod.def.type === 'object') {
      inner = inner._zod.def.innerType;
    }
    if (inner?._zod.def.type === 'object' && inner._zod.def.shape) {
      for (const [name, child] of Object.entries(inner._zod.def.shape)) fields.push(leaf([key, name], title, child));
    } else {
      fields.push(leaf([key], title, node));
    }
  }
  return fields;
}

function get(config: Config, path: string[]): unknown {
  return path.reduce<unknown>((node, part) => (node as Record<string, unknown> | null)?.[part], config);
}

function set(config: Config, path: string[], value: unknown): Config {
  const copy = structuredClone(config) as Record<string, any>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part];
  node[path[path.length - 1]] = value;
  return copy as Config;
}

/** The field's value as text for editing ('' for null). */
export function fieldValue(config: Config, field: FormField): string {
  const value = get(config, field.path);
  return value === null || value === undefined ? '' : String(value);
}

/** The field's value as the form shows it (switches as on/off, tokens masked). */
export function fieldDisplay(config: Config, field: FormField): string {
  const value = get(config, field.path);
  if (value === null || value === undefined || value === '') return '(none)';
  if (field.kind === 'switch') return value ? 'on' : 'off';
  if (field.secretish) return '•••• (set)';
  return String(value);
}

/** Result of applying typed text to a field. */
export type ApplyResult = { ok: true; config: Config } | { ok: false; error: string };

/** The config with the field set from typed text, validated by the schema; or why not. */
export function applyField(config: Config, field: FormField, text: string): ApplyResult {
  let value: unknown;
  const trimmed = text.trim();
  if (field.kind === 'switch') {
    value = /^(on|true|yes|1)$/i.test(trimmed);
  } else if (trimmed === '' && field.nullable) {
    value = null;
  } else if (field.kind === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return { ok: false, error: 'expected a number' };
    value = Number(trimmed);
  } else {
    value = trimmed;
  }
  const next = set(config, field.path, value);
  const result = configSchema.safeParse(next);
  if (!result.success) {
    const issue = result.error.issues.find((i) => i.path.join('.') === field.key) ?? result.error.issues[0];
    return { ok: false, error: issue.message };
  }
  return { ok: true, config: result.data };
}

/** The config with a switch flipped. */
export function toggleField(config: Config, field: FormField): ApplyResult {
  return applyField(config, field, get(config, field.path) ? 'off' : 'on');
}

/** Labels of the settings changed between two configs that take effect only after a restart. */
export function restartNeeded(before: Config, after: Config): string[] {
  return formFields()
    .filter((f) => f.restart && JSON.stringify(get(before, f.path)) !== JSON.stringify(get(after, f.path)))
    .map((f) => f.label);
}
