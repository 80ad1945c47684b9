/**
 * The command line, in-process: `main(argv, io)` with captured output, a temporary working
 * directory and a fake clock. Runs are kept tiny (few replicates, few rounds).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { csvHeader } from '../src/experiments/trajectories-csv.ts';
import { main, mainWithResult } from '../src/cli/main.ts';
import { writeFilesAtomically } from '../src/io/output.ts';
import { scenarioSchema } from '../src/documents/schema.ts';
import { quantile } from '../src/experiments/run-summary.ts';
import { packageVersion } from '../src/io/version.ts';
import { MEASURE_NAMES } from '../src/model/observe.ts';
import { PARAMETERS } from '../src/model/parameters.ts';
import { builtInScenario, builtInScenarioNames, REGIMES } from '../src/scenarios/index.ts';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-cli-'));
});

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], options: { stderrIsTTY?: boolean; now?: () => number; stdoutIsTTY?: boolean } = {}): Promise<Captured> {
  let out = '';
  let err = '';
  // Charts are slow to draw and have their own tests below: skip them unless a test asks (--charts).
  const wantsCharts = args.includes('--charts');
  if ((args[0] === 'run' || args[0] === 'compare') && !wantsCharts) args = [...args, '--no-charts'];
  const code = await main(args.filter((a) => a !== '--charts'), {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    columns: 100,
    cwd,
    now: options.now ?? (() => 0),
  });
  return { code, out, err };
}

const read = (...parts: string[]) => readFileSync(join(cwd, ...parts), 'utf8');
const csvRows = (text: string) => text.trimEnd().split('\n').map((line) => line.split(','));
const summaryOf = (dir: string) => JSON.parse(read(dir, 'summary.json'));

/** Expects a user error: exit 2, a message on stderr without a stack trace, nothing on stdout. */
function expectUserError(result: Captured, ...messages: (string | RegExp)[]) {
  expect(result.code, result.err).toBe(2);
  expect(result.out).toBe('');
  expect(result.err).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  for (const message of messages) expect(result.err).toMatch(message);
}

describe('help, version and listings', () => {
  it('top-level help teaches with examples and exit codes', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain('Exit codes');
    for (const command of ['run', 'compare', 'scenarios', 'regimes', 'measures', 'schema', 'validate']) expect(out).toContain(command);
  });

  it.each([['run'], ['compare'], ['scenarios'], ['scenarios', 'list'], ['scenarios', 'show'], ['regimes'], ['measures'], ['schema'], ['validate']])(
    '`%s --help` has examples', async (...command) => {
      const { code, out } = await cli([...command, '--help']);
      expect(code).toBe(0);
      expect(out).toContain('Examples:');
      expect(out).toContain('partnersim');
    });

  it('prints the version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${packageVersion()}\n`, err: '' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('bad usage exits 2: no command, unknown command, unknown option', async () => {
    expect((await cli([])).code).toBe(2);
    expectUserError(await cli(['frobnicate']), /unknown command 'frobnicate'/);
    expectUserError(await cli(['run', '--sed', '3']), /unknown option '--sed'/, /--seed/);
  });

  it('`scenarios` lists every built-in scenario with its description', async () => {
    const { code, out } = await cli(['scenarios']);
    expect(code).toBe(0);
    for (const name of builtInScenarioNames()) expect(out).toContain(name);
    expect(out).toContain('gm-2017 (default)');
    expect(out).toContain('Sources:');
  });

  it('`scenarios show` lists every parameter with value, default, unit and meaning', async () => {
    const { code, out } = await cli(['scenarios', 'show', 'gm-2017']);
    expect(code).toBe(0);
    for (const spec of PARAMETERS) expect(out).toContain(spec.path);
    expect(out).toMatch(/\* regime\.accountability\s+0\.4\s+0\.5\s+0–1\s+0–1\s+share\s+Weight of system/);
    expect(out).toContain('Locality J');
  });

  it('an out-of-range value points to `scenarios show`, which shows the validity and exploration ranges', async () => {
    const bad = await cli(['run', 'gm-2017', '--set', 'trust.gain=60']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/trust\.gain: 60 is outside \[0, 50\]/);
    expect(bad.err).toContain('`partnersim scenarios show NAME` lists each parameter with its allowed range');
    const { out } = await cli(['scenarios', 'show', 'gm-2017']);
    expect(out).toMatch(/trust\.gain\s+0\.4\s+0\.4\s+0–50\s+0\.2–0\.8\s+per year/);
    expect(out).toMatch(/outcomes\.lagMonths\s+24\s+24\s+3–240\s+4–48\s+months/);
    expect(out).toMatch(/regime\.mandated\s+false\s+false\s+true\/false\s+-\s+flag/);
  });

  it('`scenarios show --json` prints the full scenario, after --regime and --set', async () => {
    const plain = await cli(['scenarios', 'show', 'gm-2017', '--json']);
    expect(JSON.parse(plain.out)).toEqual(builtInScenario('gm-2017'));
    const adjusted = await cli(['scenarios', 'show', 'gm-2017', '--json', '--regime', 'system', '--set', 'trust.initial=0.3']);
    const scenario = JSON.parse(adjusted.out);
    expect(scenario.regime.accountability).toBe(1);
    expect(scenario.trust.initial).toBe(0.3);
  });

  it('`scenarios show --yaml` output is itself a valid scenario file', async () => {
    const { out } = await cli(['scenarios', 'show', 'public-goods-lab', '--yaml']);
    writeFileSync(join(cwd, 'copy.yaml'), out);
    const { code, out: validated } = await cli(['validate', 'copy.yaml']);
    expect(code).toBe(0);
    expect(validated).toContain('valid scenario "public-goods-lab"');
  });

  it('`regimes` lists every regime with what it sets', async () => {
    const { code, out } = await cli(['regimes']);
    expect(code).toBe(0);
    for (const regime of REGIMES) expect(out).toContain(regime.name);
    expect(out).toContain('Sets: regime.accountability = 0');
    expect(out).toContain('regime.mandated = true');
  });

  it('`measures` explains every column of trajectories.csv', async () => {
    const { code, out } = await cli(['measures']);
    expect(code).toBe(0);
    for (const column of ['label', 'replicate', 'round', 'year', 'locality', ...MEASURE_NAMES]) expect(out).toContain(column);
    expect(out).toMatch(/populationOutcome\s+outcome\s+index \[0,1\]/);
  });

  it('`schema` prints the published JSON Schema', async () => {
    const { code, out } = await cli(['schema']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(scenarioSchema());
  });
});

describe('run', () => {
  it('writes a tidy trajectories.csv and a summary.json manifest', async () => {
    const result = await cli(['run', 'public-goods-lab', '--replicates', '3', '--out', 'lab']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe('');
    expect(result.out).toContain('public-goods-lab · seed 1 · 3 replicates · 10 rounds');
    expect(result.out).toMatch(/populationOutcome\s+index/);
    expect(readdirSync(join(cwd, 'lab')).sort()).toEqual(['summary.json', 'trajectories.csv']);

    const rows = csvRows(read('lab', 'trajectories.csv'));
    expect(rows[0].join(',')).toBe(['label', 'replicate', 'round', 'year', 'locality', ...MEASURE_NAMES].join(','));
    expect(rows[0].join(',')).toBe(csvHeader());
    expect(rows).toHaveLength(1 + 3 * 10 * 2);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(['public-goods-lab']));
    expect(new Set(rows.slice(1).map((r) => r[4]))).toEqual(new Set(['Group', 'system']));
    expect(rows[1].slice(0, 5)).toEqual(['public-goods-lab', '0', '0', '0', 'Group']);
    expect(rows[2].slice(0, 5)).toEqual(['public-goods-lab', '0', '0', '0', 'system']);
    expect(rows[3].slice(0, 5)).toEqual(['public-goods-lab', '0', '1', '0.0833333', 'Group']);
    expect(rows.at(-1)!.slice(0, 5)).toEqual(['public-goods-lab', '2', '9', '0.75', 'system']);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(5 + MEASURE_NAMES.length);
      for (const cell of row.slice(5)) {
        expect(cell).toMatch(/^(-?\d+(\.\d+)?(e[+-]\d+)?|NA|-?Inf)$/);
        expect(cell.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(6);
      }
    }

    const summary = summaryOf('lab');
    expect(Object.keys(summary)).toEqual(['tool', 'version', 'command', 'scenario', 'labels', 'seed', 'replicates', 'rounds', 'createdBy', 'measures', 'integrity']);
    expect(Object.keys(summary.integrity.files)).toEqual(['trajectories.csv']); // its size and SHA-256 (partnersim verify)
    expect(summary).toMatchObject({
      tool: 'partnersim', version: packageVersion(), command: 'partnersim run public-goods-lab --replicates 3 --out lab --no-charts',
      labels: ['public-goods-lab'], seed: 1, replicates: 3, rounds: 10,
    });
    expect(summary.scenario).toEqual(builtInScenario('public-goods-lab'));
    expect(Object.keys(summary.measures['public-goods-lab'])).toEqual([...MEASURE_NAMES]);
    for (const s of Object.values(summary.measures['public-goods-lab']) as { median: number; p5: number; p95: number }[]) {
      expect(s.p5).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p95);
    }
    const finalPooled = rows.filter((r) => r[2] === '9' && r[4] === 'system').map((r) => Number(r[5 + MEASURE_NAMES.indexOf('pooledShare')]));
    expect(summary.measures['public-goods-lab'].pooledShare.median).toBeCloseTo(quantile(finalPooled.sort((a, b) => a - b), 0.5), 5);
  });

  it('defaults: gm-2017 into out/gm-2017, seed 1', async () => {
    const result = await cli(['run', '--replicates', '2', '--rounds', '3']);
    expect(result.code, result.err).toBe(0);
    const summary = summaryOf('out/gm-2017');
    expect(summary.scenario.name).toBe('gm-2017');
    expect(summary.seed).toBe(1);
    expect(summary.rounds).toBe(3);
    expect(summary.scenario.rounds).toBe(3);
    expect(csvRows(read('out/gm-2017', 'trajectories.csv'))).toHaveLength(1 + 2 * 3 * 11);
  });

  it('same inputs give byte-identical files; another seed gives other results', async () => {
    const args = ['run', 'speed-of-trust', '--replicates', '2', '--rounds', '6', '--out', 'same', '--seed', '42'];
    await cli(args);
    const first = [read('same', 'trajectories.csv'), read('same', 'summary.json')];
    await cli(args);
    expect([read('same', 'trajectories.csv'), read('same', 'summary.json')]).toEqual(first);
    await cli(['run', 'speed-of-trust', '--replicates', '2', '--rounds', '6', '--out', 'other', '--seed', '43']);
    expect(read('other', 'trajectories.csv')).not.toEqual(first[0]);
    expect(summaryOf('same').seed).toBe(42);
  });

  it('--json prints summary.json and nothing else', async () => {
    const { code, out, err } = await cli(['run', 'public-goods-lab', '--replicates', '2', '--out', 'j', '--json'], { stderrIsTTY: true });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(read('j', 'summary.json'));
    expect(JSON.parse(out).tool).toBe('partnersim');
  });

  it('--json without --out prints summary.json and writes no file', async () => {
    const { code, out } = await cli(['run', 'public-goods-lab', '--replicates', '2', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).labels).toEqual(['public-goods-lab']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('the default folder and the label follow from the scenario, regime and overrides', async () => {
    await cli(['run', 'gm-2017', '--replicates', '1', '--rounds', '2']);
    const plain = read('out/gm-2017', 'trajectories.csv');
    const result = await cli(['run', 'gm-2017', '--regime', 'organisational', '--set', 'trust.initial=0.3', '--replicates', '1', '--rounds', '2']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('out/gm-2017-organisational-trust.initial=0.3/trajectories.csv');
    const summary = summaryOf('out/gm-2017-organisational-trust.initial=0.3');
    expect(summary.labels).toEqual(['gm-2017/organisational/trust.initial=0.3']);
    expect(summary.scenario.regime.accountability).toBe(0);
    const rows = csvRows(read('out/gm-2017-organisational-trust.initial=0.3', 'trajectories.csv'));
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(['gm-2017/organisational/trust.initial=0.3']));
    // The run of `npm start` is untouched.
    expect(read('out/gm-2017', 'trajectories.csv')).toBe(plain);
    expect(summaryOf('out/gm-2017').labels).toEqual(['gm-2017']);
  });

  it('a run replaces its folder\'s earlier run as a whole: no stale report or charts survive --no-charts', async () => {
    const args = ['run', 'public-goods-lab', '--replicates', '1', '--out', 'again'];
    expect((await cli(args)).code).toBe(0);
    // What an earlier run with charts left, and a file of the user's.
    for (const name of ['report.html', 'trajectories.vl.json', 'trajectories.svg', 'trajectories.png', 'trust-network.vg.json', 'trust-network.svg']) {
      writeFileSync(join(cwd, 'again', name), 'old');
    }
    writeFileSync(join(cwd, 'again', 'notes.txt'), 'mine');
    writeFileSync(join(cwd, 'again', 'photo.png'), 'mine');
    const second = await cli(args);
    expect(second.code, second.err).toBe(0);
    expect(readdirSync(join(cwd, 'again')).sort()).toEqual(['notes.txt', 'photo.png', 'summary.json', 'trajectories.csv']);
  });

  it('refuses a non-empty folder that holds no earlier run, unless --force', async () => {
    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'data', 'survey.csv'), 'a,b\n');
    expectUserError(await cli(['run', 'public-goods-lab', '--replicates', '1', '--out', 'data']),
      /--out data: the folder is not empty \(survey\.csv\) and holds no earlier partnersim run/, /--force/);
    expect(readdirSync(join(cwd, 'data'))).toEqual(['survey.csv']);
    const forced = await cli(['run', 'public-goods-lab', '--replicates', '1', '--out', 'data', '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(readdirSync(join(cwd, 'data')).sort()).toEqual(['summary.json', 'survey.csv', 'trajectories.csv']);
  });

  it('returns the in-memory results (for charts)', async () => {
    const result = await mainWithResult(['run', 'public-goods-lab', '--replicates', '2', '--quiet'],
      { stdout: () => {}, stderr: () => {}, cwd, stderrIsTTY: false });
    expect(result.code).toBe(0);
    expect(result.output!.runs[0].results).toHaveLength(2);
    expect(result.output!.outDir).toBe(join(cwd, 'out', 'public-goods-lab'));
    expect(result.output!.manifest.labels).toEqual(['public-goods-lab']);
  });

  it('--set overrides every documented path (and the pooledBudgets shorthand); --regime applies before --set', async () => {
    const sets = {
      'regime.accountability': 0.25, 'regime.pacePressure': 0.3, 'regime.penaltySeverity': 0.1, 'regime.mandated': true,
      'funding.budgetGrowth': -0.02, 'funding.transformationFund.total': 100, 'funding.transformationFund.condition': 'none',
      'leaders.turnoverRate': 0.1, 'trust.initial': 0.3, 'leaders.sanctions.enabled': true,
    };
    const args = Object.entries(sets).flatMap(([path, value]) => ['--set', `${path}=${value}`]);
    const result = await cli(['run', 'gm-2017', '--regime', 'system', '--replicates', '1', '--rounds', '2', '--out', 's',
      '--set', 'flexibilities.pooledBudgets=false', '--set', 'flexibilities.leadCommissioning.cap=0.5', ...args]);
    expect(result.code, result.err).toBe(0);
    const { scenario } = summaryOf('s');
    expect(scenario.regime.accountability).toBe(0.25);
    expect(scenario.regime.pacePressure).toBe(0.3);
    expect(scenario.regime.penaltySeverity).toBe(0.1);
    expect(scenario.regime.mandated).toBe(true);
    expect(scenario.funding.budgetGrowth).toBe(-0.02);
    expect(scenario.funding.transformationFund.total).toBe(100);
    expect(scenario.funding.transformationFund.condition).toBe('none');
    expect(scenario.leaders.turnoverRate).toBe(0.1);
    expect(scenario.trust.initial).toBe(0.3);
    expect(scenario.leaders.sanctions.enabled).toBe(true);
    expect(scenario.flexibilities.pooledBudgets).toEqual({ allowed: false, cap: 0.3 });
    expect(scenario.flexibilities.leadCommissioning.cap).toBe(0.5);
  });

  it('--set reaches structural fields and object values', async () => {
    const result = await cli(['scenarios', 'show', 'gm-2017', '--json',
      '--set', 'localities[0].history=-0.5', '--set', 'localities[1].organisations[0].leader.focus=0.9',
      '--set', 'leaders.override.followership=0', '--set', 'flexibilities.pooledBudgets=0.5',
      '--set', 'leaders.typeMix={conditional: 1, freeRider: 0, humpShaped: 0, altruist: 0}']);
    expect(result.code, result.err).toBe(0);
    const scenario = JSON.parse(result.out);
    expect(scenario.localities[0].history).toBe(-0.5);
    expect(scenario.localities[1].organisations[0].leader.focus).toBe(0.9);
    expect(scenario.leaders.override).toEqual({ followership: 0 });
    expect(scenario.flexibilities.pooledBudgets.cap).toBe(0.5);
    expect(scenario.leaders.typeMix).toEqual({ conditional: 1, freeRider: 0, humpShaped: 0, altruist: 0 });
  });

  it('runs a YAML scenario file that extends a built-in one', async () => {
    writeFileSync(join(cwd, 'mine.yaml'), 'extends: gm-2017\nregime:\n  accountability: 1\ntrust:\n  initial: 0.3\n');
    const result = await cli(['run', 'mine.yaml', '--replicates', '2', '--rounds', '3']);
    expect(result.code, result.err).toBe(0);
    const summary = summaryOf('out/mine');
    expect(summary.labels).toEqual(['mine']);
    expect(summary.scenario.regime.accountability).toBe(1);
    expect(summary.scenario.trust.initial).toBe(0.3);
    expect(summary.scenario.localities).toEqual(builtInScenario('gm-2017').localities);
  });

  it('runs a JSON scenario file with its own localities', async () => {
    writeFileSync(join(cwd, 'two.json'), JSON.stringify({
      name: 'two-places', rounds: 4,
      localities: [
        { name: 'North', history: 0.2, structuralFriction: 0.1, baselineOutcome: 0.6, budget: 500, organisations: [{ kind: 'acute' }, { kind: 'council' }] },
        { name: 'South, by the sea', history: -0.2, structuralFriction: 0.3, baselineOutcome: 0.6, budget: 400, organisations: [{ kind: 'voluntary' }] },
      ],
    }));
    const result = await cli(['run', 'two.json', '--replicates', '1']);
    expect(result.code, result.err).toBe(0);
    const text = read('out/two-places', 'trajectories.csv');
    expect(text).toContain('two-places,0,1,0.0833333,"South, by the sea",');
    expect(text).toContain('two-places,0,0,0,"South, by the sea",');
    expect(csvRows(text)).toHaveLength(1 + 4 * 3);
  });
});

describe('run: wrong input exits 2 with a clear message and writes nothing', () => {
  const nothingWritten = () => expect(existsSync(join(cwd, 'out'))).toBe(false);

  it.each([
    [['run', '--set', 'regime.accountability'], /--set expects PATH=VALUE, got "regime\.accountability"/],
    [['run', '--set', '=1'], /--set expects PATH=VALUE/],
    [['run', '--set', 'regime.accountability=1.7'], /regime\.accountability: 1\.7 is outside \[0, 1\]/],
    [['run', '--set', 'regime.accountability=high'], /regime\.accountability: "high" is not a number/],
    [['run', '--set', 'regime.mandated=maybe'], /regime\.mandated: "maybe" is not true or false/],
    [['run', '--set', 'rounds=2.5'], /rounds: 2\.5 is not a whole number/],
    [['run', '--set', 'regime.acountability=1'], /there is no such field; did you mean "regime\.accountability"\?/],
    [['run', '--set', 'budgetGrowth=0.1'], /did you mean "funding\.budgetGrowth"\?/],
    [['run', '--set', 'localities[99].history=0'], /localities has 10 items .*no \[99\]/],
    [['run', '--set', 'toString=1'], /--set toString: there is no such field/],
    [['run', '--set', '__proto__.polluted=1'], /--set __proto__\.polluted: there is no such field/],
    [['run', '--set', 'flexibilities.pooledBudgets=perhaps'], /neither true\/false .* nor a number/],
    [['run', '--set', 'regime.rules.orgPenalty=import("x")'], /regime\.rules\.orgPenalty: .*not allowed/],
    [['run', 'gm2017'], /unknown scenario "gm2017"; did you mean "gm-2017"\?/],
    [['run', 'system'], /"system" is a regime, not a scenario/],
    [['run', '--regime', 'sytem'], /unknown regime "sytem"; did you mean "system"\?/],
    [['run', 'missing.yaml'], /cannot read scenario file .*missing\.yaml.*: no such file/],
    [['run', '--replicates', 'many'], /--replicates: "many" is not a whole number/],
    [['run', '--replicates', '0'], /--replicates: "0" is not a whole number in \[1, 100000\]/],
    [['run', '--rounds', '-3'], /--rounds: "-3" is not a whole number/],
  ])('%j', async (args, message) => {
    expectUserError(await cli(args as string[]), message as RegExp);
    nothingWritten();
  });

  it('an invalid scenario file lists every problem and nothing runs', async () => {
    writeFileSync(join(cwd, 'bad.yaml'),
      'extends: gm-2017\nregime:\n  accountability: 1.7\n  acountability: 1\ntrust:\n  initial: "high"\n');
    const result = await cli(['run', 'bad.yaml', '--out', 'never']);
    expectUserError(result, /bad\.yaml is not a valid scenario \(3 problems\)/,
      /regime\.accountability: 1\.7 is outside \[0, 1\]/,
      /regime\.acountability: is not a known field \(did you mean "regime\.accountability"\?\)/,
      /trust\.initial: "high" is not a number/, /Nothing was run/);
    expect(existsSync(join(cwd, 'never'))).toBe(false);
  });

  it('an unreadable or malformed file is a user error', async () => {
    mkdirSync(join(cwd, 'dir.yaml'));
    expectUserError(await cli(['run', 'dir.yaml']), /it is a directory/);
    writeFileSync(join(cwd, 'broken.json'), '{ "extends": "gm-2017", }');
    expectUserError(await cli(['run', 'broken.json']), /broken\.json is not valid JSON/);
    writeFileSync(join(cwd, 'broken.yaml'), 'regime:\n  a: 1\n b: 2\n');
    expectUserError(await cli(['run', 'broken.yaml']), /broken\.yaml is not valid YAML/);
    nothingWritten();
  });

  it('--out naming a file is refused before running', async () => {
    writeFileSync(join(cwd, 'taken'), 'x');
    expectUserError(await cli(['run', 'public-goods-lab', '--out', 'taken']), /--out .*taken: exists and is not a directory/);
    expectUserError(await cli(['run', 'public-goods-lab', '--out', 'taken/sub']), /part of the path is a file/);
    expect(read('taken')).toBe('x');
  });

  it('an unexpected failure exits 1', async () => {
    let err = '';
    const code = await main(['schema'], {
      stdout: () => {
        throw new Error('disk full');
      },
      stderr: (text) => {
        err += text;
      },
      cwd,
    });
    expect(code).toBe(1);
    expect(err).toBe('partnersim: failed: disk full\n');
  });
});

describe('compare', () => {
  it('regimes on the regime-comparison base, on common random numbers', async () => {
    const result = await cli(['compare', 'organisational', 'system', '--replicates', '2', '--rounds', '4', '--out', 'c']);
    expect(result.code, result.err).toBe(0);
    const summary = summaryOf('c');
    expect(summary.labels).toEqual(['organisational', 'system']);
    expect(summary.scenario).toBeUndefined();
    expect(summary.scenarios.organisational.regime.accountability).toBe(0);
    expect(summary.scenarios.system.regime.accountability).toBe(1);
    expect(summary.scenarios.system.localities).toEqual(builtInScenario('regime-comparison').localities);
    expect(Object.keys(summary.measures)).toEqual(['organisational', 'system']);
    const rows = csvRows(read('c', 'trajectories.csv'));
    expect(rows).toHaveLength(1 + 2 * 2 * 4 * 11);

    // Common random numbers: the compared "system" rows equal a plain run of the same scenario and seed.
    await cli(['run', 'regime-comparison', '--regime', 'system', '--replicates', '2', '--rounds', '4', '--out', 'r']);
    const single = csvRows(read('r', 'trajectories.csv')).slice(1).map((r) => r.slice(1).join(','));
    const compared = rows.slice(1).filter((r) => r[0] === 'system').map((r) => r.slice(1).join(','));
    expect(compared).toEqual(single);
  });

  it('--regimes on a named scenario, several scenarios, and --vary', async () => {
    const a = await cli(['compare', 'island-of-success', '--regimes', 'organisational,system', '--replicates', '1', '--rounds', '2', '--json', '--out', 'a']);
    expect(JSON.parse(a.out).labels).toEqual(['organisational', 'system']);
    const b = await cli(['compare', 'speed-of-trust', 'pace-pressure', '--replicates', '1', '--rounds', '2', '--json', '--out', 'b']);
    expect(JSON.parse(b.out).labels).toEqual(['speed-of-trust', 'pace-pressure']);
    const c = await cli(['compare', 'speed-of-trust', '--vary', 'trust.initial=0.3,0.7', '--replicates', '1', '--rounds', '2', '--json', '--out', 'c']);
    const summary = JSON.parse(c.out);
    expect(summary.labels).toEqual(['trust.initial=0.3', 'trust.initial=0.7']);
    expect(summary.scenarios['trust.initial=0.3'].trust.initial).toBe(0.3);
    const d = await cli(['compare', 'gm-2017', 'public-goods-lab', 'mixed', 'system', '--replicates', '1', '--rounds', '2', '--json', '--out', 'd']);
    expect(JSON.parse(d.out).labels).toEqual(['gm-2017/mixed', 'gm-2017/system', 'public-goods-lab/mixed', 'public-goods-lab/system']);
  });

  it('labels and the default folder record shared --set overrides too', async () => {
    const result = await cli(['compare', 'mixed', 'system', '--set', 'trust.initial=0.3', '--replicates', '1', '--rounds', '2']);
    expect(result.code, result.err).toBe(0);
    const summary = summaryOf('out/compare-mixed-vs-system-trust.initial=0.3');
    expect(summary.labels).toEqual(['mixed/trust.initial=0.3', 'system/trust.initial=0.3']);
    expect(summary.scenarios['system/trust.initial=0.3'].trust.initial).toBe(0.3);
  });

  it('default output directory is named after the labels', async () => {
    const result = await cli(['compare', 'mixed', 'system', '--replicates', '1', '--rounds', '2']);
    expect(result.code, result.err).toBe(0);
    expect(existsSync(join(cwd, 'out', 'compare-mixed-vs-system', 'summary.json'))).toBe(true);
  });

  it.each([
    [['compare'], /needs at least two things to compare/],
    [['compare', 'gm-2017'], /needs at least two things to compare/],
    [['compare', 'system', 'system'], /"system" is listed twice/],
    [['compare', 'sytem', 'mixed'], /"sytem" is neither .*; did you mean "system"\?/],
    [['compare', 'mixed', '--regimes', 'organisational,bogus'], /unknown regime "bogus"/],
    [['compare', 'mixed', 'system', '--set', 'regime.pacePressure=51'], /regime\.pacePressure: 51 is outside \[0, 50\]/],
    [['compare', 'speed-of-trust', '--vary', 'trust.initial='], /--vary expects PATH=V1,V2/],
    [['compare', 'speed-of-trust', '--vary', 'trust.initial=0.3,1.3'], /trust\.initial: 1\.3 is outside \[0, 1\]/],
  ])('%j is a user error', async (args, message) => {
    expectUserError(await cli(args as string[]), message as RegExp);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});

describe('sweep refusals', () => {
  it('a --param path that a --regimes regime sets is a user error (exit 2)', async () => {
    expectUserError(await cli(['sweep', 'gm-2017', '--param', 'regime.accountability=0:1:3', '--regimes', 'organisational,system',
      '--replicates', '1', '--rounds', '2', '--out', 'sw']), /regime "organisational" of --regimes sets regime\.accountability/);
    expect(existsSync(join(cwd, 'sw'))).toBe(false);
  });
});

describe('validate', () => {
  it('reports a valid file and what it changes', async () => {
    writeFileSync(join(cwd, 'ok.yaml'), 'extends: gm-2017\nregime:\n  accountability: 1\nflexibilities:\n  pooledBudgets: false\n');
    const { code, out } = await cli(['validate', 'ok.yaml']);
    expect(code).toBe(0);
    expect(out).toContain('ok: ok.yaml is a valid scenario "ok" (extends gm-2017)');
    expect(out).toContain('regime.accountability: 0.4 → 1');
    expect(out).toContain('flexibilities.pooledBudgets.allowed: true → false');
  });

  it('exits 2 when any file is invalid, and still checks the others', async () => {
    writeFileSync(join(cwd, 'ok.json'), '{"extends": "speed-of-trust"}');
    writeFileSync(join(cwd, 'bad.json'), '{"extends": "speed-of-trust", "leaders": {"turnoverRate": -1}}');
    const { code, out, err } = await cli(['validate', 'bad.json', 'ok.json']);
    expect(code).toBe(2);
    expect(err).toMatch(/invalid: bad\.json is not a valid scenario/);
    expect(err).toContain('leaders.turnoverRate: -1 is outside [0, 1]');
    expect(out).toContain('ok: ok.json');
  });
});

describe('progress bar', () => {
  const slowClock = () => {
    let t = 0;
    return () => (t += 150);
  };

  it('appears on a terminal for runs longer than about a second, and erases itself', async () => {
    const { code, err } = await cli(['run', 'public-goods-lab', '--replicates', '20', '--out', 'p'], { stderrIsTTY: true, now: slowClock() });
    expect(code).toBe(0);
    expect(err).toMatch(/\[#+-*\] \d+\/20 replicates/);
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('stays quiet when stderr is not a terminal, for fast runs, and with --quiet', async () => {
    expect((await cli(['run', 'public-goods-lab', '--replicates', '20', '--out', 'p'], { stderrIsTTY: false, now: slowClock() })).err).toBe('');
    expect((await cli(['run', 'public-goods-lab', '--replicates', '20', '--out', 'p'], { stderrIsTTY: true, now: () => 0 })).err).toBe('');
    expect((await cli(['run', 'public-goods-lab', '--replicates', '20', '--out', 'p', '--quiet'], { stderrIsTTY: true, now: slowClock() })).err).toBe('');
  });
});

describe('atomic output', () => {
  it('a failure while writing leaves neither a partial file nor temporary files, and keeps the old files', () => {
    const dir = join(cwd, 'atomic');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), 'old');
    function* failing() {
      yield 'partial,';
      throw new Error('interrupted');
    }
    expect(() => writeFilesAtomically(dir, [
      { name: 'trajectories.csv', chunks: ['a,b\n'] },
      { name: 'summary.json', chunks: failing() },
    ])).toThrow('interrupted');
    expect(readdirSync(dir)).toEqual(['summary.json']);
    expect(read('atomic', 'summary.json')).toBe('old');
  });
});

describe('charts from the command line', () => {
  it('run writes the charts and report.html; chart re-renders them from the directory alone', async () => {
    const run = await cli(['run', 'gm-2017', '--replicates', '2', '--rounds', '12', '--out', 'charted', '--charts']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/report\.html/);
    for (const name of ['report.html', 'trajectories.vl.json', 'trajectories.svg', 'trajectories.png', 'forcefield.svg', 'trust-network.vg.json']) {
      expect(existsSync(join(cwd, 'charted', name)), name).toBe(true);
    }
    rmSync(join(cwd, 'charted', 'report.html'));
    const again = await cli(['chart', 'charted', '--no-forcefield']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/Re-rendered \d+ files/);
    expect(existsSync(join(cwd, 'charted', 'report.html'))).toBe(true);
    // Redrawn without the forcefield: its old files go with it, the folder matches the report.
    expect(existsSync(join(cwd, 'charted', 'forcefield.svg'))).toBe(false);
    expect(existsSync(join(cwd, 'charted', 'trajectories.svg'))).toBe(true);
  });

  it('chart on a directory without a run is a user error', async () => {
    mkdirSync(join(cwd, 'empty-run'), { recursive: true });
    expectUserError(await cli(['chart', 'empty-run']), /has no summary\.json/);
  });
});

