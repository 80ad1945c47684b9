/**
 * Chart specs: every builder is a pure function from results (or a trust snapshot, or
 * forcefield effects) to a self-contained Vega-Lite spec, or a Vega spec for the trust
 * network, with the data inlined and the shared look (`theme.ts`) in its config. Data
 * preparation lives in `data.ts`; these functions only lay it out.
 *
 * Charts: trajectories (median and 50%/90% bands over replicates, one panel per measure,
 * coloured by label), Tuckman stage timeline, trust matrix and trust network, forcefield
 * (thesis Figures 2–4, §6.1.6), final outcomes per label with 5–95% intervals, and the gap
 * between each label and the first over time.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';
import { STAGES } from '../model/submodels/learning.ts';
import {
  KEY_MEASURES, NEGLIGIBLE_GAP, commonRounds, finalRows, gapRows, negligibleGaps, quantileRows, stageSegments, tidyNumber,
  type LabelledResults, type StageOptions,
} from './data.ts';
import type { ForcefieldResult } from './forcefield.ts';
import type { TrustSnapshot } from './snapshot.ts';
import {
  COLOURS, KIND_COLOURS, OKABE_ITO, SEQUENTIAL_SCHEME, STAGE_COLOURS, FONT, FONT_SIZE, MAX_CHART_WIDTH,
  approximateTextWidth, measureAxisTitle, measureSpec, measureTitle, vegaConfig, vegaLiteConfig,
} from './theme.ts';

export type { TopLevelSpec as VegaLiteSpec } from 'vega-lite';
export type { Spec as VegaSpec } from 'vega';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const VEGA_SCHEMA = 'https://vega.github.io/schema/vega/v6.json';

type Json = Record<string, unknown>;

/** Context shared by the chart builders. */
export interface ChartOptions {
  /** Scenario name for titles. */
  scenario?: string;
  /** Rounds per year (default 12). */
  roundsPerYear?: number;
  /** 'year' (default when the run lasts two years or more), 'round', or 'auto'. */
  timeAxis?: 'auto' | 'year' | 'round';
  /** Legend title for labels (default "Regime or scenario"). */
  labelTitle?: string;
  /** Column: 'system' (default) or a locality name. */
  column?: string;
  /** Overrides the chart title. */
  title?: string;
  /**
   * Most localities drawn, the first by name: default 30 in the stage timeline and 12 in the
   * trust charts, so large synthetic systems still give readable charts.
   */
  maxLocalities?: number;
}

export interface MeasureChartOptions extends ChartOptions {
  /** Measures to show (default KEY_MEASURES). */
  measures?: readonly string[];
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "after 3 years (36 rounds)" or "after 5 rounds": time elapsed after `rounds` completed rounds. */
export function describeTime(rounds: number, roundsPerYear: number): string {
  if (roundsPerYear > 1 && rounds >= roundsPerYear) {
    const years = tidyNumber(rounds / roundsPerYear);
    return `after ${years} year${years === 1 ? '' : 's'} (${plural(rounds, 'round')})`;
  }
  return `after ${plural(rounds, 'round')}`;
}

interface TimeField { field: 'year' | 'round'; title: string }

function timeField(rounds: number, options: ChartOptions): TimeField {
  const perYear = options.roundsPerYear ?? 12;
  const mode = options.timeAxis ?? 'auto';
  const useYears = mode === 'year' || (mode === 'auto' && perYear > 1 && rounds >= 2 * perYear);
  return useYears ? { field: 'year', title: 'Year' } : { field: 'round', title: perYear === 12 ? 'Round (month)' : 'Round' };
}

function palette(n: number): string[] {
  return Array.from({ length: n }, (_, i) => OKABE_ITO[i % OKABE_ITO.length]);
}

function labelColour(labels: readonly string[], options: ChartOptions, legendValues?: readonly string[]): Json {
  return {
    field: 'label', type: 'nominal',
    scale: { domain: [...labels], range: palette(labels.length) },
    legend: {
      title: options.labelTitle ?? 'Regime or scenario', orient: 'top', direction: 'horizontal', titleOrient: 'left', titleLimit: 400,
      symbolType: 'stroke', symbolStrokeWidth: 4, symbolOpacity: 1, symbolSize: 300,
      ...(legendValues ? { values: [...legendValues] } : {}),
    },
  };
}

/** Breaks text into lines that fit `width` px at `size` px (titles and subtitles are never cut, so they must wrap). */
export function wrapToWidth(text: string | readonly string[], size: number, width = MAX_CHART_WIDTH - 40): string[] {
  const most = Math.max(20, Math.floor(width / (size * 0.6)));
  const out: string[] = [];
  for (const paragraph of typeof text === 'string' ? [text] : text) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > most) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/** `text` wrapped to the chart width: unchanged when it already fits, else a list of lines. */
function fitted(text: string | string[], size: number): string | string[] {
  const lines = wrapToWidth(text, size);
  const same = typeof text === 'string' ? lines.length === 1 : lines.length === text.length;
  return same ? text : lines;
}

/** A title with its text and subtitle wrapped to the chart width (a title's text is never cut off). */
export function wrappedTitle(title: unknown): unknown {
  if (typeof title === 'string') return fitted(title, FONT_SIZE.chartTitle);
  if (!title || typeof title !== 'object') return title;
  const t = title as Json;
  return {
    ...t,
    ...(t.text !== undefined ? { text: fitted(t.text as string | string[], (t.fontSize as number | undefined) ?? FONT_SIZE.chartTitle) } : {}),
    ...(t.subtitle !== undefined ? { subtitle: fitted(t.subtitle as string | string[], FONT_SIZE.subtitle) } : {}),
  };
}

function topLevel(spec: Json): TopLevelSpec {
  const title = spec.title === undefined ? {} : { title: wrappedTitle(spec.title) };
  return { $schema: VEGA_LITE_SCHEMA, ...spec, ...title, config: vegaLiteConfig() } as unknown as TopLevelSpec;
}

/** The 90% (light) and 50% (dark) bands over replicates, drawn under a median line. */
const bandLayers = (y: Json): Json[] => [
  { mark: { type: 'area', opacity: 0.16 }, encoding: { y: { field: 'q05', ...y }, y2: { field: 'q95' } } },
  { mark: { type: 'area', opacity: 0.32 }, encoding: { y: { field: 'q25', ...y }, y2: { field: 'q75' } } },
];

const scenarioPrefix = (options: ChartOptions) => (options.scenario ? `${options.scenario}: ` : '');

const quantileTooltip = (field: string, title: string): Json => ({ field, type: 'quantitative', title, format: '.4~r' });

interface MedianPanelsOptions {
  title: Json;
  /** Name of the dataset the rows are stored under. */
  dataset: string;
  time: TimeField;
  colour: Json;
  axisY: (measure: string) => Json;
  /** Layers drawn under the bands (the gap chart's zero line). */
  under?: (measure: string) => Json[];
  tooltip: Json[];
}

/**
 * Small multiples, two to a row: per measure, the 90% and 50% bands over replicates under the
 * median line, one colour per label (the trajectories and gap charts).
 */
function medianPanels(measures: readonly string[], rows: readonly object[], options: MedianPanelsOptions): TopLevelSpec {
  const { dataset, time, colour, axisY, under, tooltip } = options;
  const panel = (measure: string): Json => ({
    title: { text: measureTitle(measure), fontSize: FONT_SIZE.title + 1 },
    width: 320,
    height: 170,
    data: { name: dataset },
    transform: [{ filter: { field: 'measure', equal: measure } }],
    encoding: {
      x: { field: time.field, type: 'quantitative', title: time.title, axis: { tickMinStep: 1 } },
      color: colour,
    },
    layer: [
      ...(under?.(measure) ?? []),
      ...bandLayers(axisY(measure)),
      { mark: { type: 'line', strokeWidth: 2.2 }, encoding: { y: { field: 'median', ...axisY(measure) }, tooltip } },
    ],
  });
  return topLevel({
    title: options.title,
    datasets: { [dataset]: rows },
    columns: 2,
    concat: measures.map(panel),
    resolve: { scale: { color: 'shared' } },
  });
}

/** Trajectories: per measure, the median over replicates and its 50% and 90% bands, one colour per label. */
export function trajectoriesSpec(labels: readonly LabelledResults[], options: MeasureChartOptions = {}): TopLevelSpec {
  const measures = options.measures ?? KEY_MEASURES;
  const perYear = options.roundsPerYear ?? 12;
  const rows = quantileRows(labels, measures, { column: options.column, roundsPerYear: perYear });
  const rounds = commonRounds(labels);
  const time = timeField(rounds, options);
  const names = labels.map((l) => l.label);
  const replicates = Math.min(...labels.map((l) => l.results.length));
  const axisY = (measure: string) => ({ type: 'quantitative', title: measureSpec(measure).unit, scale: { zero: false } });
  const where = options.column && options.column !== 'system' ? ` in ${options.column}` : '';
  return medianPanels(measures, rows, {
    title: {
      text: options.title ?? `${scenarioPrefix(options)}key measures${where} over ${describeTime(rounds, perYear).replace(/^after /, '')}`,
      subtitle: `Line: median of ${plural(replicates, 'replicate')}; dark band: middle 50%; light band: middle 90%.`,
    },
    dataset: 'trajectories',
    time,
    colour: labelColour(names, options),
    axisY,
    tooltip: [
      { field: 'label', type: 'nominal', title: 'Label' },
      { field: 'round', type: 'quantitative', title: 'Round' },
      { field: 'year', type: 'quantitative', title: 'Year', format: '.2f' },
      quantileTooltip('median', 'Median'),
      quantileTooltip('q25', '25%'),
      quantileTooltip('q75', '75%'),
      quantileTooltip('q05', '5%'),
      quantileTooltip('q95', '95%'),
    ],
  });
}

/** Tuckman stage timeline: localities by time, coloured by stage (modal stage over replicates by default). */
export function stageTimelineSpec(labels: readonly LabelledResults[], options: ChartOptions & StageOptions = {}): TopLevelSpec {
  const perYear = options.roundsPerYear ?? 12;
  const allSegments = stageSegments(labels, { ...options, roundsPerYear: perYear });
  const rounds = Math.max(...labels.map((l) => Math.max(...l.results.map((r) => r.trajectories.rounds))));
  const time = timeField(rounds, options);
  const allLocalities = [...new Set(allSegments.map((s) => s.locality))];
  const localities = allLocalities.slice(0, options.maxLocalities ?? 30);
  const shown = new Set(localities);
  const segments = allSegments.filter((s) => shown.has(s.locality));
  const limited = localities.length < allLocalities.length ? ` Showing the first ${localities.length} of ${allLocalities.length} localities.` : '';
  const replicates = Math.min(...labels.map((l) => l.results.length));
  const how = (options.mode ?? 'modal') === 'replicate'
    ? `Stage in replicate ${options.replicate ?? labels[0].results[0].replicate}.`
    : `Most common stage over ${plural(replicates, 'replicate')} in each round (hover for the share that agree).`;
  const unit: Json = {
    width: 600,
    height: { step: 22 },
    mark: { type: 'bar', cornerRadius: 0 },
    encoding: {
      x: {
        field: time.field === 'year' ? 'startYear' : 'startRound', type: 'quantitative', title: time.title,
        scale: { domain: [0, time.field === 'year' ? tidyNumber(rounds / perYear) : rounds], nice: false }, axis: { tickMinStep: 1 },
      },
      x2: { field: time.field === 'year' ? 'endYear' : 'endRound' },
      y: { field: 'locality', type: 'nominal', title: 'Locality', sort: localities },
      color: {
        field: 'stage', type: 'nominal', title: 'Tuckman stage',
        scale: { domain: [...STAGES], range: STAGES.map((s) => STAGE_COLOURS[s]) },
        legend: { orient: 'top', direction: 'horizontal' },
      },
      tooltip: [
        ...(labels.length > 1 ? [{ field: 'label', type: 'nominal', title: 'Label' }] : []),
        { field: 'locality', type: 'nominal', title: 'Locality' },
        { field: 'stage', type: 'nominal', title: 'Stage' },
        { field: 'firstRound', type: 'quantitative', title: 'From round' },
        { field: 'lastRound', type: 'quantitative', title: 'To round' },
        { field: 'agreement', type: 'quantitative', title: 'Share of replicates in this stage', format: '.0%' },
      ],
    },
  };
  const title = {
    text: options.title ?? `${scenarioPrefix(options)}Tuckman stage of each locality's partnership over time`,
    subtitle: `${how} Forming → storming → norming → performing (Thesis §7.5.1).${limited}`,
  };
  if (labels.length === 1) return topLevel({ title, data: { values: segments }, ...unit });
  return topLevel({
    title,
    data: { values: segments },
    facet: { row: { field: 'label', type: 'nominal', title: null, sort: labels.map((l) => l.label), header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } } },
    spec: unit,
  });
}

/** The snapshot restricted to its first `max` localities, with leaders re-indexed from 0. */
function limitSnapshot(snapshot: TrustSnapshot, max: number): { leaders: TrustSnapshot['leaders']; ties: TrustSnapshot['ties']; note: string } {
  const all = [...new Set(snapshot.leaders.map((l) => l.locality))];
  if (all.length <= max) return { leaders: snapshot.leaders, ties: snapshot.ties, note: '' };
  const keep = new Set(all.slice(0, max));
  const index = new Map<number, number>();
  const leaders = snapshot.leaders.filter((l) => keep.has(l.locality)).map((l, i) => {
    index.set(l.index, i);
    return { ...l, index: i };
  });
  const ties = snapshot.ties.filter((t) => index.has(t.source) && index.has(t.target))
    .map((t) => ({ ...t, source: index.get(t.source)!, target: index.get(t.target)! }));
  return { leaders, ties, note: ` Showing the first ${max} of ${all.length} localities.` };
}

/** Trust matrix: per locality, a heatmap of the row leader's trust in the column leader. */
export function trustMatrixSpec(snapshot: TrustSnapshot, options: ChartOptions = {}): TopLevelSpec {
  const { leaders, ties, note } = limitSnapshot(snapshot, options.maxLocalities ?? 12);
  const cells = ties.map((t) => ({
    locality: leaders[t.source].locality,
    source: leaders[t.source].name,
    target: leaders[t.target].name,
    sourceId: leaders[t.source].id,
    targetId: leaders[t.target].id,
    trust: tidyNumber(t.trust),
  }));
  const order = [...new Set(leaders.map((l) => l.name))];
  const localities = [...new Set(leaders.map((l) => l.locality))];
  const perLocality = Math.max(0, ...localities.map((c) => leaders.filter((l) => l.locality === c).length));
  const showValues = perLocality <= 8;
  const step = showValues ? 34 : Math.max(6, Math.min(20, Math.floor(240 / Math.max(1, perLocality))));
  const layer: Json[] = [
    {
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        color: {
          field: 'trust', type: 'quantitative', title: 'Trust',
          scale: { scheme: SEQUENTIAL_SCHEME, domain: [0, 1] },
          legend: { orient: 'top', gradientLength: 220, direction: 'horizontal' },
        },
        tooltip: [
          { field: 'locality', type: 'nominal', title: 'Locality' },
          { field: 'sourceId', type: 'nominal', title: 'Trusting leader' },
          { field: 'targetId', type: 'nominal', title: 'Trusted leader' },
          { field: 'trust', type: 'quantitative', title: 'Trust', format: '.3f' },
        ],
      },
    },
  ];
  if (showValues) {
    layer.push({
      mark: { type: 'text', fontSize: FONT_SIZE.min },
      encoding: {
        text: { field: 'trust', type: 'quantitative', format: '.2f' },
        color: { condition: { test: 'datum.trust < 0.55', value: 'white' }, value: 'black' },
      },
    });
  }
  // As many localities to a row as fit MAX_CHART_WIDTH: each facet is its cells plus a gap, after the y-axis labels.
  const longestName = Math.max(0, ...order.map((n) => approximateTextWidth(n, FONT_SIZE.label)));
  const facetWidth = perLocality * step + 24;
  const room = MAX_CHART_WIDTH - longestName - 40;
  const columns = Math.max(1, Math.min(5, localities.length, Math.floor(room / facetWidth)));
  return topLevel({
    title: {
      text: options.title ?? `${scenarioPrefix(options)}trust between leaders within each locality ${describeTime(snapshot.round, snapshot.roundsPerYear)}`,
      subtitle: `Each cell: how far the row leader trusts the column leader, 0 (none) to 1 (full). Seed ${snapshot.seed}, replicate ${snapshot.replicate}.${note}`,
    },
    data: { values: cells },
    columns,
    facet: { field: 'locality', type: 'nominal', title: null, sort: localities, header: { labelFontWeight: 'bold' } },
    spec: {
      width: { step },
      height: { step },
      encoding: {
        x: { field: 'target', type: 'nominal', title: 'Trusted leader', sort: order, axis: { labelAngle: -45 } },
        y: { field: 'source', type: 'nominal', title: 'Trusting leader', sort: order },
      },
      layer,
    },
  });
}

/**
 * Trust network (Vega force layout): leaders coloured by organisation kind, sized by power;
 * line width = mutual trust. Each locality's leaders are pulled towards their own cell of a
 * grid, so the localities sit side by side under their names rather than drifting apart.
 */
export function trustNetworkSpec(snapshot: TrustSnapshot, options: ChartOptions = {}): VegaSpec {
  const { leaders, ties, note } = limitSnapshot(snapshot, options.maxLocalities ?? 12);
  const localityNames = [...new Set(leaders.map((l) => l.locality))];
  const nLoc = Math.max(1, localityNames.length);
  // With its legend on the right, the network stays inside MAX_CHART_WIDTH.
  const width = MAX_CHART_WIDTH - 260;
  const columns = Math.min(nLoc, Math.ceil(Math.sqrt(nLoc * 1.5)));
  const rows = Math.ceil(nLoc / columns);
  const cellW = width / columns;
  const cellH = 200;
  const height = rows * cellH;
  const anchors = new Map(localityNames.map((name, i) => [name, {
    name, cx: tidyNumber((i % columns + 0.5) * cellW), cy: tidyNumber((Math.floor(i / columns) + 0.5) * cellH), top: Math.floor(i / columns) * cellH + 4,
  }]));
  const nodes = leaders.map((l) => ({
    index: l.index, id: l.id, name: l.name, locality: l.locality, kind: l.kind, kindLabel: l.kindLabel,
    power: tidyNumber(l.power), cx: anchors.get(l.locality)!.cx, cy: anchors.get(l.locality)!.cy + 8,
  }));
  const trust = new Map<string, number>();
  for (const t of ties) trust.set(`${t.source},${t.target}`, t.trust);
  const links: Json[] = [];
  for (const t of ties) {
    if (t.source >= t.target) continue;
    const back = trust.get(`${t.target},${t.source}`) ?? t.trust;
    links.push({
      source: t.source, target: t.target, trust: tidyNumber((t.trust + back) / 2),
      forward: tidyNumber(t.trust), backward: tidyNumber(back),
    });
  }
  const kinds = Object.keys(KIND_COLOURS).filter((k) => leaders.some((l) => l.kind === k));
  const kindLabels = kinds.map((k) => leaders.find((l) => l.kind === k)!.kindLabel);
  return {
    $schema: VEGA_SCHEMA,
    width,
    height,
    padding: 12,
    autosize: 'pad',
    title: wrappedTitle({
      text: options.title ?? `${scenarioPrefix(options)}who trusts whom ${describeTime(snapshot.round, snapshot.roundsPerYear)}`,
      subtitle: [
        'Circles: leaders, coloured by organisation kind and sized by positional power, grouped by locality.',
        `Lines: mutual trust inside a locality (mean of both directions); more trust draws leaders closer and the line thicker. Seed ${snapshot.seed}, replicate ${snapshot.replicate}.${note}`,
      ],
    }) as Json,
    data: [
      { name: 'node-data', values: nodes },
      { name: 'link-data', values: links },
      { name: 'locality-data', values: [...anchors.values()] },
    ],
    scales: [
      { name: 'kind', type: 'ordinal', domain: kinds, range: kinds.map((k) => KIND_COLOURS[k]) },
      { name: 'kindLabel', type: 'ordinal', domain: kinds, range: kindLabels },
      { name: 'size', type: 'linear', domain: [0, 1], range: [30, 420], zero: true },
      { name: 'width', type: 'linear', domain: [0, 1], range: [0.3, 7] },
    ],
    legends: [
      {
        fill: 'kind', title: 'Organisation kind', orient: 'right', symbolType: 'circle', symbolSize: 160,
        encode: { labels: { update: { text: { signal: "scale('kindLabel', datum.value)" } } } },
      },
      { size: 'size', title: 'Positional power', orient: 'right', symbolType: 'circle', values: [0.25, 0.5, 0.75, 1], format: '.2f', symbolFillColor: '#bbbbbb', symbolStrokeColor: '#666666' },
      { strokeWidth: 'width', title: 'Trust', orient: 'right', values: [0.2, 0.5, 0.8], format: '.1f', symbolType: 'stroke', symbolStrokeColor: '#555555' },
    ],
    marks: [
      {
        type: 'text',
        from: { data: 'locality-data' },
        interactive: false,
        encode: {
          update: {
            x: { field: 'cx' }, y: { field: 'top' }, text: { field: 'name' }, align: { value: 'center' }, baseline: { value: 'top' },
            font: { value: FONT }, fontSize: { value: FONT_SIZE.title }, fontWeight: { value: 'bold' }, fill: { value: COLOURS.text },
          },
        },
      },
      {
        name: 'nodes',
        type: 'symbol',
        zindex: 1,
        from: { data: 'node-data' },
        encode: {
          enter: {
            fill: { scale: 'kind', field: 'kind' },
            size: { scale: 'size', field: 'power' },
            stroke: { value: 'white' },
            strokeWidth: { value: 1.2 },
            tooltip: { signal: "{'Leader': datum.id, 'Organisation kind': datum.kindLabel, 'Positional power': format(datum.power, '.2f'), 'Locality': datum.locality}" },
          },
        },
        transform: [{
          type: 'force',
          iterations: 300,
          static: true,
          signal: 'force',
          forces: [
            { force: 'collide', radius: 15 },
            { force: 'nbody', strength: -30, distanceMax: cellW / 2 },
            { force: 'link', links: 'link-data', distance: { expr: '110 - 70 * datum.trust' } },
            { force: 'x', x: 'datum.cx', strength: 0.1 },
            { force: 'y', y: 'datum.cy', strength: 0.1 },
          ],
        }],
      },
      {
        name: 'links',
        type: 'path',
        from: { data: 'link-data' },
        interactive: false,
        encode: {
          update: { stroke: { value: '#555555' }, strokeOpacity: { value: 0.55 }, strokeWidth: { scale: 'width', field: 'trust' } },
        },
        transform: [{
          type: 'linkpath', require: { signal: 'force' }, shape: 'line',
          sourceX: 'datum.source.x', sourceY: 'datum.source.y', targetX: 'datum.target.x', targetY: 'datum.target.y',
        }],
      },
    ],
    config: vegaConfig(),
  } as unknown as VegaSpec;
}

/** Thesis titles of the forcefield figures (§6.1.6) for the outcomes they chart. */
const FORCEFIELD_FIGURES: Record<string, string> = {
  scope: 'Figure 2, "Increasing scope of opportunity for outcomes"',
  scale: 'Figure 3, "Large scale impact"',
  sustainability: 'Figure 4, "More sustainable results"',
};

const formatValue = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(tidyNumber(v)));

/** Forcefield: per outcome, bars right for factors that push it up, left for those that hold it back, sorted. */
export function forcefieldSpec(result: ForcefieldResult, options: ChartOptions = {}): TopLevelSpec {
  const perYear = options.roundsPerYear ?? 12;
  const forceName = (e: number) => (e > 0 ? 'pushes up' : e < 0 ? 'holds back' : 'no change');
  const rows = result.effects.map((e) => ({
    ...e,
    factor: `${e.label} (${e.path} ${formatValue(e.from)} → ${formatValue(e.to)})`,
    force: forceName(e.effect),
    from: formatValue(e.from),
    to: formatValue(e.to),
  }));
  const when = result.window > 1
    ? `averaged over the last ${plural(result.window, 'round')}, up to ${describeTime(result.rounds, perYear).replace(/^after /, '')}`
    : `at the end of the run, ${describeTime(result.rounds, perYear)}`;
  // Factor labels are never cut off: each is drawn on two lines (the factor; the parameter and its step)
  // and the bars take what the longest line leaves of MAX_CHART_WIDTH.
  const lines = (r: { label: string; path: string; from: string; to: string }) => [r.label, `(${r.path} ${r.from} → ${r.to})`];
  const longest = Math.max(0, ...rows.flatMap((r) => lines(r).map((line) => approximateTextWidth(line, FONT_SIZE.label))));
  const barWidth = Math.max(240, Math.min(420, MAX_CHART_WIDTH - longest - 60));
  const panel = (outcome: string): Json => {
    const mine = rows.filter((r) => r.outcome === outcome);
    const order = [...mine].sort((a, b) => b.effect - a.effect || (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : 0)).map((r) => r.factor);
    const figure = FORCEFIELD_FIGURES[outcome];
    return {
      title: {
        text: `${measureTitle(outcome)}${figure ? ` (after the thesis's ${figure})` : ''}`,
        fontSize: FONT_SIZE.title + 1,
      },
      data: { values: mine },
      width: barWidth,
      height: { step: 38 },
      encoding: {
        y: {
          field: 'factor', type: 'nominal', sort: order, title: null,
          axis: { labelLimit: 0, labelExpr: "[substring(datum.label, 0, lastindexof(datum.label, ' (')), substring(datum.label, lastindexof(datum.label, ' (') + 1)]" },
        },
      },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'effect', type: 'quantitative', title: `Change in ${lowerFirst(measureAxisTitle(outcome))} per step`, axis: { format: '~r' } },
            color: {
              field: 'force', type: 'nominal', title: 'Raising the factor',
              scale: { domain: ['pushes up', 'holds back', 'no change'], range: [COLOURS.up, COLOURS.down, COLOURS.neutral] },
              legend: { orient: 'top', direction: 'horizontal' },
            },
            tooltip: [
              { field: 'label', type: 'nominal', title: 'Factor' },
              { field: 'path', type: 'nominal', title: 'Parameter' },
              { field: 'from', type: 'nominal', title: 'Scenario value' },
              { field: 'to', type: 'nominal', title: 'Moved to' },
              { field: 'baseline', type: 'quantitative', title: 'Outcome (median), scenario', format: '.4~r' },
              { field: 'perturbed', type: 'quantitative', title: 'Outcome (median), moved', format: '.4~r' },
              { field: 'effect', type: 'quantitative', title: 'Paired change per step up (median)', format: '.3~r' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3~r' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3~r' },
            ],
          },
        },
        { mark: { type: 'rule', color: COLOURS.rule, strokeWidth: 1.5 }, encoding: { x: { field: 'q05', type: 'quantitative' }, x2: { field: 'q95' } } },
        { mark: { type: 'rule', color: '#000000', strokeWidth: 1 }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      ],
    };
  };
  const outcomeNames = result.outcomes.map(measureTitle).join(', ').toLowerCase();
  return topLevel({
    title: {
      text: options.title ?? `${scenarioPrefix(options)}what pushes ${outcomeNames} up and what holds ${result.outcomes.length > 1 ? 'them' : 'it'} back`,
      subtitle: [
        `Forcefield after the thesis's Figures 2–4 (§6.1.6): change in the ${result.column === 'system' ? 'system' : result.column} value ${when}`,
        `when one factor is raised one step from its ${result.scenario} value; median over ${plural(result.replicates, 'replicate')} paired on common random numbers (seed ${result.seed}), line: 5–95%.`,
      ],
    },
    vconcat: result.outcomes.map(panel),
    resolve: { scale: { x: 'independent', y: 'independent', color: 'shared' } },
  });
}

/** Final outcomes per label: median and 5–95% interval over replicates, one panel per measure. */
export function finalOutcomesSpec(labels: readonly LabelledResults[], options: MeasureChartOptions = {}): TopLevelSpec {
  const measures = options.measures ?? KEY_MEASURES;
  const perYear = options.roundsPerYear ?? 12;
  const rows = finalRows(labels, measures, { column: options.column, roundsPerYear: perYear });
  const rounds = commonRounds(labels);
  const names = labels.map((l) => l.label);
  const replicates = Math.min(...labels.map((l) => l.results.length));
  const panel = (measure: string): Json => ({
    title: { text: measureTitle(measure), fontSize: FONT_SIZE.title + 1 },
    width: 300,
    height: { step: 26 },
    data: { name: 'final' },
    transform: [{ filter: { field: 'measure', equal: measure } }],
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: names },
      color: labelColour(names, options),
    },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2.5 },
        encoding: { x: { field: 'q05', type: 'quantitative', title: measureSpec(measure).unit, scale: { zero: false, padding: 12 } }, x2: { field: 'q95' } },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          x: { field: 'median', type: 'quantitative', title: measureSpec(measure).unit, scale: { zero: false, padding: 12 } },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'Label' },
            quantileTooltip('median', 'Median'),
            quantileTooltip('q05', '5%'),
            quantileTooltip('q95', '95%'),
            { field: 'n', type: 'quantitative', title: 'Replicates' },
          ],
        },
      },
    ],
  });
  return topLevel({
    title: {
      text: options.title ?? `${scenarioPrefix(options)}outcomes at the end of the run, ${describeTime(rounds, perYear)}`,
      subtitle: `Dot: median of ${plural(replicates, 'replicate')}; line: 5–95% of replicates.`,
    },
    datasets: { final: rows },
    columns: 2,
    concat: measures.map(panel),
    resolve: { scale: { color: 'shared' } },
  });
}

/** Gap over time between each label and the first: paired differences (median, 50% and 90% bands). */
export function gapSpec(labels: readonly LabelledResults[], options: MeasureChartOptions = {}): TopLevelSpec {
  if (labels.length < 2) throw new RangeError('the gap chart needs at least two labels');
  const measures = options.measures ?? KEY_MEASURES;
  const perYear = options.roundsPerYear ?? 12;
  const rows = gapRows(labels, measures, { column: options.column, roundsPerYear: perYear });
  const rounds = commonRounds(labels);
  const time = timeField(rounds, options);
  const names = labels.map((l) => l.label);
  const reference = names[0];
  const paired = rows.every((r) => r.paired);
  // A gap of rounding noise (1e-9 on a scale of 1) would fill the whole axis: fix the axis at ±1% of the
  // measure's scale and say "no difference" instead.
  const negligible = negligibleGaps(labels, rows, options.column);
  const axisY = (measure: string): Json => {
    const scale = negligible.get(measure);
    return {
      type: 'quantitative', title: `Difference (${measureSpec(measure).unit})`,
      ...(scale !== undefined ? { scale: { domain: [-0.01 * scale, 0.01 * scale], clamp: true } } : {}),
    };
  };
  return medianPanels(measures, rows, {
    title: {
      text: options.title ?? `${scenarioPrefix(options)}gap to "${reference}" over time`,
      subtitle: paired
        ? `Each label minus "${reference}", paired by replicate (common random numbers). Line: median; bands: middle 50% and 90%.`
        : `Median of each label minus median of "${reference}" (replicates not paired, so no band).`,
    },
    dataset: 'gap',
    time,
    colour: labelColour(names, options, names.slice(1)),
    axisY,
    under: (measure) => [
      { mark: { type: 'rule', color: '#000000', strokeWidth: 1 }, encoding: { y: { datum: 0, ...axisY(measure) }, color: { value: '#000000' } } },
      ...(negligible.has(measure) ? [{
        data: { values: [{}] }, // one text, not one per row
        mark: { type: 'text', fontSize: FONT_SIZE.title, color: COLOURS.muted, dy: -14 },
        encoding: {
          text: { value: `no difference (below ${NEGLIGIBLE_GAP} of its scale)` },
          x: { value: 160 }, y: { datum: 0, ...axisY(measure) }, color: { value: COLOURS.muted },
        },
      }] : []),
    ],
    tooltip: [
      { field: 'label', type: 'nominal', title: 'Label' },
      { field: 'reference', type: 'nominal', title: 'Minus' },
      { field: 'round', type: 'quantitative', title: 'Round' },
      quantileTooltip('median', 'Median difference'),
      quantileTooltip('q05', '5%'),
      quantileTooltip('q95', '95%'),
    ],
  });
}
