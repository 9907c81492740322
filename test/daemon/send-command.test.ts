// `jiraline send`: lines from arguments or stdin to the socket, each reply printed, exit 1
// on any ERR or when no engine listens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSend } from '../../source/daemon/send-command.js';
import { startSocketServer } from '../../source/daemon/socket-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { captureIo } from './helpers/capture-io.js';

/** Accepts lines whose action is CREATE, refuses the rest, as the engine would reply. */
const engine = {
  lines: [] as string[],
  async submitLine(line: string) {
    this.lines.push(line);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const [guid, action] = line.split('|');
    return action === 'CREATE' ? `OK ${guid} queued` : `ERR ${guid} unknown action '${action}'`;
  },
  status: () => null,
};

/** A loopback port the OS just handed out and released: usually free, but not certain. */
async function releasedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a connection to 127.0.0.1:port is refused (nothing listens there). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/**
 * A port where nothing listens: a released ephemeral port, checked to refuse; another
 * engineer's test may have taken it in between, so try again with another one.
 */
async function deadPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await releasedPort();
    if (await refused(port)) return port;
  }
  throw new Error('no loopback port that refuses connections in 20 tries');
}

test('send prints each reply in order; exit 0 when all are OK, 1 when any is ERR', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const server = await startSocketServer({ engine, listen: '127.0.0.1:0' });
  t.after(() => server.close(500));
  const env = { HOME: tmp.dir };

  const ok = captureIo(env);
  assert.equal(await runSend(['--listen', server.address, 'A|CREATE|summary;x|', 'B|CREATE|'], ok.io), 0);
  assert.equal(ok.out(), 'OK A queued\nOK B queued\n');

  const mixed = captureIo(env);
  assert.equal(await runSend(['--listen', server.address, 'C|CREATE|', 'D|DELETE|', 'E|CREATE|'], mixed.io), 1);
  assert.equal(mixed.out(), "OK C queued\nERR D unknown action 'DELETE'\nOK E queued\n");
});

test('without LINE arguments, send reads stdin one line per line (\\r\\n too, empty lines skipped)', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const server = await startSocketServer({ engine, listen: '127.0.0.1:0' });
  t.after(() => server.close(500));
  const many = Array.from({ length: 500 }, (_, i) => `S${i}|CREATE|`).join('\r\n');
  const io = captureIo({ HOME: tmp.dir, JIRALINE_LISTEN: server.address }, `${many}\n\nLAST|CREATE|`);
  assert.equal(await runSend([], io.io), 0);
  const replies = io.out().trimEnd().split('\n');
  assert.equal(replies.length, 501);
  assert.equal(replies[0], 'OK S0 queued');
  assert.equal(replies[500], 'OK LAST queued');
});

test('the socket token comes from --token or the config file', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const server = await startSocketServer({ engine, listen: '127.0.0.1:0', token: 'tok-123' });
  t.after(() => server.close(500));
  const config = join(tmp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ listen: server.address, socketToken: 'tok-123' }));

  const fromConfig = captureIo({ HOME: tmp.dir, JIRALINE_CONFIG: config });
  assert.equal(await runSend(['T1|CREATE|'], fromConfig.io), 0);
  assert.equal(fromConfig.out(), 'OK T1 queued\n', 'the AUTH exchange itself is not printed');

  const wrong = captureIo({ HOME: tmp.dir, JIRALINE_CONFIG: config });
  assert.equal(await runSend(['--token', 'nope', 'T2|CREATE|'], wrong.io), 1);
  assert.equal(wrong.out(), 'ERR - bad token\n');
});

test('with no engine listening, send says so and exits 1', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  const port = await deadPort();
  const io = captureIo({ HOME: tmp.dir });
  assert.equal(await runSend(['--listen', `127.0.0.1:${port}`, 'X|CREATE|'], io.io), 1);
  assert.equal(io.err(), `no jiraline engine at 127.0.0.1:${port} — start \`jiraline daemon\`\n`);
  assert.equal(io.out(), '');
});

test('send never prints control characters a reply carries (ESC, CR): the terminal cannot be driven', async (t) => {
  const tmp = await makeTempDir();
  t.after(() => tmp.cleanup());
  // A stranger on the port (or an older engine) answering with terminal escapes.
  const server = createServer((socket) => {
    socket.on('data', () => undefined);
    socket.on('end', () => socket.end('OK X \u001b[2J\u001b]0;owned\u0007 queued\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const io = captureIo({ HOME: tmp.dir });
  assert.equal(await runSend(['--listen', `127.0.0.1:${(server.address() as { port: number }).port}`, 'X|CREATE|'], io.io), 0);
  assert.equal(io.out(), 'OK X  [2J ]0;owned  queued \n');
});
