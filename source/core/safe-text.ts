// Text that came from outside (Jira, a proxy, a stored row) on its way to a terminal, a
// socket reply or a one-line log cell: control characters (newline, carriage return, ESC,
// the C1 range, Unicode line separators) would forge extra reply lines or drive the
// terminal, so each becomes a space.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- as above
const anyUnsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The text with every control character replaced by a space (the same string when there is none). */
export function neutralise(text: string): string {
  return anyUnsafe.test(text) ? text.replace(unsafe, ' ') : text;
}

/** One line of at most `max` characters: controls neutralised, runs of spaces collapsed, an ellipsis where cut. */
export function oneLine(text: string, max: number): string {
  const flat = neutralise(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
