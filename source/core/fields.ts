// The field catalogue: Jira's GET /field (or the built-in system fields when Jira has never
// answered), looked up by id or by name, and the entry point of value shaping.
// The rules themselves live in field-shaping.ts, keyed by the Type column's string.
// See docs/protocol.md#field-values.
import { editDistance } from './edit-distance.js';
import { BUILTIN_FIELDS } from './builtin-fields.js';
import { checkByType, fieldType, quote, shapeByType, type ShapeContext, type ShapeOptions, type Shaped } from './field-shaping.js';
import type { FieldDef } from './ports.js';

export { BUILTIN_FIELDS } from './builtin-fields.js';
export {
  FIELD_TYPES, checkByType, clearedValue, hasSpace, isArrayType, isSpace, isKnownType, shapeByType, splitList, strictNumber, validDate, validDateTime,
  type ShapeContext, type ShapeOptions, type Shaped,
} from './field-shaping.js';

const CUSTOM_ID = /^customfield_\d+$/i;

/** How a field is named in messages: `priority`, or `Story Points (customfield_10011)` for a custom field. */
export function fieldLabel(field: FieldDef): string {
  return field.custom && field.name !== field.id ? `${field.name} (${field.id})` : field.id;
}

/** Jira's field catalogue, or the built-in fallback; immutable once made. */
export class FieldCatalogue {
  /** True for the built-in fallback: Jira's own catalogue has not been fetched. */
  readonly isBuiltin: boolean;
  private readonly defs: FieldDef[];
  private readonly byId = new Map<string, FieldDef>();
  private readonly byLowerId = new Map<string, FieldDef>();
  private readonly byLowerName = new Map<string, FieldDef[]>();
  private readonly types = new Map<FieldDef, string>();
  private readonly resolved = new Map<string, Shaped<FieldDef>>();

  private constructor(defs: readonly FieldDef[], isBuiltin: boolean) {
    this.isBuiltin = isBuiltin;
    for (const def of defs) {
      // The list comes off the network or the store: an entry without an id or name is skipped.
      if (typeof def !== 'object' || def === null || typeof def.id !== 'string' || def.id === '') continue;
      const clean: FieldDef = { id: def.id, name: typeof def.name === 'string' ? def.name : def.id, custom: def.custom === true };
      if (typeof def.schema === 'object' && def.schema !== null) clean.schema = def.schema;
      this.byId.set(clean.id, clean);
    }
    this.defs = [...this.byId.values()];
    for (const def of this.defs) {
      this.byLowerId.set(def.id.toLowerCase(), def);
      const key = def.name.trim().toLowerCase();
      const same = this.byLowerName.get(key);
      if (same === undefined) this.byLowerName.set(key, [def]);
      else same.push(def);
    }
  }

  /** The catalogue Jira reports (GET /rest/api/2/field). */
  static fromJira(defs: FieldDef[]): FieldCatalogue {
    return new FieldCatalogue(Array.isArray(defs) ? defs : [], false);
  }

  /** The system fields, for when Jira cannot be asked. */
  static builtin(): FieldCatalogue {
    return new FieldCatalogue(BUILTIN_FIELDS, true);
  }

  /** Every field, in the order Jira listed them. */
  all(): FieldDef[] {
    return [...this.defs];
  }

  /** The field with exactly this id, if any. */
  get(id: string): FieldDef | undefined {
    return this.byId.get(id);
  }

  /**
   * A field by id or by name, case-insensitive; an id beats a name. A name two fields share
   * is an error listing their ids. The built-in catalogue also takes any `customfield_N` id
   * (type `any`), since it cannot know Jira's custom fields.
   */
  resolve(nameOrId: string): Shaped<FieldDef> {
    // Automation sends the same few names on every line: remember the answers (bounded).
    const known = this.resolved.get(nameOrId);
    if (known !== undefined) return known;
    const answer = this.lookUp(nameOrId);
    if (this.resolved.size >= 2048) this.resolved.clear();
    this.resolved.set(nameOrId, answer);
    return answer;
  }

  private lookUp(nameOrId: string): Shaped<FieldDef> {
    const wanted = nameOrId.trim();
    if (wanted === '') return { ok: false, error: 'no field name — write a field id such as summary or a name such as Story Points' };
    const exact = this.byId.get(wanted) ?? this.byLowerId.get(wanted.toLowerCase());
    if (exact !== undefined) return { ok: true, value: exact };
    const named = this.byLowerName.get(wanted.toLowerCase());
    if (named !== undefined && named.length === 1) return { ok: true, value: named[0] };
    if (named !== undefined) {
      return { ok: false, error: `field name ${quote(wanted)} is ambiguous: ${named.map((d) => d.id).join(', ')} — use one of these ids` };
    }
    if (this.isBuiltin && CUSTOM_ID.test(wanted)) {
      const id = wanted.toLowerCase();
      return { ok: true, value: { id, name: id, custom: true } };
    }
    const hint = this.suggest(wanted);
    const why = this.isBuiltin
      ? 'not a built-in field, and Jira\'s catalogue has not been fetched yet (write custom fields by id, customfield_NNNNN)'
      : 'Jira\'s field catalogue has no such id or name';
    // "did you mean" first: after a GUID and the name, the reason would push it past 80 columns.
    return { ok: false, error: hint === null ? `unknown field ${quote(wanted)}: ${why}` : `unknown field ${quote(wanted)}: did you mean ${hint}? (${why})` };
  }

  /** Shapes a value for the field by the field's type; see ShapeOptions for what '' means. */
  shape(field: FieldDef, value: string, ctx: ShapeContext, options?: ShapeOptions): Shaped<unknown> {
    return shapeByType(this.typeOf(field), fieldLabel(field), value, ctx, options);
  }

  /** Whether a value can be shaped for the field: null, or the reason (cheaper than shape). */
  check(field: FieldDef, value: string, ctx: ShapeContext, options?: ShapeOptions): string | null {
    return checkByType(this.typeOf(field), fieldLabel(field), value, ctx, options);
  }

  /** The Type column: "string", "text", "option", "user", "array<option>", … */
  typeOf(field: FieldDef): string {
    let type = this.types.get(field);
    if (type === undefined) {
      type = fieldType(field);
      if (this.byId.get(field.id) === field) this.types.set(field, type);
    }
    return type;
  }

  // A close id or name (edit distance ≤ 2), only computed on the error path.
  private suggest(wanted: string): string | null {
    const w = wanted.toLowerCase();
    let best: string | null = null;
    let bestDistance = 3;
    for (const [lower, def] of this.byLowerId) {
      const d = editDistance(w, lower, bestDistance);
      if (d < bestDistance) [bestDistance, best] = [d, def.id];
    }
    for (const [lower, defs] of this.byLowerName) {
      const d = editDistance(w, lower, bestDistance);
      if (d < bestDistance) [bestDistance, best] = [d, defs[0].name];
    }
    return best;
  }
}

/** The shaping context for a Jira: Cloud → accountId users, Server/DataCenter (or unknown) → names. */
export function shapeContextFor(deploymentType: 'Cloud' | 'Server' | 'DataCenter' | undefined, apiVersion: 2 | 3): ShapeContext {
  return { deployment: deploymentType === 'Cloud' ? 'cloud' : 'server', apiVersion };
}
