// What a unit of work remembers between its attempts (EngineCore keeps it, in memory and in
// the store's meta `unit:<key>`): the steps done and those whose outcome is not known yet.
import type { RecurrenceMemory } from './recurrence.js';

/** What a unit of work remembers between its attempts. Kept in the store too (meta
 *  `unit:<key>`, written with the next commit), so that a restart does not repeat a step
 *  Jira already took — a comment, a transition. */
export interface UnitMemory {
  /** Attempts Jira answered with 500 (capped at 5 retries). */
  serverErrors: number;
  /** Steps already done, so a retry does not repeat them (the edit, the comments in order, the transition). */
  edited: boolean;
  commentsDone: number;
  transitioned: boolean;
  /** A comment sent whose outcome is not known yet (stored before the request leaves, engine-steps.ts). */
  commentInFlight?: { step: number; since: number };
  /** A transition sent whose outcome is not known yet. */
  transitionInFlight?: boolean;
  /** 429s the unit met (Jira pacing us; not attempts): shown in its log row. */
  rateRefusals?: number;
  /** An edit carrying comments whose outcome is not known, left by an older jiraline (its edits carried the comments); looked up once (editOnce). */
  editInFlight?: { since: number };
  /** When the CREATE's last request left with its outcome unknown: the settle window runs from here (engine-settle.ts). */
  settleSince?: number;
  /** A recurring CREATE: what was decided and which of its steps are done (recurrence.ts). */
  recurrence?: RecurrenceMemory;
}
