// An app attached to a daemon is a view of the daemon's work, and on a busy host the daemon's
// lines come first: the attached app lowers its own CPU priority (nice +10 by default,
// JIRALINE_APP_NICE to change it, 0 to keep it). On an idle host this changes nothing; during
// an alarm storm the daemon's replies no longer wait while three apps redraw (the attach
// benchmark in the README). An app that later starts an engine of its own (the daemon did not
// come back) tries to go back to the priority it had: an unprivileged process cannot, and
// then its engine runs at the lowered priority until the app is restarted.
import { getPriority, setPriority } from 'node:os';
import { UsageError } from '../cli-args.js';

/** The niceness an attached app takes at least, unless JIRALINE_APP_NICE says otherwise. */
export const ATTACHED_NICE = 10;

/** The niceness asked for by the environment; throws a UsageError for a value that is not 0–19. */
export function attachedNice(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.JIRALINE_APP_NICE;
  if (text === undefined || text === '') return ATTACHED_NICE;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 19) {
    throw new UsageError(`JIRALINE_APP_NICE must be a whole number from 0 (keep the app's priority) to 19; got '${text.slice(0, 20)}'`);
  }
  return value;
}

/** The priority before yieldToEngine lowered it (the process's priority is one for the whole process). */
let before: number | null = null;

/** Lowers this process's priority to at least `nice`; the niceness it now has, or null when nothing changed (0, already lower, or not allowed). */
export function yieldToEngine(nice: number): number | null {
  if (nice <= 0) return null;
  try {
    const current = getPriority();
    const wanted = Math.min(19, Math.max(current, nice));
    if (wanted === current) return null;
    setPriority(wanted);
    before ??= current;
    return wanted;
  } catch {
    return null;
  }
}

/** Goes back to the priority before yieldToEngine, where the system allows it; whether it is back. */
export function restorePriority(): boolean {
  if (before === null) return true;
  try {
    setPriority(before);
  } catch {
    // An unprivileged process may not raise its priority again.
  }
  const back = getPriority() === before;
  if (back) before = null;
  return back;
}
