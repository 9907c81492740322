// An app attached to a daemon is a view of the daemon's work, and on a busy host the daemon's
// lines come first: the attached app lowers its own CPU priority (nice +10 by default,
// JIRALINE_APP_NICE to change it, 0 to keep it), on every thread of the process: Linux keeps
// a nice value per thread, and V8's compiler and collector threads, started before the app
// attached, used to stay at the priority they had. Unless told 0 it also moves to the batch
// scheduling class (SCHED_BATCH, through util-linux's `chrt` where that is installed): its
// wake-ups no longer preempt the daemon's thread, while it keeps its share of a busy core.
// On an idle host neither changes anything; during an alarm storm the daemon's replies wait
// less while apps redraw (the attach benchmark in the README). The idle class (SCHED_IDLE)
// was measured too, but gives the app next to no CPU while other work keeps every core
// busy, which is when an operator opens it: not taken. An app that later starts an engine of
// its own (the daemon did not come back) tries to go back to the class and priority it had:
// an unprivileged process cannot, and then its engine runs at the lowered priority until the
// app is restarted.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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

/** The priority before yieldToEngine lowered it. */
let before: number | null = null;
/** Whether yieldToEngine moved the process to the batch class. */
let batch = false;

/** The process's threads (Linux), or just the calling one where they cannot be listed. */
function threads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter((tid) => Number.isInteger(tid) && tid > 0);
  } catch {
    return [0];
  }
}

/** Sets every thread's niceness; whether the main thread has it now. */
function setAll(nice: number): boolean {
  for (const tid of threads()) {
    try {
      setPriority(tid, nice);
    } catch {
      // A thread that ended meanwhile, or a priority not allowed: the main thread's tells.
    }
  }
  return getPriority() === nice;
}

/** Runs `chrt` on every thread of this process; whether it succeeded (false where it is not installed). */
function chrt(policy: '--batch' | '--other'): boolean {
  return spawnSync('chrt', [policy, '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 2000 }).status === 0;
}

/**
 * Lowers this process's priority to at least `nice`, on all its threads, and moves it to the
 * batch class; the niceness it now has, or null when that did not change (0, already lower,
 * or not allowed).
 */
export function yieldToEngine(nice: number): number | null {
  if (nice <= 0) return null;
  if (!batch) batch = chrt('--batch');
  try {
    const current = getPriority();
    const wanted = Math.min(19, Math.max(current, nice));
    if (wanted === current) return null;
    if (!setAll(wanted)) return null;
    before ??= current;
    return wanted;
  } catch {
    return null;
  }
}

/** Whether yieldToEngine moved the app to the batch class. */
export function inBatchClass(): boolean {
  return batch;
}

/** Goes back to the class and priority before yieldToEngine (on all threads), where the system allows it; whether it is back. */
export function restorePriority(): boolean {
  if (batch && chrt('--other')) batch = false;
  if (before !== null && setAll(before)) before = null;
  return before === null && !batch;
}
