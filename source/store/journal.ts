// The journal: what was committed since the last whole-file snapshot, as the SQL mutations
// that ran (database.ts records them), one record per commit. A commit appends a few
// kilobytes and fdatasyncs, where it used to export and rewrite the whole database: that
// cost grew with every ticket kept (the GUID → ticket map only grows) and every commit paid
// it. The database file is still replaced whole and atomically now and then (a snapshot),
// which starts a new journal; opening the store, or reading it, replays the journal that
// belongs to the snapshot found (journal-read.ts).
//
// File format "JLJ2" (written by write-thread.ts, read by journal-read.ts):
//   header  16 bytes: "JLJ2", the snapshot's generation (u32 BE), 4 zero bytes, CRC-32 of the 12 before
//   record  24-byte head: "JLR2", generation, sequence number (0, 1, 2 … in this journal),
//           payload length, CRC-32 of the payload, CRC-32 of the head's first 20 bytes;
//           then the payload (UTF-8 JSON ops).
// Every record can be recognised and checked on its own — its marker, its head's checksum,
// its generation, its payload's checksum — so one damaged byte costs only the record it is
// in: reading resynchronises at the next record that verifies, and the sequence numbers say
// how many were lost between. For the same reason a payload is self-contained: a statement's
// SQL text is spelled out once per record and numbered after that within the record, and an
// INSERT carries the id it was given, so a record replays the same after a lost one.
// The older format "JLJ1" (header "JLJ1" + generation + 8 zero bytes; records of length,
// CRC-32 and a payload whose statement numbers run across the whole journal) is still read.
import { crc32 } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import type { Op } from './database.js';

/** The journal's file name beside the database. */
export function journalFileFor(file: string): string {
  return join(dirname(file), `${basename(file, '.db')}.journal`);
}

/** The bytes that start every journal file this version writes. */
export const journalMagic = 'JLJ2';
/** The bytes that started a journal of earlier versions (still read). */
export const legacyJournalMagic = 'JLJ1';
/** Header length in bytes (both formats). */
export const journalHeaderBytes = 16;
/** The marker that starts every record. */
export const recordMagic = Buffer.from('JLR2', 'latin1');
/** A record's head in bytes. */
export const recordHeadBytes = 24;

// Parameters are strings, numbers and nulls; JSON cannot carry the non-finite numbers SQLite
// can store, so those travel tagged. Blobs are never bound by this program.
interface Tagged {
  $: 'NaN' | 'Infinity' | '-Infinity';
}

type Param = string | number | null;
type Encoded = [string | number, Array<Param | Tagged>] | [string | number, Array<Param | Tagged>, number];

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
 * Turns commits into record payloads and back. A statement's SQL text is written the first
 * time a payload uses it and by number after that: the texts are most of the bytes otherwise
 * (a log row's INSERT names fifteen columns). `acrossRecords` keeps the numbering from one
 * payload to the next — only for reading JLJ1 journals, whose writer did that; a JLJ2
 * payload numbers within itself, so that it can be read without the records before it.
 */
export class OpsCoder {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];

  constructor(private readonly acrossRecords = false) {}

  /** Forgets the numbering. */
  reset(): void {
    this.numbers.clear();
    this.texts.length = 0;
  }

  /** The payload of one commit: JSON of [sql or its number, params (, id of an INSERT)] entries. */
  encode(ops: readonly Op[]): string {
    if (!this.acrossRecords) this.reset();
    const out = new Array<Encoded>(ops.length);
    for (let i = 0; i < ops.length; i += 1) {
      const [sql, params, id] = ops[i];
      const known = this.numbers.get(sql);
      if (known === undefined) this.numbers.set(sql, this.numbers.size);
      out[i] = id === undefined ? [known ?? sql, encodeParams(params)] : [known ?? sql, encodeParams(params), id];
    }
    return JSON.stringify(out);
  }

  /** The ops of a payload (with acrossRecords, payloads must come in the journal's order). */
  decode(text: string): Op[] {
    if (!this.acrossRecords) this.reset();
    const entries = JSON.parse(text) as Encoded[];
    if (!Array.isArray(entries)) throw new Error('a payload is a JSON array');
    const tagged = text.includes('{"$":');
    return entries.map(([ref, params, id]) => {
      let sql: string | undefined;
      if (typeof ref === 'string') {
        sql = ref;
        this.texts.push(ref);
      } else {
        sql = this.texts[ref];
      }
      if (sql === undefined) throw new Error(`statement number ${ref} was never defined`);
      if (!Array.isArray(params)) throw new Error('parameters are a JSON array');
      const values = tagged ? params.map((v) => (v !== null && typeof v === 'object' ? Number(v.$) : v)) : params as Param[];
      return typeof id === 'number' ? [sql, values, id] : [sql, values];
    });
  }
}

/** The header of a journal that follows the snapshot of this generation. */
export function journalHeader(generation: number): Buffer {
  const header = Buffer.alloc(journalHeaderBytes);
  header.write(journalMagic, 0, 'latin1');
  header.writeUInt32BE(generation >>> 0, 4);
  header.writeUInt32BE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/**
 * A record as appended (in a buffer of its own, so it can be transferred): its head (marker,
 * generation, sequence number, length, payload CRC-32, head CRC-32), then the payload.
 */
export function journalRecord(payload: string, generation: number, sequence: number): Buffer {
  const length = Buffer.byteLength(payload, 'utf8');
  const record = Buffer.allocUnsafeSlow(recordHeadBytes + length);
  record.write(payload, recordHeadBytes, 'utf8');
  recordMagic.copy(record, 0);
  record.writeUInt32BE(generation >>> 0, 4);
  record.writeUInt32BE(sequence >>> 0, 8);
  record.writeUInt32BE(length, 12);
  record.writeUInt32BE(crc32(record.subarray(recordHeadBytes)), 16);
  record.writeUInt32BE(crc32(record.subarray(0, 20)), 20);
  return record;
}

/** A record of the JLJ1 format (length, CRC-32, payload): for tests of reading older journals. */
export function legacyJournalRecord(payload: string): Buffer {
  const length = Buffer.byteLength(payload, 'utf8');
  const record = Buffer.alloc(8 + length);
  record.write(payload, 8, 'utf8');
  record.writeUInt32BE(length, 0);
  record.writeUInt32BE(crc32(record.subarray(8)), 4);
  return record;
}

/** The header of a JLJ1 journal (for tests of reading older journals). */
export function legacyJournalHeader(generation: number): Buffer {
  const header = Buffer.alloc(journalHeaderBytes);
  header.write(legacyJournalMagic, 0, 'latin1');
  header.writeUInt32BE(generation >>> 0, 4);
  return header;
}
