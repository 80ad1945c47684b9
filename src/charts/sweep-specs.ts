/**
 * Vega-Lite specs for a sweep and a scenario discovery, built from a sweep's table of point
 * means (src/analysis): main effects of each numeric factor with 5–95% bands (one line per
 * regime when the regime is a factor: regime facets by colour), an interaction heatmap of two
 * factors (one panel per regime), and PRIM's coverage/density trade-off. Pure data → spec.
 */
import type { TopLevelSpec } from 'vega-lite';
import { levelsOf, mainEffect } from '../analysis/effects.ts';
import type { Discovery } from '../analysis/discover.ts';
import { measureOf, type SweepFactor, type SweepTable } from '../analysis/sweep-table.ts';
import { FONT_SIZE, OKABE_ITO, SEQUENTIAL_SCHEME, measureTitle, vegaLiteConfig } from './theme.ts';

type Json = Record<string, unknown>;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const topLevel = (spec: Json): TopLevelSpec => ({ $schema: SCHEMA, ...spec, config: vegaLiteConfig() }) as unknown as TopLevelSpec;

/** "Population outcome" or "Trust mean (mean over rounds)" for an output column. */
export function outputTitle(column: string): string {
  return `${measureTitle(measureOf(column))}${column.endsWith('_mean') ? ' (mean over rounds)' : ''}`;
}

const regimeFactor = (table: SweepTable) => table.factors.find((f) => f.name === 'regime' && new Set(f.values).size > 1);
const numericFactors = (table: SweepTable) => table.factors.filter((f) => f.numeric && new Set(f.values).size > 1);
const groupsOf = (table: SweepTable): { group: string; points: number[] }[] => {
  const regime = regimeFactor(table);
  if (!regime) return [{ group: 'all', points: Array.from({ length: table.points }, (_, p) => p) }];
  return [...new Set(regime.values)].map((g) => ({ group: String(g), points: regime.values.flatMap((v, p) => (v === g ? [p] : [])) }));
};

/** Main effects: mean of the point means at each level of each numeric factor, with a 5–95% band. */
export function mainEffectsSpec(table: SweepTable, outputs: readonly string[], title = 'Main effects'): TopLevelSpec {
  const groups = groupsOf(table);
  const factors = numericFactors(table);
  const rows = factors.flatMap((factor) => outputs.flatMap((output) => groups.flatMap(({ group, points }) =>
    mainEffect(table, factor, output, 8, points).map((l) => ({
      factor: factor.name, output: outputTitle(output), group, x: l.x, level: l.level, mean: l.mean, p5: l.p5, p95: l.p95, n: l.n,
    })))));
  const byRegime = groups.length > 1;
  const colour = byRegime
    ? { field: 'group', type: 'nominal', title: 'Regime', scale: { range: [...OKABE_ITO] }, legend: { orient: 'top' } }
    : { value: OKABE_ITO[0] };
  const panel = (factor: SweepFactor, output: string): Json => ({
    width: 240, height: 170,
    title: { text: `${outputTitle(output)} by ${factor.name}`, fontSize: FONT_SIZE.title },
    transform: [{ filter: { and: [{ field: 'factor', equal: factor.name }, { field: 'output', equal: outputTitle(output) }] } }],
    encoding: {
      x: { field: 'x', type: 'quantitative', title: factor.name, scale: { zero: false, nice: false } },
      color: colour,
    },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'p5', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'p95' } } },
      {
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: null, scale: { zero: false } },
          tooltip: [
            { field: 'group', title: 'Regime' }, { field: 'level', title: factor.name },
            { field: 'mean', type: 'quantitative', title: 'Mean', format: '.4~r' },
            { field: 'p5', type: 'quantitative', title: '5%', format: '.4~r' }, { field: 'p95', type: 'quantitative', title: '95%', format: '.4~r' },
            { field: 'n', type: 'quantitative', title: 'Points' },
          ],
        },
      },
    ],
  });
  return topLevel({
    title: {
      text: title,
      subtitle: ['Line: mean over design points at each level (sampled factors in up to 8 quantile bins);',
        'band: 5–95% of the points, which differ in the other factors.',
        `Each point is the mean of ${table.replicates} replicates on common random numbers.${byRegime ? ' One line per regime.' : ''}`],
    },
    data: { values: rows },
    vconcat: outputs.map((output) => ({ hconcat: factors.map((factor) => panel(factor, output)) })),
    resolve: { scale: { color: 'shared' } },
  });
}

/** Interaction of two numeric factors: mean output per pair of levels, one panel per regime. */
export function interactionSpec(table: SweepTable, output: string, first?: string, second?: string): TopLevelSpec {
  const factors = numericFactors(table);
  const a = factors.find((f) => f.name === first) ?? factors[0];
  const b = factors.find((f) => f.name === second && f !== a) ?? factors.find((f) => f !== a)!;
  const la = levelsOf(a, 6);
  const lb = levelsOf(b, 6);
  const y = table.outputs[output];
  const rows = groupsOf(table).flatMap(({ group, points }) => {
    const keep = new Set(points);
    return la.flatMap((x) => lb.flatMap((z) => {
      const inside = x.points.filter((p) => keep.has(p) && z.points.includes(p));
      if (inside.length === 0) return [];
      return [{ group, a: x.label, b: z.label, mean: inside.reduce((s, p) => s + y[p], 0) / inside.length, n: inside.length }];
    }));
  });
  const byRegime = groupsOf(table).length > 1;
  const cell: Json = {
    width: { step: 46 }, height: { step: 34 },
    mark: { type: 'rect', stroke: 'white' },
    encoding: {
      x: { field: 'a', type: 'ordinal', title: a.name, sort: la.map((l) => l.label), axis: { labelAngle: -40 } },
      y: { field: 'b', type: 'ordinal', title: b.name, sort: lb.map((l) => l.label).reverse() },
      color: { field: 'mean', type: 'quantitative', title: outputTitle(output), scale: { scheme: SEQUENTIAL_SCHEME }, legend: { orient: 'top', gradientLength: 220 } },
      tooltip: [
        { field: 'group', title: 'Regime' }, { field: 'a', title: a.name }, { field: 'b', title: b.name },
        { field: 'mean', type: 'quantitative', title: 'Mean', format: '.4~r' }, { field: 'n', type: 'quantitative', title: 'Points' },
      ],
    },
  };
  return topLevel({
    title: {
      text: `${outputTitle(output)}: ${a.name} × ${b.name}`,
      subtitle: `Colour: mean over the design points in each cell (each point the mean of ${table.replicates} replicates).${byRegime ? ' One panel per regime, on one colour scale.' : ''}`,
    },
    data: { values: rows },
    ...(byRegime ? { facet: { column: { field: 'group', type: 'nominal', title: 'Regime' } }, spec: cell } : cell),
  });
}

/** PRIM's peeling (and pasting) trajectory: coverage against density, the chosen box marked. */
export function tradeoffSpec(discovery: Discovery): TopLevelSpec {
  const rows = discovery.result.trajectory.map((b) => ({
    box: b.index, step: b.step, coverage: b.coverage, density: b.density, mass: b.mass, restricted: b.restricted.length,
    chosen: b.index === discovery.chosen.index, n: b.n, k: b.k,
  }));
  return topLevel({
    title: {
      text: 'Scenario discovery: coverage against density',
      subtitle: [`Cases of interest: ${discovery.where}${discovery.policy ? ` (policy ${discovery.policy})` : ''}; one dot per box of PRIM's peeling trajectory.`,
        'Coverage: share of the cases of interest inside the box;', 'density: share of the box\'s cases that are of interest.',
        `Ringed: box ${discovery.chosen.index}, the one reported.`],
    },
    width: 420, height: 320,
    data: { values: rows },
    layer: [
      { mark: { type: 'line', color: '#999', strokeWidth: 1 }, encoding: { x: { field: 'coverage', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' }, order: { field: 'box' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'coverage', type: 'quantitative', title: 'Coverage', scale: { domain: [0, 1] } },
          y: { field: 'density', type: 'quantitative', title: 'Density', scale: { domain: [0, 1] } },
          color: { field: 'restricted', type: 'ordinal', title: 'Dimensions restricted', scale: { scheme: SEQUENTIAL_SCHEME }, legend: { orient: 'top' } },
          tooltip: [
            { field: 'box', title: 'Box' }, { field: 'step', title: 'Step' },
            { field: 'coverage', type: 'quantitative', format: '.3f' }, { field: 'density', type: 'quantitative', format: '.3f' },
            { field: 'n', title: 'Cases' }, { field: 'k', title: 'Of interest' }, { field: 'restricted', title: 'Restricted' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'point', size: 320, strokeWidth: 2.5, color: OKABE_ITO[3] },
        encoding: { x: { field: 'coverage', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' } },
      },
    ],
  });
}
