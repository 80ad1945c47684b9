/**
 * docs/VALIDATION.md as text, and one Vega-Lite chart per pattern (median trajectory of each
 * arm's headline measure). Pure functions: the script `scripts/validate.ts` does the I/O.
 */
import type { TopLevelSpec } from 'vega-lite';
import { OKABE_ITO, measureAxisTitle, vegaLiteConfig } from '../charts/theme.ts';
import type { GlobalSensitivity } from './global-sensitivity.ts';
import { SENSITIVITY_OUTPUTS } from './global-sensitivity.ts';
import { LEVERS_ELSEWHERE } from './levers.ts';
import type { Pattern, PatternCheck, PatternOutcome, PolicyEffect } from './patterns.ts';

export interface ValidatedPattern {
  pattern: Pattern;
  result: PatternOutcome;
  knockedOut: PatternOutcome;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

function checkRow(c: PatternCheck): string {
  const s = c.summary;
  const ci = s.n > 1 ? `[${fmt(s.lower)}, ${fmt(s.upper)}]` : '—';
  const d = s.n > 1 && Number.isFinite(s.effectSize) ? s.effectSize.toFixed(2) : '—';
  return `| ${c.label} | ${fmt(s.mean)} ${c.unit} | ${ci} | ${d} | ${c.criterion} | ${c.pass ? 'pass' : '**fail**'} |`;
}

export function patternChart(pattern: Pattern, outcome: PatternOutcome, roundsPerYear = 12): TopLevelSpec {
  const values = outcome.series.flatMap((series) =>
    series.median.map((value, round) => ({ arm: series.arm, year: Number(((round + 1) / roundsPerYear).toFixed(4)), value })));
  const measureName = outcome.series[0]?.measure ?? '';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: pattern.title, subtitle: `Median over ${pattern.replicates} replicates per arm (${pattern.scenario})` },
    width: 520,
    height: 260,
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'year', type: 'quantitative', title: 'Year' },
      y: { field: 'value', type: 'quantitative', title: measureAxisTitle(measureName) },
      color: { field: 'arm', type: 'nominal', title: 'Arm', sort: outcome.series.map((series) => series.arm), scale: { range: [...OKABE_ITO] } },
    },
    config: vegaLiteConfig(),
  } as TopLevelSpec;
}

export interface ReportContext {
  seed: number;
  version: string;
  command: string;
  global?: GlobalSensitivity;
}

function policyRow(e: PolicyEffect): string {
  const s = e.summary;
  return `| ${e.label} | ${fmt(s.mean)} ${e.unit} | [${fmt(s.lower)}, ${fmt(s.upper)}] | ${Number.isFinite(s.effectSize) ? s.effectSize.toFixed(2) : '—'} |`;
}

/** The Morris and Sobol tables. */
function globalSection(g: GlobalSensitivity): string[] {
  const lines: string[] = ['<a id="global-sensitivity"></a>', '## Global sensitivity', ''];
  lines.push(`Scenario \`${g.scenario}\`; every numeric behavioural parameter of the registry (${g.factors.length}) varied over its ` +
    'exploration band: ±50% of its gm-2017 value within its validity range (a parameter at 0 over the first tenth of its range), ' +
    `integers rounded, \`board.regressTrust\` ≤ \`board.normingTrust\` and \`board.regressUnderstanding\` ≤ \`board.performingUnderstanding\` kept ` +
    `by clamping. ${g.replicates} replicates per point on common random numbers. Code: \`src/validation/global-sensitivity.ts\`.`, '');
  lines.push(`**Morris screening** (${g.morris.trajectories} trajectories, ${g.morris.levels} levels, ${g.morris.runs} runs). ` +
    'μ* is the mean absolute elementary effect, in output units per full band of the parameter (95% bootstrap interval); σ the ' +
    'standard deviation of the effects (large σ: non-linear or interacting). Ranked by μ* on the first output; the twenty ' +
    'highest are shown, every parameter is in the collapsed table below.', '');
  const header = `| Parameter | Band | ${SENSITIVITY_OUTPUTS.map((o) => `${o.name}: μ* [95%], σ`).join(' | ')} |`;
  const rule = `|---|---|${SENSITIVITY_OUTPUTS.map(() => '---').join('|')}|`;
  const ranked = g.morris.indices[0].map((m, i) => [m.muStar, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  const row = (i: number) => {
    const f = g.factors[i];
    const cells = g.morris.indices.map((idx) => `${fmt(idx[i].muStar)} [${fmt(idx[i].muStarLow)}, ${fmt(idx[i].muStarHigh)}], ${fmt(idx[i].sigma)}`);
    return `| \`${f.path}\` | ${fmt(f.low)}–${fmt(f.high)} | ${cells.join(' | ')} |`;
  };
  lines.push(header, rule, ...ranked.slice(0, 20).map(row), '');
  lines.push('<details><summary>Every parameter</summary>', '', header, rule, ...ranked.map(row), '', '</details>', '');
  lines.push(`**Sobol indices** on the ${g.sobol.factors.length} parameters Morris ranks highest for the first output (others at their ` +
    `gm-2017 values; ${g.sobol.samples} base samples, ${g.sobol.runs} runs). S1: first-order share of the output's variance; ST: total ` +
    '(with interactions); 95% bootstrap intervals.', '');
  lines.push(`| Parameter | ${SENSITIVITY_OUTPUTS.map((o) => `${o.name}: S1 | ST`).join(' | ')} |`, `|---|${SENSITIVITY_OUTPUTS.map(() => '---|---').join('|')}|`);
  g.sobol.factors.forEach((factor, j) => {
    const cells = g.sobol.indices.map((idx) => `${fmt(idx[j].first)} [${fmt(idx[j].firstLow)}, ${fmt(idx[j].firstHigh)}] | ${fmt(idx[j].total)} [${fmt(idx[j].totalLow)}, ${fmt(idx[j].totalHigh)}]`);
    lines.push(`| \`${g.factors[factor].path}\` | ${cells.join(' | ')} |`);
  });
  lines.push('');
  return lines;
}

export function validationMarkdown(validated: readonly ValidatedPattern[], context: ReportContext): string {
  const lines: string[] = [];
  const passed = validated.filter((v) => v.result.pass && !v.knockedOut.pass).length;
  lines.push('# Validation: does partnersim reproduce what the evidence says?', '');
  lines.push(`Generated by \`${context.command}\` (partnersim ${context.version}, seed ${context.seed}). Do not edit by hand.`, '');
  lines.push('Pattern-oriented modelling (Grimm et al. 2005): several independent patterns, at the leader, locality and ' +
    'system level, reproduced at once by one parameter set per scenario (the defaults in `docs/ODD.md`). Every arm of an ' +
    'experiment uses the same seed and replicate indices (common random numbers), so differences are paired; the ' +
    'tables give the mean paired difference, its 95% confidence interval (t distribution), the standardised effect ' +
    'size d_z (mean over standard deviation of the paired differences) and the criterion the test in ' +
    '`tests/patterns.test.ts` applies. Each pattern is also run with the mechanism that produces it knocked out, and ' +
    'must then fail: this shows each test can fail.', '');
  lines.push('**What a pattern can tell.** A *calibration target* was used to set parameters: its passing shows the fit, not an ' +
    'independent confirmation. An *independent test* was not tuned for. A *lever* pattern shows that a policy lever changes ' +
    'what agents do, through its documented mechanism, with effects in policy units (£m pooled a year, years of life ' +
    'expectancy) beside d_z. Some tests still restate an input in part (the imposed outcome delay in the time pattern); ' +
    'each pattern\'s note says so.', '');
  lines.push(`**${passed} of ${validated.length} patterns pass and fail when their mechanism is removed.**`, '');
  lines.push('| Pattern | Role | Source | Result | With mechanism knocked out |', '|---|---|---|---|---|');
  for (const v of validated) {
    lines.push(`| [${v.pattern.title}](#${v.pattern.id}) | ${v.pattern.role} | ${v.pattern.source} | ${v.result.pass ? 'pass' : '**fail**'} | ${v.knockedOut.pass ? '**still passes**' : 'fails, as it should'} |`);
  }
  lines.push('');
  lines.push('**Levers shown by other patterns or tests.**', '', '| Lever | Where |', '|---|---|');
  for (const l of LEVERS_ELSEWHERE) lines.push(`| \`${l.lever}\` | ${l.pattern} |`);
  lines.push('');
  if (context.global) lines.push('The [global sensitivity analysis](#global-sensitivity) (Morris screening of every behavioural parameter, Sobol indices on the highest) follows the patterns.', '');
  for (const v of validated) {
    const p = v.pattern;
    lines.push(`<a id="${p.id}"></a>`, `## ${p.title}`, '');
    lines.push(`**Claim.** ${p.claim}`, '');
    lines.push(`**Role.** ${p.role}: ${p.roleNote}`, '');
    lines.push(`**Source.** ${p.source}. **Scenario.** \`${p.scenario}\`. **Design.** ${p.design}. **Replicates.** ${p.replicates} per arm, seed ${context.seed}.`, '');
    lines.push('| Check | Measured (mean) | 95% CI | d_z | Criterion | Result |', '|---|---|---|---|---|---|');
    for (const c of v.result.checks) lines.push(checkRow(c));
    lines.push('');
    if (v.result.policy?.length) {
      lines.push('In policy units (paired differences, not criteria):', '', '| Effect | Mean | 95% CI | d_z |', '|---|---|---|---|');
      for (const e of v.result.policy) lines.push(policyRow(e));
      lines.push('');
    }
    lines.push(`**Knock-out.** ${p.knockout.description}. Result: ${v.knockedOut.pass ? '**the pattern still passes** (the test cannot tell this mechanism apart)' : 'the pattern fails'}:`, '');
    lines.push('| Check | Measured (mean) | 95% CI | d_z | Criterion | Result |', '|---|---|---|---|---|---|');
    for (const c of v.knockedOut.checks) lines.push(checkRow(c));
    lines.push('', `![${p.title}](validation/${p.id}.svg)`, '');
  }
  if (context.global) lines.push(...globalSection(context.global));
  lines.push('## Calibration', '');
  lines.push('One parameter set serves every pattern: the registry defaults (`src/model/parameters.ts`, tabled in `docs/ODD.md`) ' +
    'plus each scenario\'s own settings. The calibration targets above were fitted with `partnersim calibrate` (specifications in ' +
    '`calibration/`); the fitted sets and their uncertainty are in the ODD\'s section 10.', '');
  return lines.join('\n');
}
