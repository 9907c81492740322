// Every answer Jira gives is kept for the Responses view: when, what was asked, the status,
// how long it took and the first 2 KB of the body (the client masks the secrets before it
// cuts). The request's tag names the command it was for, whose GUID and log row the answer
// is filed under. The newest responses.maxEntries are kept.
// This runs for every answer, thousands a second in a burst, beside the sends it describes:
// an answer is only noted in memory here, and the notes go to the store together — a slice
// of RESPONSE_SLICE_ROWS as soon as one is full (on the next turn of the event loop, one
// slice a turn, in one statement), what is left of them after a second, and everything when
// someone reads them or the engine stops. Writing each at once slowed a burst of CREATEs by a
// fifth; writing a second's worth at once held the engine's thread for tens of ms, and every
// line arriving meanwhile waited for its reply. Nothing waits for these writes: they ride on
// the next commit, and a crash loses at most the last second's notes.
import type { EngineCore } from './engine-core.js';
import type { JiraResponse, ResponseRow, TimerHandle } from './ports.js';

/** How long answers wait in memory before they are written together. */
export const RESPONSE_FLUSH_MS = 1000;

/** Answers written in one turn of the event loop, and how many make a slice worth writing at once. */
export const RESPONSE_SLICE_ROWS = 64;

/** The answers heard and not yet written, for one engine. */
export class ResponseRecorder {
  private pending: Array<Omit<ResponseRow, 'id'>> = [];
  private timer: TimerHandle | null = null;
  /** A slice is due on the next turn (the rest of a batch being written). */
  private sliceQueued = false;

  constructor(private readonly core: EngineCore) {}

  /** Notes one answer, filed under its command's GUID and log row. */
  record(response: JiraResponse): void {
    const { core } = this;
    const max = core.config.responses.maxEntries;
    // Once stopped (the store may be closed) an answer is not kept, nor a flush timer armed.
    if (core.stopped || max <= 0) return;
    // The command is open while its request is answered: found in memory, not by a query.
    const cmd = response.tag === null ? undefined : core.queue.get(response.tag);
    this.pending.push({
      time: response.time, method: response.method, path: response.path, status: response.status,
      durationMs: response.durationMs, body: response.body, guid: cmd?.guid ?? null, logId: cmd?.logId ?? null,
    });
    // More than the table keeps would only be deleted again.
    if (this.pending.length > max) this.pending.splice(0, this.pending.length - max);
    if (this.sliceQueued) return;
    // A full slice goes on the next turn: a second's answers kept in memory outlived the young
    // generation's collections, and copying them there each time cost more than writing them.
    if (this.pending.length >= RESPONSE_SLICE_ROWS) {
      this.queueSlice();
      return;
    }
    this.timer ??= core.clock.setTimeout(() => {
      this.timer = null;
      this.writeSlice();
    }, RESPONSE_FLUSH_MS);
  }

  /** Writes the oldest slice of what was noted; the rest follows on the next turn. */
  private writeSlice(): void {
    this.sliceQueued = false;
    this.write(this.pending.splice(0, RESPONSE_SLICE_ROWS));
    if (this.pending.length > 0) this.queueSlice();
  }

  private queueSlice(): void {
    this.sliceQueued = true;
    this.core.clock.nextTurn(() => {
      if (this.sliceQueued) this.writeSlice();
    });
  }

  /** Writes what was noted (the view reads after this; stop calls it before the last commit). */
  flush(): void {
    const { core } = this;
    if (this.timer !== null) core.clock.clearTimeout(this.timer);
    this.timer = null;
    this.sliceQueued = false;
    const rows = this.pending;
    this.pending = [];
    this.write(rows);
  }

  private write(rows: Array<Omit<ResponseRow, 'id'>>): void {
    const { core } = this;
    // After the stop the store may be closed: a slice still queued then is not written.
    if (rows.length === 0 || core.stopped) return;
    try {
      core.store.insertResponses(rows);
      core.store.pruneResponses(core.config.responses.maxEntries);
    } catch {
      // A failing store: these answers are not kept; the commands they belong to go on.
      return;
    }
    core.commitLater();
  }
}
