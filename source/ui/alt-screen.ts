// The terminal's alternate screen. Ink 6 has no option for it, so the app switches
// itself: on at start, off after Ink has unmounted (so Ink's last frame and its cursor
// restore land on the alternate screen, not on the shell's), and off on every way out —
// `q`, Ctrl-C, SIGTERM, SIGHUP and a crash — so the operator gets the shell back.

/** Switch to the alternate screen and home the cursor. */
export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
/** Show the cursor and switch back to the normal screen (the shell's contents come back). */
export const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

/** Something that takes terminal output (process.stdout in the app, a buffer in tests). */
export interface TerminalOutput {
  write(chunk: string): unknown;
}

/** An idempotent switch to and from the alternate screen. */
export interface AltScreen {
  enter(): void;
  leave(): void;
  readonly active: boolean;
}

/** Makes the switch for one output; entering or leaving twice writes once. */
export function createAltScreen(output: TerminalOutput): AltScreen {
  let active = false;
  return {
    enter() {
      if (active) return;
      active = true;
      output.write(ENTER_ALT_SCREEN);
    },
    leave() {
      if (!active) return;
      active = false;
      output.write(LEAVE_ALT_SCREEN);
    },
    get active() {
      return active;
    },
  };
}

/** Why the app is ending when it is not the user's `q`. */
export type ExitCause =
  | { kind: 'signal'; signal: NodeJS.Signals }
  | { kind: 'crash'; error: unknown };

/** The process-level hooks the guards attach to (process itself, or a fake in tests). */
export interface ProcessLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * Routes SIGTERM, SIGINT, SIGHUP, uncaught errors and unhandled rejections to `onExit`,
 * which restores the screen and ends the app. Returns the function that detaches them.
 * Installing a listener also stops Node's default of dying on the spot with the
 * terminal still in raw mode on the alternate screen.
 */
export function installExitGuards(onExit: (cause: ExitCause) => void, proc: ProcessLike = process): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => onExit({ kind: 'signal', signal });
  const onCrash = (error: unknown) => onExit({ kind: 'crash', error });
  for (const signal of signals) proc.on(signal, onSignal);
  proc.on('uncaughtException', onCrash);
  proc.on('unhandledRejection', onCrash);
  return () => {
    for (const signal of signals) proc.off(signal, onSignal);
    proc.off('uncaughtException', onCrash);
    proc.off('unhandledRejection', onCrash);
  };
}

/** The one line printed on the restored screen after a crash (never a stack full of data). */
export function crashMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `jiraline: ${message || 'unexpected error'}`;
}

/** Clears the screen and homes the cursor. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/**
 * Puts `prefix` in front of the next write to `out`, then writes as before. Ink draws
 * from the cursor down, so the early frame must be cleared first; cleared in the same
 * write as Ink's first frame (not before the App's first render, which takes a moment),
 * the early frame stays up until the App's replaces it, with no blank screen between.
 */
export function prefixNextWrite(out: NodeJS.WriteStream, prefix: string): void {
  const own = Object.prototype.hasOwnProperty.call(out, 'write');
  const original = out.write;
  out.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (own) out.write = original;
    else delete (out as { write?: unknown }).write;
    const text = typeof chunk === 'string' ? prefix + chunk : Buffer.concat([Buffer.from(prefix), Buffer.from(chunk as Uint8Array)]);
    return (original as (...args: unknown[]) => boolean).call(this, text, ...rest);
  } as NodeJS.WriteStream['write'];
}
