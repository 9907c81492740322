// The simulator's HTTP side on node:http: reads the request, injects faults, checks the
// credentials, parses JSON as Jira does (415 for another media type, 400 for bad JSON),
// routes, and writes Jira-shaped answers. Kept lean: it serves benchmarks at thousands of
// requests per second.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Catalog } from './catalog.js';
import type { Req, SimState } from './context.js';
import { FaultGate } from './faults.js';
import { appliesTo, hostileReplacement, replacesTheAnswer, writeHostile } from './hostile.js';
import { IssueStore } from './issues.js';
import { endpointOf, RateLimiter } from './rate-limits.js';
import { jiraError, type Reply } from './reply.js';
import { route } from './routes.js';
import type { LateWrite, Simulator, SimulatorOptions } from './types.js';

const MAX_BODY = 10 * 1024 * 1024;
/** The longest a write is held waiting for the client to give up (writeAfterTimeoutRate). */
const WRITE_AFTER_TIMEOUT_CAP_MS = 120_000;

/** Whether a request changes Jira (a search by POST does not). */
function isWrite(method: string, path: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && !/\/search(\/jql)?$/.test(path);
}
const NOT_AUTHENTICATED = 'You are not authenticated. Authentication required to perform this operation.';

/** Per-endpoint and 429 counts, for tests and the benchmark. */
interface Tally {
  byEndpoint: Map<string, number>;
  refused: number;
}

function write(res: ServerResponse, reply: Reply, tally?: Tally): void {
  if (tally && reply.status === 429) tally.refused += 1;
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}) };
  let payload: string | undefined;
  if (reply.text !== undefined) payload = reply.text;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json;charset=UTF-8';
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  else if (reply.status !== 204) headers['Content-Length'] = 0;
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The Basic username and the credential check of one request. */
function checkAuth(header: string | undefined, expected: SimulatorOptions['auth']): { ok: boolean; username: string | null; sent: boolean } {
  let username: string | null = null;
  let password: string | null = null;
  let bearer: string | null = null;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    } else if (scheme === 'bearer') bearer = value;
  }
  if (!expected) return { ok: true, username, sent: header !== undefined };
  const ok = 'token' in expected
    ? bearer !== null && bearer === expected.token
    : username === expected.user && password === expected.password;
  return { ok, username, sent: header !== undefined };
}

function parseBody(raw: string, req: IncomingMessage): { ok: true; body: unknown } | { ok: false; reply: Reply } {
  if (raw === '') return { ok: true, body: undefined };
  const type = req.headers['content-type'];
  if (type !== undefined && !/json/i.test(type)) {
    return { ok: false, reply: jiraError(415, [`Unsupported Media Type '${type}': send the body as Content-Type: application/json.`]) };
  }
  try {
    return { ok: true, body: JSON.parse(raw) };
  } catch (e) {
    return { ok: false, reply: jiraError(400, [`Unexpected character in the JSON body: ${(e as Error).message}`]) };
  }
}

/** Starts a simulator (see index.ts for the contract). */
export async function startSimulatorServer(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const mode = options.mode ?? 'datacenter';
  const auth = options.auth ?? null;
  const faults = new FaultGate(options.faults);
  const clock = options.now ?? Date.now;
  const limits = new RateLimiter(options.faults?.rateLimits);
  let count = 0;
  // Answers held back by injected latency; close() drops them so no timer outlives the server.
  const delayed = new Set<ReturnType<typeof setTimeout>>();
  // The catalog needs the base URL, known once listening; routes only run after that.
  let sim: SimState | null = null;

  const tally: Tally = { byEndpoint: new Map(), refused: 0 };
  // Writes held for the client to give up (writeAfterTimeoutRate), not made yet.
  let held = 0;
  // Writes made after the client gave up: a test tells the doubles they may cause from others.
  const madeLate: LateWrite[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const now = clock();
    const endpoint = endpointOf(req.method ?? 'GET', (req.url ?? '/').split('?')[0]);
    tally.byEndpoint.set(endpoint, (tally.byEndpoint.get(endpoint) ?? 0) + 1);
    const fault = faults.check(now, req.method);
    if (fault) return write(res, fault, tally);
    let rateHeaders: Record<string, string> | null = null;
    if (limits.any) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const verdict = limits.check(req.method ?? 'GET', q >= 0 ? url.slice(0, q) : url, now);
      if (verdict.refusal) return write(res, verdict.refusal, tally);
      rateHeaders = verdict.headers;
    }
    const who = checkAuth(req.headers.authorization, auth);
    if (!who.ok) {
      return write(res, jiraError(401, [NOT_AUTHENTICATED], {}, {
        'WWW-Authenticate': 'Basic realm="protected-area"', 'X-Seraph-LoginReason': who.sent ? 'AUTHENTICATED_FAILED' : 'AUTHENTICATION_DENIED',
      }));
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const m = /^\/rest\/api\/(2|3|latest)(\/.*)?$/.exec(path);
    if (!m) return write(res, jiraError(404, [`No REST resource at ${path}`]));
    const parsed = parseBody(raw, req);
    if (!parsed.ok) return write(res, parsed.reply);
    let parts: string[];
    try {
      parts = (m[2] ?? '').split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      return write(res, jiraError(400, ['The request path is not valid.']));
    }
    const hostile = faults.hostile();
    const misbehave = hostile !== undefined && appliesTo(hostile, req.method ?? 'GET', parts);
    if (misbehave && replacesTheAnswer(hostile)) return write(res, hostileReplacement(hostile, req));
    const request: Req = {
      method: req.method ?? 'GET', api: m[1] === '3' ? 3 : 2, parts, query: new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''),
      body: parsed.body, username: who.username,
    };
    const perform = (): Reply => {
      let reply: Reply;
      try {
        reply = route(sim!, request);
      } catch (e) {
        reply = jiraError(500, [`Internal server error: ${(e as Error).message}`]);
      }
      return rateHeaders ? { ...reply, headers: { ...reply.headers, ...rateHeaders } } : reply;
    };
    // A hostile Jira (hostile.ts) mangles the answer on its way out.
    const send = (reply: Reply): void => (misbehave ? writeHostile(res, reply, hostile!, delayed) : write(res, reply));
    if (!isWrite(request.method, path)) return send(perform());
    // A slow Jira: the write is made now and answered later, or made only once the client gave up.
    const answer = (reply: Reply): void => {
      const late = faults.lateWriteMs();
      if (late <= 0 || res.destroyed) return send(reply);
      later(late, () => send(reply));
    };
    if (!faults.writeAfterTimeout()) return answer(perform());
    let done = false;
    held++;
    const performLate = (): void => {
      if (done) return;
      done = true;
      held--;
      const reply = perform();
      const made = reply.body as { id?: unknown } | undefined;
      madeLate.push({ endpoint, status: reply.status, id: typeof made?.id === 'string' ? made.id : null });
      answer(reply);
    };
    // Made when the client gave up (or that long after it, as a Jira still working would).
    const delay = faults.writeAfterTimeoutDelayMs();
    res.once('close', () => {
      if (delay <= 0) performLate();
      else later(delay, performLate);
    });
    later(WRITE_AFTER_TIMEOUT_CAP_MS, performLate);
  };

  // A timer that close() clears, so no answer outlives the server.
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      delayed.delete(timer);
      fn();
    }, ms);
    delayed.add(timer);
  };

  const server = createServer((req, res) => {
    count += 1;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooBig) return write(res, jiraError(413, ['The request body is too large.']));
      // Counted from arrival to answer, latency included: that is what a concurrency limit sees.
      limits.begin();
      res.once('close', () => limits.done());
      const raw = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      const latency = faults.latencyMs();
      if (latency <= 0) return handle(req, res, raw);
      later(latency, () => handle(req, res, raw));
    });
  });
  // Clients keep connections open between bursts (undici's default keep-alive is 4 s).
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}`;
  const catalog = new Catalog(url, mode);
  const issues = new IssueStore(catalog);
  sim = { catalog, issues, mode, now: clock, me: (req) => catalog.me(req.username),
    dropCommentProperties: () => faults.dropCommentProperties() };

  return {
    url,
    mode,
    issues: () => [...issues.all()],
    issue: (key) => issues.get(key),
    setFaults: (f) => {
      faults.set(f);
      limits.set(f.rateLimits ?? {});
    },
    requestCount: () => count,
    requestsByEndpoint: () => Object.fromEntries(tally.byEndpoint),
    rateLimitedCount: () => tally.refused,
    heldWrites: () => held,
    lateWrites: () => [...madeLate],
    close: () => new Promise<void>((resolve, reject) => {
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
