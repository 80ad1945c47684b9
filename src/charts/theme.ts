/**
 * One look for every chart: the Okabe–Ito colour-blind-safe palette for categories, viridis for
 * continuous values (trust), DejaVu Sans at 12 px or more, titles that start left. The same
 * config serves the Vega-Lite charts and the one Vega chart (the trust network), so print, a
 * projector and the interactive report all look alike.
 */
// From the modules themselves, not the package index, so a browser page can take the theme without the engine.
import { MEASURES, type MeasureSpec } from '../model/observe.ts';
import type { STAGES } from '../model/submodels/learning.ts';

/**
 * Okabe & Ito (2008) palette, ordered so the first colours are the most distinct on white:
 * blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

/** Colours by meaning, all taken from the Okabe–Ito palette. */
export const COLOURS = {
  up: '#0072B2',
  down: '#D55E00',
  neutral: '#999999',
  text: '#222222',
  muted: '#555555',
  rule: '#444444',
} as const;

/** Tuckman stages in order, with colours that stay apart for every kind of colour blindness. */
export const STAGE_COLOURS: Record<(typeof STAGES)[number], string> = {
  forming: '#F0E442',
  storming: '#D55E00',
  norming: '#56B4E9',
  performing: '#009E73',
};

/** Organisation kinds in the model's order, with their Okabe–Ito colours. */
export const KIND_COLOURS: Record<string, string> = {
  acute: '#D55E00',
  community: '#E69F00',
  commissioner: '#56B4E9',
  council: '#0072B2',
  primaryCare: '#009E73',
  voluntary: '#CC79A7',
  participant: '#000000',
};

/** Continuous colour scheme (perceptually uniform, colour-blind safe, prints in greyscale). */
export const SEQUENTIAL_SCHEME = 'viridis';

/** Font stack: DejaVu Sans is what the PNG renderer loads, the others are browser fallbacks. */
export const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

/** Sizes in px, chosen to stay readable on a projector (tick labels 13 px, nothing under 12 px). */
export const FONT_SIZE = { label: 13, title: 14, chartTitle: 17, subtitle: 13, min: 12 } as const;

/** Widest a chart may be drawn (px) so the report fits a 1024 px window without sideways scrolling. */
export const MAX_CHART_WIDTH = 920;

/** Rough width in px of `text` at `size` px in DejaVu Sans (0.6 em a character; the specs do no font I/O). */
export function approximateTextWidth(text: string, size: number): number {
  return Math.ceil(text.length * size * 0.6);
}

/** Vega-Lite `config` used by every Vega-Lite chart. */
export function vegaLiteConfig(): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    padding: 12,
    title: {
      fontSize: FONT_SIZE.chartTitle, subtitleFontSize: FONT_SIZE.subtitle, anchor: 'start', color: COLOURS.text,
      subtitleColor: COLOURS.muted, offset: 10, subtitlePadding: 4, limit: 0,
    },
    axis: {
      labelFontSize: FONT_SIZE.label, titleFontSize: FONT_SIZE.title, titleFontWeight: 'normal', labelColor: COLOURS.text,
      titleColor: COLOURS.text, gridColor: '#e6e6e6', domainColor: '#888888', tickColor: '#888888', labelLimit: 320,
    },
    header: { labelFontSize: FONT_SIZE.title, titleFontSize: FONT_SIZE.title, labelColor: COLOURS.text, titleColor: COLOURS.text },
    legend: {
      labelFontSize: FONT_SIZE.label, titleFontSize: FONT_SIZE.title, titleFontWeight: 'normal', labelColor: COLOURS.text,
      titleColor: COLOURS.text, labelLimit: 320, symbolSize: 120,
    },
    text: { fontSize: FONT_SIZE.min, font: FONT },
    range: { category: [...OKABE_ITO], ordinal: [...OKABE_ITO], heatmap: { scheme: SEQUENTIAL_SCHEME }, ramp: { scheme: SEQUENTIAL_SCHEME } },
    view: { stroke: '#cccccc' },
    concat: { spacing: 28 },
    facet: { spacing: 18 },
  };
}

/** Vega `config` for the Vega chart, matching `vegaLiteConfig`. */
export function vegaConfig(): Record<string, unknown> {
  return {
    background: 'white',
    title: {
      font: FONT, fontSize: FONT_SIZE.chartTitle, subtitleFont: FONT, subtitleFontSize: FONT_SIZE.subtitle, anchor: 'start',
      color: COLOURS.text, subtitleColor: COLOURS.muted, offset: 10, subtitlePadding: 4,
    },
    legend: {
      labelFont: FONT, titleFont: FONT, labelFontSize: FONT_SIZE.label, titleFontSize: FONT_SIZE.title, titleFontWeight: 'normal',
      labelColor: COLOURS.text, titleColor: COLOURS.text, labelLimit: 320,
    },
    text: { font: FONT, fontSize: FONT_SIZE.min },
    range: { category: [...OKABE_ITO] },
  };
}

const MEASURE_TITLES: Record<string, string> = {
  agreedPurpose: 'Agreed purpose',
  trustMean: 'Mean trust',
  trustMin: 'Lowest trust',
  politicalEnvironment: 'Political environment',
  populationOutcome: 'Population outcome',
  orgPerformance: 'Organisational performance',
  powerfulOrgPerformance: 'Most powerful organisation\'s performance',
  pooledShare: 'Pooled share of budget',
  distributedPower: 'Distributed power',
  organisationalFocus: 'Organisational focus',
  formulaAdopted: 'Formula adopted',
  stage: 'Tuckman stage',
  forcedDecisions: 'Forced decisions',
  partnershipCost: 'Partnership cost',
  valueAdded: 'Value added',
  netValue: 'Net value',
  transformationFunding: 'Transformation funding',
  poolBalance: 'Pool balance',
};

/** The measure's spec, or a RangeError naming the measures that exist. */
export function measureSpec(name: string): MeasureSpec {
  const spec = MEASURES.find((m) => m.name === name);
  if (!spec) throw new RangeError(`unknown measure "${name}"; measures: ${MEASURES.map((m) => m.name).join(', ')}`);
  return spec;
}

/** Readable title of a measure: "populationOutcome" → "Population outcome". */
export function measureTitle(name: string): string {
  if (MEASURE_TITLES[name]) return MEASURE_TITLES[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Axis title with the unit: "Population outcome (index [0,1])". */
export function measureAxisTitle(name: string): string {
  const unit = measureSpec(name).unit;
  return unit ? `${measureTitle(name)} (${unit})` : measureTitle(name);
}
