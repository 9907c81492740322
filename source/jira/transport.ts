// One request to Jira: headers (auth, JSON), the call through the pool, the body read in
// full (so the keep-alive socket is freed), and every failure turned into a JiraError
// with the credentials scrubbed out.
import type { Dispatcher } from 'undici';
import { JiraError } from '../core/jira-error.js';
import type { RateHeaders } from '../core/pacer.js';
import type { Credentials } from '../core/ports.js';
import { rateHeaders } from './rate-headers.js';
import { authorizationHeader, secretStrings } from './auth.js';
import { httpError, networkError, type RequestContext } from './errors.js';
import { redactError } from './redact.js';
import { withQuery } from './urls.js';

/** One call: method, path from the origin, optional query and JSON body. */
export interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** A 2xx answer: its status and parsed JSON (undefined for an empty body, e.g. 204). */
export interface CallResult<T> {
  status: number;
  json: T | undefined;
}

/** Sends calls to Jira with the current credentials. */
export interface Transport {
  call<T>(spec: CallSpec): Promise<CallResult<T>>;
  setCredentials(credentials: Credentials | null): void;
  /** Hears the rate-limit headers of every answer that carries them (the engine's pacer). */
  observeRate(listener: ((headers: RateHeaders) => void) | null): void;
}

/** What the transport needs: where Jira is, the pool, and the timeout for messages. */
export interface TransportOptions {
  origin: string;
  baseUrl: string;
  dispatcher: Dispatcher;
  proxy: string | null;
  timeoutMs: number;
  credentials: Credentials | null;
}

/** Builds the transport; credentials can be swapped later without a new pool. */
export function createTransport(options: TransportOptions): Transport {
  const { dispatcher, origin } = options;
  // The Pool carries the timeouts; a ProxyAgent's absolute-URI client does not, so they go per request there.
  const perRequestTimeouts = options.proxy ? { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs } : {};
  let credentials = options.credentials;
  let rateListener: ((headers: RateHeaders) => void) | null = null;
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
    timeoutMs: options.timeoutMs,
    proxy: options.proxy,
  });

  async function call<T>(spec: CallSpec): Promise<CallResult<T>> {
    const path = withQuery(spec.path, spec.query);
    const hasBody = spec.body !== undefined;
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin,
        path,
        method: spec.method,
        headers: hasBody ? sendHeaders : getHeaders,
        body: hasBody ? JSON.stringify(spec.body) : undefined,
        ...perRequestTimeouts,
      });
    } catch (error) {
      throw redactError(networkError(error, context(spec, path)), secrets);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw redactError(networkError(error, context(spec, path)), secrets);
    }
    const status = response.statusCode;
    if (rateListener) {
      const rate = rateHeaders(response.headers);
      if (rate) rateListener(rate);
    }
    if (status < 200 || status >= 300) {
      throw redactError(httpError(status, response.headers, text, context(spec, path)), secrets);
    }
    if (text === '' || status === 204) return { status, json: undefined };
    try {
      return { status, json: JSON.parse(text) as T };
    } catch {
      // A 200 HTML page is typically an SSO login or a proxy portal, not Jira's REST API.
      throw redactError(new JiraError({
        status,
        retryable: false,
        message: `${status} from ${spec.method} ${path.split('?')[0]} was not JSON (a login page or a proxy?) — check the Jira URL and the Ticket Location URL`,
        messages: [text.replace(/\s+/g, ' ').trim().slice(0, 200)],
      }), secrets);
    }
  }

  return {
    call,
    setCredentials(next) {
      credentials = next;
      rebuild();
    },
    observeRate(listener) {
      rateListener = listener;
    },
  };
}
