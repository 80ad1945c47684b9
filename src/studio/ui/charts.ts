/**
 * The band charts: one Vega view per panel, compiled once from a Vega-Lite spec in the charts'
 * theme, then fed new rows (`view.data`) as rounds arrive, so a redraw is a data change, not a
 * new chart. Bands are the 90% and 50% ranges over replicates with the median on top; dashed
 * rules mark interventions.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { OKABE_ITO, vegaLiteConfig } from '../../charts/theme.ts';

export interface BandRow {
  label: string;
  year: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
}

export interface MarkRow {
  label: string;
  year: number;
  what: string;
}

export interface PanelOptions {
  title: string;
  subtitle?: string;
  years: number;
  width: number;
  height: number;
  labels: string[];
  projector: boolean;
  /** A zero line (for gaps). */
  zero?: boolean;
}

/** Colours of A and B (and the gap, drawn in B's colour against A). */
export const SIDE_COLOURS = [OKABE_ITO[0], OKABE_ITO[3]];

export function bandSpec(options: PanelOptions): TopLevelSpec {
  const colour = { field: 'label', type: 'nominal', scale: { domain: options.labels, range: options.zero ? ['#000000'] : SIDE_COLOURS.slice(0, options.labels.length) }, legend: options.labels.length > 1 ? { orient: 'top', title: null } : null } as const;
  const x = { field: 'year', type: 'quantitative', title: 'year', scale: { domain: [0, options.years], nice: false } } as const;
  const config = vegaLiteConfig() as Record<string, Record<string, unknown>>;
  if (options.projector) {
    for (const key of ['axis', 'legend']) config[key] = { ...config[key], labelFontSize: 16, titleFontSize: 17, labelColor: '#000', titleColor: '#000' };
    config.title = { ...config.title, fontSize: 20, subtitleFontSize: 15, color: '#000', subtitleColor: '#000' };
  }
  return {
    width: options.width,
    height: options.height,
    // The whole chart (axes, title, legend) fits the cell; it is laid out again as data arrives.
    autosize: { type: 'fit', contains: 'padding' },
    // The panel's measure menu names the measure; the title says what the lines are, cut to the width.
    title: { text: options.title, limit: options.width - 24, fontSize: options.projector ? 16 : 13, fontWeight: 'normal' },
    config: { ...config, padding: 6 },
    layer: [
      ...(options.zero ? [{ data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#666' }, encoding: { y: { field: 'y', type: 'quantitative' } } }] : []),
      {
        data: { name: 'rows' },
        layer: [
          { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'q05', type: 'quantitative', title: null, scale: { zero: false }, stack: null }, y2: { field: 'q95' }, color: colour } },
          { mark: { type: 'area', opacity: 0.32 }, encoding: { x, y: { field: 'q25', type: 'quantitative', stack: null }, y2: { field: 'q75' }, color: colour } },
          { mark: { type: 'line', strokeWidth: options.projector ? 3.5 : 2 }, encoding: { x, y: { field: 'median', type: 'quantitative' }, color: colour } },
        ],
      },
      {
        data: { name: 'marks' },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: options.projector ? 3 : 1.5 },
        encoding: { x: { field: 'year', type: 'quantitative' }, color: colour },
      },
    ],
  } as unknown as TopLevelSpec;
}

export class BandPanel {
  private view?: vega.View;
  private ready: Promise<void>;

  constructor(readonly element: HTMLElement, options: PanelOptions) {
    const compiled = compile(bandSpec(options)).spec;
    this.ready = (async () => {
      const view = new vega.View(vega.parse(compiled), { renderer: 'canvas', container: element, hover: false });
      await view.runAsync();
      this.view = view;
    })();
  }

  async update(rows: BandRow[], marks: MarkRow[]): Promise<void> {
    await this.ready;
    const view = this.view!;
    view.data('rows', rows);
    view.data('marks', marks);
    await view.resize().runAsync();
  }

  destroy(): void {
    this.view?.finalize();
    this.element.replaceChildren();
  }
}
