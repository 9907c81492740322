// The frame shown while the app attaches to an engine another process runs (an app of its
// own draws the App at once instead: starting-services.ts).
import React from 'react';
import { Box, Text } from 'ink';
import { paneTabs } from '../app-services.js';
import { TabBar } from './tab-bar.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { TemplateRow } from '../../core/config.js';
import { tablePlace, templatePreview } from '../template-preview.js';

/** Props of Splash. */
export interface SplashProps {
  demo: boolean;
  jiraUrl: string | null;
  dataDir: string;
  /** The template the Creation table starts from, drawn where the pane will draw it. */
  template?: readonly TemplateRow[];
}

/** Tab bar, what is happening, and the status line's first part. */
export function Splash({ demo, jiraUrl, dataDir, template = [] }: SplashProps): React.JSX.Element {
  const { columns, rows } = useTerminalSize();
  const place = tablePlace(columns);
  const table = templatePreview(template, place.width, Math.max(0, rows - 10));
  return (
    <Box flexDirection="column" width={columns} height={Math.max(8, rows - 1)}>
      <TabBar tabs={paneTabs.map((t) => ({ key: t.key, title: t.title }))} current="1" mode="navigate" width={columns} />
      {demo ? <Text color="magenta" wrap="truncate-end">DEMO: the built-in Jira simulator (project DEMO).</Text> : null}
      {table.map((line, i) => <Text key={i} bold={i === 0} wrap="truncate-end">{' '.repeat(place.left)}{line}</Text>)}
      <Box flexDirection="column" flexGrow={1} paddingX={1} paddingY={1}>
        <Text dimColor>Starting jiraline…</Text>
        <Text dimColor wrap="truncate-end">opening {dataDir}, reading the credentials{demo ? ', starting the demo Jira simulator' : ''}</Text>
      </Box>
      <Text wrap="truncate-end">{demo ? <Text bold color="magenta">DEMO</Text> : <Text>{jiraUrl ?? ''}</Text>}<Text dimColor> │ </Text><Text color="yellow">starting…</Text></Text>
    </Box>
  );
}
