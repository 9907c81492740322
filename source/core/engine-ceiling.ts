// The ceiling on waiting work (config queue.maxCommands, queue.maxBytes). Everything waiting
// lives in the store, which is held in memory and written whole at each snapshot; with Jira
// down for long, an unbounded queue grows it past what can be written or read back, and
// the lines it acknowledged are stranded. So a line that would go past the ceiling is
// refused before it is acknowledged (nothing of it is stored), saying how full the queue is
// and why it is not draining; the fill level is in the snapshot, and crossing 80 % is said
// once in the events (and again when it falls back below 70 %, so it cannot flap).
import type { EngineCore } from './engine-core.js';
import type { EngineSignals } from './engine-events.js';
import type { QueueFill } from './engine-api.js';
import { localIso } from './local-time.js';

/** The fill level at which the engine warns, and the one below which it says the queue eased. */
export const FILL_WARN = 0.8;
export const FILL_EASED = 0.7;

/** The waiting work against its ceiling now. */
export function queueFill(core: EngineCore): QueueFill {
  const { maxCommands, maxBytes } = core.config.queue;
  const commands = core.queue.size;
  const bytes = core.queue.bytes;
  return { commands, bytes, maxCommands, maxBytes, fill: Math.min(1, Math.max(commands / maxCommands, bytes / maxBytes)) };
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Why the waiting work is not draining, in the words of an `ERR … queue full` reply. */
function whyWaiting(core: EngineCore): string {
  if (core.paused) return 'Jira refused the credentials (the queue is paused until they change)';
  const closedAt = core.gate.closedAt;
  if (closedAt !== null) return `Jira unreachable since ${localIso(closedAt)}`;
  const connection = core.connection;
  if (connection.state === 'down') return `Jira unreachable since ${localIso(connection.checkedAt)}`;
  const { maxUpdates, intervalSeconds } = core.config.updates;
  return `Jira is taking them more slowly than they arrive (updates throttled to ${maxUpdates} per ${intervalSeconds}s)`;
}

/** The reply refusing a line of `lineBytes` bytes, or null when it fits under the ceiling. */
export function ceilingRefusal(core: EngineCore, guid: string, lineBytes: number): string | null {
  const fill = queueFill(core);
  const overCount = fill.commands + 1 > fill.maxCommands;
  const overBytes = fill.bytes + lineBytes > fill.maxBytes;
  if (!overCount && !overBytes) return null;
  const limit = overCount
    ? `the ceiling queue.maxCommands is ${fill.maxCommands}`
    : `${mib(fill.bytes)} of lines, the ceiling queue.maxBytes is ${mib(fill.maxBytes)}`;
  return `ERR ${guid} queue full: send it again once the queue drains — ${fill.commands} commands waiting (${limit}), ${whyWaiting(core)}`;
}

/** Says crossing 80 % once, and falling back below 70 %. */
export class FillWatch {
  private warned = false;
  private active = false;

  constructor(private readonly core: EngineCore, private readonly signals: EngineSignals) {}

  /** From now on changes are watched (after the queue was loaded, once listeners can hear it). */
  start(): void {
    this.active = true;
    this.check();
  }

  check(): void {
    if (!this.active) return;
    const fill = queueFill(this.core);
    if (!this.warned && fill.fill >= FILL_WARN) {
      this.warned = true;
      this.signals.emit({ type: 'queue-filling', fill });
    } else if (this.warned && fill.fill < FILL_EASED) {
      this.warned = false;
      this.signals.emit({ type: 'queue-eased', fill });
    }
  }
}
