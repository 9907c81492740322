// The status line at the bottom: Jira URL or DEMO, connection state,
// credential source, socket address, queue depth, throttle window use, and the pace while
// Jira's rate limit sets it. When the parts do
// not fit one line (80 columns), they wrap onto a second line rather than being cut.
import React from 'react';
import { Box, Text } from 'ink';
import type { ConnectionState, EngineSnapshot } from '../../core/engine-api.js';
import type { CredentialSource } from '../../core/ports.js';
import type { AttachmentState } from '../app-services.js';

/** Props of StatusLine. */
export interface StatusLineProps {
  snapshot: EngineSnapshot;
  demo: boolean;
  jiraUrl: string | null;
  credentialSource: CredentialSource;
  listenAddress: string | null;
  /** Set when this app shows an engine in another process. */
  attachment?: AttachmentState;
  /** True while the engine is still starting: said in place of the connection and the credentials. */
  starting?: boolean;
  width: number;
}

/** One part of the status line. */
export interface StatusPart {
  text: string;
  color?: string;
  bold?: boolean;
}

const SEPARATOR = ' │ ';

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

/** The queue's depth, and how full it is against its ceiling once that is worth saying. */
function queuePart(snapshot: EngineSnapshot): StatusPart {
  const percent = Math.floor(snapshot.queueFill.fill * 100);
  const full = percent >= 100 ? ' FULL' : percent >= 10 ? ` ${percent}% full` : '';
  const color = percent >= 80 ? 'red' : snapshot.queueDepth > 0 ? 'yellow' : undefined;
  return { text: `queue ${snapshot.queueDepth}${full}`, color, bold: percent >= 80 };
}

/** CREATEs whose answer was lost, looked up before they are sent again: only while there are any. */
function settlingPart(snapshot: EngineSnapshot): StatusPart[] {
  // An engine of an older version attached over the control socket sends no such figure.
  const n = snapshot.exactlyOnce?.settling ?? 0;
  return n > 0 ? [{ text: `${n} settling (answer lost; looked up before sending again)`, color: 'yellow' }] : [];
}

/** The parts, in order of importance. */
export function statusParts(props: Omit<StatusLineProps, 'width'>): StatusPart[] {
  const { snapshot, demo, jiraUrl, credentialSource, listenAddress, attachment, starting } = props;
  const connection = describeConnection(snapshot.connection);
  const t = snapshot.throttle;
  const attached: StatusPart[] = !attachment ? []
    : attachment.state === 'attached' ? [{ text: `attached to pid ${attachment.pid}`, color: 'cyan' }]
    : [{ text: `engine pid ${attachment.pid} gone: reattaching…`, color: 'red', bold: true }];
  return [
    ...attached,
    demo ? { text: 'DEMO', color: 'magenta', bold: true } : { text: jiraUrl ?? 'no Jira URL' },
    starting ? { text: 'starting…', color: 'yellow' } : { text: `${connection.text}${snapshot.paused ? ' (queue paused)' : ''}`, color: snapshot.paused ? 'red' : connection.color },
    { text: `creds: ${starting && credentialSource === 'none' ? '…' : credentialSource}` },
    { text: `socket ${starting ? '…' : listenAddress ?? 'off'}` },
    queuePart(snapshot),
    ...settlingPart(snapshot),
    { text: `throttle ${t.used}/${t.max} per ${t.intervalSeconds}s`, color: t.used >= t.max ? 'yellow' : undefined },
    // Only while Jira's rate limit sets the pace: why the queue drains slower than it fills, and
    // how many commands are paced (their request waits for the pacer, not for Jira).
    ...(snapshot.pacing?.limitedByJira
      ? [{ text: `pacing at ${snapshot.pacing.perSecond} req/s (Jira's rate limit), ${snapshot.pacing.paced} commands waiting`, color: 'yellow' }]
      : []),
  ];
}

/** The parts packed into lines of at most `width` columns (a part never splits). */
export function packStatus(parts: StatusPart[], width: number): StatusPart[][] {
  const lines: StatusPart[][] = [[]];
  let used = 0;
  for (const part of parts) {
    const line = lines[lines.length - 1];
    const need = (line.length > 0 ? SEPARATOR.length : 0) + part.text.length;
    if (line.length > 0 && used + need > width) {
      lines.push([part]);
      used = part.text.length;
    } else {
      line.push(part);
      used += need;
    }
  }
  return lines;
}

/** How many rows the status line takes at this width. */
export function statusHeight(props: Omit<StatusLineProps, 'width'>, width: number): number {
  return packStatus(statusParts(props), width).length;
}

/** The status line, one or more rows. */
export function StatusLine(props: StatusLineProps): React.JSX.Element {
  const lines = packStatus(statusParts(props), props.width);
  return (
    <Box width={props.width} flexDirection="column" flexShrink={0}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.map((part, j) => (
            <Text key={j}>
              {j > 0 ? <Text dimColor>{SEPARATOR}</Text> : null}
              <Text color={part.color} bold={part.bold}>{part.text}</Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
