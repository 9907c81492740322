#!/usr/bin/env node
// The program's entry: parses the command word and hands the rest of argv to the
// face or tool that owns it. Each command lives in its own module, loaded on demand so
// that `jiraline send` does not pay for loading ink and react.
import { UsageError } from './cli-args.js';
import { ConfigError } from './core/config.js';
import { programVersion } from './version.js';

const version = programVersion();

const help = `jiraline ${version} — creates and updates Jira tickets

Usage:
  jiraline [tui] [options]        full-screen app; the engine and socket run inside it, or,
                                  when an engine already runs on the data directory, the
                                  app attaches to it
  jiraline daemon [options]       headless engine: socket, scheduler; JSON-lines log on stdout
  jiraline simulator [--listen HOST:PORT] [--mode cloud|datacenter]
                     [--user U --password P | --token T]
                                  the built-in Jira simulator, standalone
  jiraline send [--listen HOST:PORT] [--token T] LINE…
                                  send Advanced lines (or stdin, one a line) to a running
                                  engine, print each reply; exit 1 if any reply is ERR
  jiraline log [--json] [--limit N] [--status S] [--follow] [--data-dir DIR]
                                  print the log table from the data directory
  jiraline stats [--json] [--data-dir DIR]
                                  print the statistics
  jiraline retry LOGID | cancel LOGID [--json] [--data-dir DIR]
                                  retry a Failed log row, cancel a Pending one (asked of
                                  the running engine, or done in the data directory)
  jiraline status [--json] [--data-dir DIR]
                                  whether an engine runs there: pid, Jira's state, queue,
                                  throttle, sockets, attached apps (exit 0 running, 3 not)
  jiraline alarms [--json] [--state open|resolved|failed|pending] [--data-dir DIR]
                                  print every alarm (GUID) seen: its ticket and state
  jiraline link GUID KEY | unlink GUID   link an alarm to an existing ticket (its later
                                  UPDATEs go there), or take the link back
  jiraline responses [--json] [--limit N] [--guid G] [--data-dir DIR]
                                  print Jira's recorded answers (first 2 KB, secrets masked)
  jiraline auth set|show|clear    store, show (masked) or remove the credentials
  jiraline init                   set up for a Jira: URL, login, project and issue type
                                  (checked against Jira), config written, secret stored
  jiraline doctor [--json]        check Node.js, config, credentials, Jira, data directory
                                  and socket, and say what to do about each problem
  jiraline --help | --version

Options of tui and daemon (flags beat environment, environment beats the config file):
  --config FILE        JIRALINE_CONFIG     default $XDG_CONFIG_HOME/jiraline/config.json
  --data-dir DIR       JIRALINE_DATA_DIR   default $XDG_DATA_HOME/jiraline
  --listen HOST:PORT   JIRALINE_LISTEN     default 127.0.0.1:7465 (off disables)
  --jira-url URL       JIRALINE_URL        none: demo mode in the app, an error in the daemon
  --demo                                   run against an in-process simulator
  --allow-unauthenticated-remote           listen on an address other machines reach without
                                           a socketToken (refused otherwise)
Credentials: JIRALINE_USER + JIRALINE_PASSWORD, or JIRALINE_AUTH_KEY; else the keychain,
else credentials.json (0600) beside the config file.

Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad configuration.
`;

type Runner = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Runner>> = {
  tui: async () => (await import('./ui/run-app.js')).runApp,
  daemon: async () => (await import('./daemon/run-daemon.js')).runDaemon,
  simulator: async () => (await import('./simulator/run-simulator.js')).runSimulator,
  send: async () => (await import('./daemon/send-command.js')).runSend,
  log: async () => (await import('./daemon/log-command.js')).runLog,
  stats: async () => (await import('./daemon/stats-command.js')).runStats,
  status: async () => (await import('./control/status-command.js')).runStatus,
  alarms: async () => (await import('./daemon/alarms-command.js')).runAlarms,
  link: async () => async (args: string[]) => (await import('./daemon/link-command.js')).runLink(args, 'link'),
  unlink: async () => async (args: string[]) => (await import('./daemon/link-command.js')).runLink(args, 'unlink'),
  responses: async () => (await import('./daemon/responses-command.js')).runResponses,
  retry: async () => async (args: string[]) => (await import('./control/row-command.js')).runRowCommand('retry', args),
  cancel: async () => async (args: string[]) => (await import('./control/row-command.js')).runRowCommand('cancel', args),
  auth: async () => (await import('./secrets/auth-command.js')).runAuth,
  init: async () => async (args: string[]) => (await import('./daemon/init-command.js')).runInit(args),
  doctor: async () => async (args: string[]) => (await import('./daemon/doctor-command.js')).runDoctor(args),
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(help);
    return 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  // No command word, or options first: the full-screen app.
  if (first === undefined || first.startsWith('-')) return (await commands.tui())(argv);
  const load = commands[first];
  if (!load) throw new UsageError(`jiraline: unknown command '${first}' (see jiraline --help)`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`jiraline: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
