// Reading a journal (format in journal.ts) for the snapshot it follows, and saying exactly
// what could not be read. Only the last record can be torn by a crash (each is appended and
// fdatasynced before its commit resolves): an unfinished last record was never acknowledged
// and is passed over in silence. Anything else that does not verify is damage: the reader
// resynchronises at the next record whose marker, head checksum, generation and payload
// checksum all verify, so one bad byte costs only the record it is in, and the damage is
// described — where, how many records (the sequence numbers tell), and the GUIDs of the
// accepted lines that could be read in the damaged bytes.
import { crc32 } from 'node:zlib';
import type { Op } from './database.js';
import {
  journalHeaderBytes, journalMagic, legacyJournalMagic, OpsCoder, recordHeadBytes, recordMagic,
} from './journal.js';

/** One record read from the journal: its ops, and the GUIDs of the lines it accepted. */
export interface JournalCommit {
  ops: Op[];
  /** Where it starts in the file. */
  at: number;
}

/** Bytes that did not verify (not counting a torn tail). */
export interface DamagedRegion {
  at: number;
  bytes: number;
}

/** What a journal holds for a snapshot. */
export interface JournalContents {
  /** The journal belongs to this snapshot: its commits are to be replayed. */
  matches: boolean;
  /** The generation the journal belongs to (null: no journal, or none could be read). */
  generation: number | null;
  commits: JournalCommit[];
  /** An unfinished last record was found and ignored. */
  tornTail: boolean;
  /** Damage found (empty: none). */
  damaged: DamagedRegion[];
  /** Records known to be lost to the damage (at least; the sequence numbers count them in JLJ2). */
  lostRecords: number;
  /** GUIDs of accepted lines read in the damaged bytes, or in records that will not be applied. */
  lostGuids: string[];
  /** Why the journal's records cannot be applied at all (a header from another snapshot …), or null. */
  unusable: string | null;
  /** True for a journal of the older JLJ1 format (appends never go on in one). */
  legacy: boolean;
}

// An accepted line's command row as the journal carries it: the INSERT's parameters start
// type, kind, guid, line (queue-table.ts's column order), and the line itself starts with the
// GUID, a '|' and the action. Matched in raw bytes, so it is found even in a payload whose
// checksum failed, and several ways, so that one damaged byte — in the type and kind, in the
// GUID, in a quote, or in the line — still leaves one of them spelling the true GUID.
const guidPatterns = [
  /"(?:Automatic|Manual)","(?:create|update)","([A-Za-z0-9._:-]{1,128})"/g,
  /"(?:Automatic|Manual)","(?:create|update)","[^"]{0,130}","([A-Za-z0-9._:-]{1,128})\|/g,
  /"([A-Za-z0-9._:-]{1,128})","\1\|/g,
  /"([A-Za-z0-9._:-]{1,128})\|[A-Za-z]{4,6}\|/g,
];

/** The GUIDs of accepted lines readable in these bytes, without repeats. */
export function guidsIn(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = new Set<string>();
  for (const pattern of guidPatterns) for (const match of text.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

function empty(): JournalContents {
  return { matches: false, generation: null, commits: [], tornTail: false, damaged: [], lostRecords: 0, lostGuids: [], unusable: null, legacy: false };
}

/**
 * Parses a journal's bytes for the snapshot of `generation`. Never throws: damage is described
 * in the result. A journal of an older snapshot (a crash between a snapshot and its new
 * journal) matches nothing and is not damage: the snapshot holds all of it.
 */
export function parseJournal(bytes: Uint8Array | null, generation: number): JournalContents {
  if (bytes === null || bytes.length === 0) return empty();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = buffer.length >= 4 ? buffer.toString('latin1', 0, 4) : '';
  if (magic === legacyJournalMagic && buffer.length >= journalHeaderBytes && !currentInDisguise(buffer)) return parseLegacy(buffer, generation >>> 0);
  return parseCurrent(buffer, generation >>> 0);
}

/**
 * A JLJ2 journal whose magic was damaged into "JLJ1" (one flipped byte does it): its header
 * still verifies as JLJ2, or a verified JLJ2 record follows it. Read as JLJ1 it would find no
 * record it can read and pass the rest off as a torn tail — every command in it lost, silently.
 */
function currentInDisguise(buffer: Buffer): boolean {
  if (headAt(buffer, journalHeaderBytes) !== null) return true;
  const header = Buffer.concat([Buffer.from(journalMagic, 'latin1'), buffer.subarray(4, 12)]);
  return crc32(header) === buffer.readUInt32BE(12);
}

interface Head {
  generation: number;
  sequence: number;
  length: number;
  payloadCrc: number;
}

function headAt(buffer: Buffer, at: number): Head | null {
  if (at + recordHeadBytes > buffer.length) return null;
  if (buffer.compare(recordMagic, 0, 4, at, at + 4) !== 0) return null;
  if (crc32(buffer.subarray(at, at + 20)) !== buffer.readUInt32BE(at + 20)) return null;
  return { generation: buffer.readUInt32BE(at + 4), sequence: buffer.readUInt32BE(at + 8), length: buffer.readUInt32BE(at + 12), payloadCrc: buffer.readUInt32BE(at + 16) };
}

function parseCurrent(buffer: Buffer, generation: number): JournalContents {
  const result = empty();
  let headerGeneration: number | null = null;
  if (buffer.length >= journalHeaderBytes && buffer.toString('latin1', 0, 4) === journalMagic
    && crc32(buffer.subarray(0, 12)) === buffer.readUInt32BE(12)) {
    headerGeneration = buffer.readUInt32BE(4);
  } else {
    // A journal is only ever installed whole (temp file, rename): a header that does not verify is damage.
    result.damaged.push({ at: 0, bytes: Math.min(journalHeaderBytes, buffer.length) });
  }
  const records: Array<{ head: Head; at: number; payload: Buffer }> = [];
  let at = journalHeaderBytes;
  let lostFrom: number | null = null; // start of bytes not yet accounted for
  const damage = (from: number, to: number) => {
    if (to > from) result.damaged.push({ at: from, bytes: to - from });
  };
  while (at < buffer.length) {
    const head = headAt(buffer, at);
    const end = head ? at + recordHeadBytes + head.length : -1;
    if (head && end <= buffer.length && (headerGeneration === null || head.generation === headerGeneration)) {
      const payload = buffer.subarray(at + recordHeadBytes, end);
      if (crc32(payload) === head.payloadCrc) {
        if (lostFrom !== null) damage(lostFrom, at);
        lostFrom = null;
        records.push({ head, at, payload });
        at = end;
        continue;
      }
    }
    if (head && end > buffer.length) {
      // A verified head whose payload runs past the end of the file: the unfinished last append.
      if (lostFrom !== null) damage(lostFrom, at);
      lostFrom = null;
      result.tornTail = true;
      break;
    }
    lostFrom ??= at;
    const next = buffer.indexOf(recordMagic, at + 1);
    at = next < 0 ? buffer.length : next;
  }
  if (lostFrom !== null) {
    const tail = buffer.subarray(lostFrom);
    // What a crash mid-append leaves: zeros (the size grew before the data), or the start of a record.
    if (tail.every((b) => b === 0) || (tail.length < recordHeadBytes && recordMagic.subarray(0, Math.min(4, tail.length)).equals(tail.subarray(0, 4)))) {
      result.tornTail = true;
    } else {
      damage(lostFrom, buffer.length);
    }
  }
  // The generation: the header's, or when it is damaged, that of the records (all the same, or none).
  const found = headerGeneration ?? (records.length > 0 ? records[0].head.generation : null);
  result.generation = found;
  const usable = headerGeneration !== null ? records : records.filter((r) => r.head.generation === found);
  if (found !== null && found !== generation) {
    // Another snapshot's journal. An older one is held whole by the snapshot (nothing lost).
    if (found < generation && result.damaged.length === 0) return { ...result, matches: false };
    result.unusable = found > generation
      ? `it belongs to a newer snapshot (generation ${found}) than the database file (generation ${generation})`
      : `it belongs to an older snapshot (generation ${found}) than the database file (generation ${generation})`;
    if (found > generation) {
      result.lostGuids = guidsIn(buffer);
      result.lostRecords = usable.length + result.damaged.filter((region) => region.at >= journalHeaderBytes).length;
    }
    return result;
  }
  if (found === null) {
    // Nothing verifies: every byte after the header is unreadable (or the file is only a header).
    if (result.damaged.some((region) => region.at >= journalHeaderBytes)) {
      result.lostGuids = guidsIn(buffer);
      result.lostRecords = Math.max(1, countMarkers(buffer));
    }
    return result;
  }
  result.matches = true;
  let expected = 0;
  for (const record of usable) {
    let ops: Op[] | null = null;
    try {
      ops = new OpsCoder().decode(record.payload.toString('utf8'));
    } catch {
      ops = null; // checksummed yet unreadable: only a bug writes that; counted as lost like damage
    }
    result.lostRecords += Math.max(0, record.head.sequence - expected);
    expected = Math.max(expected, record.head.sequence + 1);
    if (ops === null) {
      result.lostRecords += 1;
      result.damaged.push({ at: record.at, bytes: recordHeadBytes + record.payload.length });
      result.lostGuids.push(...guidsIn(record.payload));
    } else {
      result.commits.push({ ops, at: record.at });
    }
  }
  // Damage after the last record that verifies: the sequence numbers cannot count it; the markers can.
  const last = usable[usable.length - 1];
  for (const region of result.damaged) {
    if (region.at === 0 && region.bytes <= journalHeaderBytes) continue;
    result.lostGuids.push(...guidsIn(buffer.subarray(region.at, region.at + region.bytes)));
    if (!last || region.at > last.at) result.lostRecords += Math.max(1, countMarkers(buffer.subarray(region.at, region.at + region.bytes)));
  }
  result.lostGuids = [...new Set(result.lostGuids)];
  return result;
}

function countMarkers(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(recordMagic); at >= 0; at = bytes.indexOf(recordMagic, at + 1)) count += 1;
  return count;
}

// JLJ1, written by earlier versions: no marker per record, no generation or checksum in the
// header, and statement numbers that run across records, so nothing after a damaged record
// can be read safely (its ids could shift). Read up to the first damage; the rest is named.
function parseLegacy(buffer: Buffer, generation: number): JournalContents {
  const result = empty();
  result.legacy = true;
  const found = buffer.readUInt32BE(4);
  result.generation = found;
  if (found !== generation) {
    // The crash window between a snapshot and its new journal leaves the one before it.
    if (found === ((generation - 1) >>> 0) || buffer.length === journalHeaderBytes) return result;
    result.unusable = `its header names generation ${found}, not the database file's ${generation} (damaged, or another snapshot's)`;
    result.damaged.push({ at: 4, bytes: 4 });
    result.lostGuids = guidsIn(buffer);
    result.lostRecords = 1;
    return result;
  }
  result.matches = true;
  const coder = new OpsCoder(true);
  let at = journalHeaderBytes;
  while (at < buffer.length) {
    const ops = legacyRecordAt(buffer, at, coder);
    if (ops !== null) {
      result.commits.push({ ops, at });
      at += 8 + buffer.readUInt32BE(at);
      continue;
    }
    const tail = buffer.subarray(at);
    // An unfinished last append is all that follows, with no whole record after it.
    if (tail.every((b) => b === 0) || !wholeLegacyRecordIn(buffer, at + 1)) {
      result.tornTail = true;
      return result;
    }
    result.damaged.push({ at, bytes: tail.length });
    result.lostGuids = guidsIn(tail);
    result.lostRecords = 1 + countLegacyRecords(buffer, at + 1);
    return result;
  }
  return result;
}

function legacyRecordAt(buffer: Buffer, at: number, coder: OpsCoder | null): Op[] | null {
  if (buffer.length - at < 8) return null;
  const length = buffer.readUInt32BE(at);
  if (length === 0 || buffer.length - at - 8 < length) return null;
  if (crc32(buffer.subarray(at + 8, at + 8 + length)) !== buffer.readUInt32BE(at + 4)) return null;
  if (coder === null) return [];
  try {
    return coder.decode(buffer.toString('utf8', at + 8, at + 8 + length));
  } catch {
    return null;
  }
}

// A JLJ1 payload is a JSON array of arrays: a record starts 8 bytes before "[[".
function legacyStarts(buffer: Buffer, from: number): number[] {
  const starts: number[] = [];
  for (let p = buffer.indexOf('[[', from + 8, 'latin1'); p >= 0; p = buffer.indexOf('[[', p + 1, 'latin1')) starts.push(p - 8);
  return starts;
}

function wholeLegacyRecordIn(buffer: Buffer, from: number): boolean {
  return legacyStarts(buffer, from).some((start) => legacyRecordAt(buffer, start, null) !== null);
}

function countLegacyRecords(buffer: Buffer, from: number): number {
  return legacyStarts(buffer, from).filter((start) => legacyRecordAt(buffer, start, null) !== null).length;
}
