/**
 * End to end: the built CLI as a user runs it (`node dist/src/cli/main.js …`), in a child
 * process. The CLI's import graph is compiled (emit only; `tsc --noEmit -p .` checks types) into
 * a private directory inside node_modules/.cache, so the test neither races with nor depends on
 * anyone else's `dist/` or unfinished code elsewhere in the tree. Each spawn pays Node's start-up
 * and the model's imports (about a second), so the spawned cases are few; the in-process tests
 * in cli.test.ts cover the rest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const buildDir = join(repo, 'node_modules', '.cache', 'partnersim-cli-e2e');
const entry = join(buildDir, 'src', 'cli', 'main.js');
let cwd: string;

function partnersim(...args: string[]) {
  const result = spawnSync(process.execPath, [entry, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PARTNERSIM_DEBUG: '' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [
    join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--ignoreConfig', join(repo, 'src', 'cli', 'main.ts'),
    '--outDir', buildDir, '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--allowImportingTsExtensions', '--rewriteRelativeImportExtensions', '--resolveJsonModule', '--skipLibCheck',
    '--types', 'node', '--noCheck',
  ], { cwd: repo, encoding: 'utf8' });
  if (!existsSync(entry)) throw new Error(`build did not produce ${entry}: ${tsc.stdout}${tsc.stderr}`);
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-e2e-'));
});

describe('the built command line', () => {
  it('starts with a shebang so it can be installed as a bin', () => {
    expect(readFileSync(entry, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('runs a scenario and prints only the summary with --json', () => {
    const { code, out, err } = partnersim('run', 'public-goods-lab', '--replicates', '2', '--out', 'lab', '--json');
    expect(code, err).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(readFileSync(join(cwd, 'lab', 'summary.json'), 'utf8'));
    expect(JSON.parse(out).labels).toEqual(['public-goods-lab']);
  });

  it('exits 2 with a message and no stack trace on invalid input, writing nothing', () => {
    writeFileSync(join(cwd, 'bad.yaml'), 'extends: gm-2017\nregime:\n  accountability: 1.7\n');
    const { code, out, err } = partnersim('run', 'bad.yaml', '--out', 'never');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('regime.accountability: 1.7 is outside [0, 1]');
    expect(err).not.toMatch(/^\s+at /m);
    expect(existsSync(join(cwd, 'never'))).toBe(false);
  });

  it('survives a closed pipe', () => {
    const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${entry}" schema | head -c 10 > /dev/null`], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
