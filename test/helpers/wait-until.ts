// The one way a test waits for something in real time (I/O, a child process, a screen).
// A fixed sleep before an assertion is a flaky test on a loaded machine; this polls the
// condition and waits exactly as long as it needs, up to a generous deadline, then fails
// naming what never happened. Time-dependent logic is driven by the FakeClock instead
// (test/helpers/fake-clock.ts); "must not happen" is checked against an event the code
// emits, never by waiting a while.

/** Long enough for a 2-core machine shared by many jobs; a test that passes waits far less. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Resolves once `condition` holds (it may be async; checked every `intervalMs`); rejects
 * after `timeoutMs` with `what` (a function is called then, so it can show the last state).
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs: number = DEFAULT_WAIT_MS,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
