/**
 * The HTML report: one self-contained file (title, the scenario's narrative and sources, the
 * run, a summary table, and every chart drawn interactively by vega-embed). Vega, Vega-Lite
 * and vega-embed are inlined from node_modules, so report.html opens offline from file://.
 * Deterministic: no dates, ids or anything else that changes between two identical runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { builtInScenario, builtInScenarioNames } from '../scenarios/index.ts';
import { getPath, PARAMETERS } from '../model/parameters.ts';
import type { Scenario } from '../model/types.ts';
import type { FinalRow } from './data.ts';
import type { ChartKind } from './render.ts';
import { measureTitle } from './theme.ts';

export interface ReportChart {
  name: string;
  kind: ChartKind;
  /** Charts of one group share a section, side by side (one panel per label). */
  group?: string;
  /** The label a panel of a group shows. */
  panel?: string;
  /** Section heading. */
  heading: string;
  /** How to read the chart, in a sentence or two. */
  caption: string;
  spec: unknown;
  /** Sibling files to link (relative to report.html). */
  files?: { label: string; href: string }[];
}

export interface ReportInput {
  title?: string;
  scenario: Scenario;
  seed: string | number;
  labels: { label: string; replicates: number }[];
  rounds: number;
  summary: FinalRow[];
  charts: ReportChart[];
  /** Extra notes shown under the run facts (e.g. what the forcefield costs or left out). */
  notes?: string[];
  /** What the run changed and what the labels differ in (`appliedFacts`). */
  applied?: AppliedFacts;
}

/** What was applied: changes common to every label from the built-in scenario, and what differs between labels. */
export interface AppliedFacts {
  /** The built-in scenario the changes are from, when the scenario is one. */
  base?: string;
  /** "regime.accountability 0.4 → 0", common to every label. */
  changed: string[];
  /** "regime.accountability: organisational 0, system 1". */
  differs: string[];
}

const show = (v: unknown) => (v === undefined || v === null ? 'built-in rule' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));

/**
 * The parameters each label ran with that differ from the built-in scenario of the same name
 * (when all labels agree) or between labels, so the header states the regime and overrides that
 * were applied rather than what the scenario's description says.
 */
export function appliedFacts(scenario: Scenario, labels: readonly { label: string; scenario?: Scenario }[]): AppliedFacts {
  const runs = labels.map((l) => ({ label: l.label, scenario: l.scenario ?? scenario }));
  const base = builtInScenarioNames().includes(scenario.name) ? builtInScenario(scenario.name) : undefined;
  const changed: string[] = [];
  const differs: string[] = [];
  for (const spec of PARAMETERS) {
    const values = runs.map((r) => getPath(r.scenario, spec.path));
    const texts = values.map(show);
    if (new Set(texts).size > 1) {
      differs.push(`${spec.path}: ${runs.map((r, k) => `${r.label} ${texts[k]}`).join(', ')}`);
    } else if (base && show(getPath(base, spec.path)) !== texts[0]) {
      changed.push(`${spec.path} ${show(getPath(base, spec.path))} → ${texts[0]}`);
    }
  }
  return { ...(base ? { base: scenario.name } : {}), changed, differs };
}

function factList(items: readonly string[], most = 12): string {
  const shown = items.slice(0, most).map(escapeHtml).join('; ');
  return items.length > most ? `${shown}; and ${items.length - most} more (summary.json holds every value)` : shown;
}

const requireFromHere = createRequire(import.meta.url);

/** Directory of an installed package (found through its resolvable entry point). */
function packageDir(name: string): string {
  let dir = dirname(requireFromHere.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === name) return dir;
    } catch {
      // no package.json here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the directory of package ${name}`);
    dir = parent;
  }
}

export interface InlineLibrary {
  name: string;
  version: string;
  source: string;
}

let librariesCache: InlineLibrary[] | null = null;

/** The minified browser builds of vega, vega-lite and vega-embed, ready to inline. */
export function inlineLibraries(): InlineLibrary[] {
  if (librariesCache) return librariesCache;
  librariesCache = [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ].map(([name, file]) => {
    const dir = packageDir(name);
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const source = readFileSync(join(dir, file), 'utf8')
      .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
      .replace(/<\/(script)/gi, '<\\/$1');
    return { name, version, source };
  });
  return librariesCache;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Formats a number for the summary table: three significant digits, typographic minus. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  let text: string;
  if (abs === 0) text = '0';
  else if (abs >= 1000) text = x.toFixed(0);
  else if (abs >= 100) text = x.toFixed(0);
  else if (abs >= 10) text = x.toFixed(1);
  else if (abs >= 0.001) text = x.toPrecision(3);
  else text = x.toExponential(2);
  return text.replace(/^-/, '\u2212');
}

const STYLE = `
:root { --text: #222; --muted: #555; --rule: #ddd; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--text); margin: 0; line-height: 1.5; font-size: 16px; background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 28px; margin: 0 0 8px; }
h2 { font-size: 21px; margin: 40px 0 6px; border-top: 1px solid var(--rule); padding-top: 20px; }
p, li, dd, dt { max-width: 75ch; }
.lede { font-size: 18px; }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
nav ol { columns: 2; padding-left: 20px; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: 12px 0; font-size: 15px; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f4f4f4; }
.unit { color: var(--muted); font-size: 13px; }
.vis { overflow-x: auto; margin: 8px 0; min-height: 40px; max-width: 100%; }
.vis svg, .vis canvas { max-width: 100%; height: auto; }
.panels { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.panel { margin: 0; min-width: 0; max-width: 100%; }
.panel figcaption { font-weight: bold; font-size: 17px; margin-top: 12px; }
dl.facts dd { overflow-wrap: anywhere; }
.files { font-size: 14px; color: var(--muted); }
.error { color: #D55E00; font-weight: bold; }
@media print {
  main { max-width: none; padding: 0; }
  .files, nav { display: none; }
  section { break-inside: avoid; }
  .vis { overflow: visible; }
}
`;

/** Builds report.html as a string. */
export function buildReport(input: ReportInput): string {
  const { scenario, summary, charts } = input;
  const title = input.title ?? `partnersim: ${scenario.name}`;
  const perYear = scenario.roundsPerYear;
  const years = perYear > 0 ? Number((input.rounds / perYear).toPrecision(4)) : input.rounds;
  const labels = input.labels;
  const measures = [...new Set(summary.map((r) => r.measure))];
  const summaryRound = summary.length > 0 ? summary[0].round : input.rounds - 1;

  const tableHead = `<tr><th scope="col">Measure</th>${labels.map((l) => `<th scope="col">${escapeHtml(l.label)}</th>`).join('')}</tr>`;
  const tableRows = measures.map((m) => {
    const unit = summary.find((r) => r.measure === m)?.unit ?? '';
    const cells = labels.map((l) => {
      const row = summary.find((r) => r.measure === m && r.label === l.label);
      if (!row) return '<td class="num">–</td>';
      return `<td class="num">${formatNumber(row.median)} <span class="muted">(${formatNumber(row.q05)} to ${formatNumber(row.q95)})</span></td>`;
    });
    return `<tr><th scope="row">${escapeHtml(measureTitle(m))} <span class="unit">${escapeHtml(unit)}</span></th>${cells.join('')}</tr>`;
  });

  // Consecutive charts of one group (one per label) share a section, their panels side by side.
  const groups: ReportChart[][] = [];
  for (const chart of charts) {
    const last = groups[groups.length - 1];
    if (chart.group && last && last[0].group === chart.group) last.push(chart);
    else groups.push([chart]);
  }
  const vis = (chart: ReportChart) => {
    const files = (chart.files ?? []).map((f) => `<a href="${escapeHtml(f.href)}">${escapeHtml(f.label)}</a>`).join(' · ');
    const label = chart.panel ? `${chart.heading}: ${chart.panel}` : chart.heading;
    return [
      `<div class="vis" id="chart-${escapeHtml(chart.name)}" data-chart="${escapeHtml(chart.name)}" role="img" aria-label="${escapeHtml(label)}"></div>`,
      files ? `<p class="files">Files: ${files}</p>` : '',
    ].filter(Boolean).join('\n');
  };
  const sections = groups.map((group) => {
    const [first] = group;
    const body = first.group
      ? `<div class="panels">\n${group.map((c) => `<figure class="panel"><figcaption>${escapeHtml(c.panel ?? c.name)}</figcaption>\n${vis(c)}\n</figure>`).join('\n')}\n</div>`
      : vis(first);
    return [
      `<section id="section-${escapeHtml(first.group ?? first.name)}">`,
      `<h2>${escapeHtml(first.heading)}</h2>`,
      `<p>${escapeHtml(first.caption)}</p>`,
      body,
      '</section>',
    ].join('\n');
  });
  const contents = groups.map((group) => `<li><a href="#section-${escapeHtml(group[0].group ?? group[0].name)}">${escapeHtml(group[0].heading)}</a></li>`);

  const specs = charts.map((chart) =>
    `<script type="application/json" id="spec-${escapeHtml(chart.name)}" data-mode="${chart.kind}">${scriptJson(chart.spec)}</script>`);

  const libraries = inlineLibraries().map((lib) => `<script>/* ${lib.name} ${lib.version} (inlined) */\n${lib.source}</script>`);

  const sources = scenario.sources?.length ? scenario.sources.map((s) => escapeHtml(s)).join('; ') : 'none given';
  const labelFacts = labels.map((l) => `${escapeHtml(l.label)} (${l.replicates} replicate${l.replicates === 1 ? '' : 's'})`).join(', ');
  const notes = (input.notes ?? []).map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n');
  const applied = input.applied;
  const appliedRows = [
    applied && applied.changed.length > 0
      ? `<dt>As run</dt><dd>changed from ${escapeHtml(applied.base ?? scenario.name)} as built in: ${factList(applied.changed)}</dd>` : '',
    applied && applied.differs.length > 0 ? `<dt>Labels differ in</dt><dd>${factList(applied.differs)}</dd>` : '',
  ].filter(Boolean).join('\n');
  const appliedNote = applied && (applied.changed.length > 0 || applied.differs.length > 0)
    ? `<p class="muted">That is the scenario as built in. What ran differs from it where listed below under "As run"${applied.differs.length > 0 ? ' and "Labels differ in"' : ''}: those values, not any the description names, are what ran.</p>` : '';

  const embed = `
(function () {
  var options = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  var nodes = document.querySelectorAll('script[type="application/json"][id^="spec-"]');
  var pending = [];
  Array.prototype.forEach.call(nodes, function (node) {
    var name = node.id.slice(5);
    var target = document.getElementById('chart-' + name);
    var spec = JSON.parse(node.textContent);
    var mode = node.getAttribute('data-mode');
    pending.push(vegaEmbed(target, spec, Object.assign({ mode: mode }, options)).then(function () {
      target.setAttribute('data-rendered', 'true');
    }, function (error) {
      target.setAttribute('data-rendered', 'error');
      target.innerHTML = '<p class="error">This chart could not be drawn: ' + String(error && error.message || error).replace(/[<&]/g, '') + '</p>';
      console.error('chart ' + name + ':', error);
    }));
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'done'); });
})();
`;

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="partnersim">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${libraries.join('\n')}
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(scenario.description ?? '')}</p>
${appliedNote}
<dl class="facts">
<dt>Scenario</dt><dd>${escapeHtml(scenario.name)}</dd>
<dt>Sources</dt><dd>${sources}</dd>
<dt>Run</dt><dd>seed ${escapeHtml(String(input.seed))}; ${input.rounds} rounds of ${perYear > 0 ? `1/${perYear} year` : 'one step'} (${years} years)</dd>
<dt>${labels.length > 1 ? 'Compared' : 'Label'}</dt><dd>${labelFacts}</dd>
${appliedRows}
</dl>
${notes}
</header>
<nav aria-label="Contents"><ol>
<li><a href="#summary">Summary at the end of the run</a></li>
${contents.join('\n')}
</ol></nav>
<section id="summary">
<h2>Summary at the end of the run</h2>
<p>Median over replicates at the end of the run (round ${summaryRound}, counting from 0: after ${summaryRound + 1} rounds), with the 5–95% range of replicates in brackets. Measures are system-wide.</p>
<table>
<thead>${tableHead}</thead>
<tbody>
${tableRows.join('\n')}
</tbody>
</table>
</section>
${sections.join('\n')}
</main>
${specs.join('\n')}
<script>${embed}</script>
</body>
</html>
`;
}
