// The terminal's keys, one read at a time. Over SSH (and from tmux), keys typed fast or
// held down arrive several in one read: `\x1b[B\x1b[B\x1b[B` for a held ↓. Ink parses such
// a read into keys but hands them to the handlers one after another in the same turn,
// before React has drawn the first one's result, so every handler computed its move from
// the same state and a held ↓ moved the selection once. This stand-in for stdin gives Ink
// one key per read and lets the event loop turn (React draws, effects attach the handler of
// a dialog the previous key opened) before the next: the same as a person typing slowly.
//
// In edit mode a run of printable characters stays one read: that is a paste, and the
// editors take it whole (one redraw, not one per character).
import { EventEmitter } from 'node:events';

/** A read split into keys: escape sequences, control keys, and characters (or whole runs of text when `wholeText`). */
export function splitReads(chunk: string, wholeText: boolean): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    const end = keyEnd(chunk, i, wholeText);
    out.push(chunk.slice(i, end));
    i = end;
  }
  return out;
}

function isPrintable(code: number): boolean {
  return code >= 0x20 && code !== 0x7f;
}

// Where the key that starts at `i` ends.
function keyEnd(s: string, i: number, wholeText: boolean): number {
  const code = s.charCodeAt(i);
  if (code === 0x1b) return escapeEnd(s, i);
  if (!isPrintable(code)) return i + 1;
  if (!wholeText) return i + (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length ? 2 : 1);
  let j = i + 1;
  while (j < s.length && isPrintable(s.charCodeAt(j))) j++;
  return j;
}

// ESC [ params final (CSI: arrows, PgUp, Home, F-keys with modifiers), ESC O x (SS3: arrows
// in application mode, F1–F4), ESC ESC … (Alt with such a key), ESC x (Alt+x), or ESC alone.
function escapeEnd(s: string, i: number): number {
  let j = i + 1;
  if (j >= s.length) return j;
  if (s[j] === '\x1b') j++; // Alt + an escape sequence: one key
  if (j >= s.length) return j;
  if (s[j] === '[') {
    j++;
    // Parameters and intermediates (0x20–0x3f), then one final byte (0x40–0x7e).
    while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x3f) j++;
    return Math.min(s.length, j + 1);
  }
  if (s[j] === 'O') return Math.min(s.length, j + 2);
  // Alt + a character; a lone ESC followed by another key's ESC was handled above.
  return j + 1;
}

/** The part of a TTY input stream Ink uses. */
export interface KeySource extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(on: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  ref?(): unknown;
  unref?(): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Turns of the event loop between two keys: one for React's render, one for the effects that attach the next handler. */
const TURNS_BETWEEN_KEYS = 2;

/** A stdin for Ink that releases one key per read, the event loop turning between keys. */
export class KeyReader extends EventEmitter {
  readonly isTTY: boolean;
  private readonly queue: string[] = [];
  private releasable = 0;
  private waiting = false;
  private editing = false;
  private listening = false;

  constructor(private readonly source: KeySource) {
    super();
    this.isTTY = source.isTTY === true;
  }

  /** Edit mode keeps runs of text (a paste) whole; navigation splits them into keys. */
  setEditing(editing: boolean): void {
    this.editing = editing;
  }

  setEncoding(): this {
    return this;
  }

  setRawMode(on: boolean): this {
    this.source.setRawMode?.(on);
    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  /** Ink's `while ((chunk = stdin.read()) !== null)`: one key, then null until the loop has turned. */
  read(): string | null {
    if (this.releasable === 0 || this.queue.length === 0) return null;
    this.releasable--;
    const key = this.queue.shift() as string;
    if (this.queue.length > 0) this.releaseLater();
    return key;
  }

  override addListener(event: string | symbol, listener: (...args: any[]) => void): this {
    return this.on(event, listener);
  }

  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    super.on(event, listener);
    if (event === 'readable') {
      if (!this.listening) this.listen();
      // Keys read while nobody listened go to the new listener.
      if (this.queue.length > 0) this.releaseLater();
    }
    return this;
  }

  override removeListener(event: string | symbol, listener: (...args: any[]) => void): this {
    super.removeListener(event, listener);
    // Ink lets go of the input when no handler is active — also for a moment between one
    // pane's handler going inactive and a dialog's becoming active. Keys already read stay
    // queued for the next listener; the terminal is let go only if nobody came back
    // (the app unmounted, or $EDITOR owns the terminal now).
    if (event === 'readable' && this.listenerCount('readable') === 0) {
      setImmediate(() => {
        if (this.listenerCount('readable') === 0) this.stopReading();
      });
    }
    return this;
  }

  override off(event: string | symbol, listener: (...args: any[]) => void): this {
    return this.removeListener(event, listener);
  }

  /** Stops reading the terminal for good (the app is leaving); keys not handed out are dropped. */
  detach(): void {
    this.queue.length = 0;
    this.stopReading();
  }

  private stopReading(): void {
    if (!this.listening) return;
    this.listening = false;
    this.source.removeListener('data', this.onData);
    this.source.pause();
  }

  private listen(): void {
    this.listening = true;
    this.source.setEncoding('utf8');
    this.source.on('data', this.onData);
    this.source.resume();
  }

  private readonly onData = (chunk: string | Buffer): void => {
    const wasIdle = this.queue.length === 0 && !this.waiting;
    this.queue.push(...splitReads(chunk.toString(), this.editing));
    // The first key of a quiet moment goes at once: no added latency for a single key.
    if (wasIdle) {
      this.releasable = 1;
      this.emit('readable');
    }
  };

  private releaseLater(): void {
    if (this.waiting) return;
    this.waiting = true;
    let turns = TURNS_BETWEEN_KEYS;
    const turn = () => {
      if (--turns > 0) {
        setImmediate(turn);
        return;
      }
      this.waiting = false;
      this.releasable = 1;
      if (this.queue.length > 0) this.emit('readable');
    };
    setImmediate(turn);
  }
}
