/**
 * The journal of a sweep in progress: one binary record per finished run, appended as runs
 * finish (in whatever order the workers finish them), flushed to the kernel at once and fsync'd
 * about once a second (in the background, so the thread computing runs does not wait for the
 * disk) and at the end (waiting). Each record carries its length, a CRC-32, its run id and the
 * fingerprint of the experiment that computed it, checked when the journal is opened and again
 * on every read: a torn last record is cut off; a damaged record (bad CRC), one from another
 * experiment (a journal copied from elsewhere) or one holding another run than its slot says
 * is reported and never used, so its run is computed again. Results files are built from the
 * journal only when every run is in it.
 *
 * Record layout, format 2 (magic 'PSJ2'; little-endian, 8-byte aligned):
 *   0 magic · 4 byte length of the whole record · 8 CRC-32 of bytes 12… · 12 run ·
 *   16 rounds · 20 width (columns) · 24 measures · 28 length of the column-names JSON ·
 *   32 experiment fingerprint (32 bytes of SHA-256) · 64 column names (JSON, padded to 8) ·
 *   then measures × rounds × width float64 values, measure by measure in MEASURE_NAMES order,
 *   cell (round r, column c) at r·width + c.
 * Format 1 ('PSJ1', no fingerprint) cannot prove which experiment its records belong to: such a
 * journal is discarded on open (`foreign`) and its runs computed again — never used, and no
 * manual clean-up needed, since the plan beside it already matched the command.
 */
import { closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { MEASURE_NAMES } from '../model/observe.ts';
import type { Trajectories } from '../model/observe.ts';

const MAGIC = 0x324a5350; // 'PSJ2'
const MAGIC_V1 = 0x314a5350; // 'PSJ1'
const HEADER = 64;
const FINGERPRINT_AT = 32;
const FINGERPRINT_BYTES = 32;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), native where Node has it (≥ 20.15). */
export function crc32(bytes: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;
  if (native) return native(bytes) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One run's recorded trajectories: every measure, `rounds` × `columns`. */
export interface RunData {
  run: number;
  /** The experiment's fingerprint (hex), when read from a journal record. */
  fingerprint?: string;
  rounds: number;
  columns: string[];
  /** measures × rounds × width values, measure-major. */
  data: Float64Array;
}

/** The 32 bytes of a plan's fingerprint (64 hex digits). */
export function fingerprintBytes(fingerprint: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new Error(`not a SHA-256 fingerprint: ${fingerprint.slice(0, 80)}`);
  return Uint8Array.from({ length: FINGERPRINT_BYTES }, (_, k) => parseInt(fingerprint.slice(2 * k, 2 * k + 2), 16));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Encodes one run's trajectories as a journal record of the experiment with `fingerprint`. */
export function encodeRun(run: number, trajectories: Trajectories, fingerprint: string): Uint8Array {
  const { rounds, columns } = trajectories;
  const width = columns.length;
  const names = new TextEncoder().encode(JSON.stringify(columns));
  const namesPadded = Math.ceil(names.length / 8) * 8;
  const cells = rounds * width;
  const length = HEADER + namesPadded + MEASURE_NAMES.length * cells * 8;
  const buffer = new ArrayBuffer(length);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, length, true);
  view.setUint32(12, run, true);
  view.setUint32(16, rounds, true);
  view.setUint32(20, width, true);
  view.setUint32(24, MEASURE_NAMES.length, true);
  view.setUint32(28, names.length, true);
  bytes.set(fingerprintBytes(fingerprint), FINGERPRINT_AT);
  bytes.set(names, HEADER);
  const values = new Float64Array(buffer, HEADER + namesPadded);
  MEASURE_NAMES.forEach((name, m) => values.set(trajectories.data[name].subarray(0, cells), m * cells));
  view.setUint32(8, crc32(bytes.subarray(12)), true);
  return bytes;
}

/** Decodes a record (already checked). */
export function decodeRun(bytes: Uint8Array): RunData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const run = view.getUint32(12, true);
  const rounds = view.getUint32(16, true);
  const width = view.getUint32(20, true);
  const measures = view.getUint32(24, true);
  const namesLength = view.getUint32(28, true);
  const columns = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER, HEADER + namesLength))) as string[];
  const start = HEADER + Math.ceil(namesLength / 8) * 8;
  const data = new Float64Array(measures * rounds * width);
  new Uint8Array(data.buffer).set(bytes.subarray(start, start + data.byteLength));
  return { run, fingerprint: hex(bytes.subarray(FINGERPRINT_AT, FINGERPRINT_AT + FINGERPRINT_BYTES)), rounds, columns, data };
}

/**
 * What is wrong with the record `bytes` (known to start with the magic and to be as long as its
 * length field says), or null when it is intact and belongs to the experiment `fingerprint`.
 */
function recordProblem(bytes: Uint8Array, fingerprint: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  const measures = view.getUint32(24, true);
  const expected = HEADER + Math.ceil(view.getUint32(28, true) / 8) * 8 + measures * view.getUint32(16, true) * view.getUint32(20, true) * 8;
  if (crc32(bytes.subarray(12)) !== view.getUint32(8, true)) return 'bad CRC (damaged)';
  if (measures !== MEASURE_NAMES.length || expected !== length) return 'inconsistent sizes';
  const own = bytes.subarray(FINGERPRINT_AT, FINGERPRINT_AT + FINGERPRINT_BYTES);
  if (!own.every((b, k) => b === fingerprint[k])) {
    return `from another experiment (fingerprint ${hex(own).slice(0, 12)}…, this one's ${hex(fingerprint).slice(0, 12)}…)`;
  }
  return null;
}

/** A record that failed its check when read: never used. */
export class JournalRecordError extends Error {
  constructor(readonly run: number, readonly index: number, readonly offset: number, readonly problem: string) {
    super(`journal record ${index} (byte ${offset}, run ${run}): ${problem}`);
    this.name = 'JournalRecordError';
  }
}

/** A record skipped when the journal was opened. */
export interface RejectedRecord {
  /** Position in the file (0 = first record). */
  index: number;
  offset: number;
  /** The run it claims to hold. */
  run: number;
  problem: string;
}

export interface JournalOptions {
  /** The experiment's fingerprint: records of any other are not used. */
  fingerprint: string;
  /** Runs this journal may hold; a record of another run is not used. */
  runs?: { first: number; end: number };
}

export interface JournalEntry {
  offset: number;
  length: number;
  /** Position in the file (0 = first record), for messages. */
  index: number;
}

/** An append-only journal file of run records. */
export class Journal {
  /** Where each run's record is. */
  readonly entries = new Map<number, JournalEntry>();
  private size = 0;
  private lastSync = 0;
  /** A background fsync is in flight (at most one at a time). */
  private syncing = false;
  /** The first error a background fsync reported; thrown by the next append, sync or close. */
  private backgroundError: Error | null = null;
  /** A descriptor close() left open for an in-flight background fsync to close when it returns. */
  private closeAfterSync = -1;
  /** Bytes of a torn record cut off when the journal was opened. */
  readonly truncated: number = 0;
  /** Records skipped when the journal was opened (damaged, foreign, or outside `runs`). */
  readonly rejected: readonly RejectedRecord[] = [];
  /** Set when the file was a whole journal not to be used (an older format): what it was. */
  readonly foreign: string | undefined;
  private count = 0;
  private readonly fingerprint: Uint8Array;

  private constructor(private fd: number, opened: { entries: Map<number, JournalEntry>; size: number; count: number; truncated: number; rejected: RejectedRecord[]; foreign?: string }, fingerprint: Uint8Array) {
    this.entries = opened.entries;
    this.size = opened.size;
    this.count = opened.count;
    this.truncated = opened.truncated;
    this.rejected = opened.rejected;
    this.foreign = opened.foreign;
    this.fingerprint = fingerprint;
    this.lastSync = Date.now();
  }

  /**
   * Opens (creating when absent) the journal at `path`, keeping every intact record of this
   * experiment, skipping (and listing in `rejected`) damaged or foreign ones, and cutting off
   * everything from a record whose header is unreadable (a torn last record, or a place from
   * which the next record cannot be found).
   */
  static open(path: string, fresh: boolean, options: JournalOptions): Journal {
    const fingerprint = fingerprintBytes(options.fingerprint);
    const fd = openSync(path, fresh || !existsSync(path) ? 'w+' : 'r+');
    const entries = new Map<number, JournalEntry>();
    const rejected: RejectedRecord[] = [];
    const total = fstatSync(fd).size;
    const header = new Uint8Array(HEADER);
    const view = new DataView(header.buffer);
    let offset = 0;
    let count = 0;
    let foreign: string | undefined;
    while (total - offset >= HEADER) {
      readSync(fd, header, 0, HEADER, offset);
      const length = view.getUint32(4, true);
      if (offset === 0 && view.getUint32(0, true) === MAGIC_V1) {
        foreign = `a journal in the older format 1 (no experiment fingerprint), ${total} bytes`;
        break;
      }
      if (view.getUint32(0, true) !== MAGIC || length < HEADER || length % 8 !== 0 || length > total - offset) break;
      const record = new Uint8Array(length);
      readSync(fd, record, 0, length, offset);
      const run = view.getUint32(12, true);
      let problem = recordProblem(record, fingerprint);
      if (!problem && options.runs && (run < options.runs.first || run >= options.runs.end)) {
        problem = `holds run ${run}, not one of this sweep's runs ${options.runs.first}–${options.runs.end - 1}`;
      }
      if (problem) rejected.push({ index: count, offset, run, problem });
      else if (!entries.has(run)) entries.set(run, { offset, length, index: count });
      offset += length;
      count++;
    }
    const truncated = total - offset;
    if (truncated > 0) {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
    }
    return new Journal(fd, { entries, size: offset, count, truncated: foreign ? 0 : truncated, rejected, foreign }, fingerprint);
  }

  /** Appends one encoded record (as returned by `encodeRun`). */
  append(record: Uint8Array): void {
    this.throwBackgroundError();
    const run = new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(12, true);
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written, record.length - written, this.size + written);
    this.entries.set(run, { offset: this.size, length: record.length, index: this.count++ });
    this.size += record.length;
    if (!this.syncing && Date.now() - this.lastSync >= 1000) this.syncInBackground();
  }

  /**
   * Starts an fsync on libuv's thread pool. Only a machine crash (not a killed process: written
   * records are already in the kernel) can lose what no fsync has covered yet: about the last
   * second, plus however long an fsync takes on a slow disk. `sync()` and `close()` wait.
   */
  private syncInBackground(): void {
    this.syncing = true;
    this.lastSync = Date.now();
    const fd = this.fd;
    fsync(fd, (error) => {
      this.syncing = false;
      // Linux reports a write-back error to one fsync only: keep it, so the sweep stops on it
      // rather than a later fsync succeeding over lost records.
      if (error) this.backgroundError ??= error;
      if (this.closeAfterSync === fd) {
        this.closeAfterSync = -1;
        closeSync(fd);
      }
    });
  }

  private throwBackgroundError(): void {
    if (this.backgroundError) {
      throw new Error(`the sweep journal could not be written to disk: ${this.backgroundError.message}`, { cause: this.backgroundError });
    }
  }

  /** Forces everything appended so far to disk, waiting for it. */
  sync(): void {
    fsyncSync(this.fd);
    this.lastSync = Date.now();
    this.throwBackgroundError();
  }

  /**
   * Reads back one run's record, checked again (CRC, fingerprint, and that it holds `run`): the
   * file may have changed since it was written. Throws a JournalRecordError, after forgetting
   * the entry, when it fails.
   */
  read(run: number): RunData {
    const entry = this.entries.get(run);
    if (!entry) throw new RangeError(`run ${run} is not in the journal`);
    const bytes = new Uint8Array(entry.length);
    const got = readSync(this.fd, bytes, 0, entry.length, entry.offset);
    const view = new DataView(bytes.buffer);
    let problem: string | null;
    if (got !== entry.length || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== entry.length) problem = 'not a complete record';
    else problem = recordProblem(bytes, this.fingerprint);
    if (!problem && view.getUint32(12, true) !== run) problem = `holds run ${view.getUint32(12, true)}, not run ${run}`;
    if (problem) {
      this.entries.delete(run);
      throw new JournalRecordError(run, entry.index, entry.offset, problem);
    }
    return decodeRun(bytes);
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      fsyncSync(fd);
    } finally {
      // Never close under an in-flight fsync (its descriptor could be reused by another file).
      if (this.syncing) this.closeAfterSync = fd;
      else closeSync(fd);
    }
    this.throwBackgroundError();
  }
}
