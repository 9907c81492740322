// Small display formatters shared by the panes.
import { localDateTime } from '../core/local-time.js';

/** Local time as `YYYY-MM-DD HH:MM:SS` (the log's Time column). */
export const formatTime = localDateTime;

/** "in 4 s", "in 2 min", "3 h ago" — for retry times. */
export function formatRelative(ms: number, now: number): string {
  const delta = ms - now;
  const abs = Math.abs(delta);
  const text = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : `${Math.round(abs / 3_600_000)} h`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** A JSON string pretty-printed, or the text as it is when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** 12345 → "12,345". By hand: the first toLocaleString loads ICU's number formatting, tens of ms on the first frame. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
