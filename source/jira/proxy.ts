// Which proxy, if any, a request to Jira goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// as curl and undici read them. Decided once per client, since it talks to one origin.

/** The proxy URL for requests to this origin, or null to connect directly. */
export function proxyFor(origin: string, env: Record<string, string | undefined>): string | null {
  const url = new URL(origin);
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  // As undici's EnvHttpProxyAgent does: an https target falls back to HTTP_PROXY.
  const proxy = url.protocol === 'https:' ? pick('https_proxy', 'HTTPS_PROXY') ?? httpProxy : httpProxy;
  if (!proxy) return null;
  if (bypassedByNoProxy(url, pick('no_proxy', 'NO_PROXY') ?? '')) return null;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** True when NO_PROXY names this URL's host (exact, domain suffix, `*`, optional :port). */
export function bypassedByNoProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | null = null;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch && !entry.startsWith('[') && entry.split(':').length === 2) {
      name = portMatch[1];
      entryPort = portMatch[2];
    } else if (/^\[.*\]:\d+$/.test(entry)) {
      name = entry.slice(1, entry.indexOf(']'));
      entryPort = entry.slice(entry.lastIndexOf(':') + 1);
    }
    name = name.replace(/^\[|\]$/g, '');
    if (entryPort !== null && entryPort !== port) continue;
    if (name.startsWith('*.')) name = name.slice(1);
    if (name.startsWith('.')) {
      if (host.endsWith(name) || host === name.slice(1)) return true;
    } else if (host === name || host.endsWith('.' + name)) {
      return true;
    }
  }
  return false;
}

/** The proxy URL without user:password, for messages. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the proxy';
  }
}
