// Sending a CALL line: the custom endpoint's request, placeholders filled from the line and
// the GUID's ticket. It goes as an update does — in the GUID's order, through the throttle and
// the pacer, retried on passing failures (handleFailure), logged on a row of its own — but is
// never merged and counts in no statistic (it changes what jiraline does not model).
import type { EngineCore } from './engine-core.js';
import { unitKey } from './engine-core.js';
import { planCall } from './endpoints.js';
import { finishFailed, handleFailure, type FailureHooks, type LogPatch } from './engine-outcome.js';
import { beginAttempt, reparse } from './engine-send.js';
import type { QueuedCommand, TicketRef } from './ports.js';

/** Sends one CALL; never rejects. */
export async function sendCall(core: EngineCore, cmd: QueuedCommand, hooks: FailureHooks): Promise<void> {
  const guid = cmd.guid as string;
  beginAttempt(core, [cmd]);
  void core.commitQuietly();
  const log: LogPatch = {};
  let ticket: TicketRef | undefined;
  try {
    ticket = core.store.getTicket(guid);
    const plan = planCall(reparse(cmd), core.config.endpoints, ticket?.ticketKey ?? null);
    if (!plan.ok) {
      finishFailed(core, [cmd], plan.error, ticket);
      return;
    }
    const { endpoint, method, path, body } = plan.value;
    log.request = JSON.stringify({ endpoint, method, path, ...(body === undefined ? {} : { body }) });
    const request = core.jira.request?.bind(core.jira);
    if (!request) {
      finishFailed(core, [cmd], 'this Jira client cannot send custom endpoints', ticket, log);
      return;
    }
    const answer = await core.sendFor(cmd.id, () => request(method, path, body));
    core.finishCommand(cmd, 'done');
    core.forgetUnit(unitKey([cmd]));
    if (cmd.logId !== null) {
      core.store.updateLog(cmd.logId, { ...log, status: 'Ok', error: null, nextAttemptAt: null, response: JSON.stringify({ status: answer.status }),
        ...(ticket ? { ticketId: ticket.ticketId, ticketKey: ticket.ticketKey, ticketUrl: ticket.ticketUrl } : {}) });
      core.signals.emit({ type: 'sent', guid, action: 'Call', ticketKey: ticket?.ticketKey ?? '-', logId: cmd.logId, lines: 1 });
    }
    void core.commitQuietly();
  } catch (error) {
    handleFailure(core, [cmd], error, hooks, { unknownOutcome: false, ticket, log });
  }
}
