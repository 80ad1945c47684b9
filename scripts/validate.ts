/**
 * `npm run validate`: runs every pattern (and its knock-out) and a sensitivity sweep, then
 * writes docs/VALIDATION.md and one SVG chart per pattern in docs/validation/. Exits 1 if any
 * pattern fails or any knock-out still passes.
 *   --quick        skip the global sensitivity analysis
 *   --replicates N replicates per point of the global sensitivity analysis (default 4)
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg } from '../src/charts/render.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { globalSensitivity } from '../src/validation/global-sensitivity.ts';
import { LEVER_PATTERNS } from '../src/validation/levers.ts';
import { PATTERNS, validatePattern } from '../src/validation/patterns.ts';
import { patternChart, validationMarkdown, type ValidatedPattern } from '../src/validation/report.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const replicatesArg = args.indexOf('--replicates');
const sensitivityReplicates = replicatesArg >= 0 ? Number(args[replicatesArg + 1]) : 4;
const SEED = 2026;

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const outDir = join(root, 'docs', 'validation');
mkdirSync(outDir, { recursive: true });
const validated: ValidatedPattern[] = [];
for (const pattern of [...PATTERNS, ...LEVER_PATTERNS]) {
  const started = performance.now();
  const { result, knockedOut } = validatePattern(pattern, SEED);
  const entry: ValidatedPattern = { pattern, result, knockedOut };
  validated.push(entry);
  writeAtomic(join(outDir, `${pattern.id}.svg`), await renderSvg(patternChart(pattern, result), 'vega-lite'));
  const verdict = result.pass && !knockedOut.pass ? 'pass' : 'FAIL';
  console.log(`${verdict}  ${pattern.id}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
const command = `npm run validate${quick ? ' -- --quick' : ''}`;
let global;
if (!quick) {
  const started = performance.now();
  global = globalSensitivity(builtInScenario('gm-2017'), {
    seed: SEED, replicates: sensitivityReplicates, trajectories: 12, sobolSamples: 256, sobolTop: 6,
    onProgress: (stage, done, total) => { if (process.stderr.isTTY) process.stderr.write(`\r  global sensitivity: ${stage} ${done}/${total}`); },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(`global sensitivity: ${global.factors.length} parameters, ${global.morris.runs + global.sobol.runs} runs (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
writeAtomic(join(root, 'docs', 'VALIDATION.md'), validationMarkdown(validated, { seed: SEED, version, command, global }));
const failures = validated.filter((v) => !v.result.pass || v.knockedOut.pass);
console.log(`${validated.length - failures.length} of ${validated.length} patterns pass; docs/VALIDATION.md written`);
process.exitCode = failures.length > 0 ? 1 : 0;
