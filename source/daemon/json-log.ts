// The daemon's JSON-lines log on stdout: one object per line, `time` (local ISO 8601
// with offset) and `event` first. Only values we chose go in — never a line's fields, a
// credential or a header — so nothing secret can reach it.
import type { EngineEvent } from '../core/engine-api.js';
import { localIso } from '../core/local-time.js';

/** One record of the daemon log, before `time` is added; `level` defaults by event (levelOf). */
export type LogRecord = { event: string; level?: LogLevel; [key: string]: unknown };

/** How much a record matters: failures an operator must act on are `error`. */
export type LogLevel = 'info' | 'warning' | 'error';

/** Events that mean something failed for good or needs a person. */
const errorEvents = new Set(['start-failed', 'failed', 'paused', 'not-ours']);
/** Events that may need a look. */
const warningEvents = new Set(['warning', 'refused', 'retry', 'jira-changed', 'jira-pending-elsewhere', 'log-dropped']);

/** The level of a record without an explicit one. */
export function levelOf(record: LogRecord): LogLevel {
  if (record.level) return record.level;
  if (errorEvents.has(record.event)) return 'error';
  if (warningEvents.has(record.event)) return 'warning';
  // Jira refusing the credentials stops all sending; Jira down is retried on its own.
  if (record.event === 'jira' && record.state === 'auth-refused') return 'error';
  if (record.event === 'jira' && record.state === 'down') return 'warning';
  return 'info';
}

/** syslog priorities (sd-daemon(3)): journald reads a `<N>` prefix as the line's priority. */
const priorityOf: Record<LogLevel, number> = { error: 3, warning: 4, info: 6 };

/** Options of createJsonLog. */
export interface JsonLogOptions {
  /**
   * Start each line with its syslog priority (`<3>{…}`), which journald strips and keeps as
   * the entry's priority (`journalctl -p err`). Only when stdout is the journal's stream:
   * anyone else reading stdout gets plain JSON lines (see journalStream).
   */
  priorityPrefix?: boolean;
}

/** Writes records as JSON lines through `write`, stamped with `now()` and their level. */
export function createJsonLog(write: (text: string) => void, now: () => number = Date.now, options: JsonLogOptions = {}): (record: LogRecord) => void {
  return (record) => {
    const { event, level: _level, ...rest } = record;
    const level = levelOf(record);
    const prefix = options.priorityPrefix ? `<${priorityOf[level]}>` : '';
    write(`${prefix}${JSON.stringify({ time: localIso(now()), event, level, ...rest })}\n`);
  };
}

/**
 * Whether stdout is connected to journald: systemd sets JOURNAL_STREAM to the stream's
 * `device:inode`, and it is ours only if stdout still is that stream (not redirected by a
 * wrapper script to a file or a pipe, whose readers expect plain JSON).
 */
export function stdoutIsJournal(env: Record<string, string | undefined>, stat: () => { dev: number; ino: number } | null): boolean {
  const stream = env.JOURNAL_STREAM;
  if (!stream) return false;
  const mine = stat();
  return mine !== null && stream === `${mine.dev}:${mine.ino}`;
}

/**
 * Gathers writes made in one turn of the event loop into one: at thousands of lines a
 * second every line makes two records.
 *
 * With `bound`: stdout to a pipe (or the journal's stream) is written asynchronously, and
 * Node keeps whatever the reader has not taken yet in memory. A reader slower than the
 * records come (a flood of refused lines, a busy journald) made that grow without end —
 * hundreds of MiB over a million fuzzed lines. So while more than `maxBacklog` bytes wait,
 * records are counted instead of kept, and once the backlog is below the bound again the
 * line `dropped(count)` makes says how many were lost, before the next records. flush()
 * called by the caller writes whatever the backlog.
 */
export function batchedWriter(write: (text: string) => void, bound?: {
  backlog: () => number;
  maxBacklog: number;
  dropped: (records: number) => string;
}): { write: (text: string) => void; flush: () => void } {
  let pending = '';
  let scheduled = false;
  let droppedRecords = 0;
  // A flush asked for by the caller (start failed, stopping) always writes: those records matter most, and are few.
  const flush = (force = true) => {
    scheduled = false;
    if (pending === '') return;
    let text = pending;
    pending = '';
    if (bound) {
      if (!force && bound.backlog() > bound.maxBacklog) {
        for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) droppedRecords += 1;
        return;
      }
      if (droppedRecords > 0) {
        text = bound.dropped(droppedRecords) + text;
        droppedRecords = 0;
      }
    }
    write(text);
  };
  return {
    write(text) {
      pending += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => flush(false));
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
    case 'retried':
      return { event: 'retried', guid: event.guid, logId: event.logId, newLogId: event.newLogId };
    case 'cancelled':
      return { event: 'cancelled', guid: event.guid, logId: event.logId, reason: event.reason };
    case 'adopted':
      // A CREATE whose outcome a crash hid, found in Jira by its label instead of sent again.
      return { event: 'adopted', guid: event.guid, ticketKey: event.ticketKey };
    case 'settling':
      // A CREATE whose answer was lost, looked up until `until` before it is sent again.
      return { event: 'settling', guid: event.guid, until: new Date(event.until).toISOString() };
    case 'repaired':
      return { event: 'repaired', guid: event.guid, ticketKey: event.ticketKey, keptKey: event.keptKey, how: event.how };
    case 'pruned':
      return { event: 'pruned', rows: event.rows };
    case 'linked':
      return event.ticketKey === null ? { event: 'unlinked', guid: event.guid } : { event: 'linked', guid: event.guid, ticketKey: event.ticketKey };
    case 'refused':
      // A line answered ERR: the GUID and our reason only, never the line (it may carry anything).
      return { event: 'refused', guid: event.guid, reason: event.reason };
    case 'not-ours':
      return { event: 'not-ours', guid: event.guid, ticketKey: event.ticketKey };
    case 'paused':
      return { event: 'paused', reason: event.reason };
    case 'resumed':
      return { event: 'resumed' };
    case 'connection-changed':
      return connectionRecord(event.connection);
    case 'queue-filling':
    case 'queue-eased': {
      const { commands, bytes, maxCommands, maxBytes, fill } = event.fill;
      const percent = Math.round(fill * 100);
      const message = event.type === 'queue-filling'
        ? `the queue is ${percent} % full (${commands} of ${maxCommands} commands, ${bytes} of ${maxBytes} bytes): at 100 % lines are refused with ERR queue full`
        : `the queue is back to ${percent} % full`;
      return { event: event.type === 'queue-filling' ? 'warning' : 'queue-eased', kind: event.type, message, commands, bytes, maxCommands, maxBytes, fill };
    }
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

/** A burst's prunes end once none came for this long; its one `pruned` record is written then. */
export const prunedQuietMs = 1_000;
/** A record at least this often while prunes never stop (a steady flow at the row cap). */
export const prunedMaxDelayMs = 10_000;

/**
 * Gathers the engine's `pruned` events into one record per burst, with the count: at the row
 * cap every accepted line drops the oldest row, and one record per row would bury the log
 * (2,000 lines in a burst made 2,000 records). The timer is unref'd (it never holds the
 * process open); `flush` writes what is pending (at stop).
 */
export function prunedCoalescer(log: (record: LogRecord) => void): { add: (rows: number) => void; flush: () => void } {
  let rows = 0;
  let firstAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (rows === 0) return;
    const count = rows;
    rows = 0;
    log({ event: 'pruned', rows: count });
  };
  return {
    add(count) {
      if (count <= 0) return;
      const now = Date.now();
      if (rows === 0) firstAt = now;
      rows += count;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, Math.max(0, Math.min(prunedQuietMs, firstAt + prunedMaxDelayMs - now)));
      timer.unref();
    },
    flush,
  };
}
