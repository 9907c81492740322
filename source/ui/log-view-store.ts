// What the Log pane shows, kept outside React: the rows around the visible window, the
// filter's count and the opened row. The pane reads it with useSyncExternalStore and
// draws a slice of it; it never queries the engine while drawing (an in-process engine
// answers with SQL, and a query during render runs again on every redraw, however
// unrelated). The store asks the engine from the key handlers (`show`, `open`), from
// engine notifications (new, changed or pruned rows) and from its own timers.
//
// A key must draw its new window in the very next frame, not one frame later: so the
// store holds a block of a few screens around the window, a page move is a slice of it,
// and the block is refilled around the new position after the key, off the key path. A
// jump the block does not cover (End on 100,000 rows) is fetched in the key handler
// itself, before the frame. Attached to an engine in another process, the engine's own
// window cache (control/log-window-cache.ts) answers these reads without a round trip.
//
// Counting by status, GUID or key is cheap (indexed), but a free-text count scans every
// row (about 50 ms at 100,000): it is taken once typing (or row churn) pauses, and until
// then the count is null and the pane shows the first page.
import type { EngineApi } from '../core/engine-api.js';
import type { LogQuery, LogRow } from '../core/ports.js';
import { batchSubscribe, REDRAW_INTERVAL_MS } from './hooks/use-engine.js';
import type { LogFilter } from './log-filter.js';
import { parseLogFilter } from './log-filter.js';
import type { PaneMemory } from './panes/pane-props.js';
import type { ListWindow } from './components/list-window.js';

/** Pause after the last change before a free-text filter is counted. */
export const TEXT_COUNT_DELAY_MS = 150;
/** Screens of rows held before and after the visible one. */
const SCREENS_BEFORE = 1;
const SCREENS_AFTER = 2;

/** Rows held around the window: `rows[0]` is row `start` of the filtered log. */
export interface LogBlock {
  start: number;
  rows: LogRow[];
  /** No rows follow the block. */
  atEnd: boolean;
}

/** What the pane draws from. */
export interface LogView {
  /** The filter the block and count are for (see filterKey). */
  key: string;
  block: LogBlock | null;
  /** Rows the filter selects; null while a free-text count waits for typing to pause. */
  count: number | null;
  openId: number | null;
  openRow: LogRow | undefined;
}

/** One string per filter. */
export function filterKey(filter: LogFilter): string {
  return JSON.stringify([filter.status ?? null, filter.guid ?? null, filter.ticketKey ?? null, filter.text ?? null]);
}

/** The rows from `top` the view holds (the nearest it has while a refill is out). Pure: for render. */
export function visibleRows(view: LogView, top: number, limit: number): LogRow[] {
  const block = view.block;
  if (!block) return [];
  const from = Math.max(0, Math.min(top - block.start, block.rows.length - limit));
  return block.rows.slice(from, from + limit);
}

/** An engine whose log reads are served from a cache (attached): it says whether a read is exact. */
interface CachedLog {
  holdsLog?(query: LogQuery): boolean;
}

/** Timers, replaceable in tests. */
export interface LogViewTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: LogViewTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The Log pane's rows, count and opened row, fetched off the render path. */
export class LogViewStore {
  private view: LogView = { key: '', block: null, count: null, openId: null, openRow: undefined };
  private filter: LogFilter = {};
  private top = 0;
  private limit = 1;
  /** The engine's log version the block, count and opened row were read at. */
  private version = -1;
  private countVersion = -1;
  private shown = false;
  private readonly listeners = new Set<() => void>();
  private unwatch: (() => void) | null = null;
  private refill: unknown = null;
  private counting: unknown = null;

  constructor(readonly engine: EngineApi, private readonly options: { textCountDelayMs?: number; redrawMs?: number; timers?: LogViewTimers } = {}) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.unwatch = batchSubscribe((l) => this.engine.subscribe(l), this.options.redrawMs ?? REDRAW_INTERVAL_MS)(() => this.engineChanged());
      // Rows may have come while nobody looked: the last window stays drawn until then.
      this.engineChanged();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unwatch?.();
        this.unwatch = null;
        // Nobody looks: no read after the pane is gone (the engine may be stopping). A count
        // left pending is taken when the pane is back (its version is then stale).
        this.cancelRefill();
        this.cancelCount();
      }
    };
  };

  readonly getSnapshot = (): LogView => this.view;

  /**
   * The pane shows `limit` rows from `top` under `filter`. Called from key handlers and
   * effects: when done, the view holds those rows (fetched now if the block missed them).
   */
  show(filter: LogFilter, top: number, limit: number): void {
    const key = filterKey(filter);
    this.filter = filter;
    this.top = Math.max(0, top);
    this.limit = Math.max(1, limit);
    this.shown = true;
    if (key !== this.view.key) {
      this.view = { ...this.view, key, block: null, count: null };
      this.recount(true);
      this.fill();
      return;
    }
    const block = this.view.block;
    if (!block || !this.covers(block)) {
      this.fill();
      return;
    }
    if (this.version !== this.logVersion()) {
      this.scheduleRefill();
      return;
    }
    // Near an edge of the block: refill around the new position after this frame.
    const nearEnd = !block.atEnd && this.top + 2 * this.limit > block.start + block.rows.length;
    const nearStart = block.start > 0 && this.top - this.limit < block.start;
    if (nearEnd || nearStart) this.scheduleRefill();
  }

  /** Opens a row (its full text), or closes it with null. */
  open(id: number | null): void {
    this.view = { ...this.view, openId: id, openRow: id === null ? undefined : this.engine.getLogRow(id) };
    this.emit();
  }

  /** Fetches a first window before the pane is ever shown, so its first frame has rows. */
  prime(filter: LogFilter, top: number, limit: number): void {
    if (this.shown || this.view.block) return;
    this.filter = filter;
    this.top = Math.max(0, top);
    this.limit = Math.max(1, limit);
    this.view = { ...this.view, key: filterKey(filter) };
    this.recount(true);
    this.fill(false);
  }

  private logVersion(): number {
    return this.engine.getSnapshot().logVersion;
  }

  private covers(block: LogBlock): boolean {
    return this.top >= block.start && (this.top + this.limit <= block.start + block.rows.length || block.atEnd);
  }

  /** The block to hold around the window. */
  private blockQuery(): LogQuery {
    const start = Math.max(0, this.top - SCREENS_BEFORE * this.limit);
    return { ...this.filter, offset: start, limit: this.top - start + (1 + SCREENS_AFTER) * this.limit };
  }

  /** Reads the block around the window now (never from render). */
  private fill(notify = true): void {
    this.cancelRefill();
    const query = this.blockQuery();
    const start = query.offset ?? 0;
    const want = query.limit ?? 0;
    this.version = this.logVersion();
    const rows = this.engine.queryLog(query);
    const openRow = this.view.openId === null ? undefined : this.engine.getLogRow(this.view.openId);
    this.view = { ...this.view, block: { start, rows, atEnd: rows.length < want }, openRow };
    if (notify) this.emit();
  }

  private scheduleRefill(): void {
    if (this.refill !== null) return;
    const timers = this.options.timers ?? realTimers;
    this.refill = timers.setTimeout(() => {
      this.refill = null;
      const stale = this.version !== this.logVersion();
      // Attached, rows not held yet would come back as the nearest ones: keep the block
      // there is, and let the read ask the engine; its answer bumps the version and lands here.
      const cached = this.engine as EngineApi & CachedLog;
      if (!stale && cached.holdsLog && !cached.holdsLog(this.blockQuery())) {
        this.engine.queryLog(this.blockQuery());
        return;
      }
      // Same rows on screen: the new block is taken at the next draw, with no draw of its own.
      this.fill(stale);
    }, 0);
  }

  private cancelRefill(): void {
    if (this.refill === null) return;
    (this.options.timers ?? realTimers).clearTimeout(this.refill);
    this.refill = null;
  }

  /** Counts now (indexed filters), or once the typing or churn pauses (free text). */
  private recount(filterChanged: boolean): void {
    const timers = this.options.timers ?? realTimers;
    // Churn alone does not put a pending count off (it would never be taken under load).
    if (this.counting !== null && !filterChanged && this.filter.text) return;
    this.cancelCount();
    const version = this.logVersion();
    if (!this.filter.text) {
      this.countVersion = version;
      this.view = { ...this.view, count: this.engine.countLog(this.filter) };
      return;
    }
    if (filterChanged) this.view = { ...this.view, count: null };
    // Read ahead with nobody looking (prime): the count waits for the pane.
    if (this.listeners.size === 0) return;
    this.counting = timers.setTimeout(() => {
      this.counting = null;
      this.countVersion = this.logVersion();
      this.view = { ...this.view, count: this.engine.countLog(this.filter) };
      this.emit();
    }, this.options.textCountDelayMs ?? TEXT_COUNT_DELAY_MS);
  }

  private cancelCount(): void {
    if (this.counting === null) return;
    (this.options.timers ?? realTimers).clearTimeout(this.counting);
    this.counting = null;
  }

  /** New, changed or pruned rows (or, attached, rows that arrived): read the window again. */
  private engineChanged(): void {
    if (!this.shown && !this.view.block) return;
    const version = this.logVersion();
    const rowsStale = version !== this.version;
    // A free-text count already waiting is taken at the version current when it runs.
    const countStale = version !== this.countVersion && this.counting === null;
    if (!rowsStale && !countStale) return;
    if (countStale) this.recount(false);
    if (rowsStale) this.fill(false);
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The Log pane's store for this engine, kept in pane memory so it outlives the pane. */
export function logViewStore(memory: PaneMemory, engine: EngineApi): LogViewStore {
  const held = memory.get('log.view');
  if (held instanceof LogViewStore && held.engine === engine) return held;
  const store = new LogViewStore(engine);
  memory.set('log.view', store);
  return store;
}

/**
 * Reads the Log pane's window (as it was left, or the first page) into its store, a turn
 * after the app's first frame: pressing 3 then draws rows at once, not an empty table first.
 * `screenRows` is the terminal's height, more than the table shows.
 */
export function primeLogView(memory: PaneMemory, engine: EngineApi, screenRows: number): () => void {
  const timer = setTimeout(() => {
    const text = memory.get('log.filter');
    const window = memory.get('log.window') as ListWindow | undefined;
    logViewStore(memory, engine).prime(parseLogFilter(typeof text === 'string' ? text : ''), window?.top ?? 0, screenRows);
  }, 0);
  return () => clearTimeout(timer);
}
