// Terminal hyperlinks (OSC 8): the URL stays visible as text, so a terminal without
// OSC 8 support still shows something to copy, and one with it makes it clickable.
import React from 'react';
import { Text } from 'ink';

/** `text` wrapped in an OSC 8 link to `url` (control characters in the URL are dropped). */
export function osc8(url: string, text: string = url): string {
  // eslint-disable-next-line no-control-regex
  const safe = url.replace(/[\x00-\x1f\x7f]/g, '');
  return `\x1b]8;;${safe}\x07${text}\x1b]8;;\x07`;
}

/** Props of Hyperlink. */
export interface HyperlinkProps {
  url: string;
  /** What to show; the URL itself by default. */
  label?: string;
  color?: string;
}

/** A clickable URL (OSC 8) drawn as underlined text. */
export function Hyperlink({ url, label, color = 'cyan' }: HyperlinkProps): React.JSX.Element {
  return <Text color={color} underline>{osc8(url, label ?? url)}</Text>;
}
