// `jiraline daemon`: the headless engine. It checks Jira at start but takes
// and queues lines while Jira is down; it logs JSON lines on stdout (never a secret); on
// SIGTERM/SIGINT it stops accepting, answers what it read, gives in-flight requests a
// few seconds, commits and exits 0; on SIGHUP it reads the credentials again.
import { engineOptions, parseCommandArgs, UsageError } from '../cli-args.js';
import { ConfigError } from '../core/config.js';
import { splitHostPort } from '../core/host-port.js';
import { programVersion } from '../version.js';
import { recoveryMessage, StoreCorruptError, StoreLockedError } from '../store/index.js';
import { fstatSync } from 'node:fs';
import { batchedWriter, createJsonLog, stdoutIsJournal, type LogRecord } from './json-log.js';
import { startRuntime } from './runtime.js';
import { resolveSettings } from './settings.js';

const usage = `Usage: jiraline daemon [--config FILE] [--data-dir DIR] [--listen HOST:PORT|off] [--jira-url URL | --demo]
                       [--metrics HOST:PORT] [--allow-unauthenticated-remote]
  The headless engine: takes Advanced lines on the socket, sends them to Jira, retries,
  throttles and logs. JSON lines on stdout, one object per event. SIGTERM/SIGINT stop it
  cleanly. --metrics (or "metrics" in the config) serves Prometheus /metrics and /healthz.
  See jiraline --help for the environment variables.
`;

/** How long in-flight requests get to finish on SIGTERM/SIGINT. */
const stopGraceMs = 5000;
/** Bytes of log output stdout may hold for a slow reader before records are counted instead (json-log.ts). */
const LOG_BACKLOG_BYTES = 8 * 1024 * 1024;

/** Runs the daemon until a signal stops it; returns the exit code. */
export async function runDaemon(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('daemon', args, { ...engineOptions, metrics: { type: 'string' } });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  // Under systemd, stdout is the journal's stream: each line then starts with its syslog
  // priority, which journald takes off and keeps (journalctl -p err); elsewhere plain JSON.
  const journal = stdoutIsJournal(process.env, () => {
    try {
      const s = fstatSync(1);
      return { dev: s.dev, ino: s.ino };
    } catch {
      return null;
    }
  });
  let formatted = '';
  const format = createJsonLog((text) => (formatted = text), Date.now, { priorityPrefix: journal });
  // What a slow reader has not taken yet stays bounded (json-log.ts, batchedWriter).
  const out = batchedWriter((text) => process.stdout.write(text), {
    backlog: () => process.stdout.writableLength,
    maxBacklog: LOG_BACKLOG_BYTES,
    dropped: (records) => {
      format({ event: 'log-dropped', records, reason: `stdout's reader fell ${LOG_BACKLOG_BYTES / 1048576} MiB behind` });
      return formatted;
    },
  });
  const log: (record: LogRecord) => void = createJsonLog(out.write, Date.now, { priorityPrefix: journal });
  let settings;
  let metrics;
  try {
    settings = resolveSettings(values, process.env, 'daemon');
    metrics = values.metrics ?? settings.config.metrics;
    if (values.metrics !== undefined && (values.metrics === 'off' || splitHostPort(values.metrics) === null)) {
      throw new UsageError(`--metrics: expected HOST:PORT (e.g. 127.0.0.1:9465), got '${values.metrics}'`);
    }
  } catch (error) {
    // A supervisor reading stdout learns why the daemon did not start, not only the terminal
    // (cli.tsx says it on stderr and exits 2).
    if (error instanceof ConfigError || error instanceof UsageError) {
      log({ event: 'start-failed', version: programVersion(), pid: process.pid, error: error.message, exitCode: 2 });
      out.flush();
    }
    throw error;
  }
  log({
    event: 'start',
    version: programVersion(),
    pid: process.pid,
    jiraUrl: settings.demo ? null : settings.config.jira.url,
    demo: settings.demo,
    configFile: settings.configPath,
    dataDir: settings.dataDir,
  });

  let runtime;
  try {
    runtime = await startRuntime(settings, { onLog: log, face: 'daemon', metrics });
  } catch (error) {
    // The 'start' record is out already: whoever reads stdout learns why no 'listening' follows.
    // The exit codes are cli.tsx's: a configuration the runtime refuses (caFile, proxy) is 2.
    const usage = error instanceof StoreLockedError || error instanceof ConfigError || error instanceof UsageError;
    log({ event: 'start-failed', error: (error as Error).message, exitCode: usage ? 2 : 1 });
    out.flush();
    if (!(error instanceof StoreLockedError || error instanceof StoreCorruptError)) throw error; // cli.tsx says it
    process.stderr.write(`jiraline daemon: ${error.message}\n`);
    return usage ? 2 : 1;
  }
  // A damaged journal is said on stderr too: an operator starting by hand may not read the JSON.
  const recovery = runtime.store.journalRecovery;
  if (recovery) process.stderr.write(`jiraline daemon: warning: ${recoveryMessage(recovery)}\n`);
  log({
    event: 'listening',
    address: runtime.listenAddress ?? 'off',
    control: runtime.control?.path ?? null,
    metrics: runtime.metricsAddress,
    credentials: runtime.credentialSource,
    jiraUrl: runtime.config.jira.url,
    demo: settings.demo,
    // In demo mode a directory of its own, removed at exit (the real one is never written).
    dataDir: runtime.store.dir,
  });

  // With the socket off nothing else holds the event loop (engine timers are unref'd).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let signals = 0;
  const code = await new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) {
        // A second signal: the operator wants out now; the last commit may be lost, but
        // nothing was acknowledged that is not already on disk.
        log({ event: 'stopped', signal, forced: true });
        out.flush();
        process.exit(1);
      }
      log({ event: 'stopping', signal, pending: runtime.engine.pendingCount() });
      runtime.stop(stopGraceMs).then(
        () => {
          log({ event: 'stopped', pending: runtime.engine.pendingCount() });
          resolve(0);
        },
        (error: unknown) => {
          process.stderr.write(`jiraline daemon: stopping failed: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // SIGHUP: read the credentials again (after `jiraline auth set` or a changed file).
    process.on('SIGHUP', () => {
      runtime.reloadCredentials('sighup').then(
        (changed) => {
          if (!changed) log({ event: 'credentials-unchanged', trigger: 'sighup' });
        },
        (error: unknown) => log({ event: 'warning', message: `reading the credentials failed: ${(error as Error).message}` }),
      );
    });
  });
  clearInterval(keepAlive);
  out.flush();
  // Everything is closed; should a stray handle still hold the loop, do not hang here.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
