// After each update every attached app asks the same thing: the rows on its screen and
// their count. The engine answers such a question once and sends the same JSON to every
// app that asks it before the next update, instead of one query, one serialisation and one
// encoding per app. An answer is dropped when an update is sent (the apps fetch again on its new
// logVersion), when a request that may change something has been answered (so an app
// reading after its own action sees it), and in any case once it is an update interval old.
import type { EngineApi } from '../core/engine-api.js';
import { briefRows, logQueryOf, wantsBrief } from './control-methods.js';

/** The reads answered from what was computed for another app. */
const SHARED = new Set(['queryLog', 'countLog']);
/** Requests that change nothing: answering them keeps the shared answers. */
const READ_ONLY = new Set(['queryLog', 'countLog', 'getLogRow', 'responses', 'queryAlarms', 'status', 'engineStatus', 'search', 'getIssue']);
/** Distinct questions kept at once (an app has a filter or two on screen). */
const MAX_ANSWERS = 32;

/** Shared answers to the log reads, as JSON. */
export class SharedReads {
  private answers = new Map<string, { json: Buffer; at: number }>();

  constructor(private readonly engine: EngineApi, private readonly maxAgeMs: number, private readonly now: () => number = Date.now) {}

  /** Whether `method` is answered here. */
  shares(method: string): boolean {
    return SHARED.has(method);
  }

  /** Whether answering `method` leaves the shared answers true. */
  keeps(method: string): boolean {
    return READ_ONLY.has(method);
  }

  /** The result of a shared read as JSON (UTF-8); throws as the method would on bad parameters. */
  answer(method: string, params: unknown): Buffer {
    const query = logQueryOf(params, method === 'queryLog');
    const brief = method === 'queryLog' && wantsBrief(params);
    const key = `${method}:${brief ? 'brief:' : ''}${JSON.stringify(query)}`;
    const now = this.now();
    const known = this.answers.get(key);
    if (known && now - known.at < this.maxAgeMs) return known.json;
    const result = method === 'countLog' ? this.engine.countLog(query)
      : brief ? briefRows(this.engine.queryLog(query)) : this.engine.queryLog(query);
    const json = Buffer.from(JSON.stringify(result));
    if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
    this.answers.set(key, { json, at: now });
    return json;
  }

  /** Something may have changed: the next read is answered afresh. */
  clear(): void {
    this.answers.clear();
  }
}
