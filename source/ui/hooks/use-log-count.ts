// How many log rows a filter selects. Counting by status, GUID or key is cheap (indexed),
// but a free-text filter scans every row (about 50 ms at 100,000 rows): done for every
// key typed, or for every batch of new rows under load, it would stall the keyboard. So a
// text count is taken once the typing (or the row churn) pauses; until then it is null,
// and the pane shows the first page, which the engine finds without counting.
import { useEffect, useMemo, useState } from 'react';
import type { EngineApi } from '../../core/engine-api.js';
import type { LogFilter } from '../log-filter.js';

/** Pause after the last change before a text filter is counted. */
export const TEXT_COUNT_DELAY_MS = 150;

// The key (filter and log version) is passed, not used, so that it is a stated input of the memo.
function countAt(engine: EngineApi, filter: LogFilter, _key: string): number {
  return engine.countLog(filter);
}

/** The count for the filter at this log version, or null while a text count is pending. */
export function useLogCount(engine: EngineApi, filter: LogFilter, logVersion: number, delayMs = TEXT_COUNT_DELAY_MS): number | null {
  // The filter comes memoized from the pane; the count is keyed by its text and the log version.
  const deferred = Boolean(filter.text);
  const key = `${JSON.stringify(filter)}@${logVersion}`;
  const immediate = useMemo(() => (deferred ? null : countAt(engine, filter, key)), [engine, deferred, filter, key]);
  const [counted, setCounted] = useState<{ key: string; count: number } | null>(null);
  useEffect(() => {
    if (!deferred) return;
    const timer = setTimeout(() => setCounted({ key, count: engine.countLog(filter) }), delayMs);
    return () => clearTimeout(timer);
  }, [engine, deferred, filter, key, delayMs]);
  if (!deferred) return immediate;
  return counted?.key === key ? counted.count : null;
}
