// Just enough Atlassian Document Format for the simulator to behave as Jira: tell a
// document from anything else, measure its text, and convert between API versions
// (Jira stores one value and renders it as a string on /rest/api/2, as ADF on /rest/api/3).

/** Whether a value is an ADF document: {type:"doc", version:1, content:[…]}. */
export function isAdfDoc(v: unknown): v is { type: 'doc'; version: 1; content: unknown[] } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const d = v as Record<string, unknown>;
  return d.type === 'doc' && d.version === 1 && Array.isArray(d.content);
}

/** The plain text of an ADF node: text nodes joined, block nodes separated by a line break. */
export function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (n.type === 'text') return typeof n.text === 'string' ? n.text : '';
  if (n.type === 'hardBreak') return '\n';
  if (!Array.isArray(n.content)) return '';
  const parts = n.content.map(adfText);
  return n.type === 'doc' || n.type === 'bulletList' || n.type === 'orderedList' ? parts.join('\n') : parts.join('');
}

/** A plain text as an ADF document: one paragraph per line. */
export function textToAdf(text: string): { type: 'doc'; version: 1; content: unknown[] } {
  const content = text.split('\n').map((line) => (line === ''
    ? { type: 'paragraph', content: [] }
    : { type: 'paragraph', content: [{ type: 'text', text: line }] }));
  return { type: 'doc', version: 1, content };
}

/** A stored rich-text value as the given API version renders it. */
export function renderRichText(stored: unknown, api: 2 | 3): unknown {
  if (stored === null || stored === undefined) return null;
  if (api === 3) return typeof stored === 'string' ? textToAdf(stored) : stored;
  return isAdfDoc(stored) ? adfText(stored) : stored;
}
