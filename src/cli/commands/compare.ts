/**
 * `partnersim compare A B …`: several regimes and/or scenarios side by side on common random
 * numbers (same seed, same replicate indices). Items are built-in regimes, built-in scenarios or
 * scenario files; regimes are applied to every scenario given (default regime-comparison).
 * `--regimes a,b,c` adds regimes, and `--vary PATH=V1,V2,…` compares values of one parameter.
 */
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { builtInScenarioNames, isBuiltInScenario } from '../../scenarios/index.ts';
import { builtInRegimeNames, findRegime } from '../../scenarios/regimes.ts';
import { InputError } from '../../documents/errors.ts';
import { execute, type RunOutput } from '../execute.ts';
import type { CliContext } from '../../io/console.ts';
import { looksLikeFile, type ResolvedScenario } from '../../documents/document.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { parseVary, type Assignment } from '../../documents/overrides.ts';
import { adjustScenario, requireRegime } from '../../documents/prepare.ts';
import type { LabelledScenario } from '../../experiments/simulate.ts';
import { closest } from '../../documents/suggest.ts';
import { addSharedRunOptions, assignmentTexts, folderName, parseSharedRunOptions, slug, type ParsedRunOptions, type SharedRunOptions } from './options.ts';

export const COMPARE_BASE = 'regime-comparison';

export interface CompareOptions extends SharedRunOptions {
  regimes?: string;
  baseline?: string;
  vary: string[];
}

function unknownItem(item: string): InputError {
  const names = [...builtInScenarioNames(), ...builtInRegimeNames()];
  const suggestion = closest(item, names);
  return new InputError(`"${item}" is neither a built-in regime, a built-in scenario nor a scenario file` +
    `${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
    `Regimes: ${builtInRegimeNames().join(', ')}. Scenarios: ${builtInScenarioNames().join(', ')}. ` +
    'Scenario files end in .json, .yaml or .yml.');
}

/** Every combination of one value from each list. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((combo) => list.map((x) => [...combo, x])), [[]]);
}

export function planComparison(
  items: readonly string[], options: CompareOptions, parsed: ParsedRunOptions, ctx: CliContext,
): LabelledScenario[] {
  const regimes: string[] = [];
  const scenarioRefs: string[] = [];
  for (const item of items) {
    if (findRegime(item)) regimes.push(item);
    else if (isBuiltInScenario(item) || looksLikeFile(item)) scenarioRefs.push(item);
    else throw unknownItem(item);
  }
  for (const name of (options.regimes ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    requireRegime(name);
    regimes.push(name);
  }
  const duplicate = [...regimes, ...scenarioRefs].find((x, k, all) => all.indexOf(x) !== k);
  if (duplicate) throw new InputError(`"${duplicate}" is listed twice; each thing compared must be different.`);
  const varies = options.vary.map(parseVary);

  const resolved: { ref: string; resolved: ResolvedScenario }[] = (scenarioRefs.length ? scenarioRefs : [COMPARE_BASE])
    .map((ref) => ({ ref, resolved: resolveScenario(ref, ctx.io.cwd) }));
  const names = resolved.map((r) => r.resolved.scenario.name);
  const scenarioLabels = resolved.map((r, k) => (names.indexOf(names[k]) === names.lastIndexOf(names[k]) ? names[k] : r.ref));

  const combos = product<string | Assignment[] | undefined>([
    resolved.map((_, k) => String(k)),
    regimes.length ? regimes : [undefined],
    ...varies.map((values) => values.map((v) => [v])),
  ]);
  if (combos.length < 2) {
    throw new InputError('compare needs at least two things to compare: regimes, scenarios or --vary values.', [],
      'For example: `partnersim compare organisational system devolved`, `partnersim compare gm-2017 --regimes ' +
      'organisational,system`, or `partnersim compare speed-of-trust --vary trust.initial=0.3,0.5,0.7`.');
  }
  const plan = combos.map(([index, regime, ...varied]) => {
    const k = Number(index);
    const assignments = (varied as Assignment[][]).flat();
    // Shared --set overrides end every label, so the label column records all that was applied.
    const parts = [
      ...(resolved.length > 1 ? [scenarioLabels[k]] : []),
      ...(regime ? [regime as string] : []),
      ...assignmentTexts(assignments),
      ...assignmentTexts(parsed.sets),
    ];
    const label = parts.join('/');
    const scenario = adjustScenario(resolved[k].resolved.scenario,
      { regime: regime as string | undefined, sets: parsed.sets, varies: assignments, rounds: parsed.rounds },
      `"${label}" (${scenarioLabels[k]}${regime ? ` under ${regime}` : ''})`);
    return { label, scenario };
  });
  const labels = plan.map((p) => p.label);
  const clash = labels.find((l, k) => labels.indexOf(l) !== k);
  if (clash) throw new InputError(`two of the compared runs would both be labelled "${clash}".`);
  return plan;
}

export function compareCommand(items: readonly string[], options: CompareOptions, ctx: CliContext): Promise<RunOutput> {
  const parsed = parseSharedRunOptions(options);
  const plan = planComparison(items, options, parsed, ctx);
  const baseline = options.baseline ?? plan[0].label;
  if (!plan.some((p) => p.label === baseline)) {
    const suggestion = closest(baseline, plan.map((p) => p.label));
    throw new InputError(`--baseline ${baseline}: no compared label is called that${suggestion ? `; did you mean "${suggestion}"?` : '.'}`, [],
      `The labels are: ${plan.map((p) => p.label).join(', ')}.`);
  }
  const shared = assignmentTexts(parsed.sets).join('/');
  const labels = plan.map((p) => (shared && p.label.endsWith(`/${shared}`) ? p.label.slice(0, -shared.length - 1) : p.label));
  const name = folderName([`compare-${labels.map(slug).join('-vs-')}`, ...assignmentTexts(parsed.sets)]);
  const outDir = resolve(ctx.io.cwd, options.out ?? join('out', name));
  return execute({
    command: 'compare', items: plan, seed: parsed.seed, replicates: parsed.replicates,
    outDir, json: Boolean(options.json), quiet: Boolean(options.quiet), charts: options.charts !== false, baseline,
    write: !options.json || options.out !== undefined, force: Boolean(options.force),
    allowLarge: Boolean(options.allowLarge),
  }, ctx);
}

export function registerCompare(program: Command, ctx: CliContext, done: (output: RunOutput) => void): void {
  const collect = (value: string, previous: string[]) => [...previous, value];
  const command = program
    .command('compare')
    .summary('run regimes and/or scenarios side by side on common random numbers')
    .description(
      'Run several regimes and/or scenarios side by side. Every label uses the same seed and the same replicate ' +
      'indices (common random numbers), so differences between labels come from what differs, not from luck. ' +
      `Each ITEM is a built-in regime, a built-in scenario or a scenario file. Regimes are applied to each scenario ` +
      `given (default ${COMPARE_BASE}, a neutral base). Results go to one trajectories.csv and summary.json, with a ` +
      'label column naming each run.')
    .argument('[items...]', 'regimes, scenarios or scenario files to compare')
    .option('--regimes <a,b,c>', 'regimes to apply to the scenario(s), comma-separated')
    .option('--vary <path=v1,v2,...>', 'compare values of one parameter (repeatable: all combinations)', collect, [])
    .option('--baseline <label>', 'the label the others are paired against (default: the first)');
  addSharedRunOptions(command);
  command.addHelpText('after', `
Examples:
  partnersim compare organisational system                 two regimes on ${COMPARE_BASE}
  partnersim compare organisational mixed system devolved mandated laissez-faire
  partnersim compare gm-2017 --regimes organisational,system
  partnersim compare island-of-success --regimes organisational,system
  partnersim compare speed-of-trust --vary trust.initial=0.3,0.5,0.7
  partnersim compare gm-2017 my-scenario.yaml --replicates 50
  partnersim compare gm-2017 --regimes organisational,system,devolved --baseline system

Labels are the scenario (when several are compared), the regime, each --vary value and each
--set override, joined by "/", e.g. gm-2017/system/trust.initial=0.3.

The table leads with paired differences against the baseline (the first label, or --baseline):
for each key measure, the mean of label − baseline over replicate pairs (replicate k of both runs
on the same random stream), its 95% interval (Student's t, n − 1 degrees of freedom), d_z (mean
over the sd of the differences) and in how many pairs the label is better (or higher, for
measures without a direction). summary.json holds them for every measure under "paired".`);
  command.action(async (items: string[], options: CompareOptions) => done(await compareCommand(items, options, ctx)));
}
