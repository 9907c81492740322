// Random and mutated lines for fuzzing the socket (`npm run fuzz`, and a seeded smaller run in
// test/daemon/fuzz.test.ts): valid lines and their mutations, escapes, unicode and terminal
// escapes, invalid UTF-8, huge field counts, lines at and over the 64 KiB cap, NUL bytes and
// bare CRs. Each record is sent with a `\n` after it; every record that is not empty (once a
// trailing `\r` is dropped, as the framer does) must get exactly one reply line.
import { connect } from 'node:net';

/** mulberry32: a small seeded generator. */
export function seeded(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const CAP = 64 * 1024;
const unicode = ['é', '漢字', '🚨', '\u202e', 'e\u0301', '\u200b', '\x1b[31m', '\x1b]0;title\x07', '\x1b[2J', '\u0085', '\ufeff', '\ud7ff'];
const escapes = ['\\|', '\\;', '\\\\', '\\n', '\\', '\\x', '|', ';', ';;', '||'];
const fields = ['summary', 'description', 'comment', 'labels', 'status', 'priority', 'customfield_10011', 'Story Points', 'project', 'issuetype', 'nosuchfield'];

/** Makes the records of one run from `random`. */
export function lineMaker(random: () => number): () => Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  let n = 0;
  const text = (max: number) => {
    let s = '';
    const len = int(max);
    for (let i = 0; i < len; i++) {
      const r = random();
      s += r < 0.8 ? String.fromCharCode(32 + int(95)) : r < 0.97 ? pick(unicode) : pick(escapes);
    }
    return s;
  };
  const valid = () => {
    n++;
    const guid = random() < 0.05 ? text(20) : `fz-${n}`;
    const action = pick(['CREATE', 'UPDATE', 'create', 'CALL', 'DELETE', '']);
    const pairs = Array.from({ length: int(6) }, () => `${pick(fields)};${text(40)}`);
    return `${guid}|${action}|${pairs.join('|')}${random() < 0.5 ? '|' : ''}`;
  };
  const mutate = (bytes: Buffer) => {
    const out = Buffer.from(bytes);
    for (let i = 0, k = 1 + int(4); i < k && out.length > 0; i++) out[int(out.length)] = int(256);
    return out;
  };
  return () => {
    const r = random();
    let line: Buffer;
    if (r < 0.4) line = Buffer.from(valid());
    else if (r < 0.65) line = mutate(Buffer.from(valid()));
    else if (r < 0.75) line = Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256)));
    else if (r < 0.8) line = Buffer.concat([Buffer.from(valid()), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff])]); // invalid UTF-8
    else if (r < 0.85) line = Buffer.from(`${valid()}\0${text(10)}\0`);
    else if (r < 0.9) line = Buffer.from(`${valid()}\r${valid()}\r${text(5)}`); // bare CRs inside one line
    else if (r < 0.984) line = Buffer.from(pick(['PING', 'ping x', 'STATUS', `STATUS fz-${int(n + 1)}`, `STATUS ${text(10)}`, 'AUTH', `AUTH ${text(10)}`]));
    else if (r < 0.999) line = Buffer.from(`fz-h${n}|CREATE|${Array.from({ length: 50 + int(2000) }, () => `${pick(fields)};${text(3)}`).join('|')}`);
    else {
      // At and over the cap: exactly 64 KiB, one byte more, and far more.
      const size = pick([CAP - 1, CAP, CAP + 1, CAP + 2, 3 * CAP]);
      line = Buffer.alloc(size, 'a');
      line.write(`fz-big${n}|CREATE|summary;`);
    }
    // The lines's own bytes never hold the `\n` that ends it.
    for (let i = line.indexOf(0x0a); i !== -1; i = line.indexOf(0x0a, i)) line[i] = 0x20;
    return line;
  };
}

/** Whether the daemon answers this record (an empty line, once a trailing `\r` is dropped, gets none). */
export function expectsReply(record: Buffer): boolean {
  return record.length - (record[record.length - 1] === 0x0d ? 1 : 0) > 0;
}

/** What one run found. */
export interface FuzzResult {
  sent: number; expected: number; answered: number; bytes: number; ms: number;
  /** Reply kinds (OK, PONG, each ERR reason with numbers as N) and how many of each. */
  refusals: Map<string, number>;
  /** Replies holding a control character (a terminal escape, a NUL): there must be none. */
  unsafe: string[];
}

/**
 * Sends `lines` records over `connections` connections to HOST:PORT, each connection ending
 * its side when done; resolves once every connection has its replies and was closed.
 * `onReplies` hears of replies as they come (a progress figure).
 */
export async function fuzzSocket(address: string, lines: number, connections: number, seed: number, deadlineMs: number,
  onReplies?: (count: number) => void): Promise<FuzzResult> {
  const colon = address.lastIndexOf(':');
  const started = Date.now();
  const result: FuzzResult = { sent: 0, expected: 0, answered: 0, bytes: 0, ms: 0, refusals: new Map(), unsafe: [] };
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    const next = lineMaker(seeded(seed * 1000 + c));
    const count = Math.floor(lines / connections) + (c < lines % connections ? 1 : 0);
    const socket = connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)), allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    let expected = 0;
    let answered = 0;
    let rest = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      answered += parts.length;
      onReplies?.(parts.length);
      for (const reply of parts) {
        // eslint-disable-next-line no-control-regex
        if (/[\x00-\x1f\x7f\x9b]/.test(reply) && result.unsafe.length < 10) result.unsafe.push(JSON.stringify(reply.slice(0, 200)));
        // The kind of answer, without its GUID: "ERR column N: …" kinds stay few.
        const kind = reply.startsWith('OK ') ? 'OK' : reply === 'PONG' ? 'PONG' : reply.replace(/^ERR \S+ /, 'ERR ').replace(/\d+/g, 'N').slice(0, 60);
        result.refusals.set(kind, (result.refusals.get(kind) ?? 0) + 1);
      }
    });
    const closed = new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    let batch: Buffer[] = [];
    let size = 0;
    const send = async () => {
      const data = Buffer.concat(batch);
      batch = [];
      size = 0;
      result.bytes += data.length;
      if (!socket.write(data)) await new Promise<void>((resolve) => socket.once('drain', resolve));
    };
    for (let i = 0; i < count; i++) {
      const record = next();
      if (expectsReply(record)) expected++;
      batch.push(record, Buffer.from('\n'));
      size += record.length + 1;
      if (size > 128 * 1024) await send();
    }
    await send();
    socket.end();
    const timer = setTimeout(() => socket.destroy(new Error(`connection ${c}: ${answered} of ${expected} replies after ${deadlineMs} ms`)), deadlineMs - (Date.now() - started));
    try {
      await closed;
    } finally {
      clearTimeout(timer);
    }
    result.sent += count;
    result.expected += expected;
    result.answered += answered;
  }));
  result.ms = Date.now() - started;
  return result;
}

/** The peak resident set of a process, in MiB (Linux: VmHWM in /proc/PID/status). */
export async function peakRssMiB(pid: number): Promise<number | null> {
  return procStatusMiB(pid, 'VmHWM');
}

/** The resident set now, in MiB (Linux /proc). */
export async function rssMiB(pid: number): Promise<number | null> {
  return procStatusMiB(pid, 'VmRSS');
}

async function procStatusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
  return kb === undefined ? null : Math.round(Number(kb) / 1024);
}
