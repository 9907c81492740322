// One request to Jira: headers (auth, JSON), the call through the pool, the body read up
// to its cap, and every failure turned into a JiraError with the credentials masked out
// before anything is cut. Each request has one deadline for the whole answer — headers
// and body — so a body that drips a byte at a time cannot hold a command (or the outage
// probe) for longer than jira.timeoutSeconds; close() aborts what is in flight at once, and so
// does a call's own signal (the engine's stop) for the requests it carries.
import type { Dispatcher } from 'undici';
import { JiraError } from '../core/jira-error.js';
import type { RateHeaders } from '../core/pacer.js';
import type { CredentialSource, Credentials } from '../core/ports.js';
import { oneLine } from '../core/safe-text.js';
import { ANSWER_CAPS, describeCap, readCapped, type CappedBody } from './answer-body.js';
import { rateHeaders } from './rate-headers.js';
import { authorizationHeader, secretStrings } from './auth.js';
import { httpError, networkError, TEXT_SCAN_CHARS, type RequestContext } from './errors.js';
import { redactCutText, redactError, redactText } from './redact.js';
import { withQuery } from './urls.js';
import type { CallOptions, JiraResponse } from '../core/ports.js';

/** How much of an answer's body is recorded for the Responses view (after the secrets are masked). */
export const RECORDED_BODY_BYTES = 2048;

/** One call: method, path from the origin, optional query and JSON body. */
export interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** How much of a 2xx answer is read (default ANSWER_CAPS.small); a longer one is an error. */
  maxBytes?: number;
  /** The answer's body is not used (an edit, a comment, a transition): a 2xx is success, whatever it holds. */
  discardBody?: boolean;
  /** Ends the request at once when it aborts (undici closes its socket); the call rejects as `stopped`. */
  signal?: AbortSignal;
  /** The command the request is made for (its id), as the recorded answer says; none: null. */
  tag?: number;
}

/** Said (cause 'cut') when a 2xx answer was longer than its cap: the request may have been carried out. */
export const CUT_CAUSE = 'cut';
/** Said (cause 'not-json') when a 2xx answer could not be read as JSON. */
export const NOT_JSON_CAUSE = 'not-json';

/** A 2xx answer: its status and parsed JSON (undefined for an empty body, e.g. 204). */
export interface CallResult<T> {
  status: number;
  json: T | undefined;
}

/** Sends calls to Jira with the current credentials. */
export interface Transport {
  /** `extra` (the engine's stop signal and the command's tag), when given, stands for the spec's own `signal` and `tag`. */
  call<T>(spec: CallSpec, extra?: CallOptions): Promise<CallResult<T>>;
  setCredentials(credentials: Credentials | null, source?: CredentialSource): void;
  /** Hears the rate-limit headers of every answer that carries them (the engine's pacer). */
  observeRate(listener: ((headers: RateHeaders) => void) | null): void;
  /** Hears every answer Jira (or a proxy in its place) gave: status, time taken, the body's start, masked. */
  observeResponses(listener: ((response: JiraResponse) => void) | null): void;
  /** Ends every request in flight (shutdown): each fails at once instead of waiting for its answer. */
  abortAll(): void;
}

/** What the transport needs: where Jira is, the pool, and the timeout for messages. */
export interface TransportOptions {
  origin: string;
  baseUrl: string;
  dispatcher: Dispatcher;
  proxy: string | null;
  timeoutMs: number;
  credentials: Credentials | null;
  /** Where the credentials came from: a 401/403 says where to correct them. */
  credentialSource?: CredentialSource;
}

/** Builds the transport; credentials can be swapped later without a new pool. */
export function createTransport(options: TransportOptions): Transport {
  const { dispatcher, origin } = options;
  // The Pool carries the timeouts; a ProxyAgent's absolute-URI client does not, so they go per request there.
  const perRequestTimeouts = options.proxy ? { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs } : {};
  let credentials = options.credentials;
  let credentialSource = options.credentialSource;
  let rateListener: ((headers: RateHeaders) => void) | null = null;
  let responseListener: ((response: JiraResponse) => void) | null = null;
  // Headers and secret list are rebuilt only when the credentials change: they sit on the hot path.
  let getHeaders: Record<string, string> = {};
  let sendHeaders: Record<string, string> = {};
  let secrets: string[] = [];
  const rebuild = () => {
    const auth = authorizationHeader(credentials);
    getHeaders = { accept: 'application/json', 'user-agent': 'jiraline', ...(auth ? { authorization: auth } : {}) };
    sendHeaders = { ...getHeaders, 'content-type': 'application/json' };
    secrets = secretStrings(credentials);
  };
  rebuild();

  const context = (spec: CallSpec, path: string): RequestContext => ({
    method: spec.method,
    path: path.split('?')[0],
    baseUrl: options.baseUrl,
    credentials: credentials?.method ?? null,
    credentialSource,
    timeoutMs: options.timeoutMs,
    proxy: options.proxy,
  });

  // Each request in flight, by the function that ends it at once (close()).
  const inFlight = new Set<() => void>();
  let closing = false;
  // One signal (the engine's stop) rides on every request. undici is handed, per request, a
  // small relay of its own that says 'abort' when the signal aborts: an AbortSignal's own
  // listeners (added and removed per request) cost far more CPU per request, and so did one
  // EventEmitter shared by every request (undici's two listeners per request, each removed
  // from a list as long as the requests in flight).
  const relays = new WeakMap<AbortSignal, Set<StopRelay>>();
  const relayFor = (signal: AbortSignal): StopRelay => {
    let live = relays.get(signal);
    if (!live) {
      const made = new Set<StopRelay>();
      signal.addEventListener('abort', () => {
        for (const relay of made) relay.abort();
        made.clear();
      }, { once: true });
      relays.set(signal, made);
      live = made;
    }
    return new StopRelay(live);
  };

  async function call<T>(spec: CallSpec, extra?: CallOptions): Promise<CallResult<T>> {
    const path = withQuery(spec.path, spec.query);
    const hasBody = spec.body !== undefined;
    const ctx = () => context(spec, path);
    if (closing) throw stoppingError(ctx());
    const signal = extra ? extra.signal : spec.signal;
    if (signal?.aborted) throw stoppedError(ctx(), false);
    const relay = signal ? relayFor(signal) : null;
    // The deadline races the request and the body instead of an AbortSignal: a signal per
    // request cost a third more CPU per create. A request the deadline left behind is
    // ended by the pool's own headers timeout, and its body, should it come, is dropped.
    let late = false;
    const startedAt = Date.now();
    const tag = (extra ? extra.tag : spec.tag) ?? null;
    let body: Dispatcher.ResponseData['body'] | null = null;
    let end!: (reason: Error) => void;
    const ended = new Promise<never>((_resolve, reject) => {
      end = reject;
    });
    ended.catch(() => undefined);
    const stop = (reason: Error = new Error('stopping')) => {
      body?.destroy();
      end(reason);
    };
    const deadline = setTimeout(() => {
      late = true;
      stop(new Error('timeout'));
    }, options.timeoutMs);
    inFlight.add(stop);
    // Whatever ends the wait — the deadline, close(), the network — says so in Jira's terms.
    const failed = (error: unknown) => redactError(
      late ? networkError(Object.assign(new Error('timeout'), { code: 'UND_ERR_BODY_TIMEOUT' }), ctx())
        : signal?.aborted ? stoppedError(ctx(), true) : closing ? stoppingError(ctx()) : networkError(error, ctx()), secrets);
    let status: number;
    let headers: Dispatcher.ResponseData['headers'];
    let answer: CappedBody;
    try {
      const request = dispatcher.request({
        origin,
        path,
        method: spec.method,
        headers: hasBody ? sendHeaders : getHeaders,
        body: hasBody ? JSON.stringify(spec.body) : undefined,
        ...(relay ? { signal: relay } : {}),
        ...perRequestTimeouts,
      });
      const response = await Promise.race([request, ended]).catch((error: unknown) => {
        // Left behind by the deadline, close() or the stop: its answer, if it ever comes, is not
        // read. Destroying an unread body makes undici emit 'error' (RequestAbortedError) on it:
        // nobody else listens there, and an unheard 'error' would end the process.
        request.then((r) => r.body.on('error', () => undefined).destroy(), () => undefined);
        throw error;
      });
      body = response.body;
      status = response.statusCode;
      headers = response.headers;
      const ok = status >= 200 && status < 300;
      answer = await Promise.race([readCapped(response.body, ok ? spec.maxBytes ?? ANSWER_CAPS.small : ANSWER_CAPS.error, response.headers['content-length']), ended]);
    } catch (error) {
      throw failed(error);
    } finally {
      clearTimeout(deadline);
      inFlight.delete(stop);
      relay?.release();
    }
    if (rateListener) {
      const rate = rateHeaders(headers);
      if (rate) rateListener(rate);
    }
    // Any text that may end up in a message is masked before anything below cuts it (a
    // message, a summary, the log's 2 KB); a 2xx read as JSON is data, not a message.
    const masked = () => (answer.cut ? redactCutText(answer.text, secrets) : redactText(answer.text, secrets));
    if (responseListener) {
      try {
        responseListener({ time: startedAt, method: spec.method, path: redactText(path, secrets), status, durationMs: Date.now() - startedAt,
          body: cutUtf8(masked(), RECORDED_BODY_BYTES), tag });
      } catch {
        // Recording is a view on the traffic: its failure must not fail the call.
      }
    }
    // The texts below are made only for a failure: every answer built them once, unused.
    if (status < 200 || status >= 300) {
      const error = httpError(status, headers, masked(), ctx());
      if (!answer.cut) throw redactError(error, secrets);
      const cutNote = cutNoteOf(ctx(), answer.cap);
      throw redactError(new JiraError({ status, message: `${error.message} (${cutNote})`, retryable: error.retryable,
        retryAfterMs: error.retryAfterMs, messages: [...error.messages, cutNote], fieldErrors: error.fieldErrors, cause: error.cause_ }), secrets);
    }
    if (spec.discardBody) return { status, json: undefined };
    if (answer.cut) {
      const cutNote = cutNoteOf(ctx(), answer.cap);
      throw redactError(new JiraError({ status, retryable: false, cause: CUT_CAUSE, messages: [cutNote],
        message: `${cutNote} — Jira (or a proxy in front of it) sent far more than this request is answered with; check the Jira URL` }), secrets);
    }
    if (answer.text === '' || status === 204) return { status, json: undefined };
    try {
      return { status, json: JSON.parse(answer.text) as T };
    } catch {
      // A 200 HTML page is typically an SSO login or a proxy portal, not Jira's REST API.
      throw redactError(new JiraError({
        status,
        retryable: false,
        cause: NOT_JSON_CAUSE,
        message: `${status} from ${whatOf(ctx())} was not JSON (a login page or a proxy?) — check the Jira URL and the Ticket Location URL`,
        messages: [oneLine(masked().slice(0, TEXT_SCAN_CHARS), 200)],
      }), secrets);
    }
  }

  return {
    call,
    setCredentials(next, source) {
      credentials = next;
      credentialSource = source;
      rebuild();
    },
    observeRate(listener) {
      rateListener = listener;
    },
    observeResponses(listener) {
      responseListener = listener;
    },
    abortAll() {
      closing = true;
      for (const stop of inFlight) stop();
      inFlight.clear();
    },
  };
}

/** A request as messages name it: its method and path (the context's, without the query). */
function whatOf(ctx: RequestContext): string {
  return `${ctx.method} ${ctx.path}`;
}

/** Said of an answer longer than its cap. */
function cutNoteOf(ctx: RequestContext, cap: number): string {
  return `the answer to ${whatOf(ctx)} was longer than ${describeCap(cap)} and was cut there`;
}

/** The error of a request cut off because jiraline is stopping: passing, so the command stays Pending. */
function stoppingError(ctx: RequestContext): JiraError {
  return new JiraError({ status: 0, cause: 'network', retryable: true,
    message: `${ctx.method} ${ctx.path} was cut off because jiraline is stopping; it is taken up again at the next start` });
}

/**
 * The error of a call whose signal aborted (the engine stops): cause `stopped`. `sent` tells
 * whether the request may have left (then its outcome is unknown: a CREATE is looked up by its
 * label at the next start).
 */
function stoppedError(ctx: RequestContext, sent: boolean): JiraError {
  return new JiraError({ status: 0, cause: 'stopped', retryable: true,
    message: sent ? `${ctx.method} ${ctx.path} was cut off because jiraline is stopping; it is taken up again at the next start`
      : `${ctx.method} ${ctx.path} was not sent because jiraline is stopping; it is taken up again at the next start` });
}

/**
 * What undici is given as a request's signal (it takes an EventEmitter: `once`, `removeListener`,
 * `aborted`): says 'abort' when the call's signal aborts. It is among the signal's live relays
 * while undici listens to it, and leaves them when undici has removed its listeners.
 */
class StopRelay {
  aborted = false;
  private listeners: Array<() => void> = [];

  constructor(private readonly live: Set<StopRelay>) {
    live.add(this);
  }

  once(_event: 'abort', listener: () => void): this {
    this.listeners.push(listener);
    return this;
  }

  on(event: 'abort', listener: () => void): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
    if (this.listeners.length === 0) this.live.delete(this);
    return this;
  }

  /** The call is over: a relay undici never listened to leaves at once. */
  release(): void {
    if (this.listeners.length === 0) this.live.delete(this);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

/** The text cut to at most `max` UTF-8 bytes (at a character boundary), with a note when cut. */
function cutUtf8(text: string, max: number): string {
  // Most answers are short: a UTF-16 unit is at most 3 UTF-8 bytes, so no copy is needed to tell.
  if (text.length * 3 <= max) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  // A cut inside a character leaves a replacement character at the end: dropped.
  return `${bytes.subarray(0, max).toString('utf8').replace(/\uFFFD$/, '')}… (${bytes.length} bytes in all)`;
}
