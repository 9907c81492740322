// What an attached app may ask of the engine over the control socket: the EngineApi's
// requests, plus saving the config and the credentials (the engine writes them, so every
// face sees the same). Parameters come from another process and are checked here; the
// log is served a window at a time (at most MAX_LOG_WINDOW rows a request).
import { parseConfig } from '../core/config.js';
import type { EngineApi, StatsReset } from '../core/engine-api.js';
import type { Credentials, IssuePayload, LogQuery, LogRow } from '../core/ports.js';
import type { SharedSettings } from '../daemon/shared-settings.js';
import { makeSecret } from '../secrets/index.js';
import { DEFAULT_LOG_WINDOW, MAX_LOG_WINDOW, type EngineStatusReport } from './control-protocol.js';
import { parseAlarmState, type AlarmQuery } from '../core/alarms.js';

type Method = (params: unknown) => unknown;

function object(params: unknown, what: string): Record<string, unknown> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error(`${what}: expected an object of parameters`);
  return params as Record<string, unknown>;
}

function text(value: unknown, what: string, max = 65_536): string {
  if (typeof value !== 'string' || value.length > max) throw new Error(`${what}: expected a string of at most ${max} characters`);
  return value;
}

function optionalText(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, what, 4096);
}

function wholeNumber(value: unknown, what: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${what}: expected a whole number ≥ 0`);
  return Math.min(value, max);
}

/** A log filter from a client: only the known keys, checked. */
export function logQueryOf(params: unknown, withWindow: boolean): LogQuery {
  const p = object(params ?? {}, 'log query');
  const query: LogQuery = {};
  if (p.status !== undefined) {
    if (p.status !== 'Pending' && p.status !== 'Ok' && p.status !== 'Failed' && p.status !== 'Cancelled') {
      throw new Error('log query: status is Pending, Ok, Failed or Cancelled');
    }
    query.status = p.status;
  }
  const guid = optionalText(p.guid, 'log query guid');
  if (guid !== undefined) query.guid = guid;
  const ticketKey = optionalText(p.ticketKey, 'log query ticketKey');
  if (ticketKey !== undefined) query.ticketKey = ticketKey;
  const words = optionalText(p.text, 'log query text');
  if (words !== undefined) query.text = words;
  if (withWindow) {
    query.offset = wholeNumber(p.offset, 'log query offset', 0, Number.MAX_SAFE_INTEGER);
    query.limit = Math.max(1, wholeNumber(p.limit, 'log query limit', DEFAULT_LOG_WINDOW, MAX_LOG_WINDOW));
    // The store then reads neither big column (briefRows still clears them, whatever the engine does).
    if (wantsBrief(p)) query.brief = true;
  }
  return query;
}

/** Whether a client asked for brief rows (`brief: true`): for a list, which shows neither the request nor Jira's answer. */
export function wantsBrief(params: unknown): boolean {
  return params !== null && typeof params === 'object' && (params as { brief?: unknown }).brief === true;
}

/**
 * Rows without the request sent and Jira's answer (null): they are most of a row's bytes
 * (an answer is kept up to 2 KB) and a list shows neither; getLogRow gives the whole row.
 */
export function briefRows(rows: LogRow[]): LogRow[] {
  return rows.map((row) => (row.request === null && row.response === null ? row : { ...row, request: null, response: null }));
}

/** An alarms filter and window from a client: only the known keys, checked. */
export function alarmQueryOf(params: unknown): AlarmQuery {
  const p = object(params ?? {}, 'alarm query');
  const query: AlarmQuery = {};
  if (p.state !== undefined && p.state !== null) {
    const state = typeof p.state === 'string' ? parseAlarmState(p.state) : null;
    if (state === null) throw new Error('alarm query: state is open, resolved, failed or pending');
    query.state = state;
  }
  const words = optionalText(p.text, 'alarm query text');
  if (words !== undefined) query.text = words;
  query.offset = wholeNumber(p.offset, 'alarm query offset', 0, Number.MAX_SAFE_INTEGER);
  query.limit = wholeNumber(p.limit, 'alarm query limit', 50, MAX_LOG_WINDOW);
  return query;
}

function credentialsOf(params: unknown): Credentials {
  const p = object(params, 'credentials');
  if (p.method === 'basic') return { method: 'basic', username: text(p.username, 'username', 1024), password: makeSecret(text(p.password, 'password', 8192)) };
  if (p.method === 'key') return { method: 'key', key: makeSecret(text(p.key, 'key', 8192)) };
  throw new Error('credentials: method is basic or key');
}

/** The methods, by name. */
export function controlMethods(deps: { engine: EngineApi; shared: SharedSettings; status(): EngineStatusReport }): Record<string, Method> {
  const { engine, shared } = deps;
  return {
    submitLine: (p) => engine.submitLine(text(object(p, 'submitLine').line, 'line', 1 << 20)),
    execute: (p) => engine.execute(object(object(p, 'execute').body, 'execute body') as unknown as IssuePayload),
    queryLog: (p) => {
      const rows = engine.queryLog(logQueryOf(p, true));
      return wantsBrief(p) ? briefRows(rows) : rows;
    },
    countLog: (p) => engine.countLog(logQueryOf(p, false)),
    getLogRow: (p) => engine.getLogRow(wholeNumber(object(p, 'getLogRow').id, 'id', 0, Number.MAX_SAFE_INTEGER)) ?? null,
    responses: (p) => {
      const q = object(p ?? {}, 'responses');
      const guid = optionalText(q.guid, 'responses guid');
      return engine.responses({
        ...(guid !== undefined ? { guid } : {}),
        ...(q.logId !== undefined ? { logId: wholeNumber(q.logId, 'logId', 0, Number.MAX_SAFE_INTEGER) } : {}),
        offset: wholeNumber(q.offset, 'responses offset', 0, Number.MAX_SAFE_INTEGER),
        limit: Math.max(1, wholeNumber(q.limit, 'responses limit', 100, MAX_LOG_WINDOW)),
      });
    },
    retryRow: (p) => engine.retryRow(wholeNumber(object(p, 'retryRow').logId, 'logId', 0, Number.MAX_SAFE_INTEGER)),
    cancelRow: (p) => engine.cancelRow(wholeNumber(object(p, 'cancelRow').logId, 'logId', 0, Number.MAX_SAFE_INTEGER)),
    resetStats: (p) => {
      const which = object(p, 'resetStats').which;
      if (which !== 'daily' && which !== 'totals' && which !== 'both') throw new Error('resetStats: which is daily, totals or both');
      return engine.resetStats(which as StatsReset);
    },
    checkConnection: () => engine.checkConnection(),
    search: (p) => {
      const q = object(p, 'search');
      const options = q.options === undefined ? undefined : object(q.options, 'search options');
      return engine.search(text(q.jql, 'jql', 8192), options && {
        maxResults: wholeNumber(options.maxResults, 'maxResults', 50, 100),
        ...(typeof options.nextPageToken === 'string' ? { nextPageToken: options.nextPageToken.slice(0, 4096) } : {}),
        ...(options.startAt !== undefined ? { startAt: wholeNumber(options.startAt, 'startAt', 0, Number.MAX_SAFE_INTEGER) } : {}),
      });
    },
    getIssue: (p) => engine.getIssue(text(object(p, 'getIssue').key, 'key', 256)),
    queryAlarms: (p) => engine.queryAlarms(alarmQueryOf(p)),
    linkAlarm: (p) => {
      const q = object(p, 'linkAlarm');
      return engine.linkAlarm(text(q.guid, 'guid', 256), text(q.ticketKey, 'ticketKey', 256));
    },
    unlinkAlarm: (p) => engine.unlinkAlarm(text(object(p, 'unlinkAlarm').guid, 'guid', 256)),
    status: (p) => engine.status(text(object(p, 'status').guid, 'guid', 256)),
    whenIdle: () => engine.whenIdle(),
    saveConfig: (p) => shared.saveConfig(parseConfig(object(p, 'saveConfig').config, 'config from an attached app')),
    saveCredentials: async (p) => shared.saveCredentials(credentialsOf(object(p, 'saveCredentials').credentials)),
    engineStatus: () => deps.status(),
  };
}
