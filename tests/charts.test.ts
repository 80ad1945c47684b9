/**
 * Charting layer: data preparation, forcefield, trust snapshot, spec validity against the
 * Vega-Lite and Vega JSON schemas, headless rendering (text present in SVG and PNG),
 * byte-for-byte reproducibility, the run-directory round trip and writeCharts' output.
 * Kept fast: gm-2017 with 3 replicates of 36 rounds and a forcefield of 3 factors.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { Ajv } from 'ajv';
import * as vega from 'vega';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEASURE_NAMES, STAGES, builtInScenario, measure, runReplicates, syntheticSystem, withOverride, type ReplicateResult, type Scenario,
} from '../src/index.ts';
import {
  KEY_MEASURES, buildCharts, defaultFontFiles, finalOutcomesSpec, finalRows, forcefield, forcefieldSpec, gapRows, gapSpec,
  parseCsv, parseFontWidths, quantileRows, quantileSorted, readRunDirectory, renderChart, renderSvg, specToJson,
  stageSegments, stageTimelineSpec, svgToPng, toVega, trajectoriesFromCsv, trajectoriesSpec, trustMatrixSpec,
  trustNetworkSpec, trustSnapshot, writeCharts, type LabelledResults,
} from '../src/charts/index.ts';

const SEED = 7;
const ROUNDS = 36;
const REPLICATES = 3;
const FACTORS = [
  { path: 'trust.initial', step: 0.1, label: 'Trusting relationships at the start' },
  'leaders.turnoverRate',
  'leaders.sanctions.enabled',
];

let scenario: Scenario;
let labels: LabelledResults[];
let outDir: string;

beforeAll(async () => {
  scenario = { ...builtInScenario('gm-2017'), rounds: ROUNDS };
  const organisational = withOverride(scenario, 'regime.accountability', 0.1);
  labels = [
    { label: 'system', results: runReplicates(scenario, { seed: SEED, replicates: REPLICATES }) },
    { label: 'organisational', results: runReplicates(organisational, { seed: SEED, replicates: REPLICATES }) },
  ];
  outDir = await mkdtemp(join(tmpdir(), 'partnersim-charts-'));
});

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const options = () => ({ scenario: 'gm-2017', roundsPerYear: scenario.roundsPerYear });

describe('data preparation', () => {
  it('computes type-7 quantiles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10], 0.05)).toBe(10);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(quantileSorted([0, 10], 0.05)).toBeCloseTo(0.5);
  });

  it('gives one ordered quantile row per label × measure × round', () => {
    const rows = quantileRows(labels, ['populationOutcome', 'trustMean'], { roundsPerYear: 12 });
    expect(rows).toHaveLength(2 * 2 * ROUNDS);
    for (const r of rows) {
      expect(r.n).toBe(REPLICATES);
      expect(r.q05).toBeLessThanOrEqual(r.q25);
      expect(r.q25).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.q75);
      expect(r.q75).toBeLessThanOrEqual(r.q95);
      expect(r.year).toBeCloseTo(r.round / 12, 5);
    }
    expect(rows[0].round).toBe(0); // round index from 0, as in trajectories.csv
    const last = rows.find((r) => r.label === 'system' && r.measure === 'populationOutcome' && r.round === ROUNDS - 1)!;
    expect(last.year).toBeCloseTo((ROUNDS - 1) / 12, 5);
    const finals = labels[0].results.map((res) => measure(res, 'populationOutcome')[ROUNDS - 1]).sort((a, b) => a - b);
    expect(last.median).toBeCloseTo(finals[1], 5);
    expect(last.q05).toBeGreaterThanOrEqual(finals[0] - 1e-9);
  });

  it('rejects unknown measures and empty labels', () => {
    expect(() => quantileRows(labels, ['noSuchMeasure'])).toThrow(/unknown measure "noSuchMeasure"/);
    expect(() => quantileRows([{ label: 'x', results: [] }], ['trustMean'])).toThrow(/no replicate results/);
    expect(() => quantileRows([], ['trustMean'])).toThrow(/no labels/);
  });

  it('pairs replicates for the gap when seeds and indices match, and falls back to medians otherwise', () => {
    const paired = gapRows(labels, ['populationOutcome']);
    expect(paired).toHaveLength(ROUNDS);
    expect(paired.every((r) => r.paired && r.label === 'organisational' && r.reference === 'system')).toBe(true);
    const k = ROUNDS - 1;
    const diffs = labels[1].results.map((r, i) => measure(r, 'populationOutcome')[k] - measure(labels[0].results[i], 'populationOutcome')[k]).sort((a, b) => a - b);
    expect(paired[k].median).toBeCloseTo(diffs[1], 5);
    const shifted = [labels[0], { label: 'other seed', results: runReplicates(scenario, { seed: SEED + 1, replicates: REPLICATES }) }];
    const unpaired = gapRows(shifted, ['populationOutcome']);
    expect(unpaired.every((r) => !r.paired && r.q05 === r.q95)).toBe(true);
  });

  it('summarises final rounds with the 5–95% interval', () => {
    const rows = finalRows(labels, KEY_MEASURES);
    expect(rows).toHaveLength(2 * KEY_MEASURES.length);
    for (const r of rows) {
      expect(r.round).toBe(ROUNDS - 1);
      expect(r.q05).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.q95);
      expect(r.unit).not.toBe('');
    }
  });

  it('turns stages into contiguous segments covering every round of every locality', () => {
    const segments = stageSegments(labels, { roundsPerYear: 12 });
    const localities = labels[0].results[0].trajectories.columns.filter((c) => c !== 'system');
    for (const { label } of labels) {
      for (const locality of localities) {
        const mine = segments.filter((s) => s.label === label && s.locality === locality);
        expect(mine[0].startRound).toBe(0);
        expect(mine[mine.length - 1].endRound).toBe(ROUNDS);
        for (let i = 1; i < mine.length; i++) {
          expect(mine[i].startRound).toBe(mine[i - 1].endRound);
          expect(mine[i].stageIndex).not.toBe(mine[i - 1].stageIndex);
        }
        for (const s of mine) {
          expect(STAGES[s.stageIndex]).toBe(s.stage);
          expect(s.agreement).toBeGreaterThan(0.3);
          expect(s.agreement).toBeLessThanOrEqual(1);
        }
      }
    }
    // One replicate: its stages exactly, with full agreement.
    const one = stageSegments([labels[0]], { mode: 'replicate', replicate: 1 });
    const result = labels[0].results[1];
    for (const s of one) {
      const stage = measure(result, 'stage', s.locality);
      for (let r = s.startRound; r < s.endRound; r++) expect(stage[r]).toBe(s.stageIndex);
      expect(s.agreement).toBe(1);
    }
  });
});

describe('trust snapshot', () => {
  it('matches the run: mean within-locality trust after r rounds is the trustMean the run recorded', () => {
    const r = 12;
    const snapshot = trustSnapshot(scenario, SEED, 0, r);
    expect(snapshot.leaders).toHaveLength(60);
    expect(snapshot.ties).toHaveLength(10 * 6 * 5);
    const mean = snapshot.ties.reduce((s, t) => s + t.trust, 0) / snapshot.ties.length;
    // Round index r − 1 of the trajectories is observed at the end of round r, after learning.
    // (A model that records trust as it stood at the start of the round would show it at index r.)
    const recorded = measure(labels[0].results[0], 'trustMean');
    const gap = Math.min(Math.abs(mean - recorded[r - 1]), Math.abs(mean - recorded[r]));
    expect(gap).toBeLessThan(1e-9);
    for (const t of snapshot.ties) expect(snapshot.leaders[t.source].locality).toBe(snapshot.leaders[t.target].locality);
    const kinds = new Set(snapshot.leaders.map((l) => l.kind));
    expect([...kinds].sort()).toEqual(['acute', 'commissioner', 'community', 'council', 'primaryCare', 'voluntary']);
    expect(snapshot.leaders.every((l) => l.power > 0 && l.power <= 1)).toBe(true);
  });

  it('is deterministic and defaults to the end of the run', () => {
    const a = trustSnapshot(scenario, SEED, 1);
    const b = trustSnapshot(scenario, SEED, 1, ROUNDS);
    expect(a.round).toBe(ROUNDS);
    expect(a).toEqual(b);
    expect(() => trustSnapshot(scenario, SEED, 0, -1)).toThrow(/round/);
  });
});

describe('forcefield', () => {
  it('measures paired effects per step up, on common random numbers', () => {
    const result = forcefield(scenario, { seed: SEED, replicates: REPLICATES, factors: FACTORS, outcomes: ['populationOutcome', 'trustMean'] });
    expect(result.effects).toHaveLength(2 * FACTORS.length);
    const trust = result.effects.find((e) => e.path === 'trust.initial' && e.outcome === 'trustMean')!;
    expect(trust.from).toBe(0.5);
    expect(trust.to).toBe(0.6);
    expect(trust.direction).toBe(1);
    expect(trust.effect).toBeGreaterThan(0); // more trust at the start, more trust at the end
    expect(trust.baseline).toBeCloseTo([...labels[0].results].map((r) => measure(r, 'trustMean')[ROUNDS - 1]).sort((a, b) => a - b)[1], 5);
    const sanctions = result.effects.find((e) => e.path === 'leaders.sanctions.enabled')!;
    expect(typeof sanctions.from).toBe('boolean');
    expect(sanctions.to).toBe(!sanctions.from);
    const turnover = result.effects.find((e) => e.path === 'leaders.turnoverRate')!;
    expect(turnover.step).toBeCloseTo(0.1); // a tenth of the registry range [0, 1]
    for (const e of result.effects) {
      expect(e.n).toBe(REPLICATES);
      expect(e.q05).toBeLessThanOrEqual(e.effect);
      expect(e.effect).toBeLessThanOrEqual(e.q95);
    }
  });

  it('steps down at an upper bound and reports the effect per step up', () => {
    const atTop = withOverride(scenario, 'trust.initial', 1);
    const result = forcefield(atTop, { seed: SEED, replicates: 2, rounds: 12, factors: [{ path: 'trust.initial', step: 0.2 }], outcomes: ['trustMean'] });
    const [e] = result.effects;
    expect(e.direction).toBe(-1);
    expect(e.to).toBe(0.8);
    expect(e.effect).toBeGreaterThan(0);
  });

  it('reports bad factors clearly', () => {
    expect(() => forcefield(scenario, { seed: 1, replicates: 1, rounds: 2, factors: ['no.such.path'] })).toThrow(/not a number or flag/);
    expect(() => forcefield(scenario, { seed: 1, replicates: 1, rounds: 2, factors: ['funding.transformationFund.condition'] })).toThrow(/not a number or flag|has no step/);
    expect(() => forcefield(scenario, { seed: 1, replicates: 1, rounds: 2, factors: ['trust.initial', 'trust.initial'] })).toThrow(/twice/);
  });
});

// ---- specs and rendering -----------------------------------------------------------------

const vlSchema = JSON.parse(readFileSync(new URL('../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url), 'utf8'));
const vgSchema = JSON.parse(readFileSync(new URL('../node_modules/vega/build/vega-schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const validateVegaLite = ajv.compile(vlSchema);
const validateVega = ajv.compile(vgSchema);

function expectValid(validate: ReturnType<typeof ajv.compile>, spec: unknown, name: string): void {
  const ok = validate(spec);
  if (!ok) throw new Error(`${name} does not validate: ${ajv.errorsText(validate.errors?.slice(0, 5))}`);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function titleOf(spec: unknown): string {
  const title = (spec as { title?: string | { text: string } }).title;
  return typeof title === 'string' ? title : title!.text;
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Dark pixels of an SVG rasterised at scale 1. */
function darkPixels(svg: string): number {
  const image = new Resvg(svg, { font: { fontFiles: defaultFontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
  const px = image.pixels;
  let dark = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 200) dark++;
  return dark;
}

describe('specs', () => {
  let specs: { name: string; kind: 'vega-lite' | 'vega'; spec: unknown }[];

  beforeAll(() => {
    const snapshot = trustSnapshot(scenario, SEED, 0);
    const ff = forcefield(scenario, { seed: SEED, replicates: REPLICATES, factors: FACTORS, outcomes: ['populationOutcome', 'scope'] });
    specs = [
      { name: 'trajectories', kind: 'vega-lite', spec: trajectoriesSpec(labels, options()) },
      { name: 'trajectories-one', kind: 'vega-lite', spec: trajectoriesSpec([labels[0]], { ...options(), measures: ['equity'], timeAxis: 'round' }) },
      { name: 'stages', kind: 'vega-lite', spec: stageTimelineSpec(labels, options()) },
      { name: 'stages-one', kind: 'vega-lite', spec: stageTimelineSpec([labels[0]], { ...options(), mode: 'replicate', replicate: 2 }) },
      { name: 'trust-matrix', kind: 'vega-lite', spec: trustMatrixSpec(snapshot, options()) },
      { name: 'trust-network', kind: 'vega', spec: trustNetworkSpec(snapshot, options()) },
      { name: 'forcefield', kind: 'vega-lite', spec: forcefieldSpec(ff, options()) },
      { name: 'final-outcomes', kind: 'vega-lite', spec: finalOutcomesSpec(labels, options()) },
      { name: 'gap', kind: 'vega-lite', spec: gapSpec(labels, options()) },
    ];
  });

  it('validate against the JSON schemas shipped with vega-lite and vega', () => {
    for (const { name, kind, spec } of specs) {
      if (kind === 'vega-lite') {
        expectValid(validateVegaLite, spec, name);
        expectValid(validateVega, toVega(spec as never), `${name} (compiled)`);
      } else {
        expectValid(validateVega, spec, name);
        expect(() => vega.parse(spec as vega.Spec)).not.toThrow();
      }
    }
  });

  it('are pure: building twice gives equal specs, and rendering leaves a spec serialisable and unchanged', async () => {
    expect(trajectoriesSpec(labels, options())).toEqual(trajectoriesSpec(labels, options()));
    const network = specs.find((s) => s.name === 'trust-network')!.spec;
    const before = JSON.stringify(network);
    await renderSvg(network as vega.Spec, 'vega');
    expect(JSON.stringify(network)).toBe(before);
  });

  it('use the colour-blind-safe palette and readable font sizes everywhere', () => {
    for (const { spec } of specs) {
      const text = JSON.stringify(spec);
      for (const match of text.matchAll(/"(?:label|title|subtitle)?[fF]ontSize":(\d+(?:\.\d+)?)/g)) expect(Number(match[1])).toBeGreaterThanOrEqual(11);
      for (const match of text.matchAll(/"#([0-9a-fA-F]{6})"/g)) {
        const ok = ['0072B2', 'E69F00', '009E73', 'D55E00', 'CC79A7', '56B4E9', 'F0E442', '000000', 'FFFFFF'].includes(match[1].toUpperCase());
        const grey = match[1].slice(0, 2) === match[1].slice(2, 4) && match[1].slice(2, 4) === match[1].slice(4, 6);
        expect(ok || grey, `colour #${match[1]}`).toBe(true);
      }
    }
  });

  it('titles say what is shown and axes carry units', () => {
    const traj = JSON.stringify(specs[0].spec);
    expect(titleOf(specs[0].spec)).toMatch(/gm-2017: key measures over 3 years/);
    expect(traj).toContain('"title":"index [0,1]"');
    expect(traj).toContain('"title":"Year"');
    expect(JSON.stringify(specs[1].spec)).toContain('"title":"Round (month)"');
    expect(titleOf(specs[6].spec)).toMatch(/what pushes population outcome, scope up and what holds them back/);
    expect(JSON.stringify(specs[6].spec)).toContain('Change in population outcome (index [0,1]) per step');
  });

  it('render to SVG and PNG with the title text present', async () => {
    for (const { name, kind, spec } of specs.filter((s) => ['trust-network', 'stages'].includes(s.name))) {
      const { svg, png } = await renderChart(spec as never, kind, { scale: 1 });
      expect(svg.startsWith('<svg'), name).toBe(true);
      expect(svg).toContain(escapeXml(titleOf(spec)));
      const { width, height } = pngSize(png);
      expect(width).toBeGreaterThan(400);
      expect(height).toBeGreaterThan(200);
      expect(png.length).toBeGreaterThan(20_000);
    }
  });

  it('draws text in the PNG (the font is found and used)', async () => {
    const svg = await renderSvg(specs.find((s) => s.name === 'final-outcomes')!.spec as never, 'vega-lite');
    const withoutText = svg.replace(/<text[\s\S]*?<\/text>/g, '');
    expect(withoutText.length).toBeLessThan(svg.length);
    expect(darkPixels(svg) - darkPixels(withoutText)).toBeGreaterThan(3000);
  });

  it('measures text with the font, so long labels are not cut short', () => {
    const widths = parseFontWidths(readFileSync(defaultFontFiles()[0]));
    const unit = widths.unitsPerEm;
    expect(unit).toBeGreaterThan(0);
    // DejaVu Sans: "i" is narrow, "W" and "m" are wide, digits share one width.
    expect(widths.advance('i'.codePointAt(0)!)).toBeLessThan(widths.advance('m'.codePointAt(0)!));
    expect(widths.advance('0'.codePointAt(0)!)).toBe(widths.advance('7'.codePointAt(0)!));
    expect(widths.advance('a'.codePointAt(0)!) / unit).toBeGreaterThan(0.5);
    expect(widths.advance('a'.codePointAt(0)!) / unit).toBeLessThan(0.7);
  });
});

describe('run directory', () => {
  /** trajectories.csv as the CLI writes it (round index from 0), or with rounds counted from 1. */
  function toCsv(input: LabelledResults[], perYear: number, base = 0): string {
    const lines = [['label', 'replicate', 'round', 'year', 'locality', ...MEASURE_NAMES].join(',')];
    for (const { label, results } of input) {
      for (const r of results) {
        const t = r.trajectories;
        for (let round = 0; round < t.rounds; round++) {
          t.columns.forEach((column, c) => {
            const values = MEASURE_NAMES.map((m) => String(t.data[m][round * t.columns.length + c]));
            const quoted = /[",]/.test(column) ? `"${column.replace(/"/g, '""')}"` : column;
            lines.push([label, r.replicate, round + base, (round + base) / perYear, quoted, ...values].join(','));
          });
        }
      }
    }
    return `${lines.join('\n')}\n`;
  }

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,b\n"x, ""y""",2\r\n')).toEqual([['a', 'b'], ['x, "y"', '2']]);
  });

  it('rebuilds the trajectories exactly from summary.json and trajectories.csv', async () => {
    const dir = join(outDir, 'run');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ scenario, seed: SEED, replicates: REPLICATES, rounds: ROUNDS, labels: ['system', 'organisational'] }));
    await writeFile(join(dir, 'trajectories.csv'), toCsv(labels, scenario.roundsPerYear));
    const input = await readRunDirectory(dir);
    expect(input.seed).toBe(SEED);
    expect(input.scenario).toEqual(scenario);
    expect(input.labels.map((l) => l.label)).toEqual(['system', 'organisational']);
    input.labels.forEach((l, i) => {
      l.results.forEach((r: ReplicateResult, k) => {
        const original = labels[i].results[k];
        expect(r.replicate).toBe(original.replicate);
        expect(r.seed).toBe(original.seed);
        expect(r.trajectories.columns).toEqual(original.trajectories.columns);
        expect(r.trajectories.rounds).toBe(ROUNDS);
        for (const m of MEASURE_NAMES) expect(Array.from(r.trajectories.data[m])).toEqual(Array.from(original.trajectories.data[m]));
      });
    });
  });

  it('reads rounds counted from 1 and per-label scenarios of a comparison', async () => {
    const dir = join(outDir, 'run-from-1');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    const scenarios = { system: scenario, organisational: withOverride(scenario, 'regime.accountability', 0.1) };
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ scenarios, seed: String(SEED), replicates: REPLICATES, rounds: ROUNDS, labels: ['system', 'organisational'] }));
    await writeFile(join(dir, 'trajectories.csv'), toCsv(labels, scenario.roundsPerYear, 1));
    const input = await readRunDirectory(dir);
    expect(input.scenario).toEqual(scenario);
    expect(input.seed).toBe(String(SEED));
    expect(input.labels[1].results[2].trajectories.rounds).toBe(ROUNDS);
    expect(Array.from(input.labels[1].results[2].trajectories.data.trustMean)).toEqual(Array.from(labels[1].results[2].trajectories.data.trustMean));
  });

  it('feeds the charts: specs built from a run directory equal those built from the results', async () => {
    const input = await readRunDirectory(join(outDir, 'run'));
    expect(trajectoriesSpec(input.labels, options())).toEqual(trajectoriesSpec(labels, options()));
    expect(stageTimelineSpec(input.labels, options())).toEqual(stageTimelineSpec(labels, options()));
    const charts = buildCharts({ ...input, forcefield: false });
    // A comparison draws the trust charts of every label (each from its own scenario in summary.json).
    expect(charts.map((c) => c.name)).toEqual(['trajectories', 'final-outcomes', 'gap', 'stages',
      'trust-matrix-system', 'trust-network-system', 'trust-matrix-organisational', 'trust-network-organisational']);
    expect(charts.filter((c) => c.group === 'trust-matrix').map((c) => c.panel)).toEqual(['system', 'organisational']);
  });

  it('explains what is wrong with a bad run directory', async () => {
    await expect(readRunDirectory(join(outDir, 'missing'))).rejects.toThrow(/summary\.json/);
    expect(() => trajectoriesFromCsv('label,replicate,round,locality\n', 'x', 1)).toThrow(/label,replicate,round,year,locality/);
    expect(() => trajectoriesFromCsv('label,replicate,round,year,locality,bogus\n', 'x', 1)).toThrow(/unknown measure column/);
  });
});

describe('writeCharts', () => {
  // Written twice in one process: also catches ids that count up across renders (Vega's clip ids).
  it('writes every chart as spec, SVG and PNG plus report.html, atomically and reproducibly', async () => {
    const input = {
      scenario, labels, seed: SEED,
      options: { forcefieldFactors: FACTORS, forcefieldOutcomes: ['populationOutcome'], measures: ['populationOutcome', 'trustMean', 'netValue'] },
    };
    const a = join(outDir, 'a');
    const b = join(outDir, 'b');
    const filesA = await writeCharts(a, input);
    const filesB = await writeCharts(b, input);
    const names = ['trajectories', 'final-outcomes', 'gap', 'stages', 'trust-matrix-system', 'trust-network-system',
      'trust-matrix-organisational', 'trust-network-organisational', 'forcefield-system', 'forcefield-organisational'];
    const expected = names.flatMap((n) => [`${n}.${n.startsWith('trust-network') ? 'vg' : 'vl'}.json`, `${n}.svg`, `${n}.png`]).concat('report.html');
    expect(filesA.map((f) => f.slice(a.length + 1))).toEqual(expected);
    expect((await readdir(a)).sort()).toEqual([...expected].sort()); // no temp files left behind
    for (const file of expected) {
      const [x, y] = await Promise.all([readFile(join(a, file)), readFile(join(b, file))]);
      expect(x.equals(y), file).toBe(true);
    }
    expect(filesB).toHaveLength(filesA.length);
    const html = await readFile(join(a, 'report.html'), 'utf8');
    expect(html).toContain(scenario.description.slice(0, 40));
    expect(html).toContain('Thesis §4.1');
    for (const n of names) expect(html).toContain(`id="chart-${n}"`);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.match(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[^>]*>/i)?.[0]).toBeUndefined(); // nothing loaded from elsewhere
    expect(markup.match(/<script>/g)).toHaveLength(4); // vega, vega-lite, vega-embed, the embedding code
    const spec = JSON.parse(await readFile(join(a, 'trajectories.vl.json'), 'utf8'));
    expectValid(validateVegaLite, spec, 'trajectories.vl.json');
    expect(specToJson(spec)).toBe((await readFile(join(a, 'trajectories.vl.json'), 'utf8')).trimEnd());
  });

  it('keeps charts of large systems readable by showing the first localities only', () => {
    const big = syntheticSystem({ leaders: 24 * 20, localitySize: 24, rounds: 2 });
    const snapshot = trustSnapshot(big, 1, 0, 1);
    const matrix = trustMatrixSpec(snapshot);
    const network = trustNetworkSpec(snapshot) as unknown as { data: { name: string; values: { locality?: string; source?: number; target?: number }[] }[] };
    expectValid(validateVegaLite, matrix, 'large trust matrix');
    expectValid(validateVega, network, 'large trust network');
    const cells = (matrix as unknown as { data: { values: { locality: string }[] } }).data.values;
    expect(new Set(cells.map((c) => c.locality)).size).toBe(12);
    const nodes = network.data.find((d) => d.name === 'node-data')!.values;
    const links = network.data.find((d) => d.name === 'link-data')!.values;
    expect(nodes).toHaveLength(12 * 24);
    expect(links).toHaveLength(12 * (24 * 23) / 2);
    expect(links.every((l) => l.source! < nodes.length && l.target! < nodes.length)).toBe(true);
    expect(titleOf(matrix)).toContain('trust between leaders');
    // The subtitle may be wrapped over several lines to fit the report's width.
    expect(([] as string[]).concat((matrix as unknown as { title: { subtitle: string | string[] } }).title.subtitle).join(' ')).toContain('Showing the first 12 of 20 localities.');
  });

  it('leaves out the forcefield and the gap when not wanted or not possible', () => {
    const charts = buildCharts({ scenario, labels: [labels[0]], seed: SEED, forcefield: false });
    expect(charts.map((c) => c.name)).toEqual(['trajectories', 'final-outcomes', 'stages', 'trust-matrix', 'trust-network']);
  });
});
