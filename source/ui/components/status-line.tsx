// The status line at the bottom (SPEC §12): Jira URL or DEMO, connection state,
// credential source, socket address, queue depth, throttle window use.
import React from 'react';
import { Box, Text } from 'ink';
import type { ConnectionState, EngineSnapshot } from '../../core/engine-api.js';
import type { CredentialSource } from '../../core/ports.js';

/** Props of StatusLine. */
export interface StatusLineProps {
  snapshot: EngineSnapshot;
  demo: boolean;
  jiraUrl: string | null;
  credentialSource: CredentialSource;
  listenAddress: string | null;
  width: number;
}

/** A short phrase for the connection state, and its colour. */
export function describeConnection(connection: ConnectionState): { text: string; color: string } {
  switch (connection.state) {
    case 'unknown': return { text: 'not checked', color: 'gray' };
    case 'checking': return { text: 'checking…', color: 'yellow' };
    case 'ok': return { text: `connected as ${connection.user.displayName}`, color: 'green' };
    case 'down': return { text: `unreachable: ${connection.error}`, color: 'red' };
    case 'auth-refused': return { text: 'credentials refused', color: 'red' };
  }
}

/** One line; the right end is cut on narrow terminals, the most useful parts come first. */
export function StatusLine({ snapshot, demo, jiraUrl, credentialSource, listenAddress, width }: StatusLineProps): React.JSX.Element {
  const connection = describeConnection(snapshot.connection);
  const t = snapshot.throttle;
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        {demo ? <Text bold color="magenta">DEMO</Text> : <Text>{jiraUrl ?? 'no Jira URL'}</Text>}
        <Text dimColor> │ </Text>
        <Text color={connection.color}>{connection.text}</Text>
        {snapshot.paused ? <Text color="red"> (queue paused)</Text> : null}
        <Text dimColor> │ </Text>
        <Text>creds: {credentialSource}</Text>
        <Text dimColor> │ </Text>
        <Text>socket {listenAddress ?? 'off'}</Text>
        <Text dimColor> │ </Text>
        <Text color={snapshot.queueDepth > 0 ? 'yellow' : undefined}>queue {snapshot.queueDepth}</Text>
        <Text dimColor> │ </Text>
        <Text color={t.used >= t.max ? 'yellow' : undefined}>throttle {t.used}/{t.max} per {t.intervalSeconds}s</Text>
      </Text>
    </Box>
  );
}
