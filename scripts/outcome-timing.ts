/**
 * What sets the timing of the population outcome (ODD section 10.5): for a grid of lags, fades
 * and unembedded decays, gm-2017's gain over a counterfactual without pooling or the fund in
 * Britteon et al.'s two windows (rounds 25–48 and 37–60), and their ratio (the data: 0.233 /
 * 0.196 = 1.19). Then the health a sustained pooled share buys at equilibrium against the same
 * share kept in services (section 9, item 10). Last, the `time` pattern's checks at the
 * registry's lag and at 12 months (also allowed by the data). Uses the calibration spec's own
 * statistic and the pattern's own code. Then what the outcome fits identify: the ratio of the scale
 * to the health stock's total decay over their posterior particles. Its output is kept in
 * calibration/results/outcome-timing.txt.
 *
 *   npm run build && node dist/scripts/outcome-timing.js [--replicates N]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { modelCalibration } from '../src/calibration/model-targets.ts';
import { runReplicate } from '../src/model/engine.ts';
import { withOverride } from '../src/model/scenario.ts';
import { measure } from '../src/model/results.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { timeAndLag } from '../src/validation/patterns.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const at = args.indexOf('--replicates');
const replicates = at >= 0 ? Number(args[at + 1]) : 8;
const gm = builtInScenario('gm-2017');

// The spec's arms and targets; the grid's three parameters become the "calibrated" ones.
const spec = YAML.parse(readFileSync(join(root, 'calibration', 'gm-outcome.yaml'), 'utf8'));
spec.replicates = replicates;
spec.parameters = [
  { path: 'outcomes.lagMonths', prior: { min: 3, max: 240 } },
  { path: 'outcomes.healthFade', prior: { min: 0, max: 50 } },
  { path: 'outcomes.valueDecay', prior: { min: 0, max: 50 } },
];
const calibration = modelCalibration(spec, gm);
if ('problems' in calibration) throw new Error(JSON.stringify(calibration.problems));

const grid: Array<[number, number, number]> = [
  [36, 0, gm.outcomes.valueDecay], [12, 0, gm.outcomes.valueDecay], [6, 0, gm.outcomes.valueDecay],
  [12, 0, 3], [12, 0, 5],
  [6, 1, gm.outcomes.valueDecay], [12, 1, gm.outcomes.valueDecay], [12, 3, gm.outcomes.valueDecay],
  [18, 1, gm.outcomes.valueDecay], [24, 3, gm.outcomes.valueDecay], [36, 3, gm.outcomes.valueDecay],
];
console.log(`gm-2017 − counterfactual, lifeExpectancyGain (years), ${replicates} replicates per arm, scale ${gm.outcomes.lifeExpectancyPerIndex}`);
console.log('lag (months)  fade (/yr)  valueDecay (/yr)  2018–19  2019–20  ratio');
for (const [lag, fade, decay] of grid) {
  const r = calibration.simulate({ 'outcomes.lagMonths': lag, 'outcomes.healthFade': fade, 'outcomes.valueDecay': decay }, 'grid');
  const a = r['britteon-le-gain'];
  const b = r['followup-le-gain-2020'];
  console.log(`${String(lag).padStart(12)}  ${String(fade).padStart(10)}  ${decay.toFixed(3).padStart(16)}  ${a.toFixed(3).padStart(7)}  ${b.toFixed(3).padStart(7)}  ${(b / a).toFixed(2).padStart(5)}`);
}

// Equilibrium health per unit of budget share pooled (value per £ e) against the same share in services.
let e = 0;
let understanding = 0;
const n = 10;
for (let k = 0; k < n; k++) {
  const run = runReplicate(gm, { seed: 7, replicate: k });
  const deployed = measure(run, 'deployed', 'system');
  const added = measure(run, 'valueAdded', 'system');
  const u = measure(run, 'understanding', 'system');
  let d = 0, va = 0, us = 0;
  for (let t = 36; t < 60; t++) { d += deployed[t]; va += added[t]; us += u[t]; }
  e += (d + va) / d / n;
  understanding += us / 24 / n;
}
const o = gm.outcomes;
const baseline = gm.localities.reduce((sum, l) => sum + l.baselineOutcome, 0) / gm.localities.length;
const decayRate = o.healthFade + o.valueDecay * (1 - understanding);
const partnership = ((o.lifeExpectancyPerIndex * (1 - baseline)) / o.halfSaturation) * (12 / decayRate);
const services = o.servicesLifeYears * 0.5; // performance is the square root of resources
console.log(`\nequilibrium, years 4–5 of gm-2017 (understanding ${understanding.toFixed(2)}, value per pooled £ ${e.toFixed(2)}, baseline outcome ${baseline.toFixed(2)}):`);
console.log(`  years of life expectancy per unit budget share pooled, at value 1: ${partnership.toFixed(1)}; in services: ${services.toFixed(1)}`);
console.log(`  a pooled £ against a services £: ${(partnership / services).toFixed(1)}x at value 1, ${((partnership * e) / services).toFixed(1)}x at gm-2017's value per £`);

// The `time` pattern (40 replicates, seed 2026, as npm run validate runs it) at two lags.
for (const lag of [gm.outcomes.lagMonths, 12]) {
  const outcome = timeAndLag.evaluate({ replicates: timeAndLag.replicates, seed: 2026, transform: (s) => withOverride(s, 'outcomes.lagMonths', lag) });
  console.log(`\ntime pattern at a lag of ${lag} months: ${outcome.checks.map((c) => `${c.label}: ${c.summary.mean.toFixed(2)} (${c.pass ? 'pass' : 'fail'})`).join('; ')}`);
}

// What the fits pin down: scale / (fade + valueDecay·(1 − understanding)), the health a steady
// value flow holds up, over each fit's weighted posterior particles (understanding as above).
for (const name of ['gm-outcome', 'gm-fade-prior']) {
  const posterior = JSON.parse(readFileSync(join(root, 'calibration', 'results', `${name}.posterior.json`), 'utf8'));
  const rows = (posterior.particles as Array<{ params: Record<string, number>; weight: number }>).map((p) => ({
    ratio: p.params['outcomes.lifeExpectancyPerIndex'] / (p.params['outcomes.healthFade'] + o.valueDecay * (1 - understanding)),
    weight: p.weight,
  })).sort((a, b) => a.ratio - b.ratio);
  const total = rows.reduce((sum, r) => sum + r.weight, 0);
  const mean = rows.reduce((sum, r) => sum + r.ratio * r.weight, 0) / total;
  const quantile = (q: number) => { let c = 0; for (const r of rows) { c += r.weight / total; if (c >= q) return r.ratio; } return rows[rows.length - 1].ratio; };
  console.log(`\n${name}: scale / total decay, weighted posterior mean ${mean.toFixed(1)}, 95% interval ${quantile(0.025).toFixed(1)}–${quantile(0.975).toFixed(1)} (years per index unit per unit decay a year)`);
}
