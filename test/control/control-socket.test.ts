// The control socket as a hostile or careless client meets it: only the owner can connect
// (file modes), a malformed message gets a clear error and the engine keeps serving, a
// client that never reads cannot make the engine hold more than a bounded buffer, and a
// data directory too deep for a socket path gets one under $XDG_RUNTIME_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { controlSocketPath, readControlRecord } from '../../source/control/control-address.js';
import { connectControl } from '../../source/control/control-client.js';
import { PAUSE_READING_BYTES, type ControlFlowEvent } from '../../source/control/control-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-until.js';
import { startEngineHost } from './attach-helpers.js';

/** A raw client: lines written as given, replies collected as parsed JSON. */
async function raw(path: string): Promise<{ socket: Socket; got: Array<Record<string, unknown>>; closed: () => boolean }> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const got: Array<Record<string, unknown>> = [];
  let rest = '';
  let isClosed = false;
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) got.push(JSON.parse(line) as Record<string, unknown>);
  });
  socket.on('close', () => (isClosed = true));
  socket.on('error', () => undefined);
  return { socket, got, closed: () => isClosed };
}

/** A raw client that has said `hello` and been answered (updates may follow the answer under load). */
async function greeted(path: string, hello = '{"type":"hello","version":1}'): Promise<Awaited<ReturnType<typeof raw>>> {
  const c = await raw(path);
  c.socket.write(`${hello}\n`);
  await waitUntil(() => c.got.length >= 1, 'hello');
  return c;
}

test('the socket and its record are the owner\'s only (0600), and another user cannot connect', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const record = await readControlRecord(host.dataDir);
  assert.ok(record, 'the engine records where its socket is');
  assert.equal(record.pid, process.pid);
  assert.equal(record.face, 'daemon');
  const path = record.socket;
  assert.equal(path, join(host.dataDir, 'jiraline.sock'));
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.equal((await stat(join(host.dataDir, 'jiraline.control.json'))).mode & 0o777, 0o600);
  assert.equal((await stat(host.dataDir)).mode & 0o777, 0o700);
  if (process.getuid?.() === 0) {
    // Even with the directories opened up (a data directory shared on purpose), the socket's
    // own mode keeps another user out.
    await chmod(host.tmp.dir, 0o755);
    await chmod(host.dataDir, 0o755);
    const script = `const s=require('node:net').connect(${JSON.stringify(path)});s.on('connect',()=>{console.log('connected');process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
    const other = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.equal(other.stdout.trim(), 'EACCES');
  }
});

test('a malformed message gets a clear error; the connection and the engine go on', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const path = host.runtime.control?.path as string;

  const early = await raw(path);
  early.socket.write('{"type":"request","id":1,"method":"countLog"}\n');
  await waitUntil(() => early.closed(), 'a request before hello closes');
  assert.match(String(early.got[0]?.error), /expected a hello first/);

  const old = await raw(path);
  old.socket.write('{"type":"hello","version":99}\n');
  await waitUntil(() => old.closed(), 'a wrong version closes');
  assert.match(String(old.got[0]?.error), /protocol version 99 .* speaks 1/);

  const c = await greeted(path);
  assert.equal(c.got[0].type, 'hello');
  c.socket.write('this is not json\n');
  c.socket.write('[1,2]\n');
  c.socket.write('{"type":"request","id":"x"}\n');
  c.socket.write('{"type":"request","id":7,"method":"nope"}\n');
  c.socket.write('{"type":"request","id":8,"method":"queryLog","params":{"limit":-1}}\n');
  c.socket.write('{"type":"request","id":9,"method":"submitLine","params":{"line":"G1|CREATE|summary;x|"}}\n');
  // Updates (the engine's snapshot, pushed) come in between; the answers are the rest.
  const answersOf = () => c.got.filter((m) => m.type !== 'update').slice(1);
  await waitUntil(() => answersOf().length >= 6, 'six answers');
  const answers = answersOf();
  assert.match(String(answers[0].error), /malformed message: expected one JSON object per line/);
  assert.match(String(answers[1].error), /malformed message/);
  assert.match(String(answers[2].error), /malformed request/);
  assert.deepEqual(answers[3], { type: 'reply', id: 7, ok: false, error: "unknown method 'nope'" });
  assert.match(String(answers[4].error), /limit: expected a whole number/);
  assert.deepEqual(answers[5], { type: 'reply', id: 9, ok: true, result: 'OK G1 queued' });
  assert.equal(c.closed(), false);
  c.socket.destroy();
  // The engine still takes lines.
  assert.equal(await host.runtime.engine.submitLine('G2|CREATE|summary;y|'), 'OK G2 queued');
});

test('a client that never reads: the engine stops reading it and holds a bounded buffer', async (t) => {
  const held: ControlFlowEvent[] = [];
  const host = await startEngineHost({}, { controlFlow: (event) => held.push(event) });
  t.after(() => host.close());
  for (let i = 0; i < 200; i += 1) await host.runtime.engine.submitLine(`N${i}|CREATE|summary;${'x'.repeat(200)}|`);
  const path = host.runtime.control?.path as string;
  // Updates follow the hello as the 200 CREATEs go out: wait for the hello, not for one message.
  const c = await greeted(path);
  assert.equal(c.got[0].type, 'hello');
  c.socket.pause();
  // 20,000 requests for 200 rows each (~100 MB of answers were they all made).
  const request = (id: number) => `{"type":"request","id":${id},"method":"queryLog","params":{"limit":200}}\n`;
  let batch = '';
  for (let id = 1; id <= 20_000; id += 1) batch += request(id);
  c.socket.write(batch);
  // The engine works through what it can, then holds the client: read no further and none of
  // its requests being worked on, so nothing more is written to it until it reads.
  await waitUntil(() => held.length >= 1, 'the engine to hold the client that does not read');
  assert.ok(held[0].waiting > 0, 'requests are left unread');
  const buffered = host.runtime.control?.buffered() ?? [];
  assert.equal(buffered.length, 1);
  assert.ok(buffered[0] <= held[0].buffered, 'nothing more written to it since it was held');
  // At most the pause threshold plus the replies of the requests in flight when it was reached.
  assert.ok(buffered[0] < PAUSE_READING_BYTES + 64 * 120_000, `buffered ${buffered[0]} bytes`);
  // Meanwhile another app is served at once.
  const other = await connectControl(path);
  assert.equal(await other.request('countLog', {}), 200);
  other.close();
  c.socket.destroy();
});

test('a data directory too deep for a socket path gets one under $XDG_RUNTIME_DIR', async (t) => {
  const tmp = await makeTempDir('jl-deep-');
  t.after(() => tmp.cleanup());
  const deep = join(tmp.dir, 'a'.repeat(60), 'b'.repeat(60));
  await mkdir(deep, { recursive: true });
  const runtimeDir = join(tmp.dir, 'run');
  const path = await controlSocketPath(deep, { XDG_RUNTIME_DIR: runtimeDir });
  assert.ok(path.startsWith(`${runtimeDir}/jiraline-`), path);
  assert.ok(Buffer.byteLength(path) <= 107);
  assert.equal(await controlSocketPath(deep, { XDG_RUNTIME_DIR: runtimeDir }), path, 'the same directory, the same socket');
  assert.equal(await controlSocketPath(join(tmp.dir, 'short')), join(tmp.dir, 'short', 'jiraline.sock'));
});

test('updates to an app are batched: at most one per 50 ms however fast lines arrive', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const c = await greeted(host.runtime.control?.path as string);
  t.after(() => c.socket.destroy());
  const started = performance.now();
  // The pacer's ceiling is lifted (startEngineHost): the burst is about batching, not Jira's pace.
  const replies = await Promise.all(Array.from({ length: 2000 }, (_, i) => host.runtime.engine.submitLine(`B${i}|CREATE|summary;burst ${i}|`)));
  assert.ok(replies.every((r) => r.startsWith('OK ')));
  // 2,000 tickets through the simulator: on a loaded machine this takes a while.
  await waitUntil(() => host.runtime.engine.getSnapshot().queueDepth === 0, 'all sent', 90_000);
  // The last change is told within one batching window: wait for the update that carries it.
  type Update = { type: string; snapshot: { logCount: number } };
  const latest = () => (c.got.filter((m) => m.type === 'update').at(-1) as Update | undefined)?.snapshot.logCount;
  await waitUntil(() => latest() === host.runtime.engine.getSnapshot().logCount,
    () => `an update with the latest state (log count ${host.runtime.engine.getSnapshot().logCount}; last told ${String(latest())})`);
  const elapsed = performance.now() - started;
  const updates = c.got.filter((m) => m.type === 'update');
  assert.ok(updates.length >= 1, 'the app heard of it');
  // The engine's snapshot changed thousands of times meanwhile (every line, every send).
  assert.ok(updates.length <= Math.ceil(elapsed / 50) + 1, `${updates.length} updates in ${Math.round(elapsed)} ms`);
  const last = updates[updates.length - 1] as { snapshot: { logCount: number } };
  assert.equal(last.snapshot.logCount, host.runtime.engine.getSnapshot().logCount, 'the last update carries the latest state');
  assert.ok(last.snapshot.logCount >= 1000);
});

test('a client that says hello without events gets the state only, and events once it asks for them', async (t) => {
  const host = await startEngineHost();
  t.after(() => host.close());
  const c = await greeted(host.runtime.control?.path as string, '{"type":"hello","version":1,"events":false}');
  t.after(() => c.socket.destroy());
  type Update = { type: string; snapshot?: { logCount: number }; events?: Array<{ type: string; guid?: string }> };
  const updates = () => c.got.filter((m) => m.type === 'update') as Update[];
  assert.equal((await host.runtime.engine.submitLine('quiet-1|CREATE|summary;q|')).startsWith('OK '), true);
  await waitUntil(() => updates().some((u) => (u.snapshot?.logCount ?? 0) >= 1), 'an update with the new row');
  assert.equal(updates().some((u) => u.events !== undefined), false, 'no event to a client that wants none');

  c.socket.write('{"type":"request","id":7,"method":"watchEvents","params":{"on":"yes"}}\n');
  await waitUntil(() => c.got.some((m) => m.id === 7), 'the bad watchEvents answered');
  const bad = c.got.find((m) => m.id === 7) as { ok: boolean; error: string };
  assert.equal(bad.ok, false);
  assert.match(bad.error, /on must be true or false/);

  c.socket.write('{"type":"request","id":8,"method":"watchEvents","params":{"on":true}}\n');
  await waitUntil(() => c.got.some((m) => m.id === 8), 'watchEvents answered');
  assert.equal((c.got.find((m) => m.id === 8) as { ok: boolean }).ok, true);
  assert.equal((await host.runtime.engine.submitLine('loud-1|CREATE|summary;l|')).startsWith('OK '), true);
  const heard = () => updates().flatMap((u) => u.events ?? []);
  await waitUntil(() => heard().some((e) => e.type === 'accepted' && e.guid === 'loud-1'), 'the event of the line after it asked');
  assert.equal(heard().some((e) => e.guid === 'quiet-1' && e.type === 'accepted'), false, 'nothing from before it asked');
});
