// `jiraline link GUID KEY` and `jiraline unlink GUID`: link an alarm to a ticket that already
// exists (its later UPDATEs go there), or take the link back. When an engine runs on the data
// directory (the daemon, an app) the command asks it over the control socket, so the engine
// that sends the GUID's lines is the one that learns of the link. When none runs, the command
// opens the data directory itself (taking its lock for the moment it needs), with an engine
// that sends nothing of the queue, asks Jira, records the link and closes.
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { systemClock } from '../core/clock.js';
import { Engine } from '../core/engine.js';
import type { LinkResult } from '../core/engine-alarms.js';
import { jiraIdentity } from '../core/jira-identity.js';
import { neutralise } from '../core/safe-text.js';
import { lockHolder } from '../control/control-address.js';
import { connectToDataDir, NoEngineError } from '../control/remote-engine.js';
import { createJiraClient } from '../jira/index.js';
import { createSecretStore } from '../secrets/index.js';
import { openStore, StoreLockedError } from '../store/index.js';
import { processIo, type CommandIo } from './command-io.js';
import { resolveSettings } from './settings.js';

const usage = `Usage: jiraline link GUID KEY [--data-dir DIR] [--config FILE] [--jira-url URL]
       jiraline unlink GUID [--data-dir DIR] [--config FILE] [--jira-url URL]
  link: the alarm GUID's later UPDATEs (and a CREATE sent again) go to the ticket KEY, which
        must exist in Jira; it gets the label jiraline-GUID, as the tickets jiraline makes do.
  unlink: the GUID has no ticket any more (an UPDATE is refused, a CREATE makes a new one);
        the old ticket loses the label jiraline-GUID.
  A GUID with commands still waiting is refused: link it once they are done.
  Works against the engine running on the data directory (over its control socket), or on
  the data directory itself when no engine runs (the Jira URL and credentials as the daemon's).
`;

const options = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'jira-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Ask = { method: 'linkAlarm'; guid: string; key: string } | { method: 'unlinkAlarm'; guid: string };

/** Runs `jiraline link` (`unlink` when `which` says so); returns the exit code. */
export async function runLink(args: string[], which: 'link' | 'unlink' = 'link', io: CommandIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(which, args, options, true);
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const want = which === 'link' ? 2 : 1;
  if (positionals.length !== want) {
    throw new UsageError(`jiraline ${which}: expects ${which === 'link' ? 'GUID KEY' : 'GUID'} (see jiraline ${which} --help)`);
  }
  const ask: Ask = which === 'link'
    ? { method: 'linkAlarm', guid: positionals[0], key: positionals[1] }
    : { method: 'unlinkAlarm', guid: positionals[0] };
  const settings = resolveSettings({ config: values.config, 'data-dir': values['data-dir'], 'jira-url': values['jira-url'] }, io.env, 'daemon');
  const result = await viaEngine(settings.dataDir, ask) ?? await onDataDir(settings, ask, io);
  if (!result.ok) {
    io.stderr.write(`jiraline ${which}: ${neutralise(result.error)}\n`);
    return 1;
  }
  io.stdout.write(result.ticketKey === null
    ? `${result.guid} unlinked: its next UPDATE is refused until a CREATE or a link gives it a ticket\n`
    : `${result.guid} linked to ${neutralise(result.ticketKey)}${result.ticketStatus ? ` (${neutralise(result.ticketStatus)})` : ''} ${neutralise(result.ticketUrl ?? '')}\n`);
  return 0;
}

/** Asks the running engine; null when none runs there. */
async function viaEngine(dataDir: string, ask: Ask): Promise<LinkResult | null> {
  let connection;
  try {
    connection = await connectToDataDir(dataDir, 'jiraline link');
  } catch (error) {
    if (error instanceof NoEngineError && (await lockHolder(dataDir)) === null) return null;
    throw new Error(`${(error as Error).message}; try again in a moment`);
  }
  try {
    const params = ask.method === 'linkAlarm' ? { guid: ask.guid, ticketKey: ask.key } : { guid: ask.guid };
    return await connection.request<LinkResult>(ask.method, params);
  } finally {
    connection.close();
  }
}

/** No engine runs: open the data directory with an engine that is never started (nothing of the queue is sent). */
async function onDataDir(settings: ReturnType<typeof resolveSettings>, ask: Ask, io: CommandIo): Promise<LinkResult> {
  const url = settings.config.jira.url;
  if (url === null) throw new UsageError('no Jira URL: set --jira-url, JIRALINE_URL or jira.url in the config');
  const secrets = createSecretStore({ configDir: settings.configDir, env: io.env, keychain: 'auto' });
  const loaded = await secrets.load();
  const config = settings.config;
  const jira = createJiraClient({
    baseUrl: url, ticketLocation: config.jira.ticketLocation, credentials: loaded.credentials, credentialSource: loaded.source,
    caFile: config.jira.caFile, insecure: config.jira.insecure, bypassProxy: config.jira.bypassProxy, timeoutMs: config.jira.timeoutSeconds * 1000,
  });
  try {
    let store;
    try {
      store = await openStore({ dir: settings.dataDir, jira: jiraIdentity(url) });
    } catch (error) {
      if (error instanceof StoreLockedError) {
        const retry = await viaEngine(settings.dataDir, ask);
        if (retry) return retry;
      }
      throw error;
    }
    const engine = new Engine({ jira, store, clock: systemClock, config, credentialSource: () => loaded.source });
    try {
      return ask.method === 'linkAlarm' ? await engine.linkAlarm(ask.guid, ask.key) : await engine.unlinkAlarm(ask.guid);
    } finally {
      await engine.stop(0);
      await store.close();
    }
  } finally {
    await jira.close();
  }
}
