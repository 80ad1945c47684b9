/**
 * One writer per output folder: OUT/.partnersim.lock, created atomically (open 'wx') with
 * {pid, startTime, command, createdAt, host}, held for the whole command and removed on every way out
 * that runs code: release() in the caller's finally (success, an error, a sweep stopped by
 * SIGINT/SIGTERM) or process exit. Two sweeps appending to one journal silently mixed their runs
 * (issue #17); with the lock the second refuses with exit 2.
 *
 * A lock left by a process that died without cleaning up (SIGKILL, a crash, SIGTERM of `run`) is stale: its PID no
 * longer runs, or runs with another start time (the PID was reused). Such a lock is taken over,
 * with a note on stderr. A lock held from another host is never presumed stale.
 */
import { checkOutDir, makeOutDir } from './output.ts';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../documents/errors.ts';

export const LOCK_FILE = '.partnersim.lock';

interface LockContent {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22); null where /proc is unavailable. */
  startTime: number | null;
  command: string;
  createdAt: string;
  /** The machine the holder runs on: a PID means nothing on another one (a shared cluster file system). */
  host?: string;
}

/** A lock with no readable content is a writer killed between create and write: stale once older than this. */
const UNREADABLE_GRACE_MS = 5000;

/**
 * Start time of process `pid` (field 22 of /proc/PID/stat, after the parenthesised name, which
 * may itself hold spaces or parentheses), or null when /proc cannot tell (not Linux, or no such
 * process). Without /proc, staleness falls back to PID liveness alone: a PID reused by another
 * process then keeps the lock until someone deletes it by hand.
 */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(fields[22 - 3]); // fields[0] is field 3 (state)
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Why the holder of `content` is gone, or null when it still runs. */
function staleReason(content: LockContent): string | null {
  // Another machine's process cannot be checked from here: never presumed dead (taking over a
  // live lock would mix two writers' runs again). Its owner, or a person, removes it.
  if (content.host !== undefined && content.host !== hostname()) return null;
  if (!Number.isInteger(content.pid) || content.pid <= 0 || !alive(content.pid)) return `PID ${content.pid} is not running`;
  if (content.startTime !== null && existsProc()) {
    const now = processStartTime(content.pid);
    if (now !== null && now !== content.startTime) return `PID ${content.pid} is now another process (started at tick ${now}, not ${content.startTime})`;
  }
  return null;
}

const existsProc = () => processStartTime(process.pid) !== null;

function readLock(path: string): LockContent | null {
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
    return typeof content === 'object' && content !== null && typeof content.pid === 'number' ? content : null;
  } catch {
    return null;
  }
}

export interface FolderLock {
  readonly path: string;
  /** Removes the lock (idempotent). */
  release(): void;
}

/**
 * Takes the lock on `dir` (which must exist) for `command`, or throws an InputError (exit 2)
 * naming the folder, the holder's PID and what to do. `note` receives the line about a stale
 * lock taken over.
 */
export function lockFolder(dir: string, command: string, note: (line: string) => void): FolderLock {
  const path = join(dir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, startTime: processStartTime(process.pid), command, createdAt: new Date().toISOString(), host: hostname() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      const holder = readLock(path);
      let reason: string | null;
      if (holder) reason = staleReason(holder);
      else {
        let age = 0;
        try {
          age = Date.now() - statSync(path).mtimeMs;
        } catch {
          continue; // removed meanwhile: try again
        }
        reason = age > UNREADABLE_GRACE_MS ? 'it is empty or unreadable' : null;
      }
      if (reason === null) {
        throw new InputError(
          `${dir} is in use by another partnersim (PID ${holder?.pid ?? 'unknown'}` +
          `${holder?.host !== undefined && holder.host !== hostname() ? ` on host ${holder.host}` : ''}` +
          `${holder ? `, since ${holder.createdAt}: ${holder.command}` : ''}).`, [],
          `Wait for it to finish, or stop it (kill ${holder?.pid ?? 'PID'}) and run the same command again with --resume. ` +
          `If that process is not a partnersim writing here, delete ${path}.`);
      }
      note(`partnersim: taking over a stale lock on ${dir} (${reason}; it was ${holder ? `${holder.command}, ${holder.createdAt}` : 'unreadable'}).\n`);
      // Two processes taking over the same stale lock at the same moment could both succeed here
      // (one unlinks the other's fresh lock): a narrow window that needs two restarts within
      // milliseconds of each other on a lock left by a dead process.
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
      continue;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return holdUntilExit(path, mine);
  }
}

/**
 * Removes the lock when released and at process exit. No signal handler of its own: a handler
 * would keep a process busy in synchronous work (run, compare) alive until that work ends,
 * where the default kills it at once. Commands that handle SIGINT/SIGTERM (sweep, sensitivity)
 * stop cleanly and release in their `finally`; any other killed process leaves a lock whose PID
 * is dead, which the next writer takes over.
 */
function holdUntilExit(path: string, mine: LockContent): FolderLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never one a later writer took over after we were presumed dead.
    const current = readLock(path);
    if (current && (current.pid !== mine.pid || current.createdAt !== mine.createdAt)) return;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}

/**
 * Checks and creates the output folder `dir`, then runs `work` holding the folder's lock, and
 * releases the lock however `work` ends (a returned promise included).
 */
export function withFolderLock<T>(dir: string, command: string, note: (line: string) => void, work: () => T): T {
  checkOutDir(dir);
  makeOutDir(dir);
  const lock = lockFolder(dir, command, note);
  let result: T;
  try {
    result = work();
  } catch (error) {
    lock.release();
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => lock.release()) as T;
  lock.release();
  return result;
}
