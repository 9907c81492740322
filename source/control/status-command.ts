// `jiraline status [--json] [--data-dir DIR]`: whether an engine runs on a data directory
// and how it is doing, asked over its control socket. Exit codes as `systemctl status`:
// 0 running, 3 not running, 2 bad usage. Everything that came from Jira (a display name,
// an error) is stripped of control characters before it reaches the terminal.
import { parseCommandArgs } from '../cli-args.js';
import type { CommandIo } from '../daemon/command-io.js';
import { processIo } from '../daemon/command-io.js';
import { existingDataDir } from '../daemon/settings.js';
import { dataDirSource, hasEngineData, POINT_ELSEWHERE } from '../daemon/engine-data.js';
import { lockHolder, readControlRecord } from './control-address.js';
import { STATUS_CLIENT, type EngineStatusReport, type WireSnapshot } from './control-protocol.js';
import { isLoopbackHost, splitHostPort } from '../core/host-port.js';
import { connectToDataDir } from './remote-engine.js';

const usage = `Usage: jiraline status [--json] [--data-dir DIR]
  Whether an engine (the daemon, or the app) runs on the data directory: its pid, version
  and start, Jira's state, the queue, the throttle, its sockets and the apps attached.
  Exit 0 running, 3 not running, 2 bad usage.
  --json       one JSON object: {"running": true, "pid": …, "jira": {…}, "queueDepth": …, …}
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else
               $XDG_DATA_HOME/jiraline)
`;

/** Exit code when no engine runs there (as systemctl status). */
export const NOT_RUNNING = 3;

/** Text from another process or from Jira, safe to print: no control characters, bounded. */
function printable(value: unknown, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const text = String(value ?? '').replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Jira's state as one object (for --json) and one phrase. */
function jiraState(report: EngineStatusReport): { json: Record<string, unknown>; text: string } {
  const s = report.snapshot;
  const c = s.connection;
  const json: Record<string, unknown> = { url: report.jiraUrl, demo: report.demo, state: c.state, paused: s.paused };
  let text: string;
  if (c.state === 'ok') {
    json.user = printable(c.user.displayName);
    json.server = { deploymentType: c.serverInfo.deploymentType, version: printable(c.serverInfo.version, 40) };
    text = `connected as ${json.user as string} (${c.serverInfo.deploymentType} ${printable(c.serverInfo.version, 40)})`;
  } else if (c.state === 'down' || c.state === 'auth-refused') {
    json.error = printable(c.error);
    text = `${c.state === 'down' ? 'down' : 'credentials refused'}: ${json.error as string}`;
  } else {
    text = c.state === 'checking' ? 'checking…' : 'not checked yet';
  }
  if (s.paused) text += '; the queue is paused (401/403) until the credentials change';
  // How fast Jira is being paced, and whether Jira's rate limit or our ceiling sets it.
  const p = s.pacing as Partial<EngineStatusReport['snapshot']['pacing']> | undefined;
  if (p && typeof p.perSecond === 'number') {
    json.pacing = p;
    const pausedUntil = typeof p.pausedUntil === 'number' && p.pausedUntil > Date.now() ? `, paused by Jira until ${new Date(p.pausedUntil).toISOString()}` : '';
    text += `; pacing ${Number(p.perSecond.toFixed(2))} req/s, ${Number(p.concurrent)} at once (${p.limitedByJira ? 'Jira\'s rate limit' : 'the configured ceiling'}), ${Number(p.waiting)} waiting${pausedUntil}`;
  }
  return { json, text };
}

/**
 * Who can reach the Advanced socket, in words, as the daemon log and the app say at start:
 * null when only this machine can. An engine too old to report its guard is judged by its
 * address alone.
 */
export function remoteSocketWords(listenAddress: string | null, remoteListen: EngineStatusReport['remoteListen']): string | null {
  if (remoteListen === null) return null;
  if (remoteListen === undefined) {
    const hostPort = listenAddress === null ? null : splitHostPort(listenAddress);
    if (hostPort === null || isLoopbackHost(hostPort.host)) return null;
  }
  const where = `the Advanced socket ${printable(listenAddress ?? '-', 80)} is reachable from other machines`;
  if (remoteListen === 'token') return `${where}; each connection must send AUTH with the socketToken first`;
  if (remoteListen === 'unauthenticated') return `${where} WITHOUT a socketToken (--allow-unauthenticated-remote): anyone who reaches it files tickets with these Jira credentials`;
  return `${where} (this engine does not say whether a socketToken guards it)`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

/** Runs `jiraline status`; returns the exit code. */
export async function runStatus(args: string[], io: CommandIo = processIo(), now: () => number = Date.now): Promise<number> {
  const { values } = parseCommandArgs('status', args, {
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const dataDir = existingDataDir(values['data-dir'], io.env);
  const pid = await lockHolder(dataDir);
  if (pid === null) {
    const engineData = hasEngineData(dataDir);
    if (values.json) io.stdout.write(`${JSON.stringify({ running: false, dataDir, engineData })}\n`);
    else if (engineData) io.stdout.write(`no jiraline engine runs on ${dataDir}\n`);
    else io.stdout.write(`no jiraline engine runs on ${dataDir} (${dataDirSource(values['data-dir'], io.env)}), and none has: no engine data there — ${POINT_ELSEWHERE}\n`);
    return NOT_RUNNING;
  }
  let report: EngineStatusReport;
  try {
    const connection = await connectToDataDir(dataDir, STATUS_CLIENT);
    try {
      report = await connection.request<EngineStatusReport>('engineStatus');
    } finally {
      connection.close();
    }
  } catch (error) {
    // It runs (it holds the lock) but does not answer: an older jiraline, or still starting.
    const record = await readControlRecord(dataDir);
    const why = printable((error as Error).message);
    if (values.json) io.stdout.write(`${JSON.stringify({ running: true, pid, dataDir, socket: record?.socket ?? null, error: why })}\n`);
    else io.stdout.write(`jiraline engine pid ${pid} runs on ${dataDir}, but its control socket does not answer: ${why}\n`);
    return 0;
  }
  const { engine, snapshot: s } = report;
  const jira = jiraState(report);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({
      running: true, pid: engine.pid, version: engine.version, since: new Date(engine.since).toISOString(), face: engine.face,
      dataDir: engine.dataDir, socket: engine.socket, listen: report.listenAddress,
      remoteListen: report.remoteListen ?? null, listenWarning: remoteSocketWords(report.listenAddress, report.remoteListen),
      jira: jira.json, queueDepth: s.queueDepth, throttle: s.throttle, logCount: s.logCount, exactlyOnce: s.exactlyOnce ?? null,
      attached: report.clients.map((c) => ({ client: printable(c.client, 64), pid: c.pid, since: new Date(c.since).toISOString() })),
    })}\n`);
    return 0;
  }
  const t = s.throttle;
  const apps = report.clients.length === 0 ? 'none'
    : `${report.clients.length} (${report.clients.map((c) => (c.pid === null ? printable(c.client, 64) : `pid ${c.pid}`)).join(', ')})`;
  const remote = remoteSocketWords(report.listenAddress, report.remoteListen);
  io.stdout.write([
    `jiraline engine running on ${engine.dataDir}`,
    `  pid       ${engine.pid} (${engine.face}, jiraline ${printable(engine.version, 40)}), since ${new Date(engine.since).toISOString()} (${ago(now() - engine.since)})`,
    `  Jira      ${report.demo ? 'DEMO (built-in simulator)' : printable(report.jiraUrl ?? '-')}: ${jira.text}`,
    `  queue     ${s.queueDepth} command${s.queueDepth === 1 ? '' : 's'} waiting; throttle ${t.used}/${t.max} per ${t.intervalSeconds}s${exactlyOnceText(s)}`,
    `  sockets   Advanced lines ${report.listenAddress ?? 'off'}; control ${engine.socket}`,
    ...(remote === null ? [] : [`  WARNING   ${remote}`]),
    `  attached  ${apps}`,
    '',
  ].join('\n'));
  return 0;
}

/** CREATEs settling and duplicates repaired, when there are any (an older engine sends neither). */
function exactlyOnceText(s: WireSnapshot): string {
  const e = s.exactlyOnce as WireSnapshot['exactlyOnce'] | undefined;
  if (!e) return '';
  const parts = [
    e.settling > 0 ? `${e.settling} CREATE${e.settling === 1 ? '' : 's'} settling (answer lost; looked up before sending again)` : '',
    e.duplicatesRepaired > 0 ? `${e.duplicatesRepaired} duplicate${e.duplicatesRepaired === 1 ? '' : 's'} repaired` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}
