// Manual Execute: the Creation pane's body sent as a create at once — not queued
// behind automatic work, never throttled, never retried (the operator sees the answer and
// decides). It is stored in flight first, so a crash mid-request leaves an honest
// "outcome unknown" row instead of a Pending one forever.
import { localDay } from './clock.js';
import type { EngineCore } from './engine-core.js';
import { messageOf } from './engine-core.js';
import type { ExecuteResult } from './engine-api.js';
import { authMessage } from './engine-outcome.js';
import { JiraError } from './jira-error.js';
import type { IssuePayload } from './ports.js';

/** Sends a Manual create; `pause` is called when Jira refuses the credentials. */
export async function executeManual(core: EngineCore, body: IssuePayload, pause: (reason: string) => void): Promise<ExecuteResult> {
  const now = core.clock.now();
  const request = JSON.stringify(body);
  let logId: number;
  let id: number;
  try {
    logId = core.store.insertLog({
      type: 'Manual', action: 'Create', time: now, guid: null, status: 'Pending', ticketId: null, ticketKey: null, ticketUrl: null,
      error: null, lines: 0, request, response: null, attempts: 1, nextAttemptAt: null,
    });
    id = core.store.insertCommand({
      type: 'Manual', kind: 'create', guid: null, line: null, payload: request, state: 'inflight', attempts: 1, nextAttemptAt: now,
      acceptedAt: now, firstSentAt: now, logId, throttleCounted: false,
    });
    core.pruneToCount();
    core.signals.changed();
    await core.store.commit();
  } catch (error) {
    const message = `could not store the command: ${messageOf(error)}`;
    return { ok: false, logId: -1, error: message, messages: [message], fieldErrors: {} };
  }
  try {
    const created = await core.jira.createIssue(body);
    // No answer reaches here once the engine stops (the stop signal rejects the call): the store is open.
    const ticketUrl = core.jira.browseUrl(created.key);
    core.store.updateLog(logId, { status: 'Ok', ticketId: created.id, ticketKey: created.key, ticketUrl,
      response: JSON.stringify({ status: 201, id: created.id, key: created.key }) });
    core.store.deleteCommand(id);
    core.store.addStats(localDay(core.clock.now()), 1, 0);
    core.signals.emit({ type: 'sent', guid: null, action: 'Create', ticketKey: created.key, logId, lines: 0 });
    await core.commitQuietly();
    return { ok: true, logId, ticketId: created.id, ticketKey: created.key, ticketUrl };
  } catch (error) {
    const jira = error instanceof JiraError ? error : null;
    const message = jira?.isAuth ? authMessage(jira, core.credentialSource()) : jira ? jira.detail() : messageOf(error);
    // Stopped while it was with Jira: the row stays in flight, and the next start says "outcome unknown".
    if (jira?.cause_ !== 'stopped') {
      core.store.updateLog(logId, { status: 'Failed', error: message,
        response: jira ? JSON.stringify({ status: jira.status, error: jira.detail() }).slice(0, 2048) : null });
      core.store.deleteCommand(id);
      core.signals.emit({ type: 'failed', guid: null, action: 'Create', error: message, logId });
      if (jira?.isAuth) pause(message);
      await core.commitQuietly();
    }
    return { ok: false, logId, error: message, messages: jira?.messages ?? [message], fieldErrors: jira?.fieldErrors ?? {} };
  }
}
