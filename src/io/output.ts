/**
 * Writing results safely: each file goes to a temporary file in the same directory and is
 * renamed into place only when every file has been written completely, so a failure never
 * leaves a half-written or mismatched set of files behind. Each file's SHA-256 and size are
 * taken as it is written (a manifest written last can record them), and temporary files that
 * an earlier, killed writer left behind are removed after a successful write.
 */
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../documents/errors.ts';

export interface OutputFile {
  name: string;
  /** The content, in order (strings are written as UTF-8, byte arrays as they are). */
  chunks: Iterable<string | Uint8Array>;
}

/** A file's size and SHA-256 (hex), as recorded in manifests and checked by `partnersim verify`. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

export interface WriteOptions {
  /** fsync each file before the renames and the directory after them (survives a crash, not only a kill). */
  durable?: boolean;
  /** Filled with each file's digest as soon as it is written (before the next file's chunks are drawn). */
  digests?: Map<string, FileDigest>;
  /**
   * Called between chunks and always once just before the renames (the async writer only): throws
   * to abandon the write (a signal), which removes the temporary files and leaves the directory as it was.
   */
  stop?: () => void;
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

/** Temporary files of writeFilesAtomically: `.NAME.PID.RANDOM.tmp`. */
export const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-z]+\.tmp$/;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files in `dir` that no running writer owns: those of dead processes, and
 * this process's own from an earlier life of its PID (PIDs repeat in containers). Writers hold
 * the folder's lock (src/io/lock.ts), so a temp file of a live other process is left alone only
 * out of caution. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string, keep: ReadonlySet<string> = new Set()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || keep.has(name)) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && running(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** The steps of an atomic write; yields between chunks so an async caller can let signals in. */
function* writeSteps(dir: string, files: readonly OutputFile[], options: WriteOptions): Generator<'chunk' | 'commit', void> {
  const temps: string[] = [];
  try {
    for (const file of files) {
      const name = `.${file.name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
      const temp = join(dir, name);
      temps.push(temp);
      const hash = createHash('sha256');
      let bytes = 0;
      const fd = openSync(temp, 'w');
      try {
        for (const chunk of file.chunks) {
          const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
          for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
          hash.update(data);
          bytes += data.length;
          yield 'chunk';
        }
        if (options.durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      options.digests?.set(file.name, { bytes, sha256: hash.digest('hex') });
    }
    yield 'commit'; // the last moment to abandon: the renames below are quick and all-or-nothing in effect
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
  removeStaleTemporaries(dir);
}

/** Writes all `files` into `dir` atomically (all temp files first, then the renames). */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[], options: WriteOptions = {}): void {
  const steps = writeSteps(dir, files, options);
  while (!steps.next().done) { /* write on */ }
}

/**
 * Like writeFilesAtomically, but gives the event loop a turn about every 50 ms and just before the
 * renames (so SIGINT and SIGTERM handlers run during a write of any length) and calls `options.stop`
 * then, which may throw to abandon the write with nothing changed.
 */
export async function writeFilesAtomicallyAsync(dir: string, files: readonly OutputFile[], options: WriteOptions = {}): Promise<void> {
  const steps = writeSteps(dir, files, options);
  let last = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return;
    // Before the renames the event loop always gets a turn, however fast the write was, so a
    // signal that came during it is seen and abandons the write instead of being missed.
    if (step.value === 'commit' || performance.now() - last > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
      try {
        options.stop?.();
      } catch (error) {
        steps.throw(error); // removes the temporary files, then rethrows
      }
    }
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
