// What the engine is doing, as Prometheus metrics (`daemon --metrics HOST:PORT`). prom-client
// writes the exposition format. Values come from three places, none of which reaches into
// the engine's internals: the engine's snapshot and events (the EngineApi every face
// uses), a wrapper around the Jira client the engine is given (latency by operation,
// answers, 429s), and a wrapper around the line intake (accepted / refused). What the
// snapshot gains later (pacing rate, the gate, queue fill) is added in `snapshotGauges`.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineApi, EngineSnapshot } from '../core/engine-api.js';
import type { JiraPort } from '../core/ports.js';

/** Jira's state as the last request to it found. */
export interface JiraHealth {
  /** When Jira last answered anything (ms epoch), or null. */
  lastAnsweredAt: number | null;
  /** When the last request got no answer (network error, timeout, 429, 502–504), or null once one is answered. */
  failingSince: number | null;
  lastError: string | null;
}

/** The metrics of one engine. */
export interface EngineMetrics {
  registry: Registry;
  jira: JiraHealth;
  /** The Jira client, timed (give this one to the engine). */
  wrapJira<T extends JiraPort>(jira: T): T;
  /** The engine with submitLine counted (give this one to the sockets). */
  wrapLines<T extends Pick<EngineApi, 'submitLine'>>(engine: T): T;
  /** Starts following the engine's snapshot and events. */
  follow(engine: EngineApi, extra: {
    journal(): { writes: number; lastWriteMs: number; failedWrites: number };
    /** Each durable write's milliseconds, as the store makes them (the sync latency histogram). */
    onJournalWrite?(listener: (ms: number) => void): () => void;
  }): () => void;
}

/**
 * Statuses that mean Jira did not answer at all, as the engine's gate sees it: nothing came
 * back, or a gateway answered for it (502, 504). A 429 or a 503 is Jira answering — pacing
 * us, or one busy node — so rate limiting never turns /healthz to 503.
 */
const notAnswered = new Set([0, 502, 504]);

/** Gauges read from the snapshot at scrape time: name, help, value. Add a line here for each new snapshot field. */
const snapshotGauges: Array<[string, string, (s: EngineSnapshot) => number]> = [
  ['jiraline_queue_depth', 'Commands accepted and not finished', (s) => s.queueDepth],
  ['jiraline_throttle_used', 'Automatic updates started in the current throttle window', (s) => s.throttle.used],
  ['jiraline_throttle_max', 'Automatic updates allowed per throttle window', (s) => s.throttle.max],
  ['jiraline_paused', '1 while 401/403 holds the queue until the credentials change', (s) => (s.paused ? 1 : 0)],
  ['jiraline_jira_connected', '1 when the last check of Jira (serverInfo + myself) passed', (s) => (s.connection.state === 'ok' ? 1 : 0)],
  ['jiraline_log_rows', 'Rows in the log', (s) => s.logCount],
  ['jiraline_tickets_created', 'Tickets created (the statistics total, reset with them)', (s) => s.stats.created.total],
  ['jiraline_tickets_updated', 'Tickets updated (the statistics total, reset with them)', (s) => s.stats.updated.total],
  ['jiraline_pacing_rate', 'Requests a second the engine paces Jira to now', (s) => s.pacing.perSecond],
  ['jiraline_pacing_concurrent', 'Requests at once the engine allows Jira now', (s) => s.pacing.concurrent],
  ['jiraline_pacing_limited_by_jira', '1 while Jira\'s rate limit, not the configured ceiling, sets the pace', (s) => (s.pacing.limitedByJira ? 1 : 0)],
  ['jiraline_pacing_waiting', 'Requests waiting for a permit from the pacer', (s) => s.pacing.waiting],
  ['jiraline_commands_paced', 'Commands whose request waits for the pacer (paced by Jira\'s rate limit, not sending)', (s) => s.pacing.paced],
  ['jiraline_jira_down', '1 while Jira is not answering (the gate is closed: one probe at a time)', (s) => (s.connection.state === 'down' ? 1 : 0)],
  ['jiraline_queue_fill', 'Share of the queue ceiling in use (0–1, the larger of count and bytes)', (s) => s.queueFill.fill],
  ['jiraline_queue_bytes', 'Bytes of the commands waiting (counted against queue.maxBytes)', (s) => s.queueFill.bytes],
  ['jiraline_lines_refused', 'Lines answered ERR (the statistics total, reset with them)', (s) => s.stats.refused.total],
  ['jiraline_creates_settling', 'CREATEs whose answer was lost, looked up over the settle window before they are sent again', (s) => s.exactlyOnce.settling],
  ['jiraline_duplicates_repaired', 'Second tickets of one GUID repaired as alarms.onDuplicate says (ever; not reset with the statistics)', (s) => s.exactlyOnce.duplicatesRepaired],
];


/** Builds the registry and its collectors. */
export function createEngineMetrics(now: () => number = Date.now): EngineMetrics {
  const registry = new Registry();
  const jira: JiraHealth = { lastAnsweredAt: null, failingSince: null, lastError: null };
  const lines = new Counter({ name: 'jiraline_lines_total', help: 'Advanced lines taken, by outcome (accepted, refused)', labelNames: ['outcome'], registers: [registry] });
  const commands = new Counter({ name: 'jiraline_commands_total', help: 'Commands finished or retried, by outcome (ok, failed, retry) and action', labelNames: ['outcome', 'action'], registers: [registry] });
  const requests = new Histogram({
    name: 'jiraline_jira_request_duration_seconds', help: 'Jira requests by operation and result (answered, refused: no answer / 429 / 502–504)',
    labelNames: ['operation', 'result'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry],
  });
  const throttled = new Counter({ name: 'jiraline_jira_429_total', help: 'Requests Jira answered 429 Too Many Requests', registers: [registry] });
  const retries = new Counter({ name: 'jiraline_retries_total', help: 'Retries scheduled after a passing failure', registers: [registry] });

  const wrapJira = <T extends JiraPort>(client: T): T => new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || key === 'browseUrl' || key === 'close' || key === 'constructor') return value;
      const operation = String(key);
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((answer) => {
          requests.observe({ operation, result: 'answered' }, (performance.now() - started) / 1000);
          jira.lastAnsweredAt = now();
          jira.failingSince = null;
          jira.lastError = null;
          return answer;
        }, (error: unknown) => {
          const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
          const answered = !notAnswered.has(status);
          requests.observe({ operation, result: answered ? 'answered' : 'refused' }, (performance.now() - started) / 1000);
          if (status === 429) throttled.inc();
          if (answered) {
            jira.lastAnsweredAt = now();
            jira.failingSince = null;
            jira.lastError = null;
          } else {
            jira.failingSince ??= now();
            jira.lastError = String((error as Error).message ?? error).slice(0, 200);
          }
          throw error;
        });
      };
    },
  });

  const wrapLines = <T extends Pick<EngineApi, 'submitLine'>>(engine: T): T => new Proxy(engine, {
    get(target, key, receiver) {
      if (key !== 'submitLine') {
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (line: string) => {
        const reply = await target.submitLine(line);
        lines.inc({ outcome: reply.startsWith('OK ') ? 'accepted' : 'refused' });
        return reply;
      };
    },
  });

  const follow: EngineMetrics['follow'] = (engine, extra) => {
    for (const [name, help, read] of snapshotGauges) {
      new Gauge({
        name, help, registers: [registry],
        collect() {
          const value = read(engine.getSnapshot());
          if (!Number.isNaN(value)) this.set(value);
        },
      });
    }
    new Gauge({
      name: 'jiraline_oldest_waiting_seconds', help: 'Age of the oldest Pending command in the log (0 when none waits)', registers: [registry],
      collect() {
        const waiting = engine.countLog({ status: 'Pending' });
        const oldest = waiting > 0 ? engine.queryLog({ status: 'Pending', offset: waiting - 1, limit: 1 })[0] : undefined;
        this.set(oldest ? Math.max(0, (now() - oldest.time) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'jiraline_journal_last_write_seconds', help: 'How long the last durable write (journal record append + sync, or a snapshot) took', registers: [registry],
      collect() {
        this.set(extra.journal().lastWriteMs / 1000);
      },
    });
    // Every write, not only the last: a slow disk shows as a tail here between two scrapes.
    const syncs = new Histogram({
      name: 'jiraline_journal_sync_duration_seconds', help: 'Durable writes (journal record append + sync, or a snapshot) by duration',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
    });
    const unwatchWrites = extra.onJournalWrite?.((ms) => syncs.observe(ms / 1000)) ?? (() => undefined);
    new Gauge({
      name: 'jiraline_journal_writes', help: 'Durable writes made, and failed', labelNames: ['result'], registers: [registry],
      collect() {
        const j = extra.journal();
        this.set({ result: 'ok' }, j.writes);
        this.set({ result: 'failed' }, j.failedWrites);
      },
    });
    const unwatchEvents = engine.onEvent((event) => {
      if (event.type === 'sent') commands.inc({ outcome: 'ok', action: event.action });
      else if (event.type === 'failed') commands.inc({ outcome: 'failed', action: event.action });
      else if (event.type === 'retry') retries.inc();
    });
    return () => {
      unwatchEvents();
      unwatchWrites();
    };
  };

  return { registry, jira, wrapJira, wrapLines, follow };
}
