// Lines answered ERR leave a trace: a fire-and-forget `echo … | nc` with a typo never reads
// its reply, so the refusal is counted in the statistics (per day and in total, like
// tickets) and reported as a `refused` event (the daemon's log), with the GUID and reason.
import { localDay } from './clock.js';
import type { EngineCore } from './engine-core.js';

/** A reason is our own text, but it may quote part of the line (a field name): it is cut to this. */
export const MAX_REFUSED_REASON = 300;

/** Splits `ERR <GUID|-> <reason>` into its GUID (null for `-`) and its reason, cut to a bounded length. */
export function parseRefusal(reply: string): { guid: string | null; reason: string } {
  const match = /^ERR (\S+) ?([\s\S]*)$/.exec(reply);
  const guid = match && match[1] !== '-' ? match[1].slice(0, 128) : null;
  // eslint-disable-next-line no-control-regex -- control characters are what is taken out
  const text = (match?.[2] ?? reply).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const reason = text.length > MAX_REFUSED_REASON ? `${text.slice(0, MAX_REFUSED_REASON - 1)}…` : text;
  return { guid, reason };
}

/** Counts one refused line and reports it (see the file comment). */
export function noteRefused(core: EngineCore, reply: string): void {
  const { guid, reason } = parseRefusal(reply);
  try {
    core.store.addStats(localDay(core.clock.now()), 0, 0, 1);
    // Nothing waits on this count: it goes with the next commit (or stop's last one).
    core.commitLater();
  } catch {
    // A failing (or, after the stop, closed) store: the event below still tells the operator.
  }
  core.signals.emit({ type: 'refused', guid, reason });
}
