/**
 * `partnersim scenarios` lists the built-in scenarios; `partnersim scenarios show NAME|FILE`
 * shows one: its localities and every parameter with its value, default, validity and exploration
 * ranges, unit and meaning.
 */
import { Command } from 'commander';
import YAML from 'yaml';
import { getPath, PARAMETERS, type ParameterSpec } from '../../model/parameters.ts';
import type { Scenario } from '../../model/types.ts';
import { builtInScenario, builtInScenarioNames, DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { short, sig6, wrap } from '../../documents/format.ts';
import type { CliContext } from '../../io/console.ts';
import { resolveScenario } from '../../io/scenario-files.ts';
import { parseAssignment, parseCount } from '../../documents/overrides.ts';
import { adjustScenario } from '../../documents/prepare.ts';
import { renderTable } from '../table.ts';

export function listScenarios(ctx: CliContext): void {
  const width = Math.min(100, Math.max(60, ctx.io.columns));
  const blocks = builtInScenarioNames().map((name) => {
    const scenario = builtInScenario(name);
    return [
      `${name}${name === DEFAULT_SCENARIO ? ' (default)' : ''}`,
      wrap(scenario.description, width, '  '),
      wrap(`Sources: ${scenario.sources.join(', ')}`, width, '  '),
    ].join('\n');
  });
  ctx.io.stdout(`Built-in scenarios:\n\n${blocks.join('\n\n')}\n\n` +
    'Run one with `partnersim run NAME`; see every parameter with `partnersim scenarios show NAME`.\n');
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return sig6(value);
  return String(value);
}

function localitiesTable(scenario: Scenario): string {
  const rows = scenario.localities.map((l) => [
    l.name, short(l.budget), formatValue(l.history), formatValue(l.structuralFriction),
    l.forcedAcrossBoundaries ? 'yes' : 'no', formatValue(l.baselineOutcome),
    l.organisations.map((o) => (o.name && o.name !== o.kind ? `${o.name} (${o.kind})` : o.kind)).join(', '),
  ]);
  return renderTable(['locality', '£m/year', 'history', 'friction', 'forced', 'baseline', 'organisations'], rows,
    { right: [1, 2, 3, 5] });
}

/** What validation accepts: [min, max], or the values a non-numeric parameter takes. */
export function validityText(spec: ParameterSpec): string {
  if (spec.type === 'boolean') return 'true/false';
  if (spec.type === 'enum') return (spec.values ?? []).join('/');
  if (spec.type === 'expression') return 'formula';
  return `${formatValue(spec.min ?? -Infinity)}–${formatValue(spec.max ?? Infinity)}`;
}

/** The plausible band `--param PATH` alone samples (numeric parameters only). */
export function explorationText(spec: ParameterSpec): string {
  return spec.explore ? `${formatValue(spec.explore.low)}–${formatValue(spec.explore.high)}` : '-';
}

export function parametersTable(scenario: Scenario, width = Infinity): string {
  const rows = PARAMETERS.map((spec) => {
    const value = getPath(scenario, spec.path);
    const differs = value !== undefined && value !== spec.default && !(value === null && spec.default === null);
    return [`${differs ? '*' : ' '} ${spec.path}`, formatValue(value), formatValue(spec.default), validityText(spec),
      explorationText(spec), spec.unit, spec.meaning];
  });
  for (const [key, value] of Object.entries(scenario.leaders.override ?? {})) {
    rows.push([`* leaders.override.${key}`, formatValue(value), '-', '0–1', '-', 'share', 'Attribute forced on every leader.']);
  }
  return renderTable(['  parameter', 'value', 'default', 'valid', 'explore', 'unit', 'meaning'], rows, { width });
}

export interface ShowOptions {
  regime?: string;
  set: string[];
  rounds?: string;
  json?: boolean;
  yaml?: boolean;
}

export function showScenario(ref: string, options: ShowOptions, ctx: CliContext): void {
  const { scenario: base, bases } = resolveScenario(ref, ctx.io.cwd);
  const sets = options.set.map((raw) => parseAssignment(raw, '--set'));
  const scenario = adjustScenario(base, { regime: options.regime, sets, rounds: parseCount(options.rounds, '--rounds', 100000) },
    `${ref} with your options`);
  if (options.json) return ctx.io.stdout(`${JSON.stringify(scenario, null, 2)}\n`);
  if (options.yaml) return ctx.io.stdout(YAML.stringify(scenario));
  const width = Math.min(100, Math.max(60, ctx.io.columns));
  const years = scenario.rounds / scenario.roundsPerYear;
  ctx.io.stdout([
    `${scenario.name}${bases.length ? ` (extends ${bases.join(' → ')})` : ''}`,
    wrap(scenario.description, width, '  '),
    wrap(`Sources: ${scenario.sources.join(', ') || '-'}`, width, '  '),
    `  ${scenario.rounds} rounds, ${scenario.roundsPerYear} per year (${short(years)} years)`,
    '',
    localitiesTable(scenario),
    '',
    'Parameters (* = differs from the default; valid = what validation accepts; explore = the plausible band',
    '`--param PATH` alone samples in sweep and sensitivity, with its reason in docs/ODD.md section 7.12):',
    parametersTable(scenario, ctx.io.stdoutIsTTY ? ctx.io.columns : Infinity),
    '',
    'Override any of them with `--set PATH=VALUE`, or in a scenario file (`partnersim schema`).',
    '',
  ].join('\n'));
}

export function registerScenarios(program: Command, ctx: CliContext): void {
  const scenarios = program
    .command('scenarios')
    .summary('list the built-in scenarios, or show one in full')
    .description('List the built-in scenarios with what each teaches or tests and the seed sections it rests on.');
  scenarios
    .command('list', { isDefault: true })
    .description('list the built-in scenarios (the default)')
    .addHelpText('after', `
Examples:
  partnersim scenarios
  partnersim scenarios list`)
    .action(() => listScenarios(ctx));
  const collect = (value: string, previous: string[]) => [...previous, value];
  scenarios
    .command('show')
    .description('Show a scenario (built-in or file): its localities and every parameter with value, default, validity range, ' +
      'exploration range (what `--param PATH` alone samples), unit and meaning. ' +
      '--regime and --set show the scenario as a run with the same options would use it.')
    .argument('<scenario>', 'built-in scenario name or scenario file')
    .option('--regime <name>', 'apply a built-in regime first')
    .option('--set <path=value>', 'override one parameter (repeatable)', collect, [])
    .option('--rounds <n>', 'override the number of rounds')
    .option('--json', 'print the full scenario as JSON (a complete scenario file)')
    .option('--yaml', 'print the full scenario as YAML (a complete scenario file)')
    .addHelpText('after', `
Examples:
  partnersim scenarios show gm-2017
  partnersim scenarios show gm-2017 --regime organisational --set trust.initial=0.3
  partnersim scenarios show public-goods-lab --yaml > my-lab.yaml`)
    .action((ref: string, options: ShowOptions) => showScenario(ref, options, ctx));
  scenarios.addHelpText('after', `
Examples:
  partnersim scenarios
  partnersim scenarios show speed-of-trust`);
}
