// Reading an answer's body under a size cap. Jira's answers to what jiraline asks are
// small; a proxy or a broken Jira can send megabytes (or an endless drip), so no more
// than the cap is ever held, and the connection is dropped once it is reached — the rest
// is never downloaded, also not on the next retry.
import type { Dispatcher } from 'undici';

/** Caps per kind of answer, in bytes. */
export const ANSWER_CAPS = {
  /** An error answer (4xx, 5xx): only its first part is read; messages come from that. */
  error: 16 * 1024,
  /** create, edit, comment, transition, serverInfo, myself: a few hundred bytes in practice. */
  small: 256 * 1024,
  /** The field catalogue, createmeta, a search page, one issue: can be megabytes on a big Jira. */
  large: 32 * 1024 * 1024,
} as const;

/** What was read: the text, whether the answer went on past the cap, and the cap. */
export interface CappedBody {
  text: string;
  cut: boolean;
  cap: number;
}

/**
 * Reads at most `cap` bytes of the body; a longer body is cut there and its connection dropped.
 * A body whose Content-Length is within the cap is read whole in one go (the common case,
 * and the cheapest); the request's deadline still bounds how long that takes.
 */
export async function readCapped(body: Dispatcher.ResponseData['body'], cap: number, contentLength?: string | string[]): Promise<CappedBody> {
  const declared = typeof contentLength === 'string' && /^\d{1,15}$/.test(contentLength) ? Number(contentLength) : null;
  // undici ends the body with an error should the server send more than it declared.
  if (declared !== null && declared <= cap) return { text: await body.text(), cut: false, cap };
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - size;
    if (chunk.length > room) {
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size = cap;
      cut = true;
      break; // leaving the loop destroys the stream: the socket is closed, nothing more is read
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  if (cut && !body.destroyed) body.destroy();
  return { text: Buffer.concat(chunks, size).toString('utf8'), cut, cap };
}

/** "16 KiB", "32 MiB": a cap as the log says it. */
export function describeCap(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
