// Reading a secret: on a terminal without echo (raw mode, nothing written back, not even
// stars, so the length does not show either); from a pipe, the first line.
import type { EventEmitter } from 'node:events';

/** The part of a TTY input stream the hidden prompt uses (process.stdin on a terminal). */
export interface RawInput extends EventEmitter {
  isRaw?: boolean;
  setRawMode(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Ctrl-C or Ctrl-D on an empty prompt: the user gave up. */
export class PromptAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptAborted';
  }
}

/** Asks on `output` and reads one line from a terminal without echoing it. */
export function readHidden(input: RawInput, output: { write(text: string): unknown }, prompt: string): Promise<string> {
  output.write(prompt);
  const wasRaw = input.isRaw === true;
  input.setRawMode(true);
  input.setEncoding('utf8');
  let value = '';
  // Inside an escape sequence (an arrow key, a function key): its bytes are not part of the secret.
  let escape: 'none' | 'esc' | 'csi' = 'none';
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (escape === 'esc') {
          escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
          continue;
        }
        if (escape === 'csi') {
          if (ch >= '@' && ch <= '~') escape = 'none';
          continue;
        }
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new PromptAborted('cancelled'));
        if (ch === '\u0004') return value === '' ? finish(new PromptAborted('no input')) : finish();
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u0015') value = ''; // Ctrl-U, as a shell prompt does
        else if (ch === '\u001b') escape = 'esc';
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** The first line of a stream (without its \n or \r\n); null when the stream ends empty. */
export function readFirstLine(input: NodeJS.ReadableStream): Promise<string | null> {
  input.setEncoding('utf8');
  let buffer = '';
  return new Promise<string | null>((resolve, reject) => {
    const finish = (line: string | null) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      // Stop reading: the rest of the stream is not ours, and a paused stdin lets the process exit.
      input.pause();
      resolve(line === null ? null : line.replace(/\r$/, ''));
    };
    const onData = (chunk: string | Buffer) => {
      buffer += String(chunk);
      const end = buffer.indexOf('\n');
      if (end >= 0) finish(buffer.slice(0, end));
    };
    const onEnd = () => finish(buffer === '' ? null : buffer);
    const onError = (error: Error) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      reject(error);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}
