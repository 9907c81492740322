// Statistics: Created / Updated / Total × total, today, yesterday; `r` resets
// after asking which counters; the last 14 days as a bar chart.
// See docs/architecture.md#the-log-statistics-and-pruning.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { StatsReset } from '../../core/engine-api.js';
import { footerHints, isKey } from '../key-bindings.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { BarChart } from '../components/bar-chart.js';
import { useModeSync, type PaneProps } from './pane-props.js';

const statisticsFooter = footerHints([['reset-stats', 'reset counters']]);

const resetLabels: Record<StatsReset, string> = {
  daily: 'Daily counters (today, yesterday, the chart) reset.',
  totals: 'Totals reset.',
  both: 'Daily counters and totals reset.',
};

/** The Statistics pane. */
export function StatisticsPane({ services, snapshot, isActive, height, setMode }: PaneProps): React.JSX.Element {
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useModeSync(setMode, asking);

  useKeys((input, key) => {
    if (isKey('reset-stats', input, key)) {
      setNotice(null);
      setAsking(true);
    } else if (isKey('find', input, key)) {
      // Nothing here is a list to search; say where searching is.
      setNotice('Nothing to search here: / filters the Log (3) and searches Jira (5); :log Failed filters the Log from anywhere.');
    }
  }, { isActive: isActive && !asking });

  const reset = (which: StatsReset) => {
    setAsking(false);
    services.engine.resetStats(which).then(
      () => setNotice(resetLabels[which]),
      (error: unknown) => setNotice(`Reset failed: ${(error as Error).message}`),
    );
  };

  const { created, updated, total, refused } = snapshot.stats;
  const line = (label: string, c: { total: number; today: number; yesterday: number }, bold = false) => (
    <Text bold={bold}>{label.padEnd(10)}{String(c.total).padStart(10)}{String(c.today).padStart(10)}{String(c.yesterday).padStart(12)}</Text>
  );
  const chartHeight = Math.max(2, Math.min(10, height - 13));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>Statistics</Text>
      <Text dimColor>{''.padEnd(10)}{'total'.padStart(10)}{'today'.padStart(10)}{'yesterday'.padStart(12)}</Text>
      {line('Created', created)}
      {line('Updated', updated)}
      {line('Total', total, true)}
      <Text dimColor>{'Refused'.padEnd(10)}{String(refused.total).padStart(10)}{String(refused.today).padStart(10)}{String(refused.yesterday).padStart(12)}  lines answered ERR</Text>
      {asking ? (
        <ConfirmDialog<StatsReset>
          title="Reset which counters?"
          choices={[{ key: 'd', value: 'daily', label: 'daily' }, { key: 't', value: 'totals', label: 'totals' }, { key: 'b', value: 'both', label: 'both' }]}
          onChoose={reset}
          onCancel={() => setAsking(false)}
          isActive={isActive}
        />
      ) : (
        <Text dimColor>{notice ? <Text color="green">{notice}  </Text> : null}{statisticsFooter}</Text>
      )}
      <Box marginTop={1}>
        <BarChart days={snapshot.stats.days} height={chartHeight} />
      </Box>
    </Box>
  );
}
