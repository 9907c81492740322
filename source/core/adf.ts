// Plain text ⇄ Atlassian Document Format, for rich-text fields and comments on API 3.
// The mapping is deliberately small and reversible: a blank line separates paragraphs and
// a single line break is a hardBreak, so adfToText(textToAdf(t)) === t for every string,
// which lets the Creation table show an ADF description as the text the user typed.

type AdfNode = { type: string; text?: string; content?: AdfNode[]; attrs?: Record<string, unknown> };

/** The ADF document (version 1) for a plain text: paragraphs on blank lines, hardBreaks on line breaks. */
export function textToAdf(text: string): object {
  if (text === '') return { type: 'doc', version: 1, content: [] };
  // The common case, one line, without the splitting.
  if (text.indexOf('\n') < 0) return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  const content = text.split('\n\n').map((paragraph): AdfNode => {
    const inline: AdfNode[] = [];
    paragraph.split('\n').forEach((line, i) => {
      if (i > 0) inline.push({ type: 'hardBreak' });
      // ADF refuses empty text nodes, so an empty line is just the break around it.
      if (line !== '') inline.push({ type: 'text', text: line });
    });
    return { type: 'paragraph', content: inline };
  });
  return { type: 'doc', version: 1, content };
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'bulletList', 'orderedList',
  'listItem', 'panel', 'rule', 'table', 'tableRow', 'tableHeader', 'tableCell', 'mediaSingle', 'mediaGroup',
  'expand', 'nestedExpand', 'decisionList', 'taskList']);

/** The plain text of an ADF document (or of any node); never throws, '' for what is not ADF. */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  if (!isNode(doc)) return '';
  return blockText(doc, 0);
}

function isNode(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as AdfNode).type === 'string';
}

function children(node: AdfNode): AdfNode[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

// Depth is bounded so that a hostile, deeply nested document cannot overflow the stack.
function blockText(node: AdfNode, depth: number): string {
  if (depth > 64) return '';
  const kids = children(node);
  switch (node.type) {
    case 'doc':
    case 'blockquote':
    case 'panel':
    case 'expand':
    case 'nestedExpand':
    case 'listItem':
    case 'tableCell':
    case 'tableHeader':
      return kids.map((k) => blockText(k, depth + 1)).join('\n\n');
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList':
      return kids.map((k, i) => `${node.type === 'orderedList' ? `${i + 1}.` : '-'} ${blockText(k, depth + 1)}`).join('\n');
    case 'tableRow':
      return kids.map((k) => blockText(k, depth + 1)).join(' | ');
    case 'table':
      return kids.map((k) => blockText(k, depth + 1)).join('\n');
    case 'rule':
      return '---';
    default:
      if (BLOCKS.has(node.type) || kids.length > 0) return kids.map((k) => inlineText(k, depth + 1)).join('');
      return inlineText(node, depth + 1);
  }
}

function inlineText(node: AdfNode, depth: number): string {
  if (depth > 64) return '';
  const attrs = typeof node.attrs === 'object' && node.attrs !== null ? node.attrs : {};
  switch (node.type) {
    case 'text':
      return typeof node.text === 'string' ? node.text : '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
    case 'status':
    case 'date': {
      const shown = attrs.text ?? attrs.shortName ?? attrs.timestamp;
      return typeof shown === 'string' ? shown : '';
    }
    case 'inlineCard':
    case 'blockCard':
      return typeof attrs.url === 'string' ? attrs.url : '';
    default:
      return BLOCKS.has(node.type) ? blockText(node, depth) : children(node).map((k) => inlineText(k, depth + 1)).join('');
  }
}
