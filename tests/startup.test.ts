/**
 * Start-up (issue #15, docs/PERFORMANCE.md "Start-up"): a sweep worker and the CLI's entry load
 * only what every run needs. Their static import graphs reach no mathjs (loaded on demand for
 * regime-rule formulas), no charting stack (loaded by the commands that draw) — dynamic
 * `import()`s are not followed, as they are not loaded at start-up.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasRuleFormulas, prepareRuleCompiler, ruleCompilerLoaded } from '../src/model/formulas.ts';

const root = resolve(import.meta.dirname, '..');
const codeOf = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

/** Packages reachable from `entry` through static imports and re-exports (type-only ones left out). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of codeOf(file).matchAll(/(?:^|[;\n])\s*(import|export)\s+(type\s)?([^'"();]*?\sfrom\s+)?['"]([^'"]+)['"]/g)) {
      if (m[2]) continue;
      const specifier = m[4];
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

const HEAVY = /^(mathjs|vega|vega-lite|vega-embed|d3-|@resvg)/;

describe('start-up', () => {
  it('a sweep worker thread imports no mathjs and no charting packages', () => {
    const packages = [...staticPackages(join(root, 'src/experiments/worker.ts'))];
    expect(packages.filter((p) => HEAVY.test(p))).toEqual([]);
  });

  it('the CLI entry imports no mathjs and no charting packages until a command needs them', () => {
    const packages = [...staticPackages(join(root, 'src/cli/main.ts'))];
    expect(packages.filter((p) => HEAVY.test(p))).toEqual([]);
    expect(packages).toContain('commander');
  });

  it('the walker sees mathjs where it is imported', () => {
    expect([...staticPackages(join(root, 'src/index.ts'))]).toContain('mathjs/number');
  });

  it('tells a scenario with formulas from one without, and loads the compiler only for the first', async () => {
    expect(hasRuleFormulas({ regime: {} })).toBe(false);
    expect(hasRuleFormulas({ regime: { rules: {} } })).toBe(false);
    expect(hasRuleFormulas(null)).toBe(false);
    expect(hasRuleFormulas({ regime: { rules: { orgPenalty: 'severity' } } })).toBe(true);
    const loadedBefore = ruleCompilerLoaded();
    await prepareRuleCompiler([{ regime: {} }]);
    expect(ruleCompilerLoaded()).toBe(loadedBefore);
    await prepareRuleCompiler([{ regime: {} }, { regime: { rules: { collectiveDelivery: 'meanShare' } } }]);
    expect(ruleCompilerLoaded()).toBe(true);
  });
});
