// Text shaped to Jira's limits before it is sent. Jira refuses a summary over 255
// characters or with a line break, and a description, another rich-text field or a comment
// over 32,767 characters, and it does so only after the line was acknowledged: an alarm
// with a long text would end Failed at Jira. So such text is cut to fit instead (a summary
// with an ellipsis, its full text kept at the top of the description) and the log row says
// so. Jira counts UTF-16 code units, as String.length does; a cut never splits a pair.
// On API 3 rich text goes as Atlassian Document Format, whose JSON is longer than its text:
// the text is cut until the document's JSON fits, which is never less than Jira allows.
import { textToAdf } from './adf.js';

/** Jira's longest summary. */
export const SUMMARY_MAX = 255;
/** Jira's longest description, rich-text field value or comment body. */
export const TEXT_MAX = 32_767;
const ELLIPSIS = '…';

/** A text cut to fit, and whether it was. */
export interface Fitted {
  text: string;
  cut: boolean;
}

/** The first `n` UTF-16 units of `s`, one fewer when the cut would split a surrogate pair. */
function head(s: string, n: number): string {
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** A summary Jira takes: one line (breaks become spaces), at most 255 units, an ellipsis when cut. */
export function fitSummary(text: string): Fitted {
  const line = /[\r\n]/.test(text) ? text.replace(/\r\n|[\r\n]/g, ' ') : text;
  if (line.length <= SUMMARY_MAX) return { text: line, cut: line !== text };
  return { text: head(line, SUMMARY_MAX - ELLIPSIS.length) + ELLIPSIS, cut: true };
}

// Every character costs at least one unit of the ADF JSON and at most about 40 (a line break
// is a node of its own); below this length a text always fits and is not measured.
const ADF_ALWAYS_FITS = Math.floor(TEXT_MAX / 40);

function adfLength(text: string): number {
  return JSON.stringify(textToAdf(text)).length;
}

/** A rich-text value or comment body Jira takes: at most 32,767 units (its ADF JSON on API 3), an ellipsis when cut. */
export function fitText(text: string, apiVersion: 2 | 3): Fitted {
  if (apiVersion === 2 || text.length <= ADF_ALWAYS_FITS) {
    if (text.length <= TEXT_MAX) return { text, cut: false };
    return { text: head(text, TEXT_MAX - ELLIPSIS.length) + ELLIPSIS, cut: true };
  }
  if (adfLength(text) <= TEXT_MAX) return { text, cut: false };
  // The longest head whose document fits: a binary search over the cut point.
  let lo = 0;
  let hi = Math.min(text.length, TEXT_MAX);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (adfLength(head(text, mid) + ELLIPSIS) <= TEXT_MAX) lo = mid;
    else hi = mid - 1;
  }
  return { text: head(text, lo) + ELLIPSIS, cut: true };
}

/** The log row's words for what was cut. */
export function fitNote(notes: readonly string[]): string | undefined {
  return notes.length === 0 ? undefined : `shaped to Jira's limits: ${notes.join('; ')}`;
}

/**
 * Fits the summary and rich-text values of one line (raw texts by field id; `richText` names
 * the fields that are rich text) and its comments. A summary cut keeps its full text at the
 * top of the description when the line sets one or `addDescription` allows making one (a
 * CREATE); otherwise (an UPDATE, which must not replace the ticket's description) it goes as
 * a comment. Returns the notes for the log row; changes `texts` and `comments` in place.
 */
export function fitLine(texts: Map<string, string>, richText: ReadonlySet<string>, comments: string[], apiVersion: 2 | 3,
  addDescription: boolean): string[] {
  const notes: string[] = [];
  const summary = texts.get('summary');
  if (summary !== undefined) {
    const fitted = fitSummary(summary);
    if (fitted.cut) texts.set('summary', fitted.text);
    if (summary.length > SUMMARY_MAX) {
      const description = texts.get('description');
      let where = 'at the top of the description';
      if (description !== undefined) texts.set('description', description === '' ? summary : `${summary}\n\n${description}`);
      else if (addDescription) texts.set('description', summary);
      else {
        comments.unshift(`Summary in full: ${summary}`);
        where = 'in a comment';
      }
      notes.push(`summary cut to ${SUMMARY_MAX} characters (the full text is ${where})`);
    } else if (fitted.cut) notes.push('line breaks in the summary became spaces');
  }
  for (const [id, value] of texts) {
    if (id === 'summary' || !richText.has(id)) continue;
    const fitted = fitText(value, apiVersion);
    if (fitted.cut) {
      texts.set(id, fitted.text);
      notes.push(`${id} cut to ${TEXT_MAX.toLocaleString('en-US')} characters`);
    }
  }
  let cutComments = 0;
  for (let i = 0; i < comments.length; i++) {
    const fitted = fitText(comments[i], apiVersion);
    if (fitted.cut) {
      comments[i] = fitted.text;
      cutComments++;
    }
  }
  if (cutComments > 0) notes.push(`${cutComments === 1 ? 'a comment' : `${cutComments} comments`} cut to ${TEXT_MAX.toLocaleString('en-US')} characters`);
  return notes;
}
