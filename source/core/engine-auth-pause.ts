// The pause for refused credentials: once Jira answers 401/403, every unit would be refused
// the same way, so the whole queue holds (`core.paused`) and the credentials are tried again
// every AUTH_RECHECK_MS until they work or are changed; then the queue resumes. The recheck's
// timer is on the engine's stop signal: a stop clears it, and it cannot be armed after.
// See docs/architecture.md#pacing-retries-the-pause-and-the-gate.
import type { ClockTimer } from './clock-timer.js';
import type { ConnectionState } from './engine-api.js';
import type { EngineCore } from './engine-core.js';

/** While 401/403 holds the queue, the credentials are tried again this often. */
export const AUTH_RECHECK_MS = 5 * 60 * 1000;

/** What the pause needs from the engine. */
export interface AuthPauseHooks {
  /** The timed connection check while paused (it tells only a change). */
  recheck(): Promise<ConnectionState>;
  /** The queue may go again: the scheduler looks at everything. */
  resumed(): void;
}

/** Holds and resumes the queue over refused credentials; see the file comment. */
export class AuthPause {
  private readonly timer: ClockTimer;

  constructor(private readonly core: EngineCore, private readonly hooks: AuthPauseHooks) {
    this.timer = core.timer(() => void core.track(this.recheck()));
  }

  /** Jira refused the credentials: hold the queue and arm the recheck. */
  pause(reason: string): void {
    if (this.core.paused) return;
    this.core.paused = true;
    this.core.signals.emit({ type: 'paused', reason });
    this.timer.armIn(AUTH_RECHECK_MS);
  }

  /** The credentials work (or changed): the queue goes again. */
  resume(): void {
    if (!this.core.paused) return;
    this.core.paused = false;
    this.timer.clear();
    this.core.signals.emit({ type: 'resumed' });
    this.hooks.resumed();
  }

  private async recheck(): Promise<void> {
    const connection = await this.hooks.recheck();
    // Jira down is no reason to hold the queue: the retries deal with it.
    if (connection.state !== 'auth-refused') this.resume();
    else if (this.core.paused) this.timer.armIn(AUTH_RECHECK_MS);
  }
}
