/**
 * `partnersim/testing`, the published fast-check arbitraries: importable through the package's
 * own entry point (package.json `exports`, resolved by Node from the built dist/ as a user's
 * project would), its documented example passes, generated scenarios are valid, and the main
 * `partnersim` entry does not need fast-check (an optional peer dependency). Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../src/index.ts';
import { scenarioArb, seedArb } from '../src/testing/index.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const built = existsSync(join(repo, 'dist', 'src', 'testing', 'index.js'));

describe('partnersim/testing', () => {
  it('is a package entry point, with fast-check an optional peer dependency', () => {
    expect(pkg.exports['./testing']).toEqual({ types: './dist/src/testing/index.d.ts', default: './dist/src/testing/index.js' });
    expect(pkg.peerDependencies['fast-check']).toMatch(/^\^4\./);
    expect(pkg.peerDependenciesMeta['fast-check'].optional).toBe(true);
    expect(pkg.dependencies['fast-check']).toBeUndefined();
  });

  it.skipIf(!built)('imports through `partnersim/testing` and runs the documented example', () => {
    const source = readFileSync(join(repo, 'src', 'testing', 'index.ts'), 'utf8');
    const example = [...source.matchAll(/^ \* (.*)$/gm)].map((m) => m[1]);
    const start = example.findIndex((line) => line.startsWith("import fc from 'fast-check'"));
    const code = example.slice(start, example.findIndex((line, k) => k > start && line.startsWith('}));')) + 1).join('\n');
    expect(code).toContain("from 'partnersim/testing'");
    const script = `${code}\nimport * as testing from 'partnersim/testing';\nconsole.log(Object.keys(testing).sort().join(','));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
    expect(out.trim()).toBe('corner,localitiesArb,localityArb,organisationArb,permutationArb,scenarioArb,seedArb');
  }, 60_000);

  it.skipIf(!built)('the main entry loads without fast-check', () => {
    const script = "import { runReplicate, builtInScenario } from 'partnersim'; " +
      "const r = runReplicate({ ...builtInScenario('speed-of-trust'), rounds: 2 }, { seed: 1 }); console.log(r.trajectories.rounds);";
    // A loader hook that refuses fast-check: the main entry must never reach it.
    const hook = 'data:text/javascript,' + encodeURIComponent(
      "export async function resolve(s, c, next) { if (s === 'fast-check' || s.startsWith('fast-check/')) throw new Error('fast-check imported'); return next(s, c); }");
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
    const out = execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script],
      { cwd: repo, encoding: 'utf8' });
    expect(out.trim()).toBe('2');
  }, 60_000);

  it('generates valid scenarios (30 of them, seed 1)', () => {
    fc.assert(fc.property(scenarioArb, (scenario) => validateScenario(scenario).length === 0), { numRuns: 30, seed: 1 });
  });
});
