// `jiraline send [--listen HOST:PORT] [--token T] LINE…`: sends Advanced lines
// (the arguments, or stdin one a line) to a running engine's socket and prints each reply.
// Exit 1 if any reply is ERR, or if no engine answers.
// See docs/protocol.md#jiraline-send.
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parseCommandArgs, UsageError } from '../cli-args.js';
import { processIo, type CommandIo } from './command-io.js';
import { resolveSettings } from './settings.js';
import { parseHostPort } from '../core/host-port.js';
import { neutralise } from '../core/safe-text.js';

const usage = `Usage: jiraline send [--listen HOST:PORT] [--token T] [--config FILE] [LINE…]
  Sends Advanced lines to a running jiraline engine and prints each reply, in order.
  Without LINE, reads stdin, one line per line. Exit 1 if any reply is ERR.
  --listen   the engine's socket (default: JIRALINE_LISTEN, listen in the config, 127.0.0.1:7465)
  --token    the socket token (default: socketToken in the config)
`;

/** Where the engine listens and the token to present, from flags > env > config. */
function target(values: { listen?: string; token?: string; config?: string }, env: Record<string, string | undefined>) {
  const settings = resolveSettings({ config: values.config, listen: values.listen }, env, 'tui');
  if (settings.listen === 'off') {
    throw new UsageError(`jiraline send: the engine's socket is off (listen: off); give --listen HOST:PORT`);
  }
  return { listen: settings.listen, token: values.token ?? settings.config.socketToken };
}

/** Connects, or explains that nothing listens there. */
function open(listen: string): Promise<Socket> {
  const { host, port } = parseHostPort(listen);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, allowHalfOpen: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Runs `jiraline send`; returns the exit code. */
export async function runSend(args: string[], io: CommandIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs('send', args, {
    listen: { type: 'string' },
    token: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const { listen, token } = target(values, io.env);
  let socket: Socket;
  try {
    socket = await open(listen);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EHOSTUNREACH') {
      io.stderr.write(`no jiraline engine at ${listen} — start \`jiraline daemon\`\n`);
      return 1;
    }
    io.stderr.write(`jiraline send: cannot connect to ${listen}: ${(error as Error).message}\n`);
    return 1;
  }

  let sent = 0;
  let replies = 0;
  let errors = 0;
  let authFailed = false;
  let expectAuth = token !== null && token !== undefined;
  let rest = '';
  const done = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
  });
  let failure: string | null = null;
  socket.on('error', (error) => {
    failure = error.message;
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const reply of lines) {
      if (expectAuth) {
        expectAuth = false;
        // The AUTH reply is ours, not the user's; only a refusal is worth showing.
        if (reply.startsWith('OK')) continue;
        authFailed = true;
      } else {
        replies += 1;
      }
      if (reply.startsWith('ERR')) errors += 1;
      // The engine neutralises its replies; a stranger on that port may not: no ESC or CR reaches the terminal.
      io.stdout.write(`${neutralise(reply)}\n`);
    }
  });

  const write = (text: string) => new Promise<void>((resolve) => {
    if (socket.write(text)) resolve();
    else socket.once('drain', resolve);
  });
  if (expectAuth) await write(`AUTH ${token}\n`);
  // The server answers every non-empty line; empty lines get no reply, so they are not sent.
  const send = async (line: string) => {
    const clean = line.replace(/\r$/, '');
    if (clean === '' || socket.destroyed) return;
    sent += 1;
    await write(`${clean}\n`);
  };
  if (positionals.length > 0) {
    for (const arg of positionals) for (const line of arg.split('\n')) await send(line);
  } else {
    const input = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of input) await send(line);
  }
  // Half-close: the engine answers what it has, then closes (docs/protocol.md#framing).
  socket.end();
  await done;
  if (!authFailed && replies < sent) {
    io.stderr.write(`jiraline send: the engine closed the connection after ${replies} of ${sent} replies${failure ? ` (${failure})` : ''}\n`);
    return 1;
  }
  return errors > 0 || authFailed ? 1 : 0;
}
