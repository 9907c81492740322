// CommandIo that records what a command prints, for running commands in-process.
import { Readable } from 'node:stream';
import type { CommandIo } from '../../../source/daemon/command-io.js';

/** The io plus what was written to stdout and stderr. */
export interface CapturedIo {
  io: CommandIo;
  out(): string;
  err(): string;
}

/** Captures output; stdin gives `input` (empty by default). */
export function captureIo(env: Record<string, string | undefined> = {}, input = ''): CapturedIo {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    stdin: Readable.from([input]),
  };
  return { io, out: () => out, err: () => err };
}
