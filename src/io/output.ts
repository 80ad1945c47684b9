/**
 * Writing results safely: each file goes to a temporary file in the same directory and is
 * renamed into place only when every file has been written completely, so a failure never
 * leaves a half-written or mismatched set of files behind.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../documents/errors.ts';

export interface OutputFile {
  name: string;
  /** The content, in order (strings are written as UTF-8, byte arrays as they are). */
  chunks: Iterable<string | Uint8Array>;
}

export interface WriteOptions {
  /** fsync each file before the renames and the directory after them (survives a crash, not only a kill). */
  durable?: boolean;
}

/** Refuses an output path that exists and is not a directory (checked before running). */
export function checkOutDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a directory.`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new InputError(`--out ${dir}: part of the path is a file, not a directory.`);
    if (code !== 'ENOENT') throw error;
  }
}

export function makeOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create output directory ${dir}: ${(error as Error).message}`);
  }
}

/** Writes all `files` into `dir` atomically (all temp files first, then the renames). */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[], options: WriteOptions = {}): void {
  const temps: string[] = [];
  try {
    for (const file of files) {
      const temp = join(dir, `.${file.name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
      temps.push(temp);
      const fd = openSync(temp, 'w');
      try {
        for (const chunk of file.chunks) {
          if (typeof chunk === 'string') writeSync(fd, chunk);
          else for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at, chunk.length - at);
        }
        if (options.durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    files.forEach((file, k) => renameSync(temps[k], join(dir, file.name)));
    if (options.durable) syncDirectory(dir);
  } catch (error) {
    for (const temp of temps) {
      try {
        unlinkSync(temp);
      } catch {
        // already renamed or never created
      }
    }
    throw error;
  }
}

/** fsyncs a directory so renames in it are on disk (a no-op where directories cannot be opened). */
export function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on this platform: renames are still atomic, only not yet durable
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
