// The seed data as Jira renders it for one simulator (its base URL and mode), built
// once at start so the hot path only looks objects up. Values stored on issues are these
// objects, as Jira stores a reference and renders the full object on every read.
import {
  FIELDS, ISSUE_TYPES, PRIORITIES, PROJECTS, RESOLUTION_DONE, STATUSES, TRANSITIONS, USERS,
  type SeedField, type SeedOption, type SeedProject, type SeedUser,
} from './seed.js';

/** Which Jira the simulator behaves as. */
export type SimMode = 'cloud' | 'datacenter';

type Json = Record<string, unknown>;

/** Jira's timestamp format: 2024-01-31T12:00:00.000+0000. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function avatars(base: string, kind: string, id: string): Json {
  return {
    '48x48': `${base}/secure/${kind}avatar?avatarId=${id}`,
    '24x24': `${base}/secure/${kind}avatar?size=small&avatarId=${id}`,
    '16x16': `${base}/secure/${kind}avatar?size=xsmall&avatarId=${id}`,
    '32x32': `${base}/secure/${kind}avatar?size=medium&avatarId=${id}`,
  };
}

/** Prebuilt Jira JSON for the seed, and lookups by id or name. */
export class Catalog {
  readonly fields: Json[];
  readonly priorities: Json[];
  readonly projects: Json[];
  readonly resolutionDone: Json;
  private readonly priorityBy = new Map<string, Json>();
  private readonly issueTypeJson = new Map<string, Json>();
  private readonly issueTypeByName = new Map<string, string>();
  private readonly projectBy = new Map<string, SeedProject>();
  private readonly projectRef = new Map<string, Json>();
  private readonly userRef = new Map<string, Json>();
  private readonly userBy = new Map<string, SeedUser>();
  private readonly statusBy = new Map<string, Json>();
  private readonly optionJson = new Map<string, Json>();

  constructor(readonly baseUrl: string, readonly mode: SimMode) {
    const api = `${baseUrl}/rest/api/2`;
    this.fields = FIELDS.map((f) => ({
      id: f.id, key: f.id, name: f.name, custom: f.custom, orderable: f.kind !== 'readonly' || f.id === 'status',
      navigable: true, searchable: true, clauseNames: f.clauseNames, ...(f.schema ? { schema: f.schema } : {}),
    }));
    this.priorities = PRIORITIES.map((p) => ({
      self: `${api}/priority/${p.id}`, statusColor: p.color, description: p.description,
      iconUrl: `${baseUrl}/images/icons/priorities/${p.name.toLowerCase()}.svg`, name: p.name, id: p.id,
    }));
    for (const p of this.priorities) {
      this.priorityBy.set(`id:${p.id as string}`, p);
      this.priorityBy.set(`name:${(p.name as string).toLowerCase()}`, p);
    }
    for (const t of ISSUE_TYPES) {
      this.issueTypeJson.set(t.id, {
        self: `${api}/issuetype/${t.id}`, id: t.id, description: t.description,
        iconUrl: `${baseUrl}/images/icons/issuetypes/${t.icon}.svg`, name: t.name, subtask: false, avatarId: Number(t.id) + 300,
        ...(mode === 'cloud' ? { hierarchyLevel: 0 } : {}),
      });
      this.issueTypeByName.set(t.name.toLowerCase(), t.id);
    }
    this.projects = PROJECTS.map((p) => {
      this.projectBy.set(`id:${p.id}`, p);
      this.projectBy.set(`key:${p.key.toLowerCase()}`, p);
      const ref = {
        self: `${api}/project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: 'software',
        simplified: false, avatarUrls: avatars(baseUrl, 'project', p.id),
      };
      this.projectRef.set(p.id, ref);
      return { expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight', ...ref, style: 'classic', isPrivate: false, properties: {} };
    });
    for (const u of USERS) {
      this.userBy.set(mode === 'cloud' ? u.accountId : u.name.toLowerCase(), u);
      this.userRef.set(u.accountId, this.userJson(u, false));
    }
    for (const s of STATUSES) {
      this.statusBy.set(s.name.toLowerCase(), {
        self: `${api}/status/${s.id}`, description: '', iconUrl: `${baseUrl}/images/icons/statuses/generic.png`, name: s.name, id: s.id,
        statusCategory: { self: `${api}/statuscategory/${s.category.id}`, ...s.category },
      });
    }
    this.resolutionDone = { self: `${api}/resolution/${RESOLUTION_DONE.id}`, ...RESOLUTION_DONE };
  }

  /** A user as Jira renders it: Cloud by accountId, Server/DC by name and key. */
  userJson(u: SeedUser, full: boolean): Json {
    const api = `${this.baseUrl}/rest/api/2`;
    const who = this.mode === 'cloud'
      ? { self: `${api}/user?accountId=${u.accountId}`, accountId: u.accountId }
      : { self: `${api}/user?username=${u.name}`, name: u.name, key: u.key };
    return {
      ...who, emailAddress: u.emailAddress, avatarUrls: avatars(this.baseUrl, 'user', u.key), displayName: u.displayName,
      active: true, timeZone: 'Etc/UTC', ...(this.mode === 'cloud' ? { accountType: 'atlassian' } : {}),
      ...(full ? { locale: 'en_US' } : {}),
    };
  }

  /** The user a Basic username names, or ops-bot (who the simulator says you are). */
  me(username: string | null): SeedUser {
    const u = username ? USERS.find((x) => x.name === username || x.emailAddress === username) : undefined;
    return u ?? USERS[0];
  }

  /** A user by the identifier this mode uses (accountId on Cloud, name on Server/DC). */
  user(ident: string): SeedUser | undefined {
    return this.userBy.get(this.mode === 'cloud' ? ident : ident.toLowerCase());
  }

  /** The compact user object stored on issues. */
  userRefJson(u: SeedUser): Json {
    return this.userRef.get(u.accountId)!;
  }

  /** A project by key (case-insensitive) or id. */
  project(keyOrId: string): SeedProject | undefined {
    return this.projectBy.get(`id:${keyOrId}`) ?? this.projectBy.get(`key:${keyOrId.toLowerCase()}`);
  }

  /** The compact project object stored on issues. */
  projectRefJson(p: SeedProject): Json {
    return this.projectRef.get(p.id)!;
  }

  /** An issue type's JSON by id. */
  issueType(id: string): Json | undefined {
    return this.issueTypeJson.get(id);
  }

  /** An issue type id by name (case-insensitive). */
  issueTypeIdByName(name: string): string | undefined {
    return this.issueTypeByName.get(name.toLowerCase());
  }

  /** A priority by id or name (case-insensitive). */
  priority(by: 'id' | 'name', v: string): Json | undefined {
    return this.priorityBy.get(by === 'id' ? `id:${v}` : `name:${v.toLowerCase()}`);
  }

  /** A status's JSON by name (case-insensitive). */
  status(name: string): Json | undefined {
    return this.statusBy.get(name.toLowerCase());
  }

  /** The transitions open from a status, as GET /transitions lists them. */
  transitionsFrom(status: string): Json[] {
    return TRANSITIONS.filter((t) => t.from.includes(status)).map((t) => ({
      id: t.id, name: t.name, to: this.status(t.to), hasScreen: false, isGlobal: false, isInitial: false,
      isAvailable: true, isConditional: false, isLooped: false,
    }));
  }

  /** A custom field option as Jira renders it (with its child for cascading selects). */
  option(o: SeedOption, child?: SeedOption): Json {
    let j = this.optionJson.get(o.id);
    if (!j) {
      j = { self: `${this.baseUrl}/rest/api/2/customFieldOption/${o.id}`, value: o.value, id: o.id };
      this.optionJson.set(o.id, j);
    }
    return child ? { ...j, child: this.option(child) } : j;
  }

  /** A component of a project as Jira renders it. */
  component(c: { id: string; name: string }): Json {
    return { self: `${this.baseUrl}/rest/api/2/component/${c.id}`, id: c.id, name: c.name };
  }

  /** A version of a project as Jira renders it. */
  version(v: { id: string; name: string }, projectId: string): Json {
    return { self: `${this.baseUrl}/rest/api/2/version/${v.id}`, id: v.id, name: v.name, archived: false, released: false, projectId: Number(projectId) };
  }

  /** The allowed values createmeta lists for a field in a project, if it has a closed set. */
  allowedValues(f: SeedField, p: SeedProject, issueTypeId: string): Json[] | undefined {
    switch (f.kind) {
      case 'project': return [this.projectRefJson(p)];
      case 'issuetype': return [this.issueType(issueTypeId)!];
      case 'priority': return this.priorities;
      case 'components': return p.components.map((c) => this.component(c));
      case 'versions': return p.versions.map((v) => this.version(v, p.id));
      case 'option': case 'options': return f.options!.map((o) => this.option(o));
      case 'cascading': return f.options!.map((o) => ({ ...this.option(o), children: o.children!.map((c) => this.option(c)) }));
      default: return undefined;
    }
  }
}
