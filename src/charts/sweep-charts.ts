/**
 * Writing a sweep's charts and report.html (`partnersim chart SWEEP_DIR`) and a discovery's
 * trade-off chart: each chart as `<name>.vl.json`, `.svg` and `.png`, and one self-contained HTML
 * page (vega inlined, opens offline) with the sweep's summary tables and the charts.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Discovery } from '../analysis/discover.ts';
import type { SweepTable } from '../analysis/sweep-table.ts';
import type { SweepAnalysis } from '../experiments/sweep-analysis.ts';
import { renderChart } from './render.ts';
import { escapeHtml, formatNumber, inlineLibraries } from './report.ts';
import { ensureDirectory, writeFileAtomic } from './run-directory.ts';
import { interactionSpec, mainEffectsSpec, outputTitle, tradeoffSpec } from './sweep-specs.ts';
import { specToJson } from './index.ts';

interface Chart {
  name: string;
  heading: string;
  caption: string;
  spec: TopLevelSpec;
}

async function writeChartFiles(dir: string, charts: readonly Chart[], written: string[]): Promise<void> {
  for (const chart of charts) {
    const { svg, png } = await renderChart(chart.spec, 'vega-lite');
    for (const [file, content] of [[`${chart.name}.vl.json`, `${specToJson(chart.spec)}\n`], [`${chart.name}.svg`, svg], [`${chart.name}.png`, png]] as const) {
      await writeFileAtomic(join(dir, file), content);
      written.push(join(dir, file));
    }
  }
}

export interface SweepReportInput {
  title: string;
  facts: [string, string][];
  table: SweepTable;
  analysis: SweepAnalysis;
}

const numericVarying = (table: SweepTable) => table.factors.filter((f) => f.numeric && new Set(f.values).size > 1);

/** The charts of a sweep: main effects for the outputs, and an interaction heatmap when two numeric factors vary. */
export function sweepCharts(table: SweepTable, outputs: readonly string[]): Chart[] {
  const charts: Chart[] = [];
  const numeric = numericVarying(table);
  if (numeric.length > 0) {
    charts.push({
      name: 'main-effects', heading: 'Main effects',
      caption: 'How each output moves with each numeric factor, averaged over the other factors; the band shows how much the other factors spread it. With regimes as a factor, one line per regime (the regime facets).',
      spec: mainEffectsSpec(table, outputs),
    });
  }
  if (numeric.length > 1) {
    charts.push({
      name: 'interaction', heading: `Interaction: ${numeric[0].name} × ${numeric[1].name}`,
      caption: `Mean ${outputTitle(outputs[0]).toLowerCase()} in each cell of the two factors' levels (sampled factors binned). Parallel colour bands mean the factors act separately; a corner that differs is an interaction.`,
      spec: interactionSpec(table, outputs[0], numeric[0].name, numeric[1].name),
    });
  }
  return charts;
}

function tableHtml(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${rows.map((r) =>
    `<tr>${r.map((c, k) => `<td${k > 0 ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
}

function reportHtml(input: SweepReportInput, charts: readonly Chart[]): string {
  const { analysis } = input;
  const factors = [...new Set(analysis.effects.map((e) => e.factor))];
  const effects = tableHtml(['factor', 'role', ...analysis.outputs.map(outputTitle)], factors.map((f) => {
    const es = analysis.effects.filter((e) => e.factor === f);
    return [f, es[0].role, ...analysis.outputs.map((o) => {
      const e = es.find((x) => x.output === o)!;
      return `${e.value === null ? 'constant' : `${e.statistic === 'spearman' ? 'ρ' : 'η²'} ${formatNumber(e.value)}`} (spread ${formatNumber(e.spread)})`;
    })];
  }));
  const p = analysis.policies;
  const policies = p ? `<h2 id="policies">Policies across scenarios</h2>
<p>${escapeHtml(`${p.scenarios} scenarios${p.uncertainties.length ? ` of ${p.uncertainties.join(', ')}` : ''}; ${outputTitle(p.output).toLowerCase()}, ${p.better} is better. Regret: shortfall against the best policy in the same scenario, on the same seeds.`)}</p>
${tableHtml(['policy', 'mean', '5%', '95%', 'mean regret', '90% regret', 'max regret', 'best in'], p.summary.map((s) => [
    s.policy, formatNumber(s.mean), formatNumber(s.p5), formatNumber(s.p95), formatNumber(s.meanRegret), formatNumber(s.p90Regret),
    formatNumber(s.maxRegret), `${formatNumber(s.wins)} of ${p.scenarios} (${Math.round(100 * s.winShare)}%)`]))}` : '';
  const libraries = inlineLibraries().map((l) => `<script>/* ${l.name} ${l.version} */\n${l.source}</script>`);
  const sections = charts.map((c) => `<section id="section-${c.name}"><h2>${escapeHtml(c.heading)}</h2><p>${escapeHtml(c.caption)}</p>
<div class="vis" id="chart-${c.name}"></div>
<p class="files"><a href="${c.name}.svg">SVG</a> · <a href="${c.name}.png">PNG</a> · <a href="${c.name}.vl.json">Vega-Lite spec</a></p>
<script type="application/json" id="spec-${c.name}">${JSON.stringify(c.spec).replace(/</g, '\\u003c')}</script></section>`);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="partnersim">
<title>${escapeHtml(input.title)}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 0; line-height: 1.5; font-size: 16px; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 64px; }
h2 { font-size: 21px; margin: 36px 0 6px; border-top: 1px solid #ddd; padding-top: 18px; }
p { max-width: 75ch; } table { border-collapse: collapse; margin: 12px 0; font-size: 15px; }
th, td { padding: 5px 10px; border-bottom: 1px solid #ddd; text-align: left; } th { background: #f4f4f4; }
td.num { font-variant-numeric: tabular-nums; } .vis { overflow-x: auto; } .files { font-size: 14px; color: #555; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dt { font-weight: bold; } dd { margin: 0; word-break: break-word; }
</style>
${libraries.join('\n')}
</head>
<body><main>
<h1>${escapeHtml(input.title)}</h1>
<dl>${input.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h2 id="effects">Which factor moves which output</h2>
<p>${escapeHtml(analysis.method)}</p>
${effects}
${policies}
${sections.join('\n')}
</main>
<script>
document.querySelectorAll('script[id^="spec-"]').forEach(function (node) {
  var name = node.id.slice(5);
  vegaEmbed(document.getElementById('chart-' + name), JSON.parse(node.textContent), { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } });
});
</script>
</body></html>
`;
}

/** Writes the sweep's charts and report.html into `dir`; returns the paths written. */
export async function writeSweepReport(dir: string, input: SweepReportInput): Promise<string[]> {
  await ensureDirectory(dir);
  const charts = sweepCharts(input.table, input.analysis.outputs);
  const written: string[] = [];
  await writeChartFiles(dir, charts, written);
  await writeFileAtomic(join(dir, 'report.html'), reportHtml(input, charts));
  written.push(join(dir, 'report.html'));
  return written;
}

/** Writes discover.json and the trade-off chart into `dir`; returns the paths written. */
export async function writeDiscovery(dir: string, discovery: Discovery, json: string): Promise<string[]> {
  await ensureDirectory(dir);
  const written: string[] = [];
  await writeFileAtomic(join(dir, 'discover.json'), json);
  written.push(join(dir, 'discover.json'));
  await writeChartFiles(dir, [{ name: 'tradeoff', heading: 'Coverage and density', caption: '', spec: tradeoffSpec(discovery) }], written);
  return written;
}
