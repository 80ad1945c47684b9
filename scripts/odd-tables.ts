/**
 * Tables of the ODD protocol (`docs/ODD.md`) generated from the model's own registries, so the
 * documentation cannot drift from the code:
 *
 *   parameterTable()   from PARAMETERS (src/model/parameters.ts)
 *   explorationTable() the exploration ranges of PARAMETERS with their reasons
 *   measureTable()     from MEASURES (src/model/observe.ts)
 *   kindTable()        from ORGANISATION_KINDS (src/agents/organisation-kinds.ts)
 *   leaderTypeTable()  from LEADER_TYPES (src/agents/leader-types.ts) and the type-mix defaults
 *   gmLocalityTable()  from the gm-2017 scenario's localities (src/scenarios/gm-2017.ts)
 *   gmSettingsTable()  the gm-2017 parameters that differ from the registry defaults
 *
 * Each table sits in docs/ODD.md between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers.
 * `tests/odd.test.ts` fails when an embedded table differs from the generated one.
 *
 * Usage (after `npm run build`):
 *   node dist/scripts/odd-tables.js            print every table
 *   node dist/scripts/odd-tables.js --write    rewrite the tables inside docs/ODD.md
 *   node dist/scripts/odd-tables.js --check    exit 1 when docs/ODD.md is out of date
 * `npm run docs` builds and writes. `--file PATH` points at another Markdown file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LEADER_TYPES } from '../src/agents/leader-types.ts';
import { ORGANISATION_KINDS, ORGANISATION_KIND_NAMES } from '../src/agents/organisation-kinds.ts';
import { MEASURES, type Aggregate } from '../src/model/observe.ts';
import { getPath, PARAMETERS, parameterSpec, type ParameterSpec } from '../src/model/parameters.ts';
import type { LeaderAttributes } from '../src/model/types.ts';
import { gm2017 } from '../src/scenarios/gm-2017.ts';

/** Escapes a value for a Markdown table cell (pipes and line breaks). */
export function cell(value: unknown): string {
  return String(value).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function row(cells: readonly unknown[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function formatDefault(spec: ParameterSpec): string {
  if (spec.default === null) return 'built-in rule';
  if (typeof spec.default === 'string') return `\`${spec.default}\``;
  return String(spec.default);
}

function formatRange(spec: ParameterSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true, false';
    case 'enum':
      return (spec.values ?? []).map((v) => `\`${v}\``).join(', ');
    case 'expression':
      return 'mathjs formula (sandboxed)';
    case 'integer':
    case 'number': {
      const kind = spec.type === 'integer' ? 'integer ' : '';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind}[${spec.min}, ${spec.max}]`;
      if (spec.min !== undefined) return `${kind}≥ ${spec.min}`;
      if (spec.max !== undefined) return `${kind}≤ ${spec.max}`;
      return spec.type;
    }
  }
}

function formatExploration(spec: ParameterSpec): string {
  if (spec.explore) return `[${spec.explore.low}, ${spec.explore.high}]`;
  switch (spec.type) {
    case 'boolean': return 'true, false';
    case 'enum': return 'each value';
    default: return 'not sampled';
  }
}

/** Markdown table of every scenario parameter: path | default | validity range | exploration range | unit | meaning | source. */
export function parameterTable(): string {
  return table(
    ['path', 'default', 'validity range', 'exploration range', 'unit', 'meaning', 'source'],
    PARAMETERS.map((spec) => [`\`${spec.path}\``, formatDefault(spec), formatRange(spec), formatExploration(spec), spec.unit || '—',
      spec.meaning, spec.source]),
  );
}

/** Markdown table of the exploration ranges and why each is plausible: path | default | validity | exploration | why. */
export function explorationTable(): string {
  return table(
    ['path', 'default', 'validity range', 'exploration range', 'why this band'],
    PARAMETERS.filter((spec) => spec.explore).map((spec) =>
      [`\`${spec.path}\``, formatDefault(spec), formatRange(spec), formatExploration(spec), spec.explore!.why]),
  );
}

const AGGREGATES: Record<Aggregate, string> = {
  budgetMean: '`budgetMean`: mean weighted by starting locality budget',
  leaderMean: '`leaderMean`: mean weighted by number of leaders',
  sum: '`sum`: sum over localities',
  min: '`min`: minimum over localities',
  mean: '`mean`: unweighted mean over localities',
  custom: '`custom`: own formula (see the meaning)',
};

/** Markdown table of every observed measure: name | unit | group | system aggregate | meaning. */
export function measureTable(): string {
  return table(
    ['name', 'unit', 'group', 'system aggregate', 'meaning'],
    MEASURES.map((spec) => [`\`${spec.name}\``, spec.unit, spec.group, AGGREGATES[spec.system], spec.meaning]),
  );
}

const ATTRIBUTES: readonly (keyof LeaderAttributes)[] = ['control', 'focus', 'altruism', 'ambition', 'followership', 'riskAppetite'];

/** Markdown table of the organisation kinds and the leader attribute means of each. */
export function kindTable(): string {
  return table(
    ['kind', 'label', 'budget weight', 'power', 'regulator exposure', 'performance base', 'performance target',
      ...ATTRIBUTES.map((a) => `leader ${a}`), 'why'],
    ORGANISATION_KIND_NAMES.map((name) => {
      const k = ORGANISATION_KINDS[name];
      return [`\`${k.kind}\``, k.label, k.budgetWeight, k.power, k.regulatorExposure, k.performanceBase, k.performanceTarget,
        ...ATTRIBUTES.map((a) => k.leader[a]), k.why];
    }),
  );
}

/** Markdown table of the behavioural types with the registry path and default of their weight. */
export function leaderTypeTable(): string {
  return table(
    ['code', 'type', 'description', 'weight parameter', 'default weight'],
    LEADER_TYPES.map((t) => {
      const path = `leaders.typeMix.${t.name}`;
      return [t.code, `\`${t.name}\``, t.description, `\`${path}\``, parameterSpec(path)?.default ?? '—'];
    }),
  );
}

/** Markdown table of the gm-2017 localities as the scenario defines them. */
export function gmLocalityTable(): string {
  const scenario = gm2017();
  return table(
    ['locality', 'budget (£m/year)', 'history', 'structural friction', 'forced across boundaries', 'baseline outcome',
      'organisations', 'leader overrides'],
    scenario.localities.map((loc) => {
      // Organisations with identical leader overrides are listed together.
      const groups = new Map<string, string[]>();
      for (const o of loc.organisations) {
        if (!o.leader || Object.keys(o.leader).length === 0) continue;
        const key = Object.entries(o.leader).map(([k, v]) => `${k} ${v}`).join(', ');
        groups.set(key, [...(groups.get(key) ?? []), o.name ?? o.kind]);
      }
      const overrides = [...groups].map(([key, orgs]) => `${orgs.join(', ')}: ${key}`);
      return [loc.name, loc.budget, loc.history, loc.structuralFriction, loc.forcedAcrossBoundaries ? 'yes' : 'no',
        loc.baselineOutcome, loc.organisations.map((o) => o.name ?? o.kind).join(', '), overrides.length > 0 ? overrides.join('; ') : '—'];
    }),
  );
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'built-in rule';
  if (typeof value === 'string') return `\`${value}\``;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(6)));
  return String(value);
}

/** Markdown table of the gm-2017 parameters whose values differ from the registry defaults. */
export function gmSettingsTable(): string {
  const scenario = gm2017();
  const rows = PARAMETERS
    .map((spec) => [spec, getPath(scenario, spec.path)] as const)
    .filter(([spec, value]) => (value ?? null) !== spec.default)
    .map(([spec, value]) => [`\`${spec.path}\``, formatValue(value), formatDefault(spec), spec.unit || '—']);
  const overrides = Object.entries(scenario.leaders.override ?? {}).map(([key, value]) =>
    [`\`leaders.override.${key}\``, formatValue(value), '—', '']);
  if (rows.length + overrides.length === 0) return '(none: every parameter is at its registry default)';
  return table(['path', 'gm-2017 value', 'registry default', 'unit'], [...rows, ...overrides]);
}

/** Every generated block by marker name. */
export function generatedBlocks(): Record<string, string> {
  return {
    parameters: parameterTable(),
    exploration: explorationTable(),
    measures: measureTable(),
    kinds: kindTable(),
    'leader-types': leaderTypeTable(),
    'gm-2017': gmLocalityTable(),
    'gm-2017-settings': gmSettingsTable(),
  };
}

function markers(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

/** The text between a block's markers (trimmed), or undefined when the markers are missing. */
export function extractBlock(text: string, name: string): string | undefined {
  const [start, end] = markers(name);
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) return undefined;
  return text.slice(a + start.length, b).trim();
}

/** Replaces the text between a block's markers; throws when the markers are missing. */
export function replaceBlock(text: string, name: string, content: string): string {
  const [start, end] = markers(name);
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, a + start.length)}\n${content.trim()}\n${text.slice(b)}`;
}

/** Returns `text` with every generated block brought up to date (pure). */
export function updateDocument(text: string): string {
  let out = text;
  for (const [name, content] of Object.entries(generatedBlocks())) out = replaceBlock(out, name, content);
  return out;
}

function main(argv: readonly string[]): number {
  const fileIndex = argv.indexOf('--file');
  const file = resolve(process.cwd(), fileIndex >= 0 && argv[fileIndex + 1] ? argv[fileIndex + 1] : 'docs/ODD.md');
  if (argv.includes('--write') || argv.includes('--check')) {
    const before = readFileSync(file, 'utf8');
    const after = updateDocument(before);
    if (argv.includes('--check')) {
      if (after !== before) {
        console.error(`${file} is out of date: run \`npm run docs\``);
        return 1;
      }
      console.log(`${file} is up to date`);
      return 0;
    }
    if (after !== before) writeFileSync(file, after);
    console.log(after !== before ? `updated the generated tables in ${file}` : `${file} already up to date`);
    return 0;
  }
  for (const [name, content] of Object.entries(generatedBlocks())) console.log(`<!-- ${name} -->\n${content}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
