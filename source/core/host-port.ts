// HOST:PORT as the config's `listen`, `--listen` and the simulator take it.

/** Splits HOST:PORT (IPv6 as [::1]:PORT); null when it is not one or the port is out of range. */
export function splitHostPort(value: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value.trim());
  if (!m) return null;
  const port = Number(m[3]);
  return port <= 65535 ? { host: m[1] ?? m[2], port } : null;
}

/** Splits HOST:PORT, or throws naming what was given. */
export function parseHostPort(value: string): { host: string; port: number } {
  const parts = splitHostPort(value);
  if (!parts) throw new Error(`expected HOST:PORT, got '${value}'`);
  return parts;
}

/** Whether a listen host is reachable only from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}
