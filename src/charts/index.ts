/**
 * partnersim's charting layer: Vega-Lite specs (one Vega spec for the trust network) built
 * from replicate results, rendered headless to SVG and PNG, and gathered in a self-contained
 * interactive report.html.
 *
 * @example
 * import { builtInScenario, runReplicates } from '../index.ts';
 * import { writeCharts } from './charts/index.ts';
 * const scenario = builtInScenario('gm-2017');
 * const results = runReplicates(scenario, { seed: 42, replicates: 10 });
 * const files = await writeCharts('out/charts', { scenario, seed: 42, labels: [{ label: 'gm-2017', results }] });
 *
 * Charts written (each as `<name>.vl.json` or `.vg.json`, `<name>.svg`, `<name>.png`):
 * trajectories, final-outcomes, gap (two or more labels), stages, trust-matrix,
 * trust-network (Vega), forcefield (unless `forcefield: false`); then report.html.
 */
import { join } from 'node:path';
import { KEY_MEASURES, commonRounds, summaryTable } from './data.ts';
import { DEFAULT_FORCEFIELD_FACTORS, forcefield, type ForcefieldResult } from './forcefield.ts';
import { renderChart, type ChartKind } from './render.ts';
import { appliedFacts, buildReport, type ReportChart } from './report.ts';
import { ensureDirectory, writeFileAtomic } from './run-directory.ts';
import { trustSnapshot } from './snapshot.ts';
import type { ChartInput } from './types.ts';
import {
  describeTime, finalOutcomesSpec, forcefieldSpec, gapSpec, stageTimelineSpec, trajectoriesSpec, trustMatrixSpec,
  trustNetworkSpec, type ChartOptions,
} from './specs.ts';
import { measureTitle } from './theme.ts';

export * from './data.ts';
export * from './forcefield.ts';
export * from './render.ts';
export * from './report.ts';
export * from './snapshot.ts';
export * from './specs.ts';
export {
  OKABE_ITO, COLOURS, STAGE_COLOURS, KIND_COLOURS, SEQUENTIAL_SCHEME, FONT, FONT_SIZE, MAX_CHART_WIDTH,
  measureTitle, measureAxisTitle, vegaLiteConfig, vegaConfig,
} from './theme.ts';
export { readRunDirectory, trajectoriesFromCsv, parseCsv, writeFileAtomic, type RunDirectoryInput } from './run-directory.ts';
export type { ChartInput, ChartsOptions } from './types.ts';
export { parseFontWidths, textWidth } from './text-metrics.ts';

export interface BuiltChart {
  name: string;
  kind: ChartKind;
  heading: string;
  caption: string;
  spec: unknown;
  /** Charts of one group (a chart drawn once per label) share a section of the report, side by side. */
  group?: string;
  /** The label a chart of a group shows. */
  panel?: string;
}

/** A file-name-safe form of a label. */
function fileSafe(text: string): string {
  return text.replace(/[^\w.=-]+/g, '-').replace(/^-+|-+$/g, '') || 'label';
}

/** Lesson measures first, then `measures` without them. */
export function withLessonMeasures(measures: readonly string[], lesson: readonly string[] | undefined): string[] {
  const first = lesson ?? [];
  return [...first, ...measures.filter((m) => !first.includes(m))];
}

export const DEFAULT_FORCEFIELD_OUTCOMES: readonly string[] = ['populationOutcome', 'scope', 'scale', 'sustainability'];

function checkInput(input: ChartInput): void {
  if (!input || typeof input !== 'object') throw new TypeError('writeCharts needs a ChartInput');
  if (!input.scenario || typeof input.scenario.name !== 'string') throw new TypeError('ChartInput.scenario must be a scenario');
  if (!Array.isArray(input.labels) || input.labels.length === 0) throw new RangeError('ChartInput.labels must list at least one label with results');
  for (const l of input.labels) {
    if (!l.results?.length) throw new RangeError(`label "${l.label}" has no results`);
  }
}

/** Builds every chart spec (runs the forcefield perturbations and the trust snapshot; no I/O). */
export function buildCharts(input: ChartInput): BuiltChart[] {
  checkInput(input);
  const o = input.options ?? {};
  const { scenario, labels } = input;
  const perYear = scenario.roundsPerYear;
  const base: ChartOptions = { scenario: scenario.name, roundsPerYear: perYear, timeAxis: o.timeAxis, labelTitle: o.labelTitle };
  const lesson = scenario.lessonMeasures ?? [];
  const measures = o.measures ?? withLessonMeasures(KEY_MEASURES, lesson);
  const rounds = commonRounds(labels);
  const replicates = Math.min(...labels.map((l) => l.results.length));
  const compared = labels.length > 1;
  const progress = o.onProgress ?? (() => {});
  const charts: BuiltChart[] = [];

  if (lesson.length > 0 && !o.measures) {
    charts.push({
      name: 'lesson', kind: 'vega-lite',
      heading: `What ${scenario.name} teaches: ${lesson.map(measureTitle).join(', ').toLowerCase()}`,
      caption: `The measures this scenario's lesson is about (its lessonMeasures), over time: median over ${replicates} replicate${replicates === 1 ? '' : 's'} with the middle half and middle 90% of replicates as bands.${compared ? ' Colours are the compared regimes or scenarios.' : ''}`,
      spec: trajectoriesSpec(labels, { ...base, measures: lesson }),
    });
  }
  progress('charts: trajectories');
  charts.push({
    name: 'trajectories', kind: 'vega-lite',
    heading: 'Key measures over time',
    caption: `Each panel is one system-wide measure. The line is the median over ${replicates} replicate${replicates === 1 ? '' : 's'}; the dark band holds the middle half of replicates and the light band the middle 90%.${compared ? ' Colours are the compared regimes or scenarios.' : ''}`,
    spec: trajectoriesSpec(labels, { ...base, measures }),
  });
  charts.push({
    name: 'final-outcomes', kind: 'vega-lite',
    heading: 'Where each run ends',
    caption: `The value of each measure ${describeTime(rounds, perYear)}: dot at the median over replicates, line across the 5–95% range. Overlapping lines mean the difference is within the spread between replicates.`,
    spec: finalOutcomesSpec(labels, { ...base, measures }),
  });
  if (compared) {
    charts.push({
      name: 'gap', kind: 'vega-lite',
      heading: `Gap to "${labels[0].label}" over time`,
      caption: `Each other label minus "${labels[0].label}", per measure and round. When the runs share a seed and replicate numbers the difference is taken replicate by replicate (common random numbers), so the band shows how consistent the gap is; above zero means higher than "${labels[0].label}".`,
      spec: gapSpec(labels, { ...base, measures }),
    });
  }
  const hasLocalities = labels.every((l) => l.results.every((r) => r.trajectories.columns.some((c) => c !== 'system')));
  if (hasLocalities) progress('charts: stage timeline');
  if (hasLocalities) charts.push({
    name: 'stages', kind: 'vega-lite',
    heading: 'Tuckman stages of each locality',
    caption: 'Each row is a locality\'s partnership board, moving from forming through storming and norming to performing (and sometimes back). Colours show the stage most replicates were in at each round.',
    spec: stageTimelineSpec(labels, { ...base, mode: o.stageMode ?? 'modal' }),
  });

  const trustRound = o.trustRound ?? rounds;
  // Trust and forcefield come from re-running a scenario: one per label, so a comparison shows every label.
  const names = new Set<string>();
  const perLabel = labels.map((l, k) => {
    // A single run keeps the plain names (trust-matrix.svg); a comparison names every label's files.
    let suffix = compared ? `-${fileSafe(l.label)}` : '';
    while (names.has(suffix)) suffix += `-${k}`;
    names.add(suffix);
    return { label: l.label, scenario: l.scenario ?? scenario, replicate: o.trustReplicate ?? l.results[0].replicate, replicates: l.results.length, suffix };
  });
  const panelOptions = (p: (typeof perLabel)[number]): ChartOptions => (compared ? { ...base, scenario: p.label } : base);
  const grouped = (p: (typeof perLabel)[number], group: string) => (compared ? { group, panel: p.label } : {});
  for (const p of perLabel) {
    progress(`charts: trust snapshot${compared ? ` of ${p.label}` : ''} (replicate ${p.replicate}, round ${trustRound})`);
    const snapshot = trustSnapshot(p.scenario, input.seed, p.replicate, trustRound);
    charts.push({
      name: `trust-matrix${p.suffix}`, kind: 'vega-lite', ...grouped(p, 'trust-matrix'),
      heading: 'Trust between leaders',
      caption: `Directed trust inside each locality ${describeTime(trustRound, perYear)} in replicate ${p.replicate} of ${compared ? 'each label' : scenario.name}: the row leader's trust in the column leader. Trust is built slowly by reciprocated commitment and lost faster by defection.`,
      spec: trustMatrixSpec(snapshot, panelOptions(p)),
    });
    charts.push({
      name: `trust-network${p.suffix}`, kind: 'vega', ...grouped(p, 'trust-network'),
      heading: 'The trust network',
      caption: 'The same trust as a network: one cluster per locality, circles for leaders coloured by the kind of organisation they lead and sized by its positional power, thicker lines for more mutual trust. Hover over a leader for details.',
      spec: trustNetworkSpec(snapshot, panelOptions(p)),
    });
  }

  if (input.forcefield ?? true) {
    const factorCount = (o.forcefieldFactors ?? DEFAULT_FORCEFIELD_FACTORS).length;
    const window = o.forcefieldWindow ?? (perYear > 1 && rounds >= 2 * perYear ? perYear : 1);
    for (const p of perLabel) {
      const replicatesHere = o.forcefieldReplicates ?? p.replicates;
      progress(`charts: forcefield${compared ? ` of ${p.label}` : ''} (${factorCount} factors × ${replicatesHere} replicates)`);
      const result: ForcefieldResult = forcefield(p.scenario, {
        seed: input.seed,
        replicates: replicatesHere,
        rounds,
        factors: o.forcefieldFactors,
        outcomes: o.forcefieldOutcomes ?? DEFAULT_FORCEFIELD_OUTCOMES,
        window,
        onProgress: (done, total) => progress(`charts: forcefield ${done}/${total}`),
      });
      charts.push({
        name: `forcefield${p.suffix}`, kind: 'vega-lite', ...grouped(p, 'forcefield'),
        heading: 'Forcefield: what pushes outcomes up and what holds them back',
        caption: 'After the thesis\'s forcefield diagrams (Figures 2–4, §6.1.6). Each factor is raised one step from its value in the scenario and the model re-run with the same random numbers; bars to the right push the outcome up, bars to the left hold it back, and the thin line spans the 5–95% range of the paired changes over replicates.',
        spec: forcefieldSpec(result, panelOptions(p)),
      });
    }
  }
  return charts;
}

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/**
 * JSON for spec files: indented, but short values and flat objects (data rows) on one line,
 * so a spec with thousands of rows stays readable and small.
 */
export function specToJson(value: unknown, indent = ''): string {
  const compact = JSON.stringify(value);
  if (compact === undefined) return 'null';
  if (isPrimitive(value) || compact.length + indent.length <= 100) return compact;
  if (!Array.isArray(value) && Object.values(value as object).every(isPrimitive)) return compact;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + specToJson(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${specToJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

const extension = (kind: ChartKind) => (kind === 'vega' ? 'vg.json' : 'vl.json');

/**
 * Writes every chart as `<name>.vl.json` (or `.vg.json`), `<name>.svg` and `<name>.png`, then
 * report.html, into `outDir` (created if needed), each file atomically. Returns the paths written.
 */
export async function writeCharts(outDir: string, input: ChartInput): Promise<string[]> {
  const charts = buildCharts(input);
  const o = input.options ?? {};
  const progress = o.onProgress ?? (() => {});
  await ensureDirectory(outDir);
  const written: string[] = [];
  const write = async (file: string, content: string | Uint8Array) => {
    const path = join(outDir, file);
    await writeFileAtomic(path, content);
    written.push(path);
  };
  const reportCharts: ReportChart[] = [];
  for (const chart of charts) {
    progress(`charts: rendering ${chart.name}`);
    const specFile = `${chart.name}.${extension(chart.kind)}`;
    await write(specFile, `${specToJson(chart.spec)}\n`);
    const { svg, png } = await renderChart(chart.spec as never, chart.kind, o.png);
    await write(`${chart.name}.svg`, svg);
    await write(`${chart.name}.png`, png);
    reportCharts.push({
      ...chart,
      files: [
        { label: 'SVG', href: `${chart.name}.svg` },
        { label: 'PNG', href: `${chart.name}.png` },
        { label: chart.kind === 'vega' ? 'Vega spec' : 'Vega-Lite spec', href: specFile },
      ],
    });
  }
  const { scenario, labels } = input;
  const rounds = commonRounds(labels);
  const html = buildReport({
    title: o.title,
    scenario,
    seed: input.seed,
    labels: labels.map((l) => ({ label: l.label, replicates: l.results.length })),
    rounds,
    summary: summaryTable(labels, o.summaryMeasures ?? o.measures ?? withLessonMeasures(KEY_MEASURES, scenario.lessonMeasures),
      { roundsPerYear: scenario.roundsPerYear }),
    charts: reportCharts,
    applied: appliedFacts(scenario, labels),
  });
  await write('report.html', html);
  return written;
}
