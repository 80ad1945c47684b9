/**
 * Shared by tests/slurm.test.ts and tests/kubernetes.test.ts: the code blocks of
 * docs/CLUSTER.md (so the tests run what the guide shows, and the guide cannot drift), exact
 * one-place edits of them, and the CLI compiled into a private directory (worker threads need
 * compiled JavaScript; see tests/sweep-cli.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '..');

/** The fenced code blocks of docs/CLUSTER.md in the given language. */
export function guideBlocks(language: string): string[] {
  const text = readFileSync(join(repo, 'docs', 'CLUSTER.md'), 'utf8');
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]);
}

/** The one block of the guide that contains `marker` (an error if none or several do). */
export function guideBlock(language: string, marker: string): string {
  const found = guideBlocks(language).filter((block) => block.includes(marker));
  if (found.length !== 1) throw new Error(`docs/CLUSTER.md: ${found.length} ${language} blocks contain "${marker}" (expected 1)`);
  return found[0];
}

/** Replaces what `pattern` matches, which must occur exactly once (so a changed guide fails loudly). */
export function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const count = [...text.matchAll(global)].length;
  if (count !== 1) throw new Error(`expected ${pattern} once in:\n${text}\nfound it ${count} times`);
  return text.replace(pattern, replacement);
}

/** Compiles the CLI and the worker entry into node_modules/.cache/NAME; returns the path of main.js. */
export function buildCli(name: string): string {
  const buildDir = join(repo, 'node_modules', '.cache', name);
  rmSync(buildDir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [
    join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--ignoreConfig',
    join(repo, 'src', 'cli', 'main.ts'), join(repo, 'src', 'experiments', 'worker.ts'),
    '--outDir', buildDir, '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--allowImportingTsExtensions', '--rewriteRelativeImportExtensions', '--resolveJsonModule', '--skipLibCheck',
    '--types', 'node', '--noCheck',
  ], { cwd: repo, encoding: 'utf8' });
  const entry = join(buildDir, 'src', 'cli', 'main.js');
  for (const file of [entry, join(buildDir, 'src', 'experiments', 'worker.js')]) {
    if (!existsSync(file)) throw new Error(`build did not produce ${file}: ${tsc.stdout}${tsc.stderr}`);
  }
  return entry;
}

/** A directory holding a `partnersim` command (this Node and `entry`), to put first on PATH. */
export function partnersimBin(dir: string, entry: string): string {
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'partnersim');
  writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${entry}' "$@"\n`);
  chmodSync(bin, 0o755);
  return dir;
}

/** A small sweep (36 runs of 36 rounds: seconds), as command-line arguments. */
export const SMALL_SWEEP = ['gm-2017', '--param', 'regime.accountability=0:1:3', '--param', 'trust.initial=0.4,0.6',
  '--replicates', '6', '--rounds', '36', '--seed', '2026'];
