// The journal: what was committed since the last whole-file snapshot, as the SQL mutations
// that ran (database.ts records them), one record per commit. A commit appends a few
// kilobytes and fdatasyncs, where it used to export and rewrite the whole database: that
// cost grew with every ticket kept (the GUID → ticket map only grows) and every commit paid
// it. The database file is still replaced whole and atomically now and then (a snapshot),
// which starts a new journal; opening the store, or reading it, replays the journal that
// belongs to the snapshot found.
//
// File format (written by write-thread.ts, read here):
//   header  16 bytes: "JLJ1", the snapshot's generation (u32 BE), 8 zero bytes
//   record  u32 BE payload length, u32 BE CRC-32 of the payload, payload (UTF-8 JSON ops)
// A payload names each statement's SQL text once and by number after (OpsCoder). The
// snapshot's generation is its SQLite application_id (a header field made for such use).
// Each record is appended and fdatasynced before its commit resolves, so only the last one
// can be torn by a crash: a bad last record is an unfinished commit (never acknowledged)
// and is ignored; a bad record with more after it is damage, and the store refuses to open.
import { crc32 } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import type { Op } from './database.js';
import { StoreCorruptError } from './errors.js';

/** The journal's file name beside the database. */
export function journalFileFor(file: string): string {
  return join(dirname(file), `${basename(file, '.db')}.journal`);
}

/** The bytes that start every journal file. */
export const journalMagic = 'JLJ1';
/** Header length in bytes. */
export const journalHeaderBytes = 16;

// Parameters are strings, numbers and nulls; JSON cannot carry the non-finite numbers SQLite
// can store, so those travel tagged. Blobs are never bound by this program.
interface Tagged {
  $: 'NaN' | 'Infinity' | '-Infinity';
}

type Param = string | number | null;

function encodeParams(params: readonly unknown[]): Array<Param | Tagged> {
  let plain = true;
  for (let i = 0; i < params.length; i += 1) {
    const value = params[i];
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) plain = false;
    } else if (value !== null && typeof value !== 'string') {
      throw new TypeError('the journal stores strings, numbers and nulls only');
    }
  }
  if (plain) return params as Param[];
  return params.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? { $: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' } : v as Param));
}

/**
 * Turns commits into record payloads and back, for one journal. A statement's SQL text is
 * written the first time the journal uses it and by number after that: the texts are most
 * of the bytes otherwise (a log row's INSERT names fifteen columns), and every byte is
 * built, checksummed and written on each commit. A new journal starts a new numbering.
 */
export class OpsCoder {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];

  /** Forgets the numbering (a new journal begins). */
  reset(): void {
    this.numbers.clear();
    this.texts.length = 0;
  }

  /** The payload of one commit: JSON of [sql or its number, params] pairs. */
  encode(ops: readonly Op[]): string {
    const out = new Array<[string | number, Array<Param | Tagged>]>(ops.length);
    for (let i = 0; i < ops.length; i += 1) {
      const [sql, params] = ops[i];
      const known = this.numbers.get(sql);
      if (known === undefined) this.numbers.set(sql, this.numbers.size);
      out[i] = [known ?? sql, encodeParams(params)];
    }
    return JSON.stringify(out);
  }

  /** The ops of a payload (payloads must come in the journal's order). */
  decode(text: string): Op[] {
    const pairs = JSON.parse(text) as Array<[string | number, Array<Param | Tagged>]>;
    const tagged = text.includes('{"$":');
    return pairs.map(([ref, params]) => {
      let sql: string | undefined;
      if (typeof ref === 'string') {
        sql = ref;
        this.texts.push(ref);
      } else {
        sql = this.texts[ref];
      }
      if (sql === undefined) throw new Error(`statement number ${ref} was never defined`);
      return [sql, tagged ? params.map((v) => (v !== null && typeof v === 'object' ? Number(v.$) : v)) : params as Param[]];
    });
  }
}

/** The header of a journal that follows the snapshot of this generation. */
export function journalHeader(generation: number): Buffer {
  const header = Buffer.alloc(journalHeaderBytes);
  header.write(journalMagic, 0, 'latin1');
  header.writeUInt32BE(generation >>> 0, 4);
  return header;
}

/** A record as appended: length, CRC-32, payload (in a buffer of its own, so it can be transferred). */
export function journalRecord(payload: string): Buffer {
  const length = Buffer.byteLength(payload, 'utf8');
  const record = Buffer.allocUnsafeSlow(8 + length);
  record.write(payload, 8, 'utf8');
  record.writeUInt32BE(length, 0);
  record.writeUInt32BE(crc32(record.subarray(8)), 4);
  return record;
}

/** What a journal holds for a snapshot: the commits to replay, in order (none when it follows another snapshot). */
export interface JournalContents {
  /** The journal belongs to this snapshot (same generation). */
  matches: boolean;
  /** The generation in the journal's header (null: no journal). */
  generation: number | null;
  commits: Op[][];
  /** An unfinished last record was found and ignored. */
  tornTail: boolean;
}

/** Parses a journal's bytes for the snapshot of `generation`; throws StoreCorruptError on damage. */
export function parseJournal(bytes: Uint8Array | null, generation: number, file: string): JournalContents {
  if (bytes === null || bytes.length === 0) return { matches: false, generation: null, commits: [], tornTail: false };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A journal is only ever installed whole (temp file, rename), so a short or foreign header is damage.
  if (buffer.length < journalHeaderBytes || buffer.toString('latin1', 0, 4) !== journalMagic) {
    throw new StoreCorruptError(file, 'not a jiraline journal');
  }
  const found = buffer.readUInt32BE(4);
  if (found !== generation >>> 0) return { matches: false, generation: found, commits: [], tornTail: false };
  const commits: Op[][] = [];
  const coder = new OpsCoder();
  let at = journalHeaderBytes;
  while (at < buffer.length) {
    const rest = buffer.length - at;
    const length = rest >= 8 ? buffer.readUInt32BE(at) : -1;
    if (length < 0 || rest < 8 + length) return { matches: true, generation: found, commits, tornTail: true };
    // No record is empty: a zero length is a tail the file system extended without its data.
    if (length === 0) {
      if (buffer.subarray(at).every((b) => b === 0)) return { matches: true, generation: found, commits, tornTail: true };
      throw new StoreCorruptError(file, `damaged journal record at byte ${at}`);
    }
    const body = buffer.subarray(at + 8, at + 8 + length);
    const last = at + 8 + length === buffer.length;
    let ops: Op[] | null = null;
    if (crc32(body) === buffer.readUInt32BE(at + 4)) {
      try {
        ops = coder.decode(body.toString('utf8'));
      } catch {
        ops = null;
      }
    }
    if (ops === null) {
      if (last) return { matches: true, generation: found, commits, tornTail: true };
      throw new StoreCorruptError(file, `damaged journal record at byte ${at}`);
    }
    commits.push(ops);
    at += 8 + length;
  }
  return { matches: true, generation: found, commits, tornTail: false };
}
