// Builders of queue and log records for the store tests.
import type { LogRow, QueuedCommand } from '../../source/core/ports.js';

/** A queued Automatic CREATE, with fields overridden. */
export function command(patch: Partial<Omit<QueuedCommand, 'id'>> = {}): Omit<QueuedCommand, 'id'> {
  return {
    type: 'Automatic', kind: 'create', guid: 'ALARM-1', line: 'ALARM-1|CREATE|summary;disk full|', payload: null,
    state: 'queued', attempts: 0, nextAttemptAt: 1_000, acceptedAt: 1_000, firstSentAt: null, logId: null,
    throttleCounted: false, ...patch,
  };
}

/** A Pending Automatic Create log row, with fields overridden. */
export function logRow(patch: Partial<Omit<LogRow, 'id'>> = {}): Omit<LogRow, 'id'> {
  return {
    type: 'Automatic', action: 'Create', time: 1_000, guid: 'ALARM-1', status: 'Pending', ticketId: null,
    ticketKey: null, ticketUrl: null, error: null, lines: 1, request: null, response: null, attempts: 0,
    nextAttemptAt: null, ...patch,
  };
}
