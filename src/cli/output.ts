/**
 * Writing results safely: each file goes to a temporary file in the same directory and is
 * renamed into place only when every file has been written completely, so a failure never
 * leaves a half-written or mismatched set of files behind.
 */
import { closeSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.ts';

export interface OutputFile {
  name: string;
  /** The content, in order (strings are written as UTF-8). */
  chunks: Iterable<string>;
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
export function writeFilesAtomically(dir: string, files: readonly OutputFile[]): void {
  const temps: string[] = [];
  try {
    for (const file of files) {
      const temp = join(dir, `.${file.name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
      temps.push(temp);
      const fd = openSync(temp, 'w');
      try {
        for (const chunk of file.chunks) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
    }
    files.forEach((file, k) => renameSync(temps[k], join(dir, file.name)));
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
