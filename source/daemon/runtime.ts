// Composition of one engine from real parts (the faces only compose):
// credentials → Jira client (or, in demo mode, an in-process simulator) → store → engine
// → socket. Shared by `jiraline daemon` and the full-screen app; stop() takes it all down
// in the reverse order, so every accepted line is committed before the store closes.
// See docs/architecture.md#the-parts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { jiraIdentity } from '../core/jira-identity.js';
import type { Config } from '../core/config.js';
import { Engine } from '../core/engine.js';
import type { CredentialSource, Credentials, SecretStore } from '../core/ports.js';
import { createJiraClient, type JiraClient } from '../jira/index.js';
import { createSecretStore } from '../secrets/index.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { openStore, recoveryMessage, type Store } from '../store/index.js';
import { loadSql } from '../store/database.js';
import { engineEventRecord, prunedCoalescer, type LogRecord } from './json-log.js';
import { bindingRecords, serverChangeRecord } from './jira-binding-report.js';
import type { Settings } from './settings.js';
import { startSocketServer, type SocketServer, type SocketServerOptions } from './socket-server.js';
import { createSharedSettings, type SharedSettings } from './shared-settings.js';
import { controlSocketPath } from '../control/control-address.js';
import type { EngineFace } from '../control/control-protocol.js';
import { startControlServer, type ControlFlowEvent, type ControlServer } from '../control/control-server.js';
import { programVersion } from '../version.js';
import type { MetricsServer } from '../metrics/metrics-server.js';

import { demoTemplate } from '../core/demo-template.js';
export { demoTemplate };

/** Everything one running engine is made of. */
export interface Runtime {
  engine: Engine;
  settings: Settings;
  /** The configuration the engine runs with (in demo mode: the simulator's URL and the demo template). */
  config: Config;
  jira: JiraClient;
  store: Store;
  secrets: SecretStore;
  credentialSource: CredentialSource;
  /** The socket's actual bound address (HOST:PORT), null when listening is off. */
  listenAddress: string | null;
  /** The in-process simulator in demo mode, else null. */
  simulator: Simulator | null;
  /** Warnings to show at start (insecure TLS, credentials kept in a file, …); also logged. */
  warnings: string[];
  /** The settings every face of this engine shares (the app here, apps attached over the control socket). */
  shared: SharedSettings;
  /** The control socket apps attach to, or null when it is off. */
  control: ControlServer | null;
  /** Where /metrics and /healthz are served (HOST:PORT), or null when off. */
  metricsAddress: string | null;
  /**
   * Reads the credentials again (SIGHUP, and every 30 s while paused on 401/403); when
   * they differ from those in use, hands them to the client and resumes the engine.
   * Resolves true when they changed. Never logs a secret.
   */
  reloadCredentials(trigger?: string): Promise<boolean>;
  /** Stops accepting, answers what was read, lets in-flight requests finish, commits, releases everything. */
  stop(graceMs?: number): Promise<void>;
}

/** How often a paused engine's credentials are read again (to resume once they change). */
export const credentialRecheckMs = 30_000;

/** Whether two credentials are the same (method, username and the revealed secret). */
function sameCredentials(a: Credentials | null, b: Credentials | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.method === 'basic' && b.method === 'basic') return a.username === b.username && a.password.reveal() === b.password.reveal();
  if (a.method === 'key' && b.method === 'key') return a.key.reveal() === b.key.reveal();
  return false;
}

/** Options of startRuntime; all optional. */
export interface RuntimeOptions {
  /** Receives the JSON-lines records (start details, engine events, warnings). */
  onLog?: (record: LogRecord) => void;
  /** Where credentials are read from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Socket limits, for tests (idle timeout, caps). */
  socket?: Partial<Pick<SocketServerOptions, 'idleTimeoutMs' | 'maxConnections' | 'maxLineBytes' | 'maxUnanswered' | 'maxUnansweredBytes'>>;
  /** 'auto' (default) tries the OS keychain; null skips it. */
  keychain?: 'auto' | null;
  /** Who runs the engine, for `jiraline status` (default 'daemon'). */
  face?: EngineFace;
  /** false: no control socket (apps cannot attach). Default true. */
  control?: boolean;
  /** Told when the control socket holds a client that does not read (tests wait on it). */
  controlFlow?: (event: ControlFlowEvent) => void;
  /** HOST:PORT to serve /metrics and /healthz on; null or absent: off. */
  metrics?: string | null;
}

/** The config the engine runs with: in demo mode, the simulator and the demo template (the Manual draft a copy of it). */
export function engineConfig(settings: Settings, simulatorUrl: string | null): Config {
  if (!settings.demo || simulatorUrl === null) return settings.config;
  return { ...settings.config, jira: { ...settings.config.jira, url: simulatorUrl }, template: demoTemplate.map((row) => ({ ...row })), draft: null };
}

/** Builds and starts the engine. Throws ConfigError (bad caFile/proxy), StoreLockedError, StoreCorruptError, or a listen error. */
export async function startRuntime(settings: Settings, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.onLog ?? (() => undefined);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log({ event: 'warning', message });
  };
  // Undo what was built so far when a later step fails, newest first.
  const undo: Array<() => Promise<unknown>> = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };

  try {
    const secrets = createSecretStore({ configDir: settings.configDir, env: options.env, keychain: options.keychain ?? 'auto' });
    // The keychain (D-Bus, up to seconds), the demo simulator and sql.js's wasm do not wait
    // for one another: started together, the start costs the longest of them, not their sum.
    const warmSql = loadSql().catch(() => undefined); // openStore reports a failure itself
    const [loaded, simulator] = await Promise.all([
      secrets.load(),
      settings.demo ? startSimulator({ mode: 'datacenter', auth: null }).then((sim) => {
        undo.push(() => sim.close());
        return sim;
      }) : Promise.resolve(null),
    ]);
    if (loaded.warning) warn(loaded.warning);
    await warmSql;
    const config = engineConfig(settings, simulator?.url ?? null);
    const baseUrl = config.jira.url;
    if (baseUrl === null) throw new Error('no Jira URL and not in demo mode');

    const jira = createJiraClient({
      baseUrl,
      ticketLocation: config.jira.ticketLocation,
      // The demo simulator takes any credentials: the real ones are not sent to it.
      credentials: simulator ? null : loaded.credentials,
      credentialSource: loaded.source,
      caFile: config.jira.caFile,
      insecure: config.jira.insecure,
      bypassProxy: simulator ? true : config.jira.bypassProxy,
      timeoutMs: config.jira.timeoutSeconds * 1000,
    });
    undo.push(() => jira.close());
    for (const warning of jira.warnings) warn(warning);
    if (!simulator && loaded.credentials === null) {
      warn('no credentials: set JIRALINE_USER + JIRALINE_PASSWORD or JIRALINE_AUTH_KEY, or run jiraline auth set');
    }

    // Demo mode never touches the real data directory: its simulator forgets its tickets at
    // exit, so a map kept from it could only mislead (and must never follow into real use).
    // It gets a directory of its own for this run, removed when it stops.
    const dataDir = simulator ? await mkdtemp(join(tmpdir(), 'jiraline-demo-')) : settings.dataDir;
    if (simulator) undo.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = await openStore({ dir: dataDir, jira: jiraIdentity(baseUrl) });
    undo.push(() => store.close());
    for (const record of bindingRecords(store.binding)) {
      log(record);
      if (record.level === 'warning') warnings.push(String(record.message));
    }
    if (store.tookOverStaleLock) log({ event: 'lock', tookOverStale: true, dir: settings.dataDir });
    const recovery = store.journalRecovery;
    if (recovery) {
      // Said once, in full: the JSON record carries every GUID; the message names the first ones.
      const message = recoveryMessage(recovery);
      warnings.push(message);
      log({
        event: 'warning', kind: 'journal-damaged', message, journal: recovery.journal, keptAs: recovery.keptAs,
        recovered: recovery.recovered, lost: recovery.lost, unreadableBytes: recovery.unreadableBytes,
        regions: recovery.regions, lostGuids: recovery.lostGuids,
      });
    }
    if (process.platform !== 'win32' && (store.dirMode & 0o077) !== 0) {
      warn(`the data directory ${store.dir} is open to other users (mode 0${store.dirMode.toString(8)}); jiraline makes its own 0700 (its files are 0600 either way): chmod 700 ${store.dir}`);
    }

    // A socket other machines can reach is said at every start, guarded or not (settings.ts).
    if (settings.remoteListen === 'unauthenticated') {
      warn(`the socket listens on ${settings.listen}, which other machines can reach, WITHOUT a socketToken (--allow-unauthenticated-remote): anyone who reaches it files tickets with these Jira credentials`);
    } else if (settings.remoteListen === 'token') {
      warn(`the socket listens on ${settings.listen}, which other machines can reach; each connection must send AUTH with the socketToken first`);
    }

    // What this Jira said about itself last time (kept per Jira in the store), to tell when
    // another server now answers at the same URL.
    const knownServer = store.getMeta('serverInfo');
    // prom-client costs a few hundred ms to load on a busy host: only when metrics are on.
    const metrics = options.metrics ? (await import('../metrics/metrics.js')).createEngineMetrics() : null;
    let inUse = loaded.credentials;
    let credentialSource = loaded.source;
    const engine = new Engine({ jira: metrics ? metrics.wrapJira(jira) : jira, store, clock: systemClock, config, credentialSource: () => credentialSource });
    // The faces that take lines count them when metrics are on.
    const intake = metrics ? metrics.wrapLines(engine) : engine;
    // One reload at a time: a SIGHUP during the paused re-check must not apply twice.
    let reloading: Promise<boolean> | null = null;
    const reloadCredentials = (trigger = 'reload'): Promise<boolean> => {
      reloading ??= (async () => {
        try {
          const next = await secrets.load();
          if (sameCredentials(inUse, next.credentials)) return false;
          inUse = next.credentials;
          credentialSource = next.source;
          // The demo simulator takes any credentials: the real ones are not sent to it.
          if (!simulator) jira.setCredentials(next.credentials, next.source);
          log({ event: 'credentials-changed', source: next.source, trigger });
          engine.setCredentialsChanged();
          return true;
        } finally {
          reloading = null;
        }
      })();
      return reloading;
    };
    // While paused on 401/403, read the credentials again now and then (real clock,
    // unref'd: it never holds the process open).
    let recheck: ReturnType<typeof setInterval> | null = null;
    const stopRecheck = () => {
      if (recheck !== null) clearInterval(recheck);
      recheck = null;
    };
    let serverChecked = false;
    const pruned = prunedCoalescer(log);
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'pruned') pruned.add(event.rows);
      else log(engineEventRecord(event));
      if (event.type === 'connection-changed' && event.connection.state === 'ok' && !serverChecked) {
        serverChecked = true;
        const record = serverChangeRecord(knownServer, event.connection.serverInfo, store.jira);
        if (record) {
          log(record);
          warnings.push(String(record.message));
        }
      }
      if (event.type === 'paused' && recheck === null) {
        recheck = setInterval(() => {
          reloadCredentials('recheck').catch((error: unknown) => log({ event: 'warning', message: `reading the credentials failed: ${(error as Error).message}` }));
        }, credentialRecheckMs);
        recheck.unref();
      } else if (event.type === 'resumed') {
        stopRecheck();
      }
    });
    undo.push(async () => {
      stopRecheck();
      await engine.stop(0);
      unsubscribe();
      pruned.flush();
    });
    await engine.start();

    let socket: SocketServer | null = null;
    if (settings.listen !== 'off') {
      try {
        socket = await startSocketServer({ ...options.socket, engine: intake, listen: settings.listen, token: config.socketToken, onLog: log });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'EADDRINUSE' ? 'the address is in use (another jiraline?)' : (error as Error).message;
        throw new Error(`cannot listen on ${settings.listen}: ${why}; choose another with --listen or JIRALINE_LISTEN (off disables)`);
      }
    }

    let metricsServer: MetricsServer | null = null;
    let stopping: Promise<void> | null = null;
    if (metrics && options.metrics) {
      const unfollow = metrics.follow(engine, { journal: () => store.stats(), onJournalWrite: (listener) => store.onWrite(listener) });
      undo.push(async () => unfollow());
      try {
        const { startMetricsServer } = await import('../metrics/metrics-server.js');
        metricsServer = await startMetricsServer({ listen: options.metrics, engine, metrics, stopping: () => stopping !== null });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'EADDRINUSE' ? 'the address is in use' : (error as Error).message;
        throw new Error(`cannot serve metrics on ${options.metrics}: ${why}; choose another with --metrics or "metrics" in the config`);
      }
      const served = metricsServer;
      undo.push(() => served.close());
    }
    const runtime: Runtime = {
      engine,
      settings,
      config,
      jira,
      store,
      secrets,
      get credentialSource() {
        return credentialSource;
      },
      listenAddress: socket?.address ?? null,
      simulator,
      warnings,
      shared: null as unknown as SharedSettings,
      control: null,
      metricsAddress: metricsServer?.address ?? null,
      reloadCredentials,
      stop(graceMs = 5000) {
        stopping ??= (async () => {
          stopRecheck();
          // Attached apps learn at once that the engine is going.
          await runtime.control?.close();
          await metricsServer?.close();
          await runtime.shared.settled();
          // The socket first: no new lines, the read ones answered once committed.
          await socket?.close(graceMs);
          await engine.stop(graceMs);
          unsubscribe();
          pruned.flush();
          stopRecheck();
          await store.close();
          await jira.close();
          await simulator?.close();
          if (simulator) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
        })();
        return stopping;
      },
    };
    runtime.shared = createSharedSettings(runtime);
    if (options.control ?? true) {
      try {
        runtime.control = await startControlServer({
          engine: intake,
          shared: runtime.shared,
          info: {
            pid: process.pid, version: programVersion(), since: Date.now(), face: options.face ?? 'daemon',
            dataDir: store.dir, socket: await controlSocketPath(store.dir),
          },
          describe: () => ({
            demo: simulator !== null, jiraUrl: jira.baseUrl, listenAddress: socket?.address ?? null, remoteListen: settings.remoteListen,
            apiVersion: jira.apiVersion, warnings,
          }),
          onLog: log,
          onFlow: options.controlFlow,
        });
        const control = runtime.control;
        undo.push(() => control.close());
        log({ event: 'control', socket: control.path });
      } catch (error) {
        warn(`the control socket could not be opened, so apps cannot attach: ${(error as Error).message}`);
      }
    }
    return runtime;
  } catch (error) {
    await unwind();
    throw error;
  }
}
