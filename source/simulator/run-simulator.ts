// `jiraline simulator`: the built-in Jira simulator, standalone, until SIGINT/SIGTERM.
// It prints the URL it serves and the credentials it expects — never a password or token.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { splitHostPort } from '../core/host-port.js';
import { hostileModes, type HostileMode } from './hostile.js';
import { startSimulator } from './index.js';
import type { FailureStatus, SimulatorFaults, SimulatorOptions, SimulatorRateLimits } from './types.js';

const usage = `Usage: jiraline simulator [--listen HOST:PORT] [--mode cloud|datacenter]
                          [--user U --password P | --token T]
                          [--failure-rate F] [--failure-status S[,S…]] [--failure-writes-only]
                          [--latency MS] [--dc-rate-limit N | CAP,FILL,SECONDS]
                          [--burst-limit N] [--issue-write-limit N] [--max-concurrent N]
                          [--late-write-ms MS] [--write-after-timeout-rate F]
                          [--write-after-timeout-delay-ms MS] [--drop-comment-properties]
                          [--hostile MODE [--hostile-creates-only]]
  --listen HOST:PORT   where to serve (default 127.0.0.1:8080; port 0 picks a free one)
  --mode               cloud or datacenter (default datacenter)
  --user, --password   require HTTP Basic with these credentials
  --token              require "Authorization: Bearer <token>"
  --failure-rate F     answer this share of requests (0..1) with 503 and Retry-After
  --failure-status S   status of those failures: 503 (default), 429, 500, 502, 504, or a list
  --failure-writes-only  inject failures into writes only (an injected 429 then names the
                       per-issue write limit, as Jira Cloud does)
  --latency MS         add this delay to every answer
  --late-write-ms MS   make each write (create, edit, comment, transition) at once
                       but answer it MS later, as a Jira under load does
  --write-after-timeout-rate F
                       make this share of writes (0..1) only after the client
                       gave up waiting (closed the connection), as behind a
                       gateway that answers 504 while Jira goes on
  --write-after-timeout-delay-ms MS
                       make those writes MS after the client gave up (default
                       at once), as a Jira that goes on working that long
  --drop-comment-properties
                       keep no comment properties (a Jira that ignores them)
  --dc-rate-limit      Data Center's rate limiting: a token bucket of N tokens refilled N a
                       second (or CAP tokens, FILL every SECONDS); X-RateLimit-* on every answer,
                       429 + Retry-After when empty
  --burst-limit N      Jira Cloud's burst limit: N requests a second per endpoint and method
                       (429, RateLimit-Reason jira-burst-based, X-RateLimit-NearLimit)
  --issue-write-limit N  Jira Cloud's per-issue write limit: N writes a second to one issue
  --max-concurrent N   refuse (429) a request beyond N being answered at once
  --hostile MODE       answer like a broken Jira or proxy, to try a client against it:
                       drip (one byte every 5 s), huge (100 MiB answers), html (a 503
                       page of 300 KB of '<'), cut (answers cut in half), bad-key (a
                       create answers a key with newlines), echo-credentials (a 400
                       whose message repeats the credentials)
  --hostile-creates-only  only creates (POST …/issue) get the hostile answer
Without --user/--token any credentials (or none) are accepted.
`;

const options = {
  listen: { type: 'string' },
  mode: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'failure-rate': { type: 'string' },
  latency: { type: 'string' },
  'late-write-ms': { type: 'string' },
  'write-after-timeout-rate': { type: 'string' },
  'drop-comment-properties': { type: 'boolean' },
  'write-after-timeout-delay-ms': { type: 'string' },
  'failure-status': { type: 'string' },
  'failure-writes-only': { type: 'boolean' },
  'dc-rate-limit': { type: 'string' },
  'burst-limit': { type: 'string' },
  'issue-write-limit': { type: 'string' },
  'max-concurrent': { type: 'string' },
  hostile: { type: 'string' },
  'hostile-creates-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Splits HOST:PORT (IPv6 as [::1]:PORT); throws a UsageError naming --listen. */
export function parseListen(value: string): { host: string; port: number } {
  const parts = splitHostPort(value);
  if (!parts) throw new UsageError(`jiraline simulator: --listen must be HOST:PORT (e.g. 127.0.0.1:8080), got '${value}'`);
  return parts;
}

function number(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`jiraline simulator: --${flag} must be a number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

/** Parses the simulator's flags into start options (UsageError on a mistake). */
export function simulatorOptions(args: string[]): SimulatorOptions | 'help' {
  const { values } = parseCommandArgs('simulator', args, options);
  if (values.help) return 'help';
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8080');
  const mode = values.mode ?? 'datacenter';
  if (mode !== 'cloud' && mode !== 'datacenter') throw new UsageError(`jiraline simulator: --mode must be cloud or datacenter, got '${mode}'`);
  if (values.token !== undefined && (values.user !== undefined || values.password !== undefined)) {
    throw new UsageError('jiraline simulator: give either --user and --password, or --token, not both');
  }
  if ((values.user === undefined) !== (values.password === undefined)) {
    throw new UsageError('jiraline simulator: --user and --password go together');
  }
  if (values.token === '') throw new UsageError('jiraline simulator: --token must not be empty');
  const auth = values.token !== undefined ? { token: values.token }
    : values.user !== undefined ? { user: values.user, password: values.password! } : null;
  const failureRate = number('failure-rate', values['failure-rate'], 0, 1);
  const latencyMs = number('latency', values.latency, 0, 600_000);
  const lateWriteMs = number('late-write-ms', values['late-write-ms'], 0, 600_000);
  const writeAfterTimeoutRate = number('write-after-timeout-rate', values['write-after-timeout-rate'], 0, 1);
  const writeAfterTimeoutDelayMs = number('write-after-timeout-delay-ms', values['write-after-timeout-delay-ms'], 0, 600_000);
  const faults: SimulatorFaults = {
    ...(failureRate !== undefined ? { failureRate } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(lateWriteMs !== undefined ? { lateWriteMs } : {}), ...(writeAfterTimeoutRate !== undefined ? { writeAfterTimeoutRate } : {}),
    ...(writeAfterTimeoutDelayMs !== undefined ? { writeAfterTimeoutDelayMs } : {}),
    ...(values['drop-comment-properties'] ? { dropCommentProperties: true } : {}),
  };
  if (values['failure-status'] !== undefined) faults.failureStatus = failureStatuses(values['failure-status']);
  if (values['failure-writes-only']) faults.failureWritesOnly = true;
  const rateLimits: SimulatorRateLimits = {};
  if (values['dc-rate-limit'] !== undefined) rateLimits.dataCenter = dcBucket(values['dc-rate-limit']);
  const burst = number('burst-limit', values['burst-limit'], 1, 100_000);
  if (burst !== undefined) rateLimits.burstPerSecond = burst;
  const issueWrites = number('issue-write-limit', values['issue-write-limit'], 1, 100_000);
  if (issueWrites !== undefined) rateLimits.issueWritesPerSecond = issueWrites;
  const concurrent = number('max-concurrent', values['max-concurrent'], 1, 100_000);
  if (concurrent !== undefined) rateLimits.maxConcurrent = concurrent;
  if (Object.keys(rateLimits).length > 0) faults.rateLimits = rateLimits;
  const hostile = values.hostile;
  if (hostile !== undefined && !hostileModes.includes(hostile as HostileMode)) {
    throw new UsageError(`jiraline simulator: --hostile must be one of ${hostileModes.join(', ')}, got '${hostile}'`);
  }
  if (values['hostile-creates-only'] && hostile === undefined) throw new UsageError('jiraline simulator: --hostile-creates-only goes with --hostile MODE');
  if (hostile !== undefined) faults.hostile = { mode: hostile as HostileMode, ...(values['hostile-creates-only'] ? { createsOnly: true } : {}) };
  return { host, port, mode, auth, faults };
}

function failureStatuses(raw: string): FailureStatus[] {
  const allowed = [503, 429, 500, 502, 504];
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !allowed.includes(n))) {
    throw new UsageError(`jiraline simulator: --failure-status must be one or more of 503, 429, 500, 502, 504 (comma-separated), got '${raw}'`);
  }
  return list as FailureStatus[];
}

function dcBucket(raw: string): NonNullable<SimulatorRateLimits['dataCenter']> {
  const parts = raw.split(',').map((s) => s.trim());
  const bad = () => new UsageError(`jiraline simulator: --dc-rate-limit must be N (requests a second) or CAPACITY,FILL,SECONDS, got '${raw}'`);
  const n = parts.map(Number);
  if ((parts.length !== 1 && parts.length !== 3) || n.some((x, i) => !Number.isFinite(x) || parts[i] === '' || x < 1 || x > 100_000)) throw bad();
  return parts.length === 1 ? { capacity: n[0], fillRate: n[0], intervalSeconds: 1 } : { capacity: n[0], fillRate: n[1], intervalSeconds: n[2] };
}

/** Runs the simulator until SIGINT/SIGTERM; returns the exit code. */
export async function runSimulator(args: string[]): Promise<number> {
  const opts = simulatorOptions(args);
  if (opts === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const sim = await startSimulator(opts);
  const auth = opts.auth;
  const who = !auth ? 'none required (any credentials are accepted)'
    : 'token' in auth ? 'Authorization: Bearer <token> (token set)'
      : `HTTP Basic, user '${auth.user}' (password set)`;
  const curlAuth = !auth ? '' : 'token' in auth ? `-H 'Authorization: Bearer TOKEN' ` : `-u '${auth.user}:PASSWORD' `;
  const faults = [
    opts.faults?.failureRate !== undefined ? `failure rate ${opts.faults.failureRate} (${String(opts.faults.failureStatus ?? 503)})` : '',
    opts.faults?.latencyMs !== undefined ? `latency ${opts.faults.latencyMs} ms` : '',
    opts.faults?.lateWriteMs !== undefined ? `writes answered ${opts.faults.lateWriteMs} ms after they were made` : '',
    opts.faults?.writeAfterTimeoutRate !== undefined ? `${opts.faults.writeAfterTimeoutRate} of writes made only after the client gave up`
      + (opts.faults.writeAfterTimeoutDelayMs ? ` (${opts.faults.writeAfterTimeoutDelayMs} ms after)` : '') : '',
    opts.faults?.dropCommentProperties ? 'comment properties dropped' : '',
    opts.faults?.rateLimits ? `rate limits ${JSON.stringify(opts.faults.rateLimits)}` : '',
    opts.faults?.hostile !== undefined ? `hostile: ${opts.faults.hostile.mode}${opts.faults.hostile.createsOnly ? ' (creates only)' : ''}` : '',
  ].filter(Boolean).join(', ');
  process.stdout.write(
    `jiraline simulator: a Jira ${sim.mode === 'cloud' ? 'Cloud' : 'Data Center'} listening on ${sim.url}\n`
    + `  credentials: ${who}\n`
    + (faults ? `  faults: ${faults}\n` : '')
    + `  projects OPS and DEMO; try:\n`
    + `  curl ${curlAuth}-H 'Content-Type: application/json' -d '{"fields":{"project":{"key":"OPS"},"issuetype":{"name":"Task"},"summary":"Hello"}}' ${sim.url}/rest/api/2/issue\n`
    + `Press Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  process.stdout.write('jiraline simulator: stopped\n');
  return 0;
}
