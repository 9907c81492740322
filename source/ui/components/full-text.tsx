// `v`: everything the screen cuts at its width, in full and wrapped — the notices above the
// pane, the pane's messages and selected row (each pane says what it shows cut), and the
// pane's key hints. At 80 columns the part one needs (the valid options at the end of an
// error, a URL, the last key hints) is often the part cut off.
import React, { useEffect } from 'react';
import { ScrollView, type ViewLine } from './scroll-view.js';
import { neutralise } from '../../core/safe-text.js';

/** A part of the full text: a heading and its lines. */
export interface DetailSection {
  title: string;
  lines: string[];
}

/** Where a pane puts what it shows cut (the frame keeps the latest). */
export type DetailsSink = (sections: DetailSection[]) => void;

/** Hands the pane's sections to the frame after each render (cheap: they are only read on `v`). */
export function useDetails(sink: DetailsSink | undefined, sections: () => DetailSection[]): void {
  useEffect(() => {
    sink?.(sections());
  });
  useEffect(() => () => sink?.([]), [sink]);
}

/** A text cut into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  const room = Math.max(8, width);
  const out: string[] = [];
  for (const raw of neutraliseLines(text)) {
    let rest = raw;
    while (Array.from(rest).length > room) {
      const chars = Array.from(rest);
      const head = chars.slice(0, room).join('');
      const space = head.lastIndexOf(' ');
      const cut = space > room / 3 ? space : head.length;
      out.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    out.push(rest);
  }
  return out;
}

// Line breaks are kept as lines; other control characters (from Jira) become spaces.
function neutraliseLines(text: string): string[] {
  return text.split('\n').map((line) => neutralise(line));
}

/** The lines of the view: each section's heading, then its text wrapped. */
export function fullTextLines(sections: readonly DetailSection[], width: number): ViewLine[] {
  const lines: ViewLine[] = [];
  for (const section of sections) {
    if (section.lines.length === 0) continue;
    if (lines.length > 0) lines.push({ text: '' });
    lines.push({ text: section.title, bold: true, color: 'cyan' });
    for (const line of section.lines) for (const part of wrapText(line, width - 2)) lines.push({ text: `  ${part}` });
  }
  if (lines.length === 0) lines.push({ text: 'Nothing on this screen is cut.', dim: true });
  return lines;
}

/** Props of FullText. */
export interface FullTextProps {
  sections: DetailSection[];
  width: number;
  height: number;
  isActive: boolean;
  onClose(): void;
}

/** The overlay: the sections, scrolled with ↑↓ PgUp PgDn; Esc or Enter closes it. */
export function FullText({ sections, width, height, isActive, onClose }: FullTextProps): React.JSX.Element {
  return <ScrollView title="In full (v)" lines={fullTextLines(sections, width)} height={height} isActive={isActive} onClose={onClose} />;
}
