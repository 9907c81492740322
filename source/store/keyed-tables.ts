// The two key → value tables: the GUID → ticket map, and meta (the field catalogue,
// serverInfo, the last prune time … as strings the engine owns).
import type { TicketRef } from '../core/ports.js';
import type { Db } from './database.js';

/** GUID → ticket, on the one Jira the store is bound to (the map of another Jira stays, unused). */
export class TicketsTable {
  constructor(private readonly db: Db, private readonly changed: () => void, private readonly jira: string) {}

  /** The ticket a GUID names on this Jira. */
  get(guid: string): TicketRef | undefined {
    const row = this.db.get('SELECT guid, ticket_id, ticket_key, ticket_url FROM tickets WHERE jira = ? AND guid = ?', [this.jira, guid]);
    if (!row) return undefined;
    return { guid: String(row.guid), ticketId: String(row.ticket_id), ticketKey: String(row.ticket_key), ticketUrl: String(row.ticket_url) };
  }

  /** Links a GUID to a ticket on this Jira (replacing any earlier link there). */
  set(ref: TicketRef): void {
    this.db.run(
      'INSERT INTO tickets (jira, guid, ticket_id, ticket_key, ticket_url) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (jira, guid) DO UPDATE SET ticket_id = excluded.ticket_id, ticket_key = excluded.ticket_key, ticket_url = excluded.ticket_url',
      [this.jira, ref.guid, ref.ticketId, ref.ticketKey, ref.ticketUrl],
    );
    this.changed();
  }

  /** Unlinks a GUID on this Jira (nothing when it has no ticket). */
  delete(guid: string): void {
    this.db.run('DELETE FROM tickets WHERE jira = ? AND guid = ?', [this.jira, guid]);
    this.changed();
  }
}

/** Small named values. */
export class MetaTable {
  constructor(private readonly db: Db, private readonly changed: () => void) {}

  /** The value of a key. */
  get(key: string): string | undefined {
    const row = this.db.get('SELECT value FROM meta WHERE key = ?', [key]);
    return row ? String(row.value) : undefined;
  }

  /** The keys that start with a prefix (compared as text: no character of it is a wildcard). */
  keys(prefix: string): string[] {
    return this.db.all('SELECT key FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key', [prefix.length, prefix]).map((row) => String(row.key));
  }

  /** Sets a key's value. */
  set(key: string, value: string): void {
    this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    this.changed();
  }

  /** Removes a key (nothing if absent). */
  delete(key: string): void {
    this.db.run('DELETE FROM meta WHERE key = ?', [key]);
    this.changed();
  }
}
