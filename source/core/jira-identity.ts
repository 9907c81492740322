// Which Jira a GUID → ticket map, a queued command and a log row belong to. Ticket keys
// are only unique inside one Jira: OPS-7 on a test Jira and OPS-7 on production are two
// different tickets, so a map made on one must never steer a write to the other.

/**
 * The identity of the Jira at a configured URL: scheme, host, port (none when it is the
 * scheme's default) and context path, lower-cased where URLs are case-blind, without a
 * trailing slash. `https://Jira.example.com:443/` and `https://jira.example.com` are one Jira.
 */
export function jiraIdentity(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/** The identity of rows written before jiraline bound its data to a Jira (adopted by the first Jira configured after the upgrade). */
export const UNBOUND_JIRA = '';
