// The tab bar on top: `1 Creation  2 Configuration  3 Log  4 Statistics  5 Jira  6 Alarms`, the
// current pane highlighted, and the mode (navigation or edit) on the right.
import React from 'react';
import { Box, Text } from 'ink';
import { footerHints } from '../key-bindings.js';

/** The mode's hint on the right, written from the key table. */
export function tabBarHint(mode: 'navigate' | 'edit'): string {
  return mode === 'edit' ? ` EDIT (${footerHints([['leave', 'leaves']])})` : ` ${footerHints([['help', 'help']])}`;
}

/** One tab. */
export interface Tab {
  key: string;
  title: string;
}

/** Props of TabBar. */
export interface TabBarProps {
  tabs: Tab[];
  current: string;
  mode: 'navigate' | 'edit';
  width: number;
}

/** One line of tabs. */
export function TabBar({ tabs, current, mode, width }: TabBarProps): React.JSX.Element {
  return (
    <Box width={width} justifyContent="space-between">
      <Text wrap="truncate-end">
        {tabs.map((tab, i) => (
          <Text key={tab.key}>
            {i > 0 ? '  ' : ''}
            <Text inverse={tab.key === current} bold={tab.key === current}>{`${tab.key} ${tab.title}`}</Text>
          </Text>
        ))}
      </Text>
      <Text color={mode === 'edit' ? 'yellow' : 'gray'}>{tabBarHint(mode)}</Text>
    </Box>
  );
}
