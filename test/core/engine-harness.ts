// Builds an engine for a test: a FakeClock, a scripted FakeJira (or a given JiraPort), and
// the REAL store on a temp directory. Everything it starts is stopped by `close()`.
import type { TestContext } from 'node:test';
import { defaultConfig, type Config } from '../../source/core/config.js';
import { Engine } from '../../source/core/engine.js';
import type { EngineEvent } from '../../source/core/engine-api.js';
import type { CredentialSource, JiraPort } from '../../source/core/ports.js';
import { openStore, type Store } from '../../source/store/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeJira } from '../helpers/fake-jira.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

/** Overrides of the parts of the config the engine reads. */
export interface ConfigOverrides {
  jira?: Partial<Config['jira']>;
  updates?: Partial<Config['updates']>;
  log?: Partial<Config['log']>;
  queue?: Partial<Config['queue']>;
  alarms?: Partial<Config['alarms']>;
  template?: Config['template'];
}

/** Options of a test engine. */
export interface HarnessOptions {
  config?: ConfigOverrides;
  /** Where the runtime says the credentials came from (the hint on a 401/403 names it). */
  credentialSource?: CredentialSource;
  /** Jitter source; default 0 (no stretch) so that schedules are exact. */
  random?: () => number;
  /** Store Jira's field catalogue before the engine starts (default true): lines are checked at once. */
  catalogue?: boolean;
  /** Reuse this data directory (a restart); default a new temp dir. */
  temp?: TempDir;
  clock?: FakeClock;
  jira?: FakeJira;
  /** Another JiraPort (e.g. the real client against the simulator). */
  port?: JiraPort;
  /** Wrap the store (e.g. to make commits fail). */
  wrapStore?: (store: Store) => Store;
  /** Do not call start(). */
  noStart?: boolean;
}

/** A running test engine and what it is made of. */
export interface Harness {
  engine: Engine;
  jira: FakeJira;
  store: Store;
  clock: FakeClock;
  temp: TempDir;
  events: EngineEvent[];
  config: Config;
  /** Submits lines concurrently and returns the replies in order. */
  send(...lines: string[]): Promise<string[]>;
  /** Stops the engine and closes the store (the temp dir stays: see `cleanup`). */
  close(): Promise<void>;
}

const sharers = new Map<string, Array<() => Promise<void>>>();

/** The config of a test, with overrides. */
export function testConfig(overrides: ConfigOverrides = {}): Config {
  const base = defaultConfig();
  return {
    ...base,
    // The pacer is not under test in most files: ceilings no test reaches (pacer tests set their own).
    jira: { ...base.jira, url: 'https://jira.example.test', maxRequestsPerSecond: 10_000, maxConcurrent: 1024, ...overrides.jira },
    updates: { ...base.updates, ...overrides.updates },
    log: { ...base.log, ...overrides.log },
    queue: { ...base.queue, ...overrides.queue },
    alarms: { ...base.alarms, ...overrides.alarms },
    template: overrides.template ?? [
      { field: 'project', value: 'OPS', mode: 'Include' },
      { field: 'issuetype', value: 'Incident', mode: 'Include' },
    ],
  };
}

/** Builds (and starts) an engine; registers close + temp cleanup on the test context. */
export async function harness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const temp = options.temp ?? await makeTempDir();
  const clock = options.clock ?? new FakeClock();
  const jira = options.jira ?? new FakeJira(clock);
  const raw = await openStore({ dir: temp.dir });
  const store = options.wrapStore ? options.wrapStore(raw) : raw;
  if (options.catalogue !== false && raw.getMeta('catalogue') === undefined) {
    raw.setMeta('catalogue', JSON.stringify(jira.fieldDefs));
    raw.setMeta('serverInfo', JSON.stringify({ deploymentType: 'Server', version: '9.12.0', baseUrl: jira.baseUrl }));
    await raw.commit();
  }
  const config = testConfig(options.config);
  const engine = new Engine({ jira: options.port ?? jira, store, clock, config, random: options.random ?? (() => 0),
    ...(options.credentialSource ? { credentialSource: () => options.credentialSource! } : {}) });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const stopped = engine.stop(0);
    await clock.advance(0);
    await stopped;
    await raw.close();
  };
  // Every engine on the directory (a restart shares it) stops before the directory goes.
  // The first harness on a directory (a new one, or a crash copy handed in) owns its removal.
  const firstOnDir = !sharers.has(temp.dir);
  const closers = sharers.get(temp.dir) ?? [];
  closers.push(close);
  sharers.set(temp.dir, closers);
  if (firstOnDir) {
    t.after(async () => {
      for (const c of [...closers].reverse()) await c();
      sharers.delete(temp.dir);
      await temp.cleanup();
    });
  }
  if (!options.noStart) {
    await engine.start();
    await engine.whenIdle();
  }
  return {
    engine, jira, store, clock, temp, events, config, close,
    send: (...lines) => Promise.all(lines.map((l) => engine.submitLine(l))),
  };
}

/** Runs the engine until nothing is due, moving fake time forward by `ms` in steps of `step`. */
export async function runFor(h: Harness, ms: number, step = 1000): Promise<void> {
  await h.engine.whenIdle();
  for (let passed = 0; passed < ms; passed += step) {
    await h.clock.advance(Math.min(step, ms - passed));
    await h.engine.whenIdle();
  }
}

/** Seconds since `start` of each call of a FakeJira method. */
export function callTimes(h: Harness, method: Parameters<FakeJira['callsOf']>[0], start: number): number[] {
  return h.jira.callsOf(method).map((c) => (c.at - start) / 1000);
}

/** Waits (real time, for I/O such as a commit) until `cond` holds; fails after 10 s. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}
