// Fault injection: failures at a given rate, a requests-per-second limit, added latency,
// and HTML error pages — what a busy Jira Cloud, a Data Center or a proxy in front of it
// does. Cheap per request (a counter and one random number), so benchmarks are not skewed.
import type { Reply } from './reply.js';
import type { HostileFault, SimulatorFaults } from './types.js';

const REASONS: Record<number, string> = {
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** An HTML error page as a Data Center node or a reverse proxy sends it. */
export function htmlPage(status: number): string {
  const reason = REASONS[status] ?? 'Error';
  return `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head>\n<body><h1>${reason}</h1>\n`
    + `<p>The server is temporarily unable to service your request. Please try again later.</p>\n<hr><address>nginx</address></body></html>\n`;
}

/** Decides, per request, whether a fault answers instead of Jira. */
export class FaultGate {
  private faults: SimulatorFaults = {};
  private windowSecond = -1;
  private windowCount = 0;

  constructor(faults: SimulatorFaults | undefined, private readonly random: () => number = Math.random) {
    this.set(faults ?? {});
  }

  /** Replaces the faults (and restarts the rate window). */
  set(faults: SimulatorFaults): void {
    const numbers = { ...faults, ...faults.rateLimits, ...faults.rateLimits?.dataCenter };
    for (const [k, v] of Object.entries(numbers)) {
      if (k === 'hostile') continue;
      if (v !== undefined && typeof v === 'number' && (!Number.isFinite(v) || v < 0)) throw new RangeError(`simulator fault ${k} must be a number ≥ 0`);
    }
    if ((faults.failureRate ?? 0) > 1) throw new RangeError('simulator fault failureRate must be between 0 and 1');
    if ((faults.writeAfterTimeoutRate ?? 0) > 1) throw new RangeError('simulator fault writeAfterTimeoutRate must be between 0 and 1');
    this.faults = { ...faults };
    this.windowSecond = -1;
    this.windowCount = 0;
  }

  /** The hostile behaviour, if any (hostile.ts). */
  hostile(): HostileFault | undefined {
    return this.faults.hostile;
  }

  /** Added latency in milliseconds (0 for none). */
  latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** How long a write's answer waits after the write was made (0 for none). */
  lateWriteMs(): number {
    return this.faults.lateWriteMs ?? 0;
  }

  /** Whether this write is performed only once the client has given up. */
  writeAfterTimeout(): boolean {
    const rate = this.faults.writeAfterTimeoutRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** How long after the client gave up a held write is made (0: at once). */
  writeAfterTimeoutDelayMs(): number {
    return this.faults.writeAfterTimeoutDelayMs ?? 0;
  }

  /** Whether comment properties are dropped. */
  dropCommentProperties(): boolean {
    return this.faults.dropCommentProperties === true;
  }

  /** A fault reply for this request, or null to serve it. */
  check(now: number, method = 'GET'): Reply | null {
    const f = this.faults;
    const retryAfter = String(f.retryAfterSeconds ?? 1);
    const eligible = !f.failureWritesOnly || method !== 'GET';
    if (f.failureRate && eligible && this.random() < f.failureRate) {
      const choices = f.failureStatus ?? 503;
      const status = Array.isArray(choices) ? choices[Math.floor(this.random() * choices.length) % choices.length] ?? 503 : choices;
      const headers: Record<string, string> = status === 429 || status === 503 ? { 'Retry-After': retryAfter } : {};
      if (status === 429 && f.failureWritesOnly) headers['RateLimit-Reason'] = 'jira-per-issue-on-write';
      return this.fail(status, headers, status === 429 ? 'Rate limit exceeded.' : `${REASONS[status]}: injected failure.`);
    }
    if (f.maxRequestsPerSecond !== undefined) {
      const second = Math.floor(now / 1000);
      if (second !== this.windowSecond) {
        this.windowSecond = second;
        this.windowCount = 0;
      }
      this.windowCount += 1;
      if (this.windowCount > f.maxRequestsPerSecond) {
        // Cloud's rate-limit headers: the client may read any of them.
        const reset = new Date((second + 1) * 1000).toISOString();
        return this.fail(429, {
          'Retry-After': String(Math.max(1, f.retryAfterSeconds ?? 1)), 'X-RateLimit-Limit': String(f.maxRequestsPerSecond),
          'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset, 'RateLimit-Reason': 'jira-burst-based',
        }, 'Rate limit exceeded.');
      }
    }
    return null;
  }

  private fail(status: number, headers: Record<string, string>, message: string): Reply {
    if (this.faults.htmlErrors) return { status, text: htmlPage(status), headers: { ...headers, 'Content-Type': 'text/html;charset=UTF-8' } };
    return { status, body: { errorMessages: [message], errors: {} }, headers };
  }
}
