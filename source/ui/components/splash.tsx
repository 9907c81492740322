// The frame shown while the runtime starts (store, credentials — a keychain over D-Bus
// can take seconds —, the demo simulator): the operator sees the app at once.
import React from 'react';
import { Box, Text } from 'ink';
import { paneTabs } from '../app-services.js';
import { TabBar } from './tab-bar.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';

/** Props of Splash. */
export interface SplashProps {
  demo: boolean;
  jiraUrl: string | null;
  dataDir: string;
}

/** Tab bar, what is happening, and the status line's first part. */
export function Splash({ demo, jiraUrl, dataDir }: SplashProps): React.JSX.Element {
  const { columns, rows } = useTerminalSize();
  return (
    <Box flexDirection="column" width={columns} height={Math.max(8, rows - 1)}>
      <TabBar tabs={paneTabs.map((t) => ({ key: t.key, title: t.title }))} current="1" mode="navigate" width={columns} />
      <Box flexDirection="column" flexGrow={1} paddingX={1} paddingY={1}>
        <Text>Starting jiraline…</Text>
        <Text dimColor wrap="truncate-end">opening {dataDir}, reading the credentials{demo ? ', starting the demo Jira simulator' : ''}</Text>
      </Box>
      <Text wrap="truncate-end">{demo ? <Text bold color="magenta">DEMO</Text> : <Text>{jiraUrl ?? ''}</Text>}<Text dimColor> │ </Text><Text color="yellow">starting…</Text></Text>
    </Box>
  );
}
