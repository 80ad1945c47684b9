/**
 * `partnersim discover SWEEP_DIR --where "…"`: PRIM scenario discovery on a finished sweep.
 * Cases are the sweep's design points (outputs averaged over replicates); cases of interest are
 * those meeting --where (an output threshold, or `regret > X` for one --policy); PRIM finds a
 * box over the numeric factors (the uncertainties, with --policy) that holds them. Prints the
 * trade-off, the chosen box's limits with quasi-p-values and the cases of interest; writes
 * discover.json and the trade-off chart into DIR/discover-… (or --out).
 */
import { Command } from 'commander';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../../documents/errors.ts';
import { round6, short } from '../../documents/format.ts';
import type { CliContext } from '../../io/console.ts';
import { discover, type Discovery } from '../../analysis/discover.ts';
import type { SweepTable } from '../../analysis/sweep-table.ts';
import { readSweepFolder } from '../../experiments/sweep-analysis.ts';
import { shownPath } from '../execute.ts';
import { renderTable } from '../table.ts';
import { slug } from './options.ts';

export interface DiscoverCommandOptions {
  where?: string;
  output?: string;
  policy?: string;
  minCoverage?: string;
  box?: string;
  peelAlpha?: string;
  pasteAlpha?: string;
  massMin?: string;
  out?: string;
}

function share(text: string | undefined, option: string, fallback: number, max = 1): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!/^\s*[\d.]+\s*$/.test(text) || !(x > 0 && x < max)) throw new InputError(`${option} ${text}: give a share between 0 and ${max} (exclusive).`);
  return x;
}

const p = (x: number | null) => (x === null ? '–' : x < 1e-4 ? x.toExponential(1) : short(x));

/** The JSON record of a discovery (what discover.json holds). */
export function discoveryJson(d: Discovery, table: SweepTable, command: string): string {
  const factors = table.factors;
  return `${JSON.stringify({
    tool: 'partnersim', command, where: d.where, conditions: d.conditions, output: d.output, ...(d.policy ? { policy: d.policy } : {}),
    cases: d.points.length, casesOfInterest: d.result.casesOfInterest, dimensions: d.dimensions, leftOut: d.leftOut,
    settings: 'PRIM (Friedman & Fisher 1999) as the EMA Workbench runs it: peel alpha, paste alpha, mass_min as given; LENIENT1 objective; ' +
      'quasi-p: one-sided binomial test per limit (Bryant & Lempert 2010)',
    chosen: { box: d.chosen.index, by: d.chosenBy, coverage: round6(d.chosen.coverage), density: round6(d.chosen.density), mass: round6(d.chosen.mass), n: d.chosen.n, k: d.chosen.k },
    limits: d.limits.map((l) => ({ ...l, lower: round6(l.lower), upper: round6(l.upper), pLower: l.pLower === null ? null : round6(l.pLower), pUpper: l.pUpper === null ? null : round6(l.pUpper) })),
    trajectory: d.result.trajectory.map((b) => ({
      box: b.index, step: b.step, coverage: round6(b.coverage), density: round6(b.density), mass: round6(b.mass), n: b.n, k: b.k,
      limits: Object.fromEntries(b.restricted.map((dim) => [d.dimensions[dim], b.limits[dim].map(round6)])),
    })),
    interesting: d.points.filter((_, i) => d.interest[i]).map((point) => ({
      point, ...Object.fromEntries(factors.map((f) => [f.name, f.values[point]])),
      [d.output]: round6(table.outputs[d.output][point]),
    })),
  }, null, 2)}\n`;
}

export async function discoverCommand(dir: string, options: DiscoverCommandOptions, ctx: CliContext): Promise<Discovery> {
  const { io } = ctx;
  if (!options.where) throw new InputError('discover needs --where "CONDITION", e.g. --where "populationOutcome < 0.6" or --policy system --where "regret > 0".');
  const sweepDir = resolve(io.cwd, dir);
  const shown = shownPath(sweepDir, io.cwd);
  const { table } = await readSweepFolder(sweepDir, shown);
  const box = options.box === undefined ? undefined : Number(options.box);
  if (box !== undefined && !Number.isInteger(box)) throw new InputError(`--box ${options.box}: give a box number from the trajectory.`);
  const d = discover(table, {
    where: options.where, output: options.output, policy: options.policy, box,
    minCoverage: share(options.minCoverage, '--min-coverage', 0.5, 1.0000001),
    peelAlpha: share(options.peelAlpha, '--peel-alpha', 0.05, 0.5), pasteAlpha: share(options.pasteAlpha, '--paste-alpha', 0.05, 0.5),
    massMin: share(options.massMin, '--mass-min', 0.05),
  });
  const r = d.result;
  const lines: string[] = [];
  const scope = d.policy ? `the ${r.cases} design points of policy ${d.policy}` : `all ${r.cases} design points`;
  lines.push(`Scenario discovery (PRIM) on ${shown}: ${scope}, each the mean of ${table.replicates} replicates.`);
  lines.push(`Cases of interest: ${d.where}${d.conditions.some((c) => c.column === 'regret') ? ` (regret on ${d.output}: shortfall against the best policy in the same scenario)` : ''}` +
    ` — ${r.casesOfInterest} of ${r.cases} (${short((100 * r.casesOfInterest) / r.cases)}%).`);
  lines.push(`Dimensions: ${d.dimensions.join(', ')}${d.leftOut.length ? ` (left out, not numeric: ${d.leftOut.join(', ')}; --policy looks at one policy)` : ''}.`);
  if (r.casesOfInterest === 0) {
    lines.push('No case meets the condition: there is nothing to find.');
  } else {
    const shownBoxes = r.trajectory.filter((b, k) => k === 0 || k === r.trajectory.length - 1 || b.index === d.chosen.index || k % Math.max(1, Math.ceil(r.trajectory.length / 10)) === 0);
    lines.push('', `Trade-off (peel alpha ${options.peelAlpha ?? 0.05}, paste alpha ${options.pasteAlpha ?? 0.05}, mass_min ${options.massMin ?? 0.05}; ${r.trajectory.length} boxes, some shown):`,
      renderTable(['box', 'step', 'coverage', 'density', 'cases', 'restricted'], shownBoxes.map((b) => [
        `${b.index}${b.index === d.chosen.index ? ' *' : ''}`, b.step, short(b.coverage), short(b.density), String(b.n),
        b.restricted.map((k) => d.dimensions[k]).join(', ') || '–',
      ]), { right: [2, 3, 4] }));
    lines.push('', `Chosen: box ${d.chosen.index}, ${d.chosenBy}: coverage ${short(d.chosen.coverage)} (${d.chosen.k} of ${r.casesOfInterest} cases of interest), ` +
      `density ${short(d.chosen.density)} (${d.chosen.k} of its ${d.chosen.n} cases).`);
    if (d.limits.length === 0) lines.push('It restricts nothing: the cases of interest are not concentrated in a box.');
    else {
      lines.push(renderTable(['dimension', 'lower', 'upper', 'quasi-p lower', 'quasi-p upper'], d.limits.map((l) => [
        l.dimension, l.pLower === null ? `(${short(r.initial[d.dimensions.indexOf(l.dimension)][0])})` : short(l.lower),
        l.pUpper === null ? `(${short(r.initial[d.dimensions.indexOf(l.dimension)][1])})` : short(l.upper), p(l.pLower), p(l.pUpper),
      ]), { right: [1, 2, 3, 4] }));
      lines.push('Quasi-p: one-sided binomial test of the box\'s density against the box without that limit (Bryant & Lempert 2010); ' +
        'small means the limit matters. Limits in brackets are the sweep\'s own range (not a restriction).');
    }
    const interesting = d.points.filter((_, i) => d.interest[i]);
    const shownCases = interesting.slice(0, 12);
    lines.push('', `Cases of interest${interesting.length > shownCases.length ? ` (first ${shownCases.length} of ${interesting.length})` : ''}:`,
      renderTable(['point', ...d.dimensions, d.output], shownCases.map((point) => [String(point),
        ...d.dimensions.map((name) => short(table.factors.find((f) => f.name === name)!.values[point] as number)), short(table.outputs[d.output][point])]),
      { right: [0] }));
  }
  const name = `discover-${slug(`${d.policy ? `${d.policy}-` : ''}${options.where}`).slice(0, 60)}`;
  const outDir = resolve(io.cwd, options.out ?? join(sweepDir, name));
  const json = discoveryJson(d, table, ['partnersim', ...ctx.argv].join(' '));
  const { writeDiscovery } = await import('../../charts/sweep-charts.ts'); // vega: loaded only when charts are drawn
  const files = await writeDiscovery(outDir, d, json);
  lines.push('', `Wrote ${files.map((f) => relative(io.cwd, f) || f).join(', ')}`);
  io.stdout(`${lines.join('\n')}\n`);
  return d;
}

export function registerDiscover(program: Command, ctx: CliContext): void {
  program
    .command('discover')
    .summary('scenario discovery (PRIM) on a sweep: under which conditions does an outcome, or a policy, fail?')
    .description('PRIM (Friedman & Fisher 1999) as the EMA Workbench uses it for scenario discovery: cases are the design ' +
      'points of a finished sweep in DIR (each the mean of its replicates); the cases of interest meet --where; PRIM peels ' +
      '(and pastes) a box over the numeric factors that holds many of them and few others. Prints the coverage/density ' +
      'trade-off, the chosen box with quasi-p-values per limit and the cases of interest; writes discover.json and ' +
      'tradeoff.vl.json/.svg/.png into DIR/discover-… (or --out).')
    .argument('<dir>', 'output folder of a finished sweep')
    .option('--where <condition>', 'cases of interest: MEASURE OP NUMBER (OP < <= > >=; "and" joins), or "regret > X" with --policy')
    .option('--output <measure[:mean]>', 'the output regret is taken on (default populationOutcome, final round)')
    .option('--policy <name>', 'only this policy\'s points (regime and/or lever values, as the sweep summary names them), described by the uncertainties')
    .option('--min-coverage <share>', 'default box: the densest covering at least this share of the cases of interest', '0.5')
    .option('--box <n>', 'report this box of the trajectory instead')
    .option('--peel-alpha <share>', 'share peeled per step', '0.05')
    .option('--paste-alpha <share>', 'share pasted per step', '0.05')
    .option('--mass-min <share>', 'smallest box, as a share of the cases', '0.05')
    .option('--out <dir>', 'where discover.json and the chart go (default DIR/discover-<condition>)')
    .addHelpText('after', `
Examples:
  partnersim sweep gm-2017 --regimes organisational,system --uncertain trust.initial=0.2:0.6 \\
      --uncertain board.difficulty=0.5:3 --design lhs --samples 100 --out out/explore
  partnersim discover out/explore --policy system --where "regret > 0"
  partnersim discover out/explore --policy system --where "populationOutcome < 0.68"
  partnersim discover out/explore --where "trustMean < 0.45 and netValue < 0" --min-coverage 0.8

A case is a design point; with --policy, only that policy's points, so "regret > 0" marks the
scenarios where the policy is beaten by another on the same seeds.`)
    .action(async (dir: string, options: DiscoverCommandOptions) => {
      await discoverCommand(dir, options, ctx);
    });
}
