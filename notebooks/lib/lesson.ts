/**
 * Small helpers shared by the teaching notebooks: summarise replicates into tidy rows, and show
 * a Vega-Lite chart inline. Each chart is sent as a MIME bundle with three versions of the same
 * picture, so it shows wherever the notebook is opened:
 * - `application/vnd.vegalite.v5+json`: the interactive chart (JupyterLab, VS Code, nteract);
 * - `image/svg+xml`: the same chart drawn by Vega here, for viewers without a Vega renderer
 *   (GitHub, classic Notebook, nbviewer);
 * - `text/plain`: a one-line description.
 *
 * Everything runs offline: `vega` and `vega-lite` come from the project's node_modules.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { measure, type ReplicateResult } from '../../src/index.ts';

/** Colours used across the lessons, so "low/medium/high" and "organisational/system" read the same everywhere. */
export const PALETTE = ['#d95f02', '#7570b3', '#1b9e77', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

const CONFIG = {
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eeeeee', labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, symbolOpacity: 1 },
  title: { fontSize: 14, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555555' },
  range: { category: PALETTE },
};

/** Years since the start at the end of round `r` (0-based): round 0 ends after one month. */
export const yearOf = (round: number, roundsPerYear = 12) => (round + 1) / roundsPerYear;

/** Rounds a number for display and for compact chart data. */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The q-quantile (0–1) of `values` by linear interpolation; `values` need not be sorted. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export interface BandRow {
  year: number;
  median: number;
  low: number;
  high: number;
  [key: string]: string | number;
}

/**
 * One row per round: the median of `value(result, round)` across replicates and its 10–90%
 * band. `value` defaults to a measure's system column; `label` fields are copied into every row
 * (e.g. `{ trust: 'low' }`) so rows from several runs can go into one chart.
 */
export function band(
  results: readonly ReplicateResult[],
  value: string | ((result: ReplicateResult) => ArrayLike<number>),
  label: Record<string, string | number> = {},
): BandRow[] {
  const series = results.map((r) => (typeof value === 'string' ? measure(r, value) : value(r)));
  const rounds = series[0].length;
  const rows: BandRow[] = [];
  for (let k = 0; k < rounds; k++) {
    const column = series.map((s) => s[k]);
    rows.push({
      ...label,
      year: round4(yearOf(k)),
      median: round4(quantile(column, 0.5)),
      low: round4(quantile(column, 0.1)),
      high: round4(quantile(column, 0.9)),
    });
  }
  return rows;
}

/** A measure at one round for every replicate (system column unless `column` is given). */
export function atRound(results: readonly ReplicateResult[], name: string, round: number, column = 'system'): number[] {
  return results.map((r) => measure(r, name, column)[round]);
}

/** Per round, the share of localities whose `name` measure satisfies `test` (e.g. stage 3). */
export function shareOfLocalities(result: ReplicateResult, name: string, test: (x: number) => boolean): Float64Array {
  const localities = result.trajectories.columns.filter((c) => c !== 'system');
  const out = new Float64Array(result.trajectories.rounds);
  for (const loc of localities) {
    const series = measure(result, name, loc);
    for (let k = 0; k < series.length; k++) if (test(series[k])) out[k] += 1 / localities.length;
  }
  return out;
}

/** Formats a number for a table: fixed decimals, or an em dash when it is not a number. */
export const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** A table from a header and rows: Markdown for Jupyter, aligned plain text as the fallback. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]) {
  const all = [header, ...rows].map((cells) => cells.map(String));
  const markdown = [all[0], all[0].map(() => '---'), ...all.slice(1)].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const widths = all[0].map((_, j) => Math.max(...all.map((cells) => (cells[j] ?? '').length)));
  const pad = (cells: string[]) => cells.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd();
  const plain = [pad(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(pad)].join('\n');
  return {
    [Symbol.for('Jupyter.display')]: () => ({ 'text/markdown': markdown, 'text/plain': plain }),
  };
}

/**
 * Draws a Vega-Lite spec to SVG with Vega (no browser, no network). Path coordinates are
 * rounded to 1/100 of a pixel, which halves the size of a notebook and changes nothing visible.
 */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace(/ (d|transform)="([^"]*)"/g, (_, name, value) => ` ${name}="${value.replace(/(\.\d\d)\d+/g, '$1')}"`);
  } finally {
    view.finalize();
  }
}

/**
 * Shows a Vega-Lite chart inline: make it the last expression of a cell (`await chart(spec)`),
 * or pass it to `Deno.jupyter.display`. `description` is the plain-text fallback.
 */
export async function chart(spec: TopLevelSpec, description?: string) {
  const full = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...spec,
    config: { ...CONFIG, ...(spec as { config?: object }).config },
  } as TopLevelSpec;
  const svg = await toSvg(full);
  const text = description ?? (typeof full.title === 'string' ? full.title : 'chart');
  return {
    [Symbol.for('Jupyter.display')]: () => ({
      'application/vnd.vegalite.v5+json': full,
      'image/svg+xml': svg,
      'text/plain': `[chart] ${text}`,
    }),
  };
}
