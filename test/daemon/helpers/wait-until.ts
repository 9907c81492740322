// Polling instead of fixed sleeps: on a loaded 2-core machine a fixed sleep before an
// assertion is a flaky test; polling waits exactly as long as the condition needs.

/** Resolves once cond() holds (checked every 10 ms); rejects naming `label` after timeoutMs. */
export async function waitUntil(cond: () => boolean, label: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
