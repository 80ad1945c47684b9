/**
 * Writing results safely: each file goes to a temporary file in the same directory and is
 * renamed into place only when every file has been written completely, so a failure never
 * leaves a half-written or mismatched set of files behind.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
    throw Object.assign(new Error(`cannot create output directory ${dir}: ${(error as Error).message}`), { code: whyNotCreated(dir, error), path: dir });
  }
}

/** The real reason a folder could not be made: Node's recursive mkdir reports ENOENT for a read-only or forbidden parent. */
function whyNotCreated(dir: string, error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT') return code;
  let parent = dirname(dir);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
  } catch (denied) {
    return (denied as NodeJS.ErrnoException).code ?? code;
  }
  try {
    mkdirSync(join(parent, `.partnersim-probe-${process.pid}`));
    rmdirSync(join(parent, `.partnersim-probe-${process.pid}`));
  } catch (probe) {
    return (probe as NodeJS.ErrnoException).code ?? code;
  }
  return code;
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

/**
 * A plain-words message for a failed write the user can act on (a full disk, a read-only or
 * forbidden folder), or undefined for any other error. Writers never leave a half-written
 * result (temporary files and renames), so the message can say what to do next.
 */
export function writeFailure(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const where = path ? ` (${path})` : '';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left on the device${where} while writing results (${code}). No result file was left half-written; ` +
        'free some space and run the same command again (a sweep or sensitivity analysis: add --resume to keep the runs already done).';
    case 'EROFS':
      return `the output folder is on a read-only file system${where} (EROFS). Give another --out.`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied writing the output folder${where} (${code}). Give another --out, or make it writable.`;
    default:
      return undefined;
  }
}
