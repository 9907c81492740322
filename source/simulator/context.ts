// What every route receives: the parsed request and the simulator's state.
import type { Catalog } from './catalog.js';
import type { IssueStore } from './issues.js';
import type { SeedUser } from './seed.js';

/** A parsed REST request under /rest/api/{2,3,latest}/. */
export interface Req {
  method: string;
  /** 3 for /rest/api/3, else 2 (latest is 2, as on Jira). */
  api: 2 | 3;
  /** Path segments after /rest/api/{version}/, decoded. */
  parts: string[];
  query: URLSearchParams;
  /** The JSON body, when one was sent. */
  body: unknown;
  /** Who the credentials name (Basic username), or null. */
  username: string | null;
}

/** The simulator's state as routes see it. */
export interface SimState {
  catalog: Catalog;
  issues: IssueStore;
  mode: 'cloud' | 'datacenter';
  now(): number;
  /** Whether comment properties are dropped (a Jira that ignores them). */
  dropCommentProperties(): boolean;
  /** The user a request acts as. */
  me(req: Req): SeedUser;
}
