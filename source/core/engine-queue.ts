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

/** UTF-8 bytes of a string, without a Buffer (this module runs in the core). */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1; // 2 bytes
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 2; i++; } // a surrogate pair: 4 bytes for 2 units
    else bytes += 2; // 3 bytes
  }
  return bytes;
}

/** What a command weighs in the queue's ceiling: the bytes of its line (or Manual body). */
export function commandBytes(cmd: QueuedCommand): number {
  return utf8Bytes(cmd.line ?? '') + utf8Bytes(cmd.payload ?? '');
}

/** Open commands of each GUID, in accept order. */
export class CommandQueue {
  private readonly byGuid = new Map<string, QueueEntry[]>();
  private readonly byId = new Map<number, QueueEntry & { bytes: number }>();
  private stagedCount = 0;
  private byteCount = 0;
  /** Called after every add and remove (the engine watches the fill level). */
  onChange: () => void = () => undefined;

  /** Open commands (staged ones included). */
  get size(): number {
    return this.byId.size;
  }

  /** Bytes of the open commands' lines (what the ceiling queue.maxBytes counts). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Commands whose commit has not resolved yet. */
  get staged(): number {
    return this.stagedCount;
  }

  /** Adds a command at the end of its GUID's list. */
  add(cmd: QueuedCommand, staged: boolean): void {
    const guid = cmd.guid ?? '';
    const entry = { cmd, staged, bytes: commandBytes(cmd) };
    const list = this.byGuid.get(guid);
    if (list) list.push(entry);
    else this.byGuid.set(guid, [entry]);
    this.byId.set(cmd.id, entry);
    this.byteCount += entry.bytes;
    if (staged) this.stagedCount++;
    this.onChange();
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
    this.byteCount -= entry.bytes;
    const guid = entry.cmd.guid ?? '';
    const list = this.byGuid.get(guid) ?? [];
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byGuid.delete(guid);
    this.onChange();
  }

  /** An open command by id. */
  get(id: number): QueuedCommand | undefined {
    return this.byId.get(id)?.cmd;
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
   * line — which a new update joins (merging: docs/protocol.md#update); null when there is none.
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
    if (first.cmd.kind !== 'update') return [first.cmd]; // a CREATE, or a CALL: alone
    const group: QueuedCommand[] = [];
    for (const entry of list) {
      if (entry.cmd.logId !== first.cmd.logId || entry.cmd.kind !== 'update') break;
      if (entry.staged) return null;
      group.push(entry.cmd);
    }
    return group;
  }
}
