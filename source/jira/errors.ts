// Every failure becomes one JiraError whose message says what to do. Bodies are parsed
// defensively: Jira's {errorMessages, errors}, an HTML page (a Data Center 429, a proxy's
// 502), plain text, or nothing at all.
import { JiraError, isRetryableStatus } from '../core/jira-error.js';
import { rateLimitReason as rateLimitReasonOf, resetAfterMs } from './rate-headers.js';
import { oneLine } from '../core/safe-text.js';
import { credentialFix } from '../core/credential-hint.js';
import type { CredentialSource } from '../core/ports.js';

/** How much of a non-JSON body is looked at for a message: the title is near the top of a page. */
export const TEXT_SCAN_CHARS = 4096;

/** What a failed request was, for messages: "POST /rest/api/2/issue" at a Jira URL. */
export interface RequestContext {
  method: string;
  path: string;
  baseUrl: string;
  /** Whether credentials were sent at all (a 401 without them says so). */
  credentials: 'basic' | 'key' | null;
  /** Where the credentials came from: the environment outranks `jiraline auth set`, so the hint names it. */
  credentialSource?: CredentialSource;
  timeoutMs: number;
  /** The proxy in use, already stripped of user:password, or null. */
  proxy: string | null;
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** Jira's error body split into its messages and field errors; non-JSON bodies are summarised. */
export function parseErrorBody(body: string, contentType: string | undefined): { messages: string[]; fieldErrors: Record<string, string> } {
  const text = body.trim();
  if (text === '') return { messages: [], fieldErrors: {} };
  if (text.startsWith('{') || text.startsWith('[') || /json/i.test(contentType ?? '')) {
    try {
      return fromJson(JSON.parse(text));
    } catch {
      // Not JSON after all: fall through to the text summary.
    }
  }
  const head = text.slice(0, TEXT_SCAN_CHARS);
  if (/^<|html/i.test(head.slice(0, 200)) || /html/i.test(contentType ?? '')) {
    const summary = htmlSummary(head);
    return { messages: summary ? [summary] : [], fieldErrors: {} };
  }
  return { messages: [oneLine(head, 300)], fieldErrors: {} };
}

function fromJson(json: unknown): { messages: string[]; fieldErrors: Record<string, string> } {
  const messages: string[] = [];
  const fieldErrors: Record<string, string> = {};
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (Array.isArray(o.errorMessages)) for (const m of o.errorMessages) messages.push(oneLine(String(m), 500));
    if (o.errors && typeof o.errors === 'object') {
      for (const [field, msg] of Object.entries(o.errors as Record<string, unknown>)) {
        fieldErrors[field] = oneLine(typeof msg === 'string' ? msg : JSON.stringify(msg), 500);
      }
    }
    // Other shapes seen in the wild: {"message": …} (gateways, some Cloud endpoints), {"errorMessage": …}.
    for (const key of ['message', 'errorMessage', 'error']) {
      if (messages.length === 0 && typeof o[key] === 'string') messages.push(oneLine(o[key] as string, 500));
    }
  } else if (Array.isArray(json)) {
    for (const m of json) messages.push(oneLine(typeof m === 'string' ? m : JSON.stringify(m), 500));
  }
  return { messages, fieldErrors };
}

/**
 * The title (or first text) of an HTML page, so a proxy's error page reads as one line.
 * Only the first TEXT_SCAN_CHARS are looked at, and by plain scans (indexOf), never by a
 * regular expression that could go back over the text: a page of 300 KB of `<` once took
 * 36 s to summarise.
 */
export function htmlSummary(html: string): string {
  const page = html.slice(0, TEXT_SCAN_CHARS);
  const lower = page.toLowerCase();
  const inner = (tag: string): string | undefined => {
    const open = lower.indexOf(`<${tag}`);
    if (open === -1) return undefined;
    const start = lower.indexOf('>', open);
    if (start === -1) return undefined;
    const end = lower.indexOf(`</${tag}>`, start);
    return end === -1 ? undefined : page.slice(start + 1, end);
  };
  const text = inner('title') ?? inner('h1') ?? withoutTags(page, lower);
  return oneLine(decodeEntities(withoutTags(text, text.toLowerCase())), 200);
}

/** The text outside tags, scripts and styles, in one pass; an unclosed tag ends the text. */
function withoutTags(html: string, lower: string): string {
  let out = '';
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      out += html.slice(at);
      break;
    }
    out += `${html.slice(at, open)} `;
    let close = html.indexOf('>', open);
    if (close === -1) break;
    for (const block of ['script', 'style']) {
      if (lower.startsWith(block, open + 1)) {
        const end = lower.indexOf(`</${block}`, close);
        close = end === -1 ? html.length : html.indexOf('>', end);
        if (close === -1) close = html.length;
      }
    }
    at = close + 1;
  }
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? ' ');
}

/** A JiraError for an HTTP answer outside 2xx. */
export function httpError(status: number, headers: Record<string, string | string[] | undefined>, body: string, ctx: RequestContext): JiraError {
  const contentType = headerValue(headers['content-type']);
  const { messages, fieldErrors } = parseErrorBody(body, contentType);
  // Cloud may send only X-RateLimit-Reset (when the limit resets) on a 429.
  const retryAfterMs = status === 429 || status === 503 || status >= 500
    ? parseRetryAfter(headers['retry-after']) ?? (status === 429 ? resetAfterMs(headers, Date.now()) : null) : null;
  const rateLimitReason = status === 429 ? rateLimitReasonOf(headers) : null;
  const detail = [...messages, ...Object.entries(fieldErrors).map(([f, m]) => `${f}: ${m}`)].join('; ');
  const said = detail ? ` (Jira said: ${detail})` : '';
  const what = `${ctx.method} ${ctx.path}`;
  let message: string;
  switch (status) {
    case 400:
      // Jira's own words say what to fix (a JQL error, a field): they come first, the request last.
      message = detail ? `400 from Jira: ${detail} (on ${what})` : `400 from Jira on ${what}: the request was refused`;
      break;
    case 401:
      message = ctx.credentials === null
        ? `401 from Jira: no credentials are set — \`jiraline auth set\` (or JIRALINE_USER/JIRALINE_PASSWORD, JIRALINE_AUTH_KEY)`
        : ctx.credentials === 'key'
          ? `401 from Jira: check the Authorization Key — ${credentialFix(ctx.credentialSource, 'key')}`
          : `401 from Jira: check the username and API token — ${credentialFix(ctx.credentialSource, 'basic')}`;
      break;
    case 403: {
      const denied = headerValue(headers['x-authentication-denied-reason']);
      message = denied && /captcha/i.test(denied)
        ? `403 from Jira: Jira asks for a CAPTCHA after failed logins — log in once in a browser, then check the credentials (${credentialFix(ctx.credentialSource, ctx.credentials)})`
        : `403 from Jira: check the user's permissions in the project, and the credentials (${credentialFix(ctx.credentialSource, ctx.credentials)}) — the user may not do this (on ${what})${said}`;
      break;
    }
    case 404:
      message = `404 from Jira: check the Jira URL and the Ticket Location URL (on ${what})${said}`;
      break;
    case 410:
      message = `410 from Jira on ${what}: this API has been removed${said}`;
      break;
    case 429:
      message = `429 from Jira: too many requests${retryAfterMs !== null ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''} — jiraline will retry${said}`;
      break;
    default:
      if (status >= 300 && status < 400) {
        const location = headerValue(headers.location);
        message = `${status} from Jira: set the Jira URL to the address Jira answers on — redirected${location ? ` to ${oneLine(location, 300)}` : ''}`;
      } else if (status >= 500) {
        message = `${status} from Jira${isRetryableStatus(status) ? ' (jiraline will retry)' : ''}: Jira, or a proxy in front of it, failed on ${what}${said}`;
      } else {
        message = `${status} from Jira on ${what}${said}`;
      }
  }
  return new JiraError({ status, message, messages, fieldErrors, retryAfterMs, rateLimitReason, retryable: isRetryableStatus(status) });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const tlsCodes = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|DEPTH_ZERO|HOSTNAME_MISMATCH|EPROTO/;

/** A JiraError for a request that got no HTTP answer: refused, timed out, TLS, DNS, reset. */
export function networkError(error: unknown, ctx: RequestContext): JiraError {
  const chain = causeChain(error);
  const codes = chain.map((e) => String((e as { code?: unknown }).code ?? '')).filter(Boolean);
  const texts = chain.map((e) => String((e as { message?: unknown }).message ?? ''));
  const has = (re: RegExp) => codes.some((c) => re.test(c)) || texts.some((t) => re.test(t));
  const where = `Jira at ${ctx.baseUrl}${ctx.proxy ? ` (through the proxy ${ctx.proxy})` : ''}`;
  const proxyHint = 'the proxy settings (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, jira.bypassProxy)';
  const seconds = Math.max(1, Math.round(ctx.timeoutMs / 1000));
  if (has(/UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT|timeout/i) && !codes.some((c) => tlsCodes.test(c))) {
    // A connect timeout never wrote the request: Jira cannot have acted on it.
    const unreached = codes.includes('UND_ERR_CONNECT_TIMEOUT');
    return new JiraError({ status: 0, cause: unreached ? 'unreached' : 'timeout', retryable: true,
      message: `no answer within ${seconds} s: check the network and ${proxyHint}, or raise jira.timeoutSeconds (${where})` });
  }
  const tlsCode = codes.find((c) => tlsCodes.test(c));
  if (tlsCode) {
    const detail = chain.map((e) => (e as Error).message).find((m) => m && /cert|ssl|tls|signature|issuer/i.test(m)) ?? tlsCode;
    const altname = /ALTNAME|HOSTNAME/.test(tlsCode);
    // Kept retryable: commands wait (Pending) until the operator fixes jira.caFile, instead of failing.
    return new JiraError({ status: 0, cause: 'tls', retryable: true,
      message: altname
        ? `TLS: check the Jira URL's host name — the certificate of ${where} does not name this host (${tlsCode}: ${oneLine(detail, 160)})`
        : `TLS: set jira.caFile to your CA bundle — the certificate of ${where} is not trusted (${tlsCode}: ${oneLine(detail, 160)})`,
    });
  }
  let reason: string;
  let hint = `check the Jira URL, ${proxyHint}, and that Jira is up`;
  if (codes.includes('ECONNREFUSED')) reason = ctx.proxy ? 'connection refused (by the proxy, or by Jira behind it)' : 'connection refused';
  else if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    reason = 'host name not found';
    hint = `check the Jira URL's host name and ${proxyHint}`;
  } else if (codes.includes('ECONNRESET') || codes.includes('UND_ERR_SOCKET')) reason = 'the connection was closed';
  else if (codes.includes('EHOSTUNREACH') || codes.includes('ENETUNREACH')) reason = 'no route to the host';
  else if (texts.some((t) => /proxy/i.test(t))) reason = `the proxy refused the connection (${oneLine(texts.find((t) => /proxy/i.test(t)) ?? '', 120)})`;
  else reason = oneLine(texts.find((t) => t !== '') ?? codes[0] ?? 'unknown error', 160);
  // Refused, unknown host, no route: no request was written, so Jira did nothing (a CREATE needs no lookup).
  const unreached = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].some((c) => codes.includes(c));
  return new JiraError({ status: 0, cause: unreached ? 'unreached' : 'network', retryable: true, message: `cannot reach Jira (${reason}): ${hint} — ${where}` });
}

function causeChain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && out.length < 8 && !out.includes(current)) {
    out.push(current);
    const agg = (current as { errors?: unknown }).errors;
    if (Array.isArray(agg)) out.push(...agg.slice(0, 4));
    current = (current as { cause?: unknown }).cause;
  }
  return out.length > 0 ? out : [error];
}
