// The `labels` field of an Advanced line: `a,b` sets the labels, `+a,-b` adds and
// removes. Operations are kept in order so merged updates apply them as the lines said, and
// the ticket's own `jiraline-<GUID>` label — how a lost CREATE is found again — never goes.
// See docs/protocol.md#special-fields.
import { hasSpace, quote, splitList, type Shaped } from './field-shaping.js';

/** One label change: add one, remove one, or replace them all. */
export type LabelOp = { add: string } | { remove: string } | { set: string[] };

/** The label every ticket made for a GUID carries: "jiraline-<GUID>". */
export function guidLabel(guid: string): string {
  return `jiraline-${guid}`;
}

/** Reads a `labels` value: `a,b` → one set, `+a,-b` → adds and removes, `["a"]` → set; '' sets none. */
export function parseLabelValue(value: string): Shaped<LabelOp[]> {
  const trimmed = value.indexOf('[') < 0 ? '' : value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((l) => typeof l === 'string' && l !== '' && !hasSpace(l))) {
        return { ok: true, value: [{ set: parsed as string[] }] };
      }
    } catch {
      // not JSON: read it as a list below, where the error will name the odd label
    }
  }
  const items = splitList(value);
  let signed = 0;
  for (const l of items) {
    if (hasSpace(l)) return { ok: false, error: `labels: a label cannot contain spaces, got ${quote(l)} — separate labels with commas` };
    if (l[0] === '+' || l[0] === '-') signed++;
  }
  if (signed === 0) return { ok: true, value: [{ set: items }] };
  if (signed !== items.length) {
    return { ok: false, error: `labels: ${quote(value)} mixes +/- changes and plain labels — write +a,-b to change labels or a,b to set them` };
  }
  const ops: LabelOp[] = [];
  for (const item of items) {
    const label = item.slice(1);
    if (label === '') return { ok: false, error: `labels: ${quote(item)} names no label — write +label or -label` };
    ops.push(item[0] === '+' ? { add: label } : { remove: label });
  }
  return { ok: true, value: ops };
}

/** Applies operations to a known list of labels, in order (adds go to the end, no duplicates). */
export function applyLabelOps(labels: readonly string[], ops: readonly LabelOp[]): string[] {
  let out = [...labels];
  for (const op of ops) {
    if ('set' in op) out = [...new Set(op.set)];
    else if ('add' in op) {
      if (!out.includes(op.add)) out.push(op.add);
    } else out = out.filter((l) => l !== op.remove);
  }
  return out;
}

/**
 * Folds operations into the fewest with the same effect on a ticket whose labels are unknown:
 * after a `set`, one `set`; otherwise one add or remove per label (the last word on it).
 * `keep` (the GUID label) is never removed and stays in any set.
 */
export function foldLabelOps(ops: readonly LabelOp[], keep: string | null): LabelOp[] {
  let set: string[] | null = null;
  const changes = new Map<string, 'add' | 'remove'>();
  for (const op of ops) {
    if ('set' in op) {
      set = [...new Set(op.set)];
      changes.clear();
    } else if ('add' in op) {
      if (set !== null) {
        if (!set.includes(op.add)) set.push(op.add);
      } else changes.set(op.add, 'add');
    } else if (op.remove !== keep) {
      if (set !== null) set = set.filter((l) => l !== op.remove);
      else changes.set(op.remove, 'remove');
    }
  }
  if (set !== null) {
    if (keep !== null && !set.includes(keep)) set.push(keep);
    return [{ set }];
  }
  return [...changes].map(([label, verb]) => (verb === 'add' ? { add: label } : { remove: label }));
}
