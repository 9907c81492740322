// The one state of each GUID the scheduler (engine-worker.ts) knows, changed only through
// move(), which refuses a transition the design does not allow (a bug, not a state), and the
// ordered indexes the scheduler walks, kept in step with it:
//   waiting   — may have something to send now: looked at on the next pass, in nudge order;
//   throttled — its next unit is an automatic update waiting for a slot of the throttle window;
//   held      — its next unit is due, but the gate is closed (Jira not answering, engine-gate.ts);
//   sleeping  — its next unit waits for its retry time;
//   paced     — a unit has started but its request waits for the pacer's permit (pacer.ts):
//               Jira's rate limit, not Jira, holds it;
//   sending   — a unit is with Jira (its request sent, or work between two requests).
// A GUID with nothing to do has no state ('idle').

/** The state of a GUID in the scheduler; see the file comment. */
export type UnitState = 'waiting' | 'throttled' | 'held' | 'sleeping' | 'paced' | 'sending';

/** The transitions the design allows (from → to; 'idle' is no state). Anything else is a bug. */
const ALLOWED: Record<UnitState | 'idle', ReadonlyArray<UnitState | 'idle'>> = {
  idle: ['waiting'],
  waiting: ['idle', 'throttled', 'held', 'sleeping', 'sending'],
  throttled: ['idle', 'throttled', 'held', 'sleeping', 'sending'],
  held: ['idle', 'waiting', 'throttled', 'held', 'sleeping', 'sending'],
  sleeping: ['waiting'],
  // A unit's request waits for its permit, then goes; the unit ends only once its request has
  // left the pacer (sent, or refused because the engine stops), so never straight from paced.
  sending: ['idle', 'paced'],
  paced: ['sending'],
};

/** The states and their indexes; see the file comment. */
export class UnitStates {
  private readonly states = new Map<string, UnitState>();
  /** Indexes of the states that are walked in order (Sets keep insertion order). */
  readonly ready = new Set<string>();
  readonly throttled = new Set<string>();
  readonly held = new Set<string>();
  /** Sleeping GUIDs and when they wake. */
  readonly sleeping = new Map<string, number>();
  /** Started units: paced or sending. */
  private started = 0;
  /** Of those, the units whose request waits for the pacer. */
  private pacedCount = 0;

  /** The state of a GUID (undefined: idle). */
  get(guid: string): UnitState | undefined {
    return this.states.get(guid);
  }

  /** Units started and not ended (paced or sending). */
  get startedCount(): number {
    return this.started;
  }

  /** Units whose request waits for the pacer's permit. */
  get paced(): number {
    return this.pacedCount;
  }

  /** How many GUIDs are in each state. */
  counts(): Record<UnitState, number> {
    return { waiting: this.ready.size, throttled: this.throttled.size, held: this.held.size, sleeping: this.sleeping.size,
      paced: this.pacedCount, sending: this.started - this.pacedCount };
  }

  /** Changes a GUID's state, keeping the indexes; a transition the design does not allow throws. */
  move(guid: string, next: UnitState | 'idle', at = 0): void {
    const prev = this.states.get(guid) ?? 'idle';
    if (!ALLOWED[prev].includes(next)) throw new Error(`scheduler: ${guid} may not go from ${prev} to ${next}`);
    if (prev === next) return; // stays, keeping its place in line
    if (prev === 'waiting') this.ready.delete(guid);
    else if (prev === 'throttled') this.throttled.delete(guid);
    else if (prev === 'held') this.held.delete(guid);
    else if (prev === 'sleeping') this.sleeping.delete(guid);
    else if (prev === 'sending' && next !== 'paced') this.started--;
    else if (prev === 'paced') this.pacedCount--;
    if (next === 'idle') {
      this.states.delete(guid);
      return;
    }
    this.states.set(guid, next);
    if (next === 'waiting') this.ready.add(guid);
    else if (next === 'throttled') this.throttled.add(guid);
    else if (next === 'held') this.held.add(guid);
    else if (next === 'sleeping') this.sleeping.set(guid, at);
    else if (next === 'paced') this.pacedCount++;
    else if (prev !== 'paced') this.started++;
  }

  /** What breaks the invariants now (empty when sound): each GUID in its state's index, no index larger. */
  violations(): string[] {
    const out: string[] = [];
    const indexOf = (state: UnitState): { has(g: string): boolean; size: number } =>
      state === 'waiting' ? this.ready : state === 'throttled' ? this.throttled : state === 'held' ? this.held : state === 'sleeping' ? this.sleeping
        : state === 'paced' ? { has: (g) => this.states.get(g) === 'paced', size: this.pacedCount }
          : { has: (g) => this.states.get(g) === 'sending', size: this.started - this.pacedCount };
    let total = 0;
    for (const state of ['waiting', 'throttled', 'held', 'sleeping', 'paced', 'sending'] as const) {
      const index = indexOf(state);
      total += index.size;
      for (const [guid, s] of this.states) if (s === state && !index.has(guid)) out.push(`${guid} is ${state} but not in its index`);
    }
    if (total !== this.states.size) out.push(`${total} indexed GUIDs for ${this.states.size} states`);
    return out;
  }
}
