// One client of the Advanced socket. Every line gets a slot in a FIFO; a slot is filled
// when its reply is known (an Advanced line: once the engine has committed it), and
// replies are written strictly from the head, so a later line that commits first still
// waits for the earlier ones. Reading pauses while too many lines are unanswered or the
// client does not read its replies (back-pressure), and resumes when that clears.
import { isUtf8 } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { EngineApi } from '../core/engine-api.js';
import { neutralise, oneLine } from '../core/safe-text.js';
import { LineFramer, type Frame } from './line-framer.js';

/** The per-connection limits the server passes down. */
export interface ConnectionLimits {
  token: string | null;
  /** With a token: a connection that has not authenticated this long after connecting is closed. */
  authTimeoutMs: number;
  idleTimeoutMs: number;
  maxLineBytes: number;
  maxUnanswered: number;
  maxUnansweredBytes: number;
}

/** What the server decides about a connection that authenticates (the slots of authenticated ones). */
export interface AuthHooks {
  /** Whether an authenticated slot is free; the connection has not authenticated yet. */
  admit(): boolean;
  /** The connection authenticated and now holds a slot. */
  authenticated(): void;
}

/**
 * What a connection did with its input and replies, as it happens (never line contents).
 * Lets a caller know that something did NOT happen without waiting a while: the reading
 * paused, a flush held replies back, the idle timer fired and the connection stayed open.
 */
export type FlowEvent =
  /** After every flush: `lines` read so far, replies `written` now, replies `ready` but held behind an unanswered one. */
  | { event: 'flushed'; lines: number; written: number; ready: number }
  /** Reading stopped (back-pressure) after `lines` lines, or started again. */
  | { event: 'paused' | 'resumed'; lines: number }
  /** The idle timeout fired while `unanswered` lines wait for their commit: the connection stays open. */
  | { event: 'idle-kept'; unanswered: number };

/** The longest reason a STATUS reply carries; the log row keeps the whole text. */
const MAX_STATUS_REASON = 500;

/** A reply known now, or computed when it reaches the head (STATUS sees every earlier line). */
interface Slot {
  reply: string | null;
  /** Bytes of the line, counted against the connection's back-pressure budget until answered. */
  bytes?: number;
  atHead?: () => string;
}

const guidPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The GUID a line names, for an ERR the engine never saw; `-` when there is none. */
function guidOf(text: string): string {
  const bar = text.indexOf('|');
  const candidate = bar === -1 ? '' : text.slice(0, bar);
  return guidPattern.test(candidate) ? candidate : '-';
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Serves one accepted socket until it closes. */
export class SocketConnection {
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly framer: LineFramer;
  private readonly slots: Slot[] = [];
  private head = 0;
  private unansweredBytes = 0;
  private flushScheduled = false;
  private authed: boolean;
  /** The client half-closed: no more lines will come. */
  private readEnded = false;
  /** We take no more lines (bad token, shutdown); replies still go out. */
  private noMoreLines = false;
  private writeBlocked = false;
  private paused = false;
  private ending = false;
  private authTimer: ReturnType<typeof setTimeout> | null = null;
  /** Lines taken from the socket (every frame, answered here or by the engine). */
  private linesRead = 0;

  constructor(
    private readonly socket: Socket,
    private readonly engine: Pick<EngineApi, 'submitLine' | 'status' | 'noteRefused'>,
    private readonly limits: ConnectionLimits,
    private readonly onLog?: (record: { event: string; [key: string]: unknown }) => void,
    private readonly authHooks?: AuthHooks,
    private readonly onFlow?: (event: FlowEvent) => void,
  ) {
    this.framer = new LineFramer(limits.maxLineBytes);
    this.authed = limits.token === null;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // A deadline from the connect, not an idle timer: a newline now and then must not keep
    // an unauthenticated connection open.
    if (!this.authed) {
      this.authTimer = setTimeout(() => this.dismiss(`ERR - AUTH not given within ${Math.max(1, Math.round(limits.authTimeoutMs / 1000))} s`), limits.authTimeoutMs);
      socket.once('close', () => this.clearAuthTimer());
    }
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('timeout', () => this.onIdle());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.updateFlow();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A client that resets is its own business; lines it sent are still committed.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.onLog?.({ event: 'connection-error', error: error.message });
    });
  }

  /** Whether the connection has authenticated (always, without a token). */
  get authenticated(): boolean {
    return this.authed;
  }

  /** Closes a connection that has not authenticated: its reply, then the socket (forcibly soon after). */
  dismiss(reply: string): void {
    this.clearAuthTimer();
    if (this.authed || this.noMoreLines) return;
    this.noMoreLines = true;
    this.socket.pause();
    this.answer(reply);
    this.flush();
    const timer = setTimeout(() => this.socket.destroy(), 2000);
    timer.unref();
  }

  private clearAuthTimer(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  /** Lines read and not yet answered. */
  get unanswered(): number {
    return this.slots.length - this.head;
  }

  /** Stops reading; answers what was read (for at most graceMs), then closes. */
  async shutdown(graceMs: number): Promise<void> {
    this.noMoreLines = true;
    this.socket.pause();
    this.maybeFinish();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    timer.unref();
    await this.closed;
    clearTimeout(timer);
  }

  private onData(chunk: Buffer): void {
    if (this.noMoreLines) return;
    for (const frame of this.framer.push(chunk)) {
      this.handle(frame);
      if (this.noMoreLines) break;
    }
    this.flush();
  }

  private onEnd(): void {
    this.readEnded = true;
    // A last line without its `\n` before a clean half-close still counts.
    if (!this.noMoreLines) for (const frame of this.framer.end()) this.handle(frame);
    this.flush();
  }

  private onIdle(): void {
    // Waiting on our own commits is not idleness; look again after another period.
    if (this.unanswered > 0) {
      this.socket.setTimeout(this.limits.idleTimeoutMs);
      this.onFlow?.({ event: 'idle-kept', unanswered: this.unanswered });
      return;
    }
    this.noMoreLines = true;
    this.finish();
  }

  private handle(frame: Frame): void {
    this.linesRead += 1;
    if (frame.kind === 'too-long') return this.refuse('ERR - line too long');
    if (!isUtf8(frame.bytes)) return this.refuse(`ERR ${guidOf(frame.bytes.toString('latin1'))} line is not valid UTF-8`);
    const text = frame.bytes.toString('utf8');
    // Linear on purpose: a 64 KiB line must not make this regex backtrack.
    const word = /^(AUTH|PING|STATUS)(?:\s+([^]*))?$/i.exec(text.trim());
    const command = word?.[1].toUpperCase();
    if (!this.authed || command === 'AUTH') return this.authenticate(command === 'AUTH' ? word![2] ?? '' : null);
    if (command === 'PING' && !word![2]) return this.answer('PONG');
    if (command === 'STATUS') return this.status(word![2] ?? '');
    const slot: Slot = { reply: null, bytes: frame.bytes.length };
    this.unansweredBytes += frame.bytes.length;
    this.slots.push(slot);
    this.engine.submitLine(text).then(
      (reply) => this.fill(slot, reply),
      (error: unknown) => this.fill(slot, `ERR ${guidOf(text)} not stored: ${(error as Error).message ?? String(error)}`),
    );
  }

  /** `AUTH <token>` (given null: some other first line while a token is required). */
  private authenticate(given: string | null): void {
    if (this.limits.token === null) return this.answer('OK auth');
    if (given !== null && sameToken(given, this.limits.token)) {
      this.clearAuthTimer();
      if (this.authHooks && !this.authHooks.admit()) {
        this.answer('ERR - too many connections');
        this.noMoreLines = true;
        return;
      }
      this.authed = true;
      this.authHooks?.authenticated();
      return this.answer('OK auth');
    }
    this.refuse(given === null ? 'ERR - AUTH required' : 'ERR - bad token');
    this.noMoreLines = true;
  }

  /** A line refused here, before the engine saw it: counted and logged by the engine too, like its own ERRs. */
  private refuse(reply: string): void {
    this.engine.noteRefused?.(reply);
    this.answer(reply);
  }

  private status(guid: string): void {
    if (!guidPattern.test(guid)) return this.answer(`ERR - STATUS needs a GUID (1-128 of A-Za-z0-9._:-)`);
    this.slots.push({
      reply: null,
      atHead: () => {
        const s = this.engine.status(guid);
        if (!s) return `ERR ${guid} unknown GUID`;
        const reply = `OK ${guid} ${s.status} ${s.ticketKey ?? '-'} ${s.ticketUrl ?? '-'}`;
        // The reason is Jira's text: one line, bounded, so it cannot forge reply lines.
        if (s.settling) return `${reply} settling: its answer was lost; looked up by its label before it is sent again`;
        return s.status === 'Failed' ? `${reply} ${oneLine(s.error || 'no reason was recorded', MAX_STATUS_REASON)}` : reply;
      },
    });
  }

  private answer(reply: string): void {
    this.slots.push({ reply });
  }

  private fill(slot: Slot, reply: string): void {
    slot.reply = reply;
    // One commit answers thousands of lines at once: write their replies together, once
    // the promise reactions of this turn have all run, instead of one syscall per reply.
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Writes every reply that is next in line, in one write. */
  private flush(): void {
    let out = '';
    let written = 0;
    while (this.head < this.slots.length) {
      const slot = this.slots[this.head];
      if (slot.reply === null && slot.atHead) slot.reply = slot.atHead();
      if (slot.reply === null) break;
      // One reply is one line: text from Jira (a key, a URL, a message) must not forge more.
      out += `${neutralise(slot.reply)}\n`;
      this.unansweredBytes -= slot.bytes ?? 0;
      this.head += 1;
      written += 1;
    }
    if (this.onFlow) {
      let ready = 0;
      for (let i = this.head; i < this.slots.length; i++) if (this.slots[i].reply !== null) ready += 1;
      this.onFlow({ event: 'flushed', lines: this.linesRead, written, ready });
    }
    // Drop answered slots now and then, without shifting the array on every reply.
    if (this.head > 4096 || this.head === this.slots.length) {
      this.slots.splice(0, this.head);
      this.head = 0;
    }
    if (out !== '' && !this.socket.destroyed && this.socket.writable) {
      if (!this.socket.write(out)) this.writeBlocked = true;
    }
    this.updateFlow();
    this.maybeFinish();
  }

  private updateFlow(): void {
    if (this.noMoreLines || this.socket.destroyed) return;
    const hold = this.writeBlocked || this.unanswered >= this.limits.maxUnanswered || this.unansweredBytes >= this.limits.maxUnansweredBytes;
    if (hold && !this.paused) {
      this.paused = true;
      this.socket.pause();
      this.onFlow?.({ event: 'paused', lines: this.linesRead });
    } else if (!hold && this.paused) {
      this.paused = false;
      this.socket.resume();
      this.onFlow?.({ event: 'resumed', lines: this.linesRead });
    }
  }

  private maybeFinish(): void {
    if ((this.readEnded || this.noMoreLines) && this.unanswered === 0) this.finish();
  }

  /** Our side is done: flush, send FIN, then release the socket. */
  private finish(): void {
    if (this.ending) return;
    this.ending = true;
    if (this.socket.destroyed) return;
    this.socket.end(() => this.socket.destroy());
  }
}
