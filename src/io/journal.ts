/**
 * The journal of a sweep in progress: one binary record per finished run, appended as runs
 * finish (in whatever order the workers finish them), flushed to the kernel at once and fsync'd
 * about once a second (in the background, so the thread computing runs does not wait for the
 * disk) and at the end (waiting). Each record carries its length and a CRC-32, so a
 * record torn by a kill or a crash is recognised and cut off when the journal is reopened; every
 * complete record before it is kept. Results files are built from the journal only when every
 * run is in it.
 *
 * Record layout (little-endian, 8-byte aligned):
 *   0 magic 'PSJ1' · 4 byte length of the whole record · 8 CRC-32 of bytes 12… · 12 run ·
 *   16 rounds · 20 width (columns) · 24 measures · 28 length of the column-names JSON ·
 *   32 column names (JSON, padded to 8) · then measures × rounds × width float64 values,
 *   measure by measure in MEASURE_NAMES order, cell (round r, column c) at r·width + c.
 */
import { closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { MEASURE_NAMES } from '../model/observe.ts';
import type { Trajectories } from '../model/observe.ts';

const MAGIC = 0x314a5350; // 'PSJ1'
const HEADER = 32;

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
  rounds: number;
  columns: string[];
  /** measures × rounds × width values, measure-major. */
  data: Float64Array;
}

/** Encodes one run's trajectories as a journal record. */
export function encodeRun(run: number, trajectories: Trajectories): Uint8Array {
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
  return { run, rounds, columns, data };
}

/** Whether `bytes` (from `offset`) start with a complete, intact record; returns its length or 0. */
function checkRecord(bytes: Uint8Array, offset: number): number {
  if (bytes.length - offset < HEADER) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset);
  if (view.getUint32(0, true) !== MAGIC) return 0;
  const length = view.getUint32(4, true);
  if (length < HEADER || length % 8 !== 0 || length > bytes.length - offset) return 0;
  const measures = view.getUint32(24, true);
  if (measures !== MEASURE_NAMES.length) return 0;
  const expected = HEADER + Math.ceil(view.getUint32(28, true) / 8) * 8 + measures * view.getUint32(16, true) * view.getUint32(20, true) * 8;
  if (expected !== length) return 0;
  return crc32(bytes.subarray(offset + 12, offset + length)) === view.getUint32(8, true) ? length : 0;
}

export interface JournalEntry {
  offset: number;
  length: number;
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

  private constructor(private fd: number, entries: Map<number, JournalEntry>, size: number, truncated: number) {
    this.entries = entries;
    this.size = size;
    this.truncated = truncated;
    this.lastSync = Date.now();
  }

  /**
   * Opens (creating when absent) the journal at `path`, keeping every intact record and cutting
   * off anything after the first damaged one.
   */
  static open(path: string, fresh: boolean): Journal {
    const fd = openSync(path, fresh || !existsSync(path) ? 'w+' : 'r+');
    const entries = new Map<number, JournalEntry>();
    const total = fstatSync(fd).size;
    const header = new Uint8Array(HEADER);
    const view = new DataView(header.buffer);
    let offset = 0;
    while (total - offset >= HEADER) {
      readSync(fd, header, 0, HEADER, offset);
      const length = view.getUint32(4, true);
      if (view.getUint32(0, true) !== MAGIC || length < HEADER || length > total - offset) break;
      const record = new Uint8Array(length);
      readSync(fd, record, 0, length, offset);
      if (checkRecord(record, 0) !== length) break;
      const run = view.getUint32(12, true);
      if (!entries.has(run)) entries.set(run, { offset, length });
      offset += length;
    }
    const truncated = total - offset;
    if (truncated > 0) {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
    }
    return new Journal(fd, entries, offset, truncated);
  }

  /** Appends one encoded record (as returned by `encodeRun`). */
  append(record: Uint8Array): void {
    this.throwBackgroundError();
    const run = new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(12, true);
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written, record.length - written, this.size + written);
    this.entries.set(run, { offset: this.size, length: record.length });
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

  /** Reads back one run's record. */
  read(run: number): RunData {
    const entry = this.entries.get(run);
    if (!entry) throw new RangeError(`run ${run} is not in the journal`);
    const bytes = new Uint8Array(entry.length);
    readSync(this.fd, bytes, 0, entry.length, entry.offset);
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
