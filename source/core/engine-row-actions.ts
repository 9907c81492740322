// What an operator may do to one log row: retry a Failed one (its lines accepted again, as a
// new command with a row of its own) and cancel a Pending one (nothing more of it is sent; the
// row says Cancelled). Both are stored before they are answered, so a restart keeps them.
// See docs/architecture.md#retry-and-cancel-from-the-log.
import { acceptLine, type AcceptHooks } from './engine-accept.js';
import type { ExecuteResult, RowActionResult } from './engine-api.js';
import type { EngineCore } from './engine-core.js';
import { messageOf, unitKey } from './engine-core.js';
import type { IssuePayload, LogRow, QueuedCommand } from './ports.js';

/** What the row actions need from the engine around them. */
export interface RowActionHooks extends AcceptHooks {
  /** Whether a unit of the GUID is with Jira (or waiting for the pacer's permit) now. */
  sending(guid: string): boolean;
  /** A Manual Execute (a Manual row is retried by executing its request again). */
  execute(body: IssuePayload): Promise<ExecuteResult>;
}

const refuse = (message: string): RowActionResult => ({ ok: false, message });

/** The row, or why it cannot be acted on. */
function rowFor(core: EngineCore, logId: number, verb: string): LogRow | string {
  // No new retry or cancel once stopping: the caller is told to do it again once jiraline runs.
  if (core.stopping) return `jiraline is stopping; ${verb} the row once it runs`;
  const row = core.store.getLog(logId);
  if (!row) return `log row ${logId} does not exist (pruned, or never was): see jiraline log`;
  if (row.jira !== undefined && row.jira !== '' && row.jira !== core.store.jira) {
    return `log row ${logId} was for another Jira (${row.jira}); ${verb} it while jiraline points at that Jira`;
  }
  return row;
}

/** Retries a Failed row: its lines (or a Manual row's request) go in again as a new attempt. */
export async function retryRow(core: EngineCore, hooks: RowActionHooks, logId: number): Promise<RowActionResult> {
  const row = rowFor(core, logId, 'retry');
  if (typeof row === 'string') return refuse(row);
  if (row.status !== 'Failed') return refuse(`log row ${logId} is ${row.status}: only a Failed row can be retried`);
  if (row.type === 'Manual') return retryManual(core, hooks, row);
  const cmds = core.store.failedCommandsOf(logId).filter((c) => c.line !== null);
  if (cmds.length === 0) {
    return refuse(`log row ${logId} cannot be retried: its lines are not kept (retried already, or failed before jiraline kept them); send the line again`);
  }
  // Accepted together: one commit, and the lines keep their order (they merge as they did).
  const replies = await Promise.all(cmds.map((cmd) => acceptLine(core, hooks, cmd.line as string)));
  const refused = replies.filter((reply) => !reply.startsWith('OK '));
  if (refused.length === replies.length) return refuse(`log row ${logId} was not retried: ${reason(refused[0])}`);
  cmds.forEach((cmd, i) => {
    if (replies[i].startsWith('OK ')) core.store.deleteCommand(cmd.id);
  });
  // The newest row of the GUID is the one the retry made (or joined, merging with a waiting update).
  const [latest] = core.store.queryLog({ guid: row.guid ?? undefined, limit: 1, jira: core.store.jira });
  const newId = latest?.id ?? logId;
  const all = refused.length === 0;
  core.store.updateLog(logId, { error: `${row.error ?? 'failed'} — retried as log row ${newId}${all ? '' : ` (${refused.length} of ${replies.length} lines refused)`}` });
  core.signals.emit({ type: 'retried', guid: row.guid, logId, newLogId: newId });
  core.signals.changed();
  await core.store.commit();
  const message = `log row ${logId} retried as row ${newId}${all ? '' : `; ${refused.length} of its ${replies.length} lines were refused: ${reason(refused[0])}`}`;
  return { ok: true, message, logId: newId };
}

function reason(reply: string): string {
  return reply.replace(/^ERR \S+ /, '');
}

async function retryManual(core: EngineCore, hooks: RowActionHooks, row: LogRow): Promise<RowActionResult> {
  let body: IssuePayload;
  try {
    body = JSON.parse(row.request ?? '') as IssuePayload;
  } catch (error) {
    return refuse(`log row ${row.id} cannot be retried: its request is not kept whole (${messageOf(error)}); Execute it again from the Creation pane`);
  }
  const result = await hooks.execute(body);
  if (!result.ok && result.logId < 0) return refuse(`log row ${row.id} was not retried: ${result.error}`);
  core.store.updateLog(row.id, { error: `${row.error ?? 'failed'} — retried as log row ${result.logId}` });
  core.signals.emit({ type: 'retried', guid: null, logId: row.id, newLogId: result.logId });
  await core.commitQuietly();
  const outcome = result.ok ? `made ${result.ticketKey}` : `failed again: ${result.error}`;
  return { ok: true, message: `log row ${row.id} retried as row ${result.logId}: ${outcome}`, logId: result.logId };
}

/** Cancels a Pending row: its commands leave the queue and the store, the row says Cancelled. */
export async function cancelRow(core: EngineCore, hooks: RowActionHooks, logId: number): Promise<RowActionResult> {
  const row = rowFor(core, logId, 'cancel');
  if (typeof row === 'string') return refuse(row);
  if (row.status !== 'Pending') return refuse(`log row ${logId} is ${row.status}: only a Pending row can be cancelled`);
  const guid = row.guid;
  const list = guid === null ? [] : core.queue.list(guid);
  const cmds = list.filter((e) => e.cmd.logId === logId).map((e) => e.cmd);
  if (row.type === 'Manual' || guid === null || cmds.length === 0) {
    return refuse(`log row ${logId} is being sent to Jira right now (an Execute, or a line still being stored): it cannot be cancelled`);
  }
  if (hooks.sending(guid) && list[0].cmd.logId === logId) {
    return refuse(`log row ${logId} is with Jira right now: cancel it again if it is still Pending once Jira has answered`);
  }
  if (list.some((e) => e.cmd.logId === logId && e.staged)) return refuse(`log row ${logId} is still being stored: cancel it in a moment`);
  if (cmds.some((c) => c.state === 'inflight')) {
    return refuse(`log row ${logId} may have reached Jira (its outcome is being looked up): it cannot be cancelled until that is known`);
  }
  drop(core, cmds, 'cancelled by the operator');
  // A CREATE that made nothing takes the GUID's waiting updates along: they have no ticket to go to.
  if (cmds[0].kind === 'create' && !core.store.getTicket(guid)) {
    const byRow = new Map<number | null, QueuedCommand[]>();
    for (const { cmd } of core.queue.list(guid)) byRow.set(cmd.logId, [...(byRow.get(cmd.logId) ?? []), cmd]);
    for (const group of byRow.values()) drop(core, group, `cancelled with the CREATE of ${guid} (log row ${logId})`);
  }
  core.signals.changed();
  hooks.kick(guid);
  await core.store.commit();
  return { ok: true, message: `log row ${logId} cancelled`, logId };
}

function drop(core: EngineCore, cmds: QueuedCommand[], why: string): void {
  for (const cmd of cmds) {
    core.queue.remove(cmd.id);
    core.store.deleteCommand(cmd.id);
  }
  core.forgetUnit(unitKey(cmds));
  const logId = cmds[0].logId;
  if (logId === null) return;
  core.store.updateLog(logId, { status: 'Cancelled', error: why, nextAttemptAt: null });
  core.signals.emit({ type: 'cancelled', guid: cmds[0].guid, logId, reason: why });
}
