/**
 * Headless rendering: Vega-Lite → Vega (vega-lite `compile`), Vega → SVG with a `View` using
 * the 'none' renderer, SVG → PNG with resvg and a real font file (DejaVu Sans) so text never
 * vanishes. Output is byte-for-byte reproducible: Vega's clip-path and gradient id counters
 * are reset before each SVG, and nothing time- or machine-dependent is written.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { loadFontWidths, vegaTextWidth, type MeasuredFonts } from './text-metrics.ts';

export type ChartKind = 'vega-lite' | 'vega';

/** Font files tried in order (Debian's fonts-dejavu-core, then other common locations). */
export const FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
];

export interface PngOptions {
  /** Zoom factor (default 2: about 150–200 dpi for a chart printed at page width). */
  scale?: number;
  /** Font files to load; default the DejaVu Sans files found among FONT_CANDIDATES. */
  fontFiles?: readonly string[];
}

/** Font files available for the PNG renderer, or an error saying how to install them. */
export function defaultFontFiles(): string[] {
  const found = FONT_CANDIDATES.filter((file) => existsSync(file));
  const seen = new Set<string>();
  const unique = found.filter((file) => {
    const base = file.split('/').pop()!;
    if (seen.has(base)) return false;
    seen.add(base);
    return true;
  });
  if (unique.length === 0) {
    throw new Error(
      'no DejaVu Sans font file found for PNG rendering (looked in ' + FONT_CANDIDATES.join(', ') +
      '); install it (Debian: apt-get install -y fonts-dejavu-core) or pass fontFiles',
    );
  }
  return unique;
}

/** Compiles a Vega-Lite spec to Vega. */
export function toVega(spec: TopLevelSpec): vega.Spec {
  return compile(spec).spec as vega.Spec;
}

/** Refuses every external load: charts inline their data, so a request would be a bug. */
const offlineLoader = {
  load: async (uri: string) => { throw new Error(`charts load no external resources (asked for ${uri})`); },
  sanitize: async (uri: string) => { throw new Error(`charts load no external resources (asked for ${uri})`); },
  http: async (uri: string) => { throw new Error(`charts load no external resources (asked for ${uri})`); },
  file: async (uri: string) => { throw new Error(`charts load no external resources (asked for ${uri})`); },
};

const fontCache = new Map<string, MeasuredFonts | null>();

function measuredFonts(files: readonly string[] | undefined): MeasuredFonts | null {
  let list: readonly string[];
  try {
    list = files ?? defaultFontFiles();
  } catch {
    return null;
  }
  const key = list.join('\n');
  if (!fontCache.has(key)) fontCache.set(key, loadFontWidths(list));
  return fontCache.get(key)!;
}

type WidthFunction = (item: unknown, text?: unknown) => number;
const metrics = (vega as unknown as { textMetrics: { width: WidthFunction } }).textMetrics;
let measuring = 0;
let savedWidth: WidthFunction | null = null;

/**
 * Runs `fn` with Vega measuring text by the font files' real advance widths (Vega otherwise
 * guesses 0.8 em a character without a canvas). Nested and concurrent calls share one install.
 */
async function withFontMetrics<T>(fonts: MeasuredFonts | null, fn: () => Promise<T>): Promise<T> {
  if (!fonts) return fn();
  if (measuring++ === 0) {
    savedWidth = metrics.width;
    metrics.width = vegaTextWidth(fonts) as WidthFunction;
  }
  try {
    return await fn();
  } finally {
    if (--measuring === 0 && savedWidth) {
      metrics.width = savedWidth;
      savedWidth = null;
    }
  }
}

export interface SvgOptions {
  /** Font files whose widths lay out text (default: as for the PNG). */
  fontFiles?: readonly string[];
}

/** Renders a Vega or Vega-Lite spec to an SVG string (headless, deterministic). */
export async function renderSvg(spec: TopLevelSpec | vega.Spec, kind: ChartKind, options: SvgOptions = {}): Promise<string> {
  // Vega ingests inline data objects as its tuples and the force layout rewrites them, so
  // render a copy: the caller's spec stays as it was (and serialisable).
  const copy = structuredClone(spec);
  const vegaSpec = kind === 'vega-lite' ? toVega(copy as TopLevelSpec) : (copy as vega.Spec);
  return withFontMetrics(measuredFonts(options.fontFiles), async () => {
    const view = new vega.View(vega.parse(vegaSpec), {
      renderer: 'none',
      logLevel: vega.Warn,
      loader: offlineLoader as unknown as vega.Loader,
    });
    try {
      await view.runAsync();
      vega.resetSVGDefIds();
      const svg = await view.toSVG();
      return svg.endsWith('\n') ? svg : `${svg}\n`;
    } finally {
      view.finalize();
    }
  });
}

/** Rasterises an SVG to PNG with resvg, using the given (or default) font files. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const fontFiles = [...(options.fontFiles ?? defaultFontFiles())];
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

/** Renders a spec to SVG and PNG. */
export async function renderChart(spec: TopLevelSpec | vega.Spec, kind: ChartKind, options: PngOptions = {}): Promise<{ svg: string; png: Buffer }> {
  const svg = await renderSvg(spec, kind, options);
  return { svg, png: svgToPng(svg, options) };
}
