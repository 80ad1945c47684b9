/**
 * The model core does no I/O, so it runs unchanged in Node, a browser and a Deno notebook:
 * nothing reachable from src/index.ts may import a Node built-in or touch process/globals
 * that browsers lack.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|worker_threads$|url$|crypto$|util$|stream$)/;

/** Files reachable from `entry` through relative imports, with their bare (package) imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
      .map((m) => m[1] ?? m[2]);
    seen.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) visit(join(dirname(file), s));
  };
  visit(entry);
  return seen;
}

describe('model core purity', () => {
  const files = reachable(join(root, 'src', 'index.ts'));

  it('reaches the model, agents and scenarios', () => {
    const names = [...files.keys()].map((f) => f.slice(root.length + 1));
    expect(names).toContain('src/model/engine.ts');
    expect(names).toContain('src/agents/organisation-kinds.ts');
    expect(names).toContain('src/scenarios/gm-2017.ts');
  });

  it('imports no Node built-in and only browser-safe packages', () => {
    for (const [file, packages] of files) {
      for (const name of packages) {
        expect(NODE_BUILTINS.test(name), `${file} imports ${name}`).toBe(false);
        expect(['seedrandom', 'mathjs', 'mathjs/number'].includes(name), `${file} imports ${name}`).toBe(true);
      }
    }
  });

  it('uses no process, require, or file-system globals', () => {
    for (const file of files.keys()) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(/\bprocess\.|\brequire\(|\b__dirname\b|\bBuffer\./.test(code), file).toBe(false);
    }
  });
});
