// The engine's in-memory view of the open commands, by GUID in accept order. The store is
// the durable truth; this index answers the questions asked on every line and every
// scheduling step (is a CREATE pending? which update is still waiting?) without SQL.
import type { QueuedCommand } from './ports.js';

/** An open command and whether its commit is still under way (the worker must not see it yet). */
export interface QueueEntry {
  cmd: QueuedCommand;
  /** True from insert until its commit resolved: a rolled-back command must never have been sent. */
  staged: boolean;
}

/** Open commands of each GUID, in accept order. */
export class CommandQueue {
  private readonly byGuid = new Map<string, QueueEntry[]>();
  private readonly byId = new Map<number, QueueEntry>();
  private stagedCount = 0;

  /** Open commands (staged ones included). */
  get size(): number {
    return this.byId.size;
  }

  /** Commands whose commit has not resolved yet. */
  get staged(): number {
    return this.stagedCount;
  }

  /** Adds a command at the end of its GUID's list. */
  add(cmd: QueuedCommand, staged: boolean): void {
    const guid = cmd.guid ?? '';
    const entry = { cmd, staged };
    const list = this.byGuid.get(guid);
    if (list) list.push(entry);
    else this.byGuid.set(guid, [entry]);
    this.byId.set(cmd.id, entry);
    if (staged) this.stagedCount++;
  }

  /** The command's commit resolved: the worker may send it. */
  markCommitted(id: number): void {
    const entry = this.byId.get(id);
    if (entry?.staged) {
      entry.staged = false;
      this.stagedCount--;
    }
  }

  /** Drops a command (finished, failed or rolled back). */
  remove(id: number): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    if (entry.staged) this.stagedCount--;
    this.byId.delete(id);
    const guid = entry.cmd.guid ?? '';
    const list = this.byGuid.get(guid) ?? [];
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byGuid.delete(guid);
  }

  /** The open commands of a GUID, oldest first (do not mutate the array). */
  list(guid: string): readonly QueueEntry[] {
    return this.byGuid.get(guid) ?? [];
  }

  /** Every GUID with open commands. */
  guids(): IterableIterator<string> {
    return this.byGuid.keys();
  }

  /** Whether the GUID has a CREATE not finished yet. */
  hasPendingCreate(guid: string): boolean {
    return this.list(guid).some((e) => e.cmd.kind === 'create');
  }

  /**
   * The log row of the GUID's update that is still waiting — never sent yet and last in
   * line — which a new update joins (SPEC §6 merging); null when there is none.
   */
  waitingUpdateRow(guid: string): number | null {
    const list = this.list(guid);
    const last = list[list.length - 1];
    if (!last || last.cmd.kind !== 'update' || last.cmd.firstSentAt !== null || last.cmd.state !== 'queued') return null;
    return last.cmd.logId;
  }

  /**
   * What the GUID would send next: its oldest command, and for an update every command
   * sharing that log row (a merged update). Null when the GUID has nothing, or when part of
   * it is still being committed.
   */
  head(guid: string): QueuedCommand[] | null {
    const list = this.list(guid);
    const first = list[0];
    if (!first || first.staged) return null;
    if (first.cmd.kind === 'create') return [first.cmd];
    const group: QueuedCommand[] = [];
    for (const entry of list) {
      if (entry.cmd.logId !== first.cmd.logId || entry.cmd.kind !== 'update') break;
      if (entry.staged) return null;
      group.push(entry.cmd);
    }
    return group;
  }
}
