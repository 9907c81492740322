// The settle window. A Jira under load, or a gateway that answers 504 while Jira goes on, can
// make a ticket after jiraline stopped waiting for its CREATE. Looking the label up once right
// after the timeout finds nothing yet, and sending again then makes a second ticket. So a
// CREATE whose answer was lost is looked up several times over a window that covers the time
// Jira may still take, and sent again only when none of those lookups found it. Meanwhile the
// unit sleeps (other GUIDs go on; updates of its GUID wait behind it) and its row says it is
// settling. See docs/architecture.md#exactly-once-settling-and-repair.
import type { EngineCore, UnitMemory } from './engine-core.js';
import type { LogPatch } from './engine-outcome.js';
import { CLOUD_SEARCH_RECHECK_MS } from './engine-recovery.js';
import type { QueuedCommand } from './ports.js';

/** Lookups spread over one window (the first comes with the retry after the timeout, the last at its end). */
export const SETTLE_LOOKUPS = 4;
/** Lookups of one settling CREATE are at least this far apart (a short window is looked up less often). */
export const MIN_SETTLE_STEP_MS = 1000;

/**
 * Added to the derived window: the connection of a request given up on is closed by the pool's
 * own timer, which fires up to about a second after our deadline, and a Jira (or gateway) that
 * goes on works from then (measured: `npm run bench -- settle`, README "Benchmarks").
 */
export const SETTLE_MARGIN_MS = 5000;

/**
 * The window jiraline derives when jira.settleSeconds is not set: twice the request timeout
 * (a request Jira still holds when we give up is usually done within as long again) plus
 * SETTLE_MARGIN_MS, plus the lag of Cloud's search index on Cloud, where a new issue is found
 * only seconds after it exists.
 */
export function derivedSettleMs(core: EngineCore): number {
  const cloud = core.shapeContext().deployment === 'cloud';
  return 2 * core.config.jira.timeoutSeconds * 1000 + SETTLE_MARGIN_MS + (cloud ? CLOUD_SEARCH_RECHECK_MS : 0);
}

/** The settle window in force: jira.settleSeconds, else the derived one. */
export function settleMs(core: EngineCore): number {
  const configured = core.config.jira.settleSeconds;
  return configured === null || configured === undefined ? derivedSettleMs(core) : configured * 1000;
}

/**
 * When a CREATE sent again after an unknown outcome is checked for a second ticket: after the
 * window in force, and never sooner than the derived one — a window turned down trades
 * duplicates for speed, and the check finds what slipped through then.
 */
export function repairCheckDelayMs(core: EngineCore): number {
  return Math.max(settleMs(core), derivedSettleMs(core));
}

/**
 * Whether this lookup is the last before the CREATE is sent again (no window, or it is over):
 * on Cloud that one is made twice, across the search index's lag.
 */
export function lastLookup(core: EngineCore, memory: UnitMemory): boolean {
  return memory.settleSince === undefined || core.clock.now() >= memory.settleSince + settleMs(core);
}

/** The CREATE's request left and its outcome is unknown: the window starts now (stored with the unit). */
export function outcomeLost(core: EngineCore, memory: UnitMemory, unit: string): void {
  memory.settleSince = core.clock.now();
  core.saveUnit(unit);
}

/**
 * A lookup found nothing. While the window is open, the next lookup is scheduled instead of a
 * send (true: the unit sleeps until then, settling). False: the window is over (or there was
 * none: a CREATE left open by a crash is looked up once, then checked for a duplicate later).
 */
export function settleLater(core: EngineCore, cmd: QueuedCommand, memory: UnitMemory, log: LogPatch): boolean {
  const since = memory.settleSince;
  if (since === undefined) return false;
  const window = settleMs(core);
  const end = since + window;
  const now = core.clock.now();
  if (now >= end) return false;
  const at = Math.min(end, now + Math.max(MIN_SETTLE_STEP_MS, window / SETTLE_LOOKUPS));
  // A lookup is not an attempt to send: the attempt this turn counted is taken back.
  core.patchCommand(cmd, { attempts: Math.max(0, cmd.attempts - 1), firstSentAt: cmd.firstSentAt, state: 'inflight', nextAttemptAt: at });
  const guid = cmd.guid as string;
  core.settling.add(guid);
  if (cmd.logId !== null) {
    const seconds = Math.ceil((end - now) / 1000);
    core.store.updateLog(cmd.logId, { ...log, attempts: cmd.attempts, nextAttemptAt: at,
      error: `settling: Jira did not answer this CREATE and may still be making the ticket; it is looked up by its label `
        + `for ${seconds} s more before it is sent again (jira.settleSeconds)` });
  }
  core.signals.emit({ type: 'settling', guid, until: end });
  void core.commitQuietly();
  return true;
}
