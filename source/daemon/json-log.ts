// The daemon's JSON-lines log on stdout: one object per line, `time` (local ISO 8601
// with offset) and `event` first. Only values we chose go in — never a line's fields, a
// credential or a header — so nothing secret can reach it.
import type { EngineEvent } from '../core/engine-api.js';
import { localIso } from '../core/local-time.js';

/** One record of the daemon log, before `time` is added. */
export type LogRecord = { event: string; [key: string]: unknown };

/** Writes records as JSON lines through `write`, stamped with `now()`. */
export function createJsonLog(write: (text: string) => void, now: () => number = Date.now): (record: LogRecord) => void {
  return (record) => {
    const { event, ...rest } = record;
    write(`${JSON.stringify({ time: localIso(now()), event, ...rest })}\n`);
  };
}

/**
 * Gathers writes made in one turn of the event loop into one: at thousands of lines a
 * second every line makes two records, and stdout to a pipe is a synchronous syscall.
 */
export function batchedWriter(write: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  return {
    write(text) {
      pending += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** The daemon log record of an engine event. */
export function engineEventRecord(event: EngineEvent): LogRecord {
  switch (event.type) {
    case 'accepted':
      return { event: 'accepted', guid: event.guid, action: event.action, commandId: event.commandId };
    case 'sent':
      return { event: 'sent', guid: event.guid, action: event.action, ticketKey: event.ticketKey, lines: event.lines, logId: event.logId };
    case 'retry':
      return { event: 'retry', guid: event.guid, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason };
    case 'failed':
      return { event: 'failed', guid: event.guid, action: event.action, error: event.error, logId: event.logId };
    case 'adopted':
      // A CREATE whose outcome a crash hid, found in Jira by its label instead of sent again.
      return { event: 'adopted', guid: event.guid, ticketKey: event.ticketKey };
    case 'pruned':
      return { event: 'pruned', rows: event.rows };
    case 'paused':
      return { event: 'paused', reason: event.reason };
    case 'resumed':
      return { event: 'resumed' };
    case 'connection-changed':
      return connectionRecord(event.connection);
    case 'pacing':
      // "pacing at 12 req/s (Jira's rate limit)": why the queue drains slower than lines arrive.
      return { event: 'pacing', message: event.limitedByJira ? `pacing at ${event.perSecond} req/s (Jira's rate limit)` : `pacing at ${event.perSecond} req/s (the configured ceiling)`,
        perSecond: event.perSecond, limitedByJira: event.limitedByJira, waiting: event.waiting, reason: event.reason };
  }
}

/** The `jira` record: what the check of Jira (serverInfo + myself) found. */
export function connectionRecord(connection: Extract<EngineEvent, { type: 'connection-changed' }>['connection']): LogRecord {
  switch (connection.state) {
    case 'ok':
      return {
        event: 'jira',
        state: 'ok',
        deploymentType: connection.serverInfo.deploymentType,
        version: connection.serverInfo.version,
        serverTitle: connection.serverInfo.serverTitle ?? null,
        user: connection.user.displayName,
      };
    case 'down':
    case 'auth-refused':
      return { event: 'jira', state: connection.state, error: connection.error };
    default:
      return { event: 'jira', state: connection.state };
  }
}
