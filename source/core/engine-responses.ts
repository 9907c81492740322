// Every answer Jira gives is kept for the Responses view: when, what was asked, the status,
// how long it took and the first 2 KB of the body (the client masks the secrets before it
// cuts). The request's tag names the command it was for, whose GUID and log row the answer
// is filed under. The newest responses.maxEntries are kept. Nothing waits for these writes:
// they go with the next commit.
import type { EngineCore } from './engine-core.js';
import type { JiraResponse } from './ports.js';

/** Files one answer under its command's GUID and log row, and keeps the table to its bound. */
export function recordResponse(core: EngineCore, response: JiraResponse): void {
  const max = core.config.responses.maxEntries;
  if (core.stopped || max <= 0) return;
  const cmd = response.tag === null ? undefined : core.store.getCommand(response.tag);
  try {
    core.store.insertResponse({
      time: response.time, method: response.method, path: response.path, status: response.status,
      durationMs: response.durationMs, body: response.body, guid: cmd?.guid ?? null, logId: cmd?.logId ?? null,
    });
    core.store.pruneResponses(max);
  } catch {
    // A failing store: the answer is not kept, the command it belongs to goes on.
    return;
  }
  core.signals.changed();
  core.commitLater();
}
