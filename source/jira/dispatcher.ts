// The connection pool: one keep-alive undici Pool bound to Jira's origin, or a ProxyAgent
// when HTTPS_PROXY/HTTP_PROXY apply (and NO_PROXY does not exempt Jira). TLS verification
// stays on; a caFile adds a private CA to Node's roots rather than replacing them.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import { ConfigError } from '../core/config.js';
import { describeProxy, proxyFor } from './proxy.js';

/** What the dispatcher is built from. */
export interface DispatcherOptions {
  origin: string;
  caFile?: string | null;
  insecure?: boolean;
  bypassProxy?: boolean;
  timeoutMs: number;
  connections: number;
  env: Record<string, string | undefined>;
}

/** The dispatcher and what was decided while building it. */
export interface BuiltDispatcher {
  dispatcher: Dispatcher;
  /** The proxy in use (without credentials), or null for a direct connection. */
  proxy: string | null;
  warnings: string[];
}

/** TLS options for connections to Jira: Node's roots plus the caFile, or no verification when insecure. */
export function tlsOptions(caFile: string | null | undefined, insecure: boolean | undefined): { ca?: string[]; rejectUnauthorized: boolean } {
  if (insecure) return { rejectUnauthorized: false };
  if (!caFile) return { rejectUnauthorized: true };
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`jira.caFile: cannot read ${caFile} (${code}) — give the path of a PEM CA bundle`, 'jira.caFile');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`jira.caFile: ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, 'jira.caFile');
  }
  return { ca: [...rootCertificates, pem], rejectUnauthorized: true };
}

/** Builds the Pool (or ProxyAgent) for Jira's origin. Throws ConfigError for an unreadable caFile. */
export function buildDispatcher(options: DispatcherOptions): BuiltDispatcher {
  const warnings: string[] = [];
  const tls = tlsOptions(options.caFile, options.insecure);
  if (options.insecure && options.origin.startsWith('https:')) {
    warnings.push('TLS verification is off (jira.insecure): anyone on the network path can read the credentials — set jira.caFile to your CA bundle instead');
  }
  const timeouts = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
  const proxy = options.bypassProxy ? null : proxyFor(options.origin, options.env);
  if (proxy === null) {
    const dispatcher = new Pool(options.origin, {
      connections: options.connections,
      pipelining: 1,
      ...timeouts,
      connect: { ...tls, timeout: options.timeoutMs },
    });
    return { dispatcher, proxy: null, warnings };
  }
  let dispatcher: Dispatcher;
  try {
    dispatcher = new ProxyAgent({
      uri: proxy,
      connections: options.connections,
      ...timeouts,
      // Plain-HTTP Jira through a plain-HTTP proxy: absolute-URI requests, as curl sends them;
      // HTTPS Jira always goes through a CONNECT tunnel.
      proxyTunnel: false,
      requestTls: { ...tls, timeout: options.timeoutMs },
      proxyTls: { ...(options.caFile ? { ca: tls.ca } : {}), timeout: options.timeoutMs },
    });
  } catch (error) {
    throw new ConfigError(`HTTPS_PROXY/HTTP_PROXY: cannot use the proxy ${describeProxy(proxy)} (${(error as Error).message}) — fix the variable or set jira.bypassProxy`, 'jira.bypassProxy');
  }
  return { dispatcher, proxy: describeProxy(proxy), warnings };
}
