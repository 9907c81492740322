// The attached app's view of the engine's log. The panes ask for rows synchronously (as
// they do of an engine in the same process); over the control socket each answer takes a
// round trip. So rows are fetched a window at a time — a few screens around the one asked
// for, never the whole log — and kept per filter; a question the cache cannot answer yet
// returns what it has (the last rows for that filter) and asks the engine, and `onLanded`
// tells the app to draw again when the answer arrives. Everything is tagged with the
// engine's log version: a newer one serves the old rows once more while fetching again.
import type { LogQuery, LogRow } from '../core/ports.js';
import { DEFAULT_LOG_WINDOW, MAX_LOG_WINDOW } from './control-protocol.js';

/** How many screens of rows one fetch covers, before and after the one asked for. */
const SCREENS_BEFORE = 2;
const SCREENS_AFTER = 2;
/** Filters remembered (the Log pane has one at a time; a few are kept for going back). */
const MAX_FILTERS = 8;

type Filter = Omit<LogQuery, 'offset' | 'limit'>;

interface Block {
  version: number;
  start: number;
  rows: LogRow[];
  /** The engine had no rows past this block's end. */
  atEnd: boolean;
}

/** What the cache needs from the connection. */
export interface LogFetcher {
  queryLog(query: LogQuery): Promise<LogRow[]>;
  countLog(filter: Filter): Promise<number>;
  getLogRow(id: number): Promise<LogRow | null>;
}

function filterKey(query: Filter): string {
  return JSON.stringify([query.status ?? null, query.guid ?? null, query.ticketKey ?? null, query.text ?? null]);
}

function filterOf(query: LogQuery): Filter {
  const { offset: _offset, limit: _limit, ...filter } = query;
  return filter;
}

/** Rows, counts and single rows of the engine's log, served from windows fetched ahead. */
export class LogWindowCache {
  private blocks = new Map<string, Block>();
  private counts = new Map<string, { version: number; count: number }>();
  private single = new Map<number, { version: number; row: LogRow | null }>();
  private fetching = new Set<string>();
  /** Filters whose rows the pane is waiting for (a redraw is due when they land). */
  private awaited = new Set<string>();
  /** The newest question per filter asked while its fetch was out. */
  private wanted = new Map<string, LogQuery>();
  private version = 0;
  /** The filter of the rows the engine last pushed, while the pane has not read them. */
  private pushedUnread: string | null = null;

  constructor(private readonly fetcher: () => LogFetcher | null, private readonly onLanded: () => void) {}

  /** The engine's log version changed: what is cached is served once more and fetched again. */
  setVersion(version: number): void {
    this.version = version;
  }

  /**
   * Rows the engine pushed with an update, for the window this app last asked (at the
   * update's log version): the redraw after it finds them here and asks nothing. Returns
   * false when the rows pushed before were never read — the pane no longer shows them, and
   * the engine may stop sending them.
   */
  offer(query: LogQuery, rows: LogRow[]): boolean {
    const key = filterKey(filterOf(query));
    const limit = query.limit ?? DEFAULT_LOG_WINDOW;
    const read = this.pushedUnread === null;
    this.blocks.set(key, { version: this.version, start: query.offset ?? 0, rows, atEnd: rows.length < limit });
    this.trim(this.blocks);
    this.pushedUnread = key;
    return read;
  }

  /** A new engine (reattached): nothing cached belongs to it. */
  clear(): void {
    this.pushedUnread = null;
    this.blocks.clear();
    this.counts.clear();
    this.single.clear();
    this.wanted.clear();
    this.awaited.clear();
  }

  /** Whether queryLog would answer these exact rows now, at the current version (no fetch started). */
  holds(query: LogQuery): boolean {
    const block = this.blocks.get(filterKey(filterOf(query)));
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_LOG_WINDOW;
    return block !== undefined && block.version === this.version && offset >= block.start
      && (offset + limit <= block.start + block.rows.length || block.atEnd);
  }

  queryLog(query: LogQuery): LogRow[] {
    const filter = filterOf(query);
    const key = filterKey(filter);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_LOG_WINDOW;
    const block = this.blocks.get(key);
    const covers = block !== undefined && offset >= block.start && (offset + limit <= block.start + block.rows.length || block.atEnd);
    if (this.pushedUnread === key) this.pushedUnread = null;
    // Near an edge of what is held, the next window is fetched ahead, so that paging on
    // finds its rows already here and draws once, without waiting for a round trip.
    const nearEnd = covers && !block.atEnd && offset + 2 * limit > block.start + block.rows.length;
    const nearStart = covers && block.start > 0 && offset - limit < block.start;
    const needed = !covers || block.version !== this.version;
    if (needed || nearEnd || nearStart) this.fetchRows(key, { ...filter, offset, limit }, needed);
    if (!block) return [];
    if (covers) return block.rows.slice(offset - block.start, offset - block.start + limit);
    // Not fetched yet: the nearest rows there are, so the table does not blank while scrolling.
    const from = Math.max(0, Math.min(offset - block.start, block.rows.length - limit));
    return block.rows.slice(from, from + limit);
  }

  countLog(query: Filter = {}): number {
    const filter = filterOf(query);
    const key = filterKey(filter);
    const known = this.counts.get(key);
    if (!known || known.version !== this.version) {
      const tag = `count:${key}`;
      if (!this.fetching.has(tag)) {
        const fetcher = this.fetcher();
        if (fetcher) {
          const version = this.version;
          this.fetching.add(tag);
          fetcher.countLog(filter).then((count) => {
            this.counts.set(key, { version, count });
            this.trim(this.counts);
            this.onLanded();
          }, () => undefined).finally(() => this.fetching.delete(tag));
        }
      }
    }
    return known?.count ?? 0;
  }

  getLogRow(id: number): LogRow | undefined {
    const known = this.single.get(id);
    if (!known || known.version !== this.version) {
      const tag = `row:${id}`;
      const fetcher = this.fetcher();
      if (fetcher && !this.fetching.has(tag)) {
        const version = this.version;
        this.fetching.add(tag);
        fetcher.getLogRow(id).then((row) => {
          this.single.set(id, { version, row });
          this.trim(this.single);
          this.onLanded();
        }, () => undefined).finally(() => this.fetching.delete(tag));
      }
    }
    return known?.row ?? undefined;
  }

  /** `needed`: the pane is drawing without these rows (else it is a fetch ahead, landing unseen). */
  private fetchRows(key: string, query: LogQuery, needed: boolean): void {
    if (this.fetching.has(key)) {
      this.wanted.set(key, query);
      if (needed) this.awaited.add(key);
      return;
    }
    if (needed) this.awaited.add(key);
    const fetcher = this.fetcher();
    if (!fetcher) return;
    const limit = query.limit ?? DEFAULT_LOG_WINDOW;
    const before = Math.min(SCREENS_BEFORE * limit, Math.floor((MAX_LOG_WINDOW - limit) / 2));
    const start = Math.max(0, (query.offset ?? 0) - before);
    const want = Math.min(MAX_LOG_WINDOW, (query.offset ?? 0) - start + (1 + SCREENS_AFTER) * limit);
    const version = this.version;
    this.fetching.add(key);
    fetcher.queryLog({ ...filterOf(query), offset: start, limit: want }).then((rows) => {
      this.blocks.set(key, { version, start, rows, atEnd: rows.length < want });
      this.trim(this.blocks);
      // Rows fetched ahead land unseen: no redraw for them (a redraw per page would cost a frame).
      if (this.awaited.delete(key)) this.onLanded();
    }, () => undefined).finally(() => {
      this.fetching.delete(key);
      const next = this.wanted.get(key);
      this.wanted.delete(key);
      // Ask again only if the newest question is still not answered by what landed.
      if (next) this.queryLog(next);
    });
  }

  private trim<K, V>(map: Map<K, V>): void {
    while (map.size > MAX_FILTERS * 8) map.delete(map.keys().next().value as K);
  }
}
