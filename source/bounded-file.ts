// Reading a small text file the user names (the config), refusing what is not one: a
// device (/dev/zero, /dev/urandom never end), a FIFO, a directory, or a file far larger
// than any config, so a wrong path gives a clear message instead of growing memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The most a config file may hold; a real one is a few KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Why a file was refused: not a regular file, or larger than the limit. */
export class RefusedFileError extends Error {
  constructor(message: string, readonly reason: 'not-regular' | 'too-large') {
    super(message);
    this.name = 'RefusedFileError';
  }
}

/**
 * The file's text, read only if it is a regular file of at most maxBytes. Errors from
 * open (ENOENT, EACCES …) are thrown as they are; the rest as RefusedFileError.
 */
export function readBoundedTextFile(path: string, maxBytes = MAX_CONFIG_BYTES): string {
  // O_NONBLOCK would be needed to open a FIFO without waiting for a writer; the stat below
  // refuses it anyway, and opening read-only never blocks for regular files and devices.
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new RefusedFileError(stat.isDirectory() ? 'a directory, not a file' : 'not a regular file: a device, a pipe or a socket', 'not-regular');
    }
    if (stat.size > maxBytes) throw new RefusedFileError(`larger than ${Math.round(maxBytes / 1024)} KiB`, 'too-large');
    // Read at most maxBytes + 1, whatever the size said: a file that grows is refused too.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new RefusedFileError(`larger than ${Math.round(maxBytes / 1024)} KiB`, 'too-large');
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
