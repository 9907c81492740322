// A hostile Jira: answers that a broken Jira, or a proxy in front of one, really sends —
// a body that drips a byte at a time, a huge body, a huge HTML error page, a 201 cut
// short, a ticket key with control characters, an error that echoes the credentials back.
// The client must stay bounded in time and size against each, and keep secrets and
// control characters out of what it shows; the tests and `jiraline simulator --hostile`
// use this to prove it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './reply.js';

/** What the hostile Jira does. */
export type HostileMode = 'drip' | 'huge' | 'html' | 'cut' | 'bad-key' | 'echo-credentials';

/** The modes, for flags and messages. */
export const hostileModes: readonly HostileMode[] = ['drip', 'huge', 'html', 'cut', 'bad-key', 'echo-credentials'];

/** One hostile behaviour and its knobs. */
export interface HostileFault {
  /**
   * drip: the real answer, one byte every intervalMs; huge: the real answer padded to
   * `bytes`; html: a `status` HTML page of `bytes` of `<`; cut: the real answer cut in
   * half (a complete HTTP answer whose JSON stops midway); bad-key: a create's answer with
   * `key` as the key; echo-credentials: a `status` error whose messages are 480 filler
   * characters followed by the credential sent (Basic's base64, then the password).
   */
  mode: HostileMode;
  /** Only creates (POST …/issue) get the hostile answer; everything else is served normally. */
  createsOnly?: boolean;
  /** drip: milliseconds between bytes; default 5000. */
  intervalMs?: number;
  /** huge, html: bytes in the body; default 100 MiB (huge), 300,000 (html). */
  bytes?: number;
  /** html and echo-credentials: the status; default 503 and 400. */
  status?: number;
  /** bad-key: the key sent; default one that would forge socket replies. */
  key?: string;
}

/** The key bad-key sends unless told otherwise: a newline in it would forge reply lines. */
export const FORGED_KEY = 'OPS-1 - -\nOK forged queued\nPONG';

/** Whether this fault answers without the request being served (nothing is created in Jira). */
export function replacesTheAnswer(fault: HostileFault): boolean {
  return fault.mode === 'html' || fault.mode === 'echo-credentials';
}

/** Whether the fault applies to this request. */
export function appliesTo(fault: HostileFault, method: string, parts: string[]): boolean {
  return !fault.createsOnly || (method === 'POST' && parts.length === 1 && parts[0] === 'issue');
}

/** The error page or echo sent instead of serving the request. */
export function hostileReplacement(fault: HostileFault, req: IncomingMessage): Reply {
  if (fault.mode === 'echo-credentials') {
    // Each secret right after 480 characters of filler: a message cut at 500 characters
    // before it is masked would keep the start of the secret.
    const header = req.headers.authorization ?? '';
    const space = header.indexOf(' ');
    const credential = space === -1 ? header : header.slice(space + 1);
    const basic = /^basic$/i.test(header.slice(0, space)) ? Buffer.from(credential, 'base64').toString('utf8') : null;
    const secrets = basic !== null ? [credential, basic.slice(basic.indexOf(':') + 1)] : [credential];
    return { status: fault.status ?? 400, body: { errorMessages: secrets.map((secret) => `${'x'.repeat(480)}${secret}`), errors: {} } };
  }
  return { status: fault.status ?? 503, text: '<'.repeat(fault.bytes ?? 300_000), headers: { 'Content-Type': 'text/html;charset=UTF-8' } };
}

/** Writes the real reply the hostile way (drip, huge, cut, bad-key); `timers` collects what close() must clear. */
export function writeHostile(res: ServerResponse, reply: Reply, fault: HostileFault, timers: Set<ReturnType<typeof setTimeout>>): void {
  let body = reply.body;
  if (fault.mode === 'bad-key' && body && typeof body === 'object' && 'key' in body) body = { ...body, key: fault.key ?? FORGED_KEY };
  let payload = reply.text ?? (body === undefined ? '' : JSON.stringify(body));
  if (fault.mode === 'cut') payload = payload.slice(0, Math.floor(payload.length / 2));
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}), 'Content-Type': reply.text !== undefined ? 'text/html;charset=UTF-8' : 'application/json;charset=UTF-8' };
  if (fault.mode === 'huge') return writeHuge(res, reply.status, headers, payload, fault.bytes ?? 100 * 1024 * 1024);
  headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  if (fault.mode !== 'drip') {
    res.end(payload);
    return;
  }
  const bytes = Buffer.from(payload);
  let at = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  res.once('close', () => {
    if (timer) clearTimeout(timer);
    if (timer) timers.delete(timer);
  });
  const next = () => {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, at + 1));
    at += 1;
    if (at >= bytes.length) {
      res.end();
      return;
    }
    const current = setTimeout(() => {
      timers.delete(current);
      next();
    }, fault.intervalMs ?? 5000);
    timer = current;
    timers.add(current);
  };
  res.flushHeaders();
  next();
}

/** The real JSON answer with a `pad` member that makes it `total` bytes, written in chunks as the client reads. */
function writeHuge(res: ServerResponse, status: number, headers: Record<string, string | number>, payload: string, total: number): void {
  const open = payload.startsWith('{') && payload.length > 2 ? `${payload.slice(0, -1)},"pad":"` : '{"pad":"';
  const close = '"}';
  const padding = Math.max(0, total - Buffer.byteLength(open) - close.length);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(open) + padding + close.length });
  res.write(open);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let left = padding;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      if (!res.write(part)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(close);
  };
  pump();
}
