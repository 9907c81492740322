// Local time as ISO 8601 with the UTC offset (the log's --json times), so a
// reader sees the operator's wall clock and can still compare moments exactly.

/** `2026-11-28T10:00:00+01:00` for a moment in ms, in the process's time zone. */
export function localIso(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
  // getTimezoneOffset is minutes *behind* UTC (Paris in winter: -60).
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** `2026-11-28 10:00:00` for tables: local wall-clock time without the offset. */
export function localDateTime(ms: number): string {
  return localIso(ms).slice(0, 19).replace('T', ' ');
}
