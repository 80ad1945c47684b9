/**
 * The model core and the scenario-document layer do no I/O, so they run unchanged in Node, a
 * browser and a Deno notebook: nothing reachable from src/index.ts or from any file of
 * src/documents may import a Node built-in or touch process/globals that browsers lack.
 * The layers import downwards only: core ← documents ← io, experiments ← cli, and nothing
 * outside src/cli imports src/cli.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const isNodeBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name.split('/')[0]);
/** Packages that run in a browser without Node shims. */
const BROWSER_SAFE = ['seedrandom', 'mathjs', 'mathjs/number', 'yaml'];
/** Identifiers a browser lacks (checked in code with comments removed). */
const NODE_GLOBALS = /\bprocess\s*[.[]|\bBuffer\b|\brequire\s*\(|\b__dirname\b|\b__filename\b/;

const codeOf = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

/** Every module specifier `file` imports or re-exports (static, side-effect and dynamic). */
function specifiersOf(file: string): string[] {
  return [...codeOf(file).matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2]);
}

/** Files reachable from `entries` through relative imports, with their bare (package) imports. */
function reachable(...entries: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const specifiers = specifiersOf(file);
    seen.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) visit(join(dirname(file), s));
  };
  entries.forEach(visit);
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : tsFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) ? [path] : [];
  });
}

const shown = (file: string) => relative(root, file);

function expectBrowserSafe(files: Map<string, string[]>): void {
  for (const [file, packages] of files) {
    for (const name of packages) {
      expect(isNodeBuiltin(name), `${shown(file)} imports ${name}`).toBe(false);
      expect(BROWSER_SAFE.includes(name), `${shown(file)} imports ${name}`).toBe(true);
    }
    expect(NODE_GLOBALS.test(codeOf(file)), `${shown(file)} uses a Node global`).toBe(false);
  }
}

describe('model core purity', () => {
  const files = reachable(join(root, 'src', 'index.ts'));

  it('reaches the model, agents, scenarios and the document layer', () => {
    const names = [...files.keys()].map(shown);
    expect(names).toContain('src/model/engine.ts');
    expect(names).toContain('src/agents/organisation-kinds.ts');
    expect(names).toContain('src/scenarios/gm-2017.ts');
    expect(names).toContain('src/documents/document.ts');
    expect(names).toContain('src/documents/overrides.ts');
  });

  it('imports no Node built-in, only browser-safe packages, and uses no Node globals', () => {
    expectBrowserSafe(files);
  });
});

describe('scenario-document layer purity', () => {
  const own = tsFiles(join(root, 'src', 'documents'));
  const files = reachable(...own);

  it('covers every file of src/documents and what they reach', () => {
    expect(own.map(shown)).toEqual(expect.arrayContaining(['src/documents/document.ts', 'src/documents/schema-check.ts', 'src/documents/paths.ts']));
    expect([...files.keys()].map(shown)).toContain('src/model/scenario.ts');
  });

  it('imports no Node built-in, only browser-safe packages, and uses no Node globals', () => {
    expectBrowserSafe(files);
  });
});

describe('layers import downwards only', () => {
  const CORE = ['src/model', 'src/agents', 'src/scenarios'];
  /** For each folder, the src folders its files may import. */
  const allowed: Record<string, string[]> = {
    'src/model': CORE, 'src/agents': CORE, 'src/scenarios': CORE,
    'src/documents': [...CORE, 'src/documents'],
    'src/io': [...CORE, 'src/documents', 'src/io'],
  };
  const sources = ['src', 'scripts', 'benchmarks', join('notebooks', 'lib')].flatMap((dir) => tsFiles(join(root, dir)));
  const imports = sources.flatMap((file) => specifiersOf(file).filter((s) => s.startsWith('.'))
    .map((s) => ({ file: shown(file), target: shown(join(dirname(file), s)) })));

  it('finds the imports it checks', () => {
    expect(imports).toContainEqual({ file: 'src/experiments/sweep.ts', target: 'src/io/progress.ts' });
    expect(imports).toContainEqual({ file: 'src/cli/main.ts', target: 'src/cli/commands/run.ts' });
  });

  it('nothing outside src/cli imports from src/cli', () => {
    const upward = imports.filter(({ file, target }) => !file.startsWith('src/cli/') && target.startsWith('src/cli/'));
    expect(upward).toEqual([]);
  });

  it('the core, documents and io import only the layers below them', () => {
    const wrong = imports.filter(({ file, target }) => {
      const layer = Object.keys(allowed).find((dir) => file.startsWith(`${dir}/`));
      return layer !== undefined && target.startsWith('src/') && !allowed[layer].some((dir) => target.startsWith(`${dir}/`));
    });
    expect(wrong).toEqual([]);
  });
});

describe('studio layer purity', () => {
  // The studio's page and worker run in a browser: the model core, documents, chart theme and
  // Vega, nothing from Node, the I/O layer or the CLI (its build and server live in scripts/).
  const files = reachable(join(root, 'src', 'studio', 'worker.ts'), join(root, 'src', 'studio', 'ui', 'main.ts'));

  it('reaches the engine, the document layer and the page', () => {
    expect([...files.keys()].map(shown)).toEqual(expect.arrayContaining(['src/model/engine.ts', 'src/documents/document.ts', 'src/studio/ui/charts.ts']));
  });

  it('imports no Node built-in, only browser-safe packages and Vega, and nothing from src/io, src/cli or src/experiments', () => {
    for (const [file, packages] of files) {
      for (const name of packages) expect([...BROWSER_SAFE, 'vega', 'vega-lite'].includes(name), `${shown(file)} imports ${name}`).toBe(true);
      expect(NODE_GLOBALS.test(codeOf(file)), `${shown(file)} uses a Node global`).toBe(false);
      expect(/^src\/(io|cli|experiments)\//.test(shown(file)), `${shown(file)} is reached from the studio`).toBe(false);
    }
  });
});
