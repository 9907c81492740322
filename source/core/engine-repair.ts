// Repairing what still slipped through the settle window: a CREATE sent again after an unknown
// outcome is checked once more after the window (and at the next start if the engine stopped
// meanwhile). When Jira then holds two or more issues with the GUID's label, one is kept — the
// one in the GUID → ticket map, which took the CREATE's comments, transition and updates, or the
// oldest when none is mapped — and each other one is repaired as alarms.onDuplicate says:
// `close` (marked, a comment naming the kept key, moved to alarms.duplicateStatus), `label`
// (only marked) or `leave` (only logged). An issue is never deleted. Each repair is a log row
// (action Repair), a counter in the snapshot and on /metrics.
// The checks due are kept in the store (meta `repair:<guid>`), so a stop or a crash does not
// lose them. See docs/architecture.md#exactly-once-settling-and-repair.
import { guidLabel } from './advanced.js';
import type { ClockTimer } from './clock-timer.js';
import type { EngineCore } from './engine-core.js';
import { DUPLICATE_LABEL, isMarkedDuplicate, oldestIssue, searchLabel } from './engine-recovery.js';
import { repairCheckDelayMs } from './engine-settle.js';
import { isStopped } from './engine-gate.js';
import { JiraError } from './jira-error.js';
import type { JiraIssue } from './ports.js';

const REPAIR_PREFIX = 'repair:';
/** A check Jira could not answer is made again after the settle window, and not sooner than this. */
const MIN_RECHECK_MS = 5000;
/** Meta key of the count of duplicates repaired (kept apart from the day statistics: not a ticket made). */
export const REPAIRED_META = 'duplicatesRepaired';

/** The checks due, their timer, and the one check running at a time. */
export class RepairChecks {
  private readonly due = new Map<string, number>();
  private readonly timer: ClockTimer;
  private running = false;
  private started = false;
  /** Duplicates repaired, ever (meta REPAIRED_META). */
  repaired = 0;

  constructor(private readonly core: EngineCore) {
    // On the stop signal: a stop clears it, and it is not armed again.
    this.timer = core.timer(() => this.runDue());
    for (const key of core.store.metaKeys(REPAIR_PREFIX)) {
      const at = Number(core.store.getMeta(key));
      this.due.set(key.slice(REPAIR_PREFIX.length), Number.isFinite(at) ? at : 0);
    }
    const count = Number(core.store.getMeta(REPAIRED_META) ?? 0);
    this.repaired = Number.isFinite(count) ? count : 0;
  }

  /** Checks due now (left by a stopped run) go at once; the others when their time comes. */
  start(): void {
    this.started = true;
    this.arm();
  }

  /** Checks the GUID for duplicates at `at` (ms epoch); stored, so that a restart still makes the check. */
  schedule(guid: string, at: number): void {
    const was = this.due.get(guid);
    const when = was === undefined ? at : Math.max(was, at);
    this.due.set(guid, when);
    this.core.store.setMeta(`${REPAIR_PREFIX}${guid}`, String(when));
    this.core.commitLater();
    this.core.signals.changed();
    this.arm();
  }

  /** How many checks are waiting. */
  get waiting(): number {
    return this.due.size;
  }

  private arm(): void {
    if (!this.started || this.running) return;
    let earliest = Infinity;
    for (const at of this.due.values()) if (at < earliest) earliest = at;
    if (earliest === Infinity) this.timer.clear();
    else this.timer.armAt(earliest);
  }

  private runDue(): void {
    if (this.running) return;
    this.running = true;
    void this.core.track(this.checkAll().finally(() => {
      this.running = false;
      this.arm();
    }));
  }

  private async checkAll(): Promise<void> {
    for (;;) {
      const now = this.core.clock.now();
      const next = [...this.due].find(([, at]) => at <= now);
      if (!next) return;
      const [guid] = next;
      try {
        await repairDuplicates(this.core, guid, this);
      } catch (error) {
        // The engine stops: the check stays (in the store) for the next start.
        if (isStopped(error)) return;
        // Jira not answering: the check stays and is made later.
        // A write of the repair that got no answer may still land: the window says when to look again.
        this.due.set(guid, now + Math.max(MIN_RECHECK_MS, repairCheckDelayMs(this.core)));
        continue;
      }
      this.due.delete(guid);
      this.core.store.deleteMeta(`${REPAIR_PREFIX}${guid}`);
      this.core.commitLater();
      this.core.signals.changed();
    }
  }

  /** One duplicate repaired: counted, and stored with the next commit. */
  counted(): void {
    this.repaired++;
    this.core.store.setMeta(REPAIRED_META, String(this.repaired));
    this.core.signals.changed();
  }
}

/**
 * Looks the GUID's label up and repairs every issue beyond the one kept. Returns how many were
 * repaired. Throws when Jira could not be asked (the check is made again later).
 */
export async function repairDuplicates(core: EngineCore, guid: string, checks: RepairChecks): Promise<number> {
  const label = guidLabel(guid);
  const search = await searchLabel(core, label);
  const live = search.matches.filter((i) => !isMarkedDuplicate(i));
  if (live.length < 2) return 0;
  const mapped = core.store.getTicket(guid);
  // The mapped ticket took the CREATE's steps and the updates since; with none mapped, the oldest.
  const kept = mapped ? live.find((i) => i.key === mapped.ticketKey) : oldestIssue(live);
  // A mapped ticket that no longer carries the label: not ours to judge which is right.
  if (!kept) return 0;
  let n = 0;
  for (const other of live) {
    if (other.key === kept.key) continue;
    await repairOne(core, guid, kept, other);
    checks.counted();
    n++;
  }
  return n;
}

/** Repairs one duplicate as alarms.onDuplicate says and logs it. */
async function repairOne(core: EngineCore, guid: string, kept: JiraIssue, dup: JiraIssue): Promise<void> {
  const mode = core.config.alarms.onDuplicate;
  const done: string[] = [];
  const request: Record<string, unknown> = { onDuplicate: mode, kept: kept.key, duplicate: dup.key };
  // Marked first: a marked issue is never adopted nor repaired again, so a crash halfway
  // through costs at most the comment or the move, never a second round.
  if (mode !== 'leave') {
    await core.jira.editIssue(dup.key, { update: { labels: [{ add: DUPLICATE_LABEL }] } });
    done.push(`labelled ${DUPLICATE_LABEL}`);
  }
  if (mode === 'close') {
    const comment = `Duplicate of ${kept.key}: Jira made this ticket after jiraline had stopped waiting for it, and jiraline `
      + `made ${kept.key} for the same alarm (GUID ${guid}). Updates go to ${kept.key}.`;
    await core.jira.addComment(dup.key, comment);
    done.push(`commented that it duplicates ${kept.key}`);
    try {
      // Jira's "Duplicate" link type: the duplicate "duplicates" the kept one. Jira keeps one
      // link of a type between two issues, so a repeat after a crash changes nothing.
      await core.jira.linkIssues('Duplicate', dup.key, kept.key);
      done.push(`linked as a duplicate of ${kept.key}`);
    } catch (error) {
      // A Jira without that link type (or links switched off): the mark and the comment stand.
      if (!(error instanceof JiraError) || error.retryable) throw error;
      done.push(`not linked: ${error.detail()}`);
    }
    const status = core.config.alarms.duplicateStatus;
    try {
      await core.jira.transitionTo(dup.key, status);
      done.push(`moved to ${status}`);
    } catch (error) {
      // No such transition here (a workflow without it): the mark and the comment stand.
      if (!(error instanceof JiraError) || error.retryable) throw error;
      done.push(`not moved to ${status}: ${error.detail()}`);
    }
  }
  const now = core.clock.now();
  const how = mode === 'leave' ? 'left as it is (alarms.onDuplicate = leave)' : done.join(', ');
  core.store.insertLog({
    type: 'Automatic', action: 'Repair', time: now, guid, status: 'Ok', ticketId: dup.id, ticketKey: dup.key,
    ticketUrl: core.jira.browseUrl(dup.key),
    error: `duplicate of ${kept.key} (Jira made it after the CREATE's answer was lost): ${how}`,
    lines: 0, request: JSON.stringify(request), response: null, attempts: 1, nextAttemptAt: null,
  });
  core.pruneSoon();
  core.signals.emit({ type: 'repaired', guid, ticketKey: dup.key, keptKey: kept.key, how: mode });
}
