// Accepting an Advanced line: parse, check, decide what it becomes, store it
// with its log row, and answer only once the commit that holds it is on disk. Lines that
// arrive together share a commit (the store groups them); a failed commit undoes what the
// line changed, and the worker never saw it (staged commands are invisible to it).
// See docs/architecture.md#the-life-of-one-line.
import { checkCommand, parseAdvancedLine } from './advanced.js';
import { allowedRefusal } from './engine-allowed.js';
import type { EngineCore } from './engine-core.js';
import { messageOf } from './engine-core.js';
import { ceilingRefusal } from './engine-ceiling.js';
import { utf8Bytes } from './engine-queue.js';
import { settleAlarm } from './engine-alarms.js';
import { readCall, usesKey } from './endpoints.js';
import type { QueuedCommand } from './ports.js';

/** What accept needs from the worker: a nudge when a GUID has something new to send. */
export interface AcceptHooks {
  kick(guid: string): void;
}

/** One Advanced line in, the reply line out; never rejects. */
export async function acceptLine(core: EngineCore, hooks: AcceptHooks, line: string): Promise<string> {
  const parsed = parseAdvancedLine(line);
  if (!parsed.ok) return `ERR ${parsed.guid ?? '-'} ${parsed.error}`;
  const command = parsed.command;
  const guid = command.guid;
  // No new line once stopping: nothing would send it before the stop, and the client is told to send it again.
  if (core.stopping) return `ERR ${guid} jiraline is stopping; send it again once it runs`;
  const call = command.action === 'CALL' ? readCall(command, core.config.endpoints) : null;
  const reason = call === null ? checkCommand(command, core.catalogue, core.shapeContext()) ?? allowedRefusal(core, command) : call.ok ? null : call.error;
  if (reason !== null) return `ERR ${guid} ${reason}`;

  const { store, queue } = core;
  const ticket = store.getTicket(guid);
  const pendingCreate = queue.hasPendingCreate(guid);
  const needsTicket = command.action === 'UPDATE' || (call?.ok === true && usesKey(call.def));
  if (needsTicket && !ticket && !pendingCreate) return `ERR ${guid} GUID has no ticket — send a CREATE first`;
  // Refused before anything is stored: an acknowledged line must always fit in the store.
  const full = ceilingRefusal(core, guid, utf8Bytes(line));
  if (full !== null) return full;
  // One ticket per GUID: a CREATE for a GUID that has one (or will) updates it instead.
  const kind: QueuedCommand['kind'] = call !== null ? 'call' : command.action === 'CREATE' && !ticket && !pendingCreate ? 'create' : 'update';
  const action = kind === 'create' ? 'Create' : kind === 'call' ? 'Call' : 'Update';
  const now = core.clock.now();

  let cmd: QueuedCommand;
  let ownRow: number | null = null;
  try {
    const joined = kind === 'update' ? queue.waitingUpdateRow(guid) : null;
    let logId: number;
    if (joined !== null) {
      // Merged: the waiting update's row carries one more line (one row, one count, one slot).
      logId = joined;
      store.updateLog(logId, { lines: (store.getLog(logId)?.lines ?? 0) + 1 });
    } else {
      logId = store.insertLog({
        type: 'Automatic', action, time: now, guid, status: 'Pending',
        ticketId: ticket?.ticketId ?? null, ticketKey: ticket?.ticketKey ?? null, ticketUrl: ticket?.ticketUrl ?? null,
        error: null, lines: 1, request: null, response: null, attempts: 0, nextAttemptAt: null,
      });
      ownRow = logId;
    }
    store.noteAlarmLine(guid, command.action === 'CREATE' ? 'Create' : 'Update', now, ticket);
    const fields: Omit<QueuedCommand, 'id'> = {
      type: 'Automatic', kind, guid, line, payload: null, state: 'queued', attempts: 0, nextAttemptAt: now,
      acceptedAt: now, firstSentAt: null, logId, throttleCounted: false,
    };
    cmd = { id: store.insertCommand(fields), ...fields };
  } catch (error) {
    return `ERR ${guid} could not store the command: ${messageOf(error)}`;
  }
  queue.add(cmd, true);
  core.signals.changed();
  if (ownRow !== null) core.pruneSoon();

  try {
    await store.commit();
  } catch (error) {
    rollback(core, cmd);
    hooks.kick(guid);
    return `ERR ${guid} could not store the command: ${messageOf(error)}`;
  }
  queue.markCommitted(cmd.id);
  core.signals.emit({ type: 'accepted', guid, action, commandId: cmd.id });
  hooks.kick(guid);
  return `OK ${guid} queued`;
}

/**
 * Undoes a line whose commit failed: the caller got ERR, so the command must never be sent,
 * not even when a later commit writes the in-memory database. The command is deleted (so a
 * restart does not load it) and its line taken off the log row it was counted on.
 */
function rollback(core: EngineCore, cmd: QueuedCommand): void {
  core.queue.remove(cmd.id);
  try {
    core.store.deleteCommand(cmd.id);
    const row = cmd.logId === null ? undefined : core.store.getLog(cmd.logId);
    if (row && cmd.logId !== null) {
      // The last line a row carries takes the row with it: a Pending row without commands would never go.
      if (row.lines <= 1) {
        core.store.updateLog(cmd.logId, { status: 'Failed', lines: 0, error: 'not accepted: the command could not be stored' });
      } else {
        core.store.updateLog(cmd.logId, { lines: Math.max(0, row.lines - 1) });
      }
    }
    settleAlarm(core, cmd.guid, 'failed');
  } catch {
    // The store itself is failing; a restart reloads only what was committed.
  }
  core.signals.changed();
}
