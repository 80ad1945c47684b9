/**
 * The output-folder lock (src/io/lock.ts) in-process: refusals (a live holder, one on another
 * host, a lock still being written), take-overs (dead PID, unreadable and old), release only of
 * one's own lock, and what taking and releasing costs. Real concurrent processes:
 * tests/sweep-cli.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUserError } from '../src/documents/errors.ts';
import { LOCK_FILE, lockFolder, processStartTime } from '../src/io/lock.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'partnersim-lock-'));
const refusal = (dir: string) => {
  try {
    lockFolder(dir, 'partnersim second', () => {});
  } catch (error) {
    return formatUserError(error);
  }
  throw new Error('the lock was taken');
};

describe('output folder lock', () => {
  it('records pid, start time, command, time and host; refuses a second writer while held; removed on release', () => {
    const dir = folder();
    const lock = lockFolder(dir, 'partnersim first', () => {});
    const content = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(content).toMatchObject({ pid: process.pid, startTime: processStartTime(process.pid), command: 'partnersim first' });
    expect(Number.isInteger(content.startTime)).toBe(true);
    expect(refusal(dir)).toContain(`${dir} is in use by another partnersim (PID ${process.pid}, since ${content.createdAt}: partnersim first).`);
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('never presumes a lock from another host stale, even with a PID that is not running here', () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, startTime: 5, command: 'partnersim sweep x', createdAt: 'then', host: 'node-17.cluster' }));
    expect(refusal(dir)).toContain(`(PID ${gone} on host node-17.cluster, since then: partnersim sweep x)`);
  });

  it('takes over an unreadable lock only once it is older than a few seconds (a writer killed between create and write)', () => {
    const dir = folder();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '');
    expect(refusal(dir)).toContain('PID unknown');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    let note = '';
    const lock = lockFolder(dir, 'partnersim second', (line) => void (note += line));
    expect(note).toContain('(it is empty or unreadable; it was unreadable)');
    lock.release();
  });

  it('does not remove a lock another writer has taken over meanwhile', () => {
    const dir = folder();
    const lock = lockFolder(dir, 'partnersim first', () => {});
    const other = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), command: 'partnersim later', createdAt: 'later' });
    writeFileSync(join(dir, LOCK_FILE), other);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(other);
  });

  it('costs well under a millisecond to take and release', () => {
    const dir = folder();
    const n = 200;
    const start = performance.now();
    for (let k = 0; k < n; k++) lockFolder(dir, 'partnersim x', () => {}).release();
    const perLock = (performance.now() - start) / n;
    console.log(`lock: take + release ${(perLock * 1000).toFixed(0)} µs`);
    expect(perLock).toBeLessThan(5);
  });
});
