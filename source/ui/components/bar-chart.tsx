// The Statistics pane's chart: the last 14 days as vertical bars, created and updated
// side by side per day, scaled to the tallest day.
import React from 'react';
import { Box, Text } from 'ink';
import type { DayCount } from '../../core/ports.js';

/** Props of BarChart. */
export interface BarChartProps {
  days: DayCount[];
  /** Rows for the bars (labels take two more). */
  height: number;
}

/** Bar height in rows: proportional, at least one row for any non-zero count. */
export function barRows(value: number, max: number, height: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((value / max) * height));
}

/** Vertical bars with the day of month under each pair and the scale on the left. */
export function BarChart({ days, height }: BarChartProps): React.JSX.Element {
  const rows = Math.max(1, height);
  const max = Math.max(0, ...days.map((d) => Math.max(d.created, d.updated)));
  const scaleWidth = String(max).length;
  const lines: React.JSX.Element[] = [];
  for (let level = rows; level >= 1; level--) {
    const label = level === rows ? String(max).padStart(scaleWidth) : ' '.repeat(scaleWidth);
    lines.push(
      <Text key={level}>
        <Text dimColor>{label} │</Text>
        {days.map((d) => (
          <Text key={d.day}>
            {' '}
            <Text color="green">{barRows(d.created, max, rows) >= level ? '██' : '  '}</Text>
            <Text color="cyan">{barRows(d.updated, max, rows) >= level ? '██' : '  '}</Text>
          </Text>
        ))}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column">
      {lines}
      <Text dimColor>{' '.repeat(scaleWidth)} └{days.map(() => '─────').join('')}</Text>
      <Text dimColor>{' '.repeat(scaleWidth)}  {days.map((d) => ` ${d.day.slice(8)}  `.slice(0, 5)).join('')}</Text>
      <Text><Text color="green">██</Text> created  <Text color="cyan">██</Text> updated  <Text dimColor>(last 14 days, day of month below)</Text></Text>
    </Box>
  );
}
