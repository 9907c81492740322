// `jiraline retry LOGID` and `jiraline cancel LOGID`: the Log pane's R and C from a shell.
// With an engine running on the data directory they are asked of it over its control socket
// (one engine per directory: it alone writes the store). With none, the store is opened here
// (taking its lock, bound to the configured Jira as the engine would be) and an engine that
// never starts does the work, so the next start sends a retry and never sends what was cancelled.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { Engine } from '../core/engine.js';
import type { RowActionResult } from '../core/engine-api.js';
import { jiraIdentity } from '../core/jira-identity.js';
import { oneLine } from '../core/safe-text.js';
import { processIo, type CommandIo } from '../daemon/command-io.js';
import { dataDirSource, hasEngineData, noEngineDataMessage } from '../daemon/engine-data.js';
import { existingDataDir, resolveSettings } from '../daemon/settings.js';
import { createJiraClient } from '../jira/index.js';
import { openStore } from '../store/index.js';
import { systemClock } from '../core/clock.js';
import { lockHolder } from './control-address.js';
import { connectToDataDir } from './remote-engine.js';

type Verb = 'retry' | 'cancel';

const usage = (verb: Verb) => `Usage: jiraline ${verb} LOGID [--json] [--data-dir DIR] [--config FILE] [--jira-url URL]
  ${verb === 'retry'
    ? 'Retries the Failed log row LOGID: its lines go to Jira again as a new command, on a new\n  row (a Manual row: its request is executed again; only with an engine running).'
    : 'Cancels the Pending log row LOGID: nothing more of it is sent, and the row says Cancelled\n  (a CREATE takes the updates waiting on it along). A row with Jira right now is refused.'}
  The row ids are in jiraline log --json ("id") and the Log pane (Enter on a row).
  Asked of the engine running on the data directory; with none, done in the directory
  itself (the next start acts on it). Exit 0 done, 1 refused (the reason on stderr), 2 bad usage.
  --json       {"ok": true|false, "message": …, "logId": …}
  --data-dir   the engine's data directory (default JIRALINE_DATA_DIR, else $XDG_DATA_HOME/jiraline)
  --config, --jira-url   read only when no engine runs: which Jira the directory serves (as
               for jiraline daemon; JIRALINE_CONFIG and JIRALINE_URL too)
`;

/** Runs `jiraline retry` or `jiraline cancel`; returns the exit code. */
export async function runRowCommand(verb: Verb, args: string[], io: CommandIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(verb, args, {
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    config: { type: 'string' },
    'jira-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    io.stdout.write(usage(verb));
    return 0;
  }
  if (positionals.length !== 1 || !/^\d{1,15}$/.test(positionals[0])) {
    throw new UsageError(`jiraline ${verb}: give one log row id (a whole number, as jiraline log --json shows it), e.g. jiraline ${verb} 42`);
  }
  const logId = Number(positionals[0]);
  const dir = existingDataDir(values['data-dir'], io.env);
  if (!hasEngineData(dir)) throw new UsageError(noEngineDataMessage(verb, dir, dataDirSource(values['data-dir'], io.env)));
  const result = (await lockHolder(dir)) !== null
    ? await viaEngine(dir, verb, logId)
    : await inDirectory(dir, verb, logId, { config: values.config, 'data-dir': values['data-dir'], 'jira-url': values['jira-url'] }, io.env);
  const message = oneLine(result.message, 2000);
  if (values.json) io.stdout.write(`${JSON.stringify({ ok: result.ok, message, logId: result.ok ? result.logId : null })}\n`);
  else if (result.ok) io.stdout.write(`${message}\n`);
  if (!result.ok && !values.json) io.stderr.write(`jiraline ${verb}: ${message}\n`);
  return result.ok ? 0 : 1;
}

async function viaEngine(dir: string, verb: Verb, logId: number): Promise<RowActionResult> {
  const connection = await connectToDataDir(dir, `jiraline-${verb}`);
  try {
    return await connection.request<RowActionResult>(verb === 'retry' ? 'retryRow' : 'cancelRow', { logId });
  } finally {
    connection.close();
  }
}

async function inDirectory(dir: string, verb: Verb, logId: number, flags: { config?: string; 'data-dir'?: string; 'jira-url'?: string },
  env: Record<string, string | undefined>): Promise<RowActionResult> {
  const settings = resolveSettings(flags, env, 'daemon');
  const { config } = settings;
  const url = config.jira.url as string; // the daemon face refuses a config without one
  // Never used to send (the engine is not started): it only tells which API version shapes values.
  const jira = createJiraClient({ baseUrl: url, ticketLocation: config.jira.ticketLocation, credentials: null, bypassProxy: true });
  const store = await openStore({ dir, jira: jiraIdentity(url) });
  const engine = new Engine({ jira, store, clock: systemClock, config });
  try {
    if (verb === 'retry' && store.getLog(logId)?.type === 'Manual') {
      return { ok: false, message: `log row ${logId} is a Manual Execute: retrying it sends it to Jira now, so it needs a running engine (start jiraline, then retry)` };
    }
    return verb === 'retry' ? await engine.retryRow(logId) : await engine.cancelRow(logId);
  } finally {
    await engine.stop(0);
    await store.close();
    await jira.close();
  }
}
