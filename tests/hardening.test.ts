/**
 * Issue #16 (and the input side of #17): inputs that once crashed, hung or ran out of memory
 * are input errors (exit 2, a message naming the field, nothing written), files that are not
 * regular files are refused, huge jobs say their size up front, and messages cannot flood or
 * drive the terminal. In-process through `main`, so each case costs milliseconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCost, estimateCost } from '../src/experiments/cost.ts';
import { MAX_DOCUMENT_CHARS, MAX_NESTING, textNesting } from '../src/documents/limits.ts';
import { builtInScenario } from '../src/scenarios/index.ts';
import { cliIn, type Captured } from './in-process.ts';

let cwd: string;
const cli = (...args: string[]) => cliIn(cwd, args);
const file = (name: string, text: string) => {
  writeFileSync(join(cwd, name), text);
  return name;
};

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-harden-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** An input error: exit 2, the field named, no crash text or stack, nothing on stdout. */
function expectInputError(result: Captured, ...messages: (string | RegExp)[]) {
  expect(result.code, result.err).toBe(2);
  expect(result.out).toBe('');
  expect(result.err).not.toMatch(/Maximum call stack|failed:|^\s+at /m);
  for (const message of messages) expect(result.err).toMatch(message);
}

const locality = (k: number, orgs: Record<string, unknown>[] = [{ kind: 'acute' }]) =>
  ({ name: `place-${k}`, history: 0, structuralFriction: 0, baselineOutcome: 0.5, budget: 100, organisations: orgs });

describe('deeply nested documents are input errors naming the field', () => {
  const deep = 20_000;
  it.each([
    ['a deep list in name (YAML flow)', 'deep-name.yaml', `extends: gm-2017\nname: ${'['.repeat(deep)}${']'.repeat(deep)}\n`, /name \(line 2\)/],
    ['a deep object under a known field (JSON)', 'deep-regime.json', `{"extends": "gm-2017", "regime": ${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}`, /regime \(line 1\)/],
    ['a deep list in sources (JSON)', 'deep-sources.json', `{"extends": "gm-2017", "sources": ${'['.repeat(deep)}${']'.repeat(deep)}}`, /sources \(line 1\)/],
    ['deep block mappings (YAML)', 'deep-block.yaml', `extends: gm-2017\nregime:\n${Array.from({ length: 200 }, (_, k) => `${' '.repeat(2 * k + 2)}a${k}:`).join('\n')} 1\n`, /regime \(line \d+\)/],
    ['compact nested sequences (YAML)', 'deep-compact.yaml', `extends: gm-2017\nsources:\n  ${'- '.repeat(50_000)}x\n`, /sources \(line 3\)/],
  ])('%s', async (_what, name, text, field) => {
    file(name, text);
    const result = await cli('validate', name);
    expectInputError(result, field, new RegExp(`nested more than ${MAX_NESTING} levels`));
  });

  it('a --set value nested deeply is refused the same way', async () => {
    const result = await cli('run', 'gm-2017', '--set', `leaders.typeMix=${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`, '--out', 'never-set');
    expectInputError(result, /nested more than/);
    expect(existsSync(join(cwd, 'never-set'))).toBe(false);
  });

  it('the nesting scan counts what a parser would nest, and no more (quotes and comments are not structure)', () => {
    expect(textNesting('a: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\nb: 1 # {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n').depth).toBe(1);
    expect(textNesting('a:\n  b:\n    - [1, {c: 2}]\n').depth).toBe(5);
  });
});

describe('only regular files of bounded size are read', () => {
  it.each(['/dev/zero', '/dev/urandom'])('%s is refused at once', async (device) => {
    expectInputError(await cli('validate', device), /it is a device, not a regular file/);
    file('extends-device.yaml', `extends: ${device}\n`);
    expectInputError(await cli('run', 'extends-device.yaml', '--out', 'never-device'), /it is a device, not a regular file/, /extended by extends-device\.yaml/);
    expect(existsSync(join(cwd, 'never-device'))).toBe(false);
  });

  it('a FIFO is refused, named directly or through extends', async () => {
    const made = spawnSync('mkfifo', [join(cwd, 'pipe.yaml')]);
    expect(made.status, String(made.stderr)).toBe(0);
    expectInputError(await cli('validate', 'pipe.yaml'), /named pipe \(FIFO\), not a regular file/);
    file('via-pipe.yaml', 'extends: ./pipe.yaml\n');
    expectInputError(await cli('validate', 'via-pipe.yaml'), /named pipe/);
  });

  it(`a file over ${MAX_DOCUMENT_CHARS} bytes is refused, saying the cap`, async () => {
    file('huge.yaml', `extends: gm-2017\ndescription: "${'x'.repeat(MAX_DOCUMENT_CHARS)}"\n`);
    expectInputError(await cli('validate', 'huge.yaml'), /larger than 4,194,304 bytes \(4 MiB\)/);
  });

  it('a huge description within the cap is refused by its own limit', async () => {
    file('long-description.yaml', `extends: gm-2017\ndescription: "${'x'.repeat(200_000)}"\n`);
    expectInputError(await cli('validate', 'long-description.yaml'), /description: is 200,000 characters long; the limit is 10,000/);
  });

  it('extends: /proc/self/environ does not print the environment', async () => {
    file('environ.yaml', 'extends: /proc/self/environ\n');
    const result = await cli('validate', 'environ.yaml');
    expect(result.code).toBe(2);
    expect(result.err.length).toBeLessThan(1000);
    const longest = Object.values(process.env).filter((v): v is string => typeof v === 'string' && v.length > 70).sort((a, b) => b.length - a.length)[0];
    if (longest) expect(result.err).not.toContain(longest);
  });
});

describe('YAML tags are input errors, never warnings', () => {
  it.each([
    ['!!js/function', 'name: !!js/function "function () { return process.exit(9) }"'],
    ['!!js/undefined', 'name: !!js/undefined ~'],
    ['an unknown local tag', 'name: !custom bar'],
    ['a tag on a mapping', 'regime: !!python/object:os.system {accountability: 1}'],
  ])('%s', async (_what, line) => {
    const warnings: unknown[] = [];
    const onWarning = (warning: unknown) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      file('tagged.yaml', `extends: gm-2017\n${line}\n`);
      const result = await cli('run', 'tagged.yaml', '--out', 'never-tag', '--no-charts');
      expectInputError(result, /the tag .* \(line 2, column \d+\) is not allowed/);
      expect(result.err).not.toMatch(/YAMLWarning|trace-warnings/);
      expect(existsSync(join(cwd, 'never-tag'))).toBe(false);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('sizes are bounded and said up front', () => {
  it('10,001 localities are refused by the schema limit', async () => {
    file('many-localities.json', JSON.stringify({ extends: 'gm-2017', localities: Array.from({ length: 10_001 }, (_, k) => locality(k)) }));
    expectInputError(await cli('validate', 'many-localities.json'), /localities: lists 10,001 items; the limit is 10,000/);
  });

  it('10,000 localities validate but a run states its size and is refused without --allow-large', async () => {
    file('ten-thousand.json', JSON.stringify({ extends: 'gm-2017', localities: Array.from({ length: 10_000 }, (_, k) => locality(k)) }));
    const result = await cli('run', 'ten-thousand.json', '--out', 'never-big', '--no-charts');
    expectInputError(result, /10,000 localities, 10,000 leaders/, /GiB of memory/, /--allow-large/);
    expect(existsSync(join(cwd, 'never-big'))).toBe(false);
  });

  it('1,001 organisations in a locality are refused', async () => {
    const orgs = Array.from({ length: 1001 }, (_, k) => ({ kind: 'acute', name: `org-${k}` }));
    file('many-orgs.json', JSON.stringify({ extends: 'gm-2017', localities: [locality(0, orgs)] }));
    expectInputError(await cli('validate', 'many-orgs.json'), /organisations: lists 1,001 items; the limit is 1,000/);
  });

  it('1,000 leaders in each of 10 organisations: 100 million ties are refused up front', async () => {
    const orgs = Array.from({ length: 10 }, (_, k) => ({ kind: 'acute', name: `org-${k}`, leaders: 1000 }));
    file('many-leaders.json', JSON.stringify({ extends: 'gm-2017', localities: [locality(0, orgs)] }));
    const result = await cli('run', 'many-leaders.json', '--out', 'never-leaders');
    expectInputError(result, /10,000 leaders, 99,990,000 ties/, /--allow-large/);
    // The file itself is valid: validate says so, and says what a run would say about its size.
    const validated = await cli('validate', 'many-leaders.json');
    expect(validated.code, validated.err).toBe(0);
    expect(validated.out).toMatch(/Too large to run without --allow-large: 20 replicates need .*99,990,000 ties/);
  });

  it('rounds at their maximum are refused up front for run and sweep', async () => {
    expectInputError(await cli('run', 'gm-2017', '--rounds', '100000', '--out', 'never-rounds'), /22,000,220 rows/, /--allow-large/);
    const sweep = ['sweep', 'gm-2017', '--rounds', '100000', '--param', 'trust.initial=0.3,0.5', '--replicates', '10000', '--out', 'never-rounds-sweep', '--quiet'];
    expectInputError(await cli(...sweep), /20,000 runs writing 2,000,000,000 rows/, /--allow-large/);
    expect(existsSync(join(cwd, 'never-rounds-sweep'))).toBe(false);
  });

  it('--allow-large lifts the limit (the estimate is then a notice)', () => {
    const cost = estimateCost({ scenario: { ...builtInScenario('gm-2017'), rounds: 100_000 }, runs: 20, rowsPerRun: 100_001 * 11 });
    expect(() => checkCost(cost, false)).toThrow(/--allow-large/);
    expect(checkCost(cost, true)).toMatch(/^partnersim: a large job: .*GiB of memory/);
    expect(checkCost(estimateCost({ scenario: builtInScenario('gm-2017'), runs: 20, rowsPerRun: 121 * 11 }), false)).toBeUndefined();
  });

  it('--design lhs --samples 10000000 and a grid of a million points are refused before any point is built', async () => {
    expectInputError(await cli('sweep', 'gm-2017', '--design', 'lhs', '--samples', '10000000', '--param', 'trust.initial=0.3:0.7'), /--samples: "10000000" is not a whole number in \[1, 100000\]/);
    expectInputError(await cli('sweep', 'gm-2017', '--param', 'trust.initial=0.1:0.9:1000', '--param', 'trust.gain=0.01:0.05:1000'), /1,000,000 points; the limit is 100,000/);
    expectInputError(await cli('sensitivity', 'gm-2017', '--samples', '10000000', '--param', 'trust.initial'), /--samples/);
  });

  it('a budget of 1e308 is refused (it gave NA outcomes)', async () => {
    file('budget.json', JSON.stringify({ extends: 'gm-2017', localities: [locality(0, [{ kind: 'acute', budget: 1e308 }])] }));
    expectInputError(await cli('validate', 'budget.json'), /organisations\[0\]\.budget: 1e\+308 is outside \[0, 1000000000\]/);
  });
});

describe('names and messages', () => {
  it('a locality called "system" is refused (it would collide with the whole-system rows)', async () => {
    file('system.json', JSON.stringify({ extends: 'gm-2017', localities: [{ ...locality(0), name: 'system' }] }));
    expectInputError(await cli('validate', 'system.json'), /localities\[0\]\.name: "system" is reserved/);
  });

  it('names holding terminal escapes are refused, and never printed raw', async () => {
    file('escape.json', JSON.stringify({ extends: 'gm-2017', name: 'evil\u001b]0;pwned\u0007\u001b[31mred', localities: [{ ...locality(0), name: 'x\u009b2J' }] }));
    const result = await cli('validate', 'escape.json');
    expectInputError(result, /name: holds a control character/, /localities\[0\]\.name: holds a control character/);
    // eslint-disable-next-line no-control-regex
    expect(result.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('long values are cut in messages, with their length said', async () => {
    file('long-extends.yaml', `extends: ${'q'.repeat(900)}\n`);
    const result = await cli('validate', 'long-extends.yaml');
    expect(result.code).toBe(2);
    expect(result.err.split('\n').every((line) => line.length <= 440)).toBe(true);
  });

  it('thousands of problems are listed up to 50, then counted', async () => {
    const localities = Array.from({ length: 300 }, (_, k) => ({ ...locality(k), history: 5 }));
    file('many-problems.json', JSON.stringify({ extends: 'gm-2017', localities }));
    const result = await cli('validate', 'many-problems.json');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/… and 250 more problems/);
  });
});

describe('output folders', () => {
  it('--out pointing at a regular file is refused before anything runs', async () => {
    file('a-file', 'not a folder\n');
    expectInputError(await cli('run', 'public-goods-lab', '--replicates', '2', '--out', 'a-file', '--no-charts'), /exists and is not a directory/);
    expectInputError(await cli('sweep', 'public-goods-lab', '--param', 'trust.initial=0.3,0.5', '--replicates', '2', '--out', 'a-file/x', '--quiet'), /a-file/);
    expect(readFileSync(join(cwd, 'a-file'), 'utf8')).toBe('not a folder\n');
  });

  it('--resume with other parameters over finished results is refused and keeps them', async () => {
    const args = ['sweep', 'public-goods-lab', '--replicates', '2', '--out', 'finished', '--quiet', '--workers', '1'];
    expect((await cli(...args, '--param', 'trust.initial=0.3,0.5')).code).toBe(0);
    const before = readFileSync(join(cwd, 'finished', 'runs.parquet'));
    const result = await cli(...args, '--param', 'trust.initial=0.3,0.6', '--resume');
    expectInputError(result, /--resume: .* holds the finished results of a different experiment/);
    expect(readFileSync(join(cwd, 'finished', 'runs.parquet')).equals(before)).toBe(true);
    expect((await cli(...args, '--param', 'trust.initial=0.3,0.5', '--resume')).out).toMatch(/Already complete/);
  });

  it('a read-only output folder gives a clear message and exit 1, writing nothing', async () => {
    const dir = join(cwd, 'readonly');
    mkdirSync(dir);
    // root ignores file modes, so a read-only mount stands in for a read-only folder there.
    const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]).status === 0;
    if (!mounted) spawnSync('chmod', ['555', dir]);
    try {
      if (!mounted && process.getuid?.() === 0) return expect(process.env.CI, 'CI runs as root and must be able to mount').not.toBe('true');
      for (const args of [['run', 'public-goods-lab', '--replicates', '2', '--no-charts'], ['sweep', 'public-goods-lab', '--param', 'trust.initial=0.3,0.5', '--replicates', '2', '--quiet']]) {
        const result = await cli(...args, '--out', 'readonly/out');
        expect(result.code, result.err).toBe(1);
        expect(result.err).toMatch(/read-only file system|permission denied/);
        expect(result.err).not.toMatch(/^\s+at /m);
        expect(existsSync(join(dir, 'out'))).toBe(false);
      }
    } finally {
      if (mounted) spawnSync('umount', [dir]);
      else spawnSync('chmod', ['755', dir]);
    }
  });
});

describe('docs/LIMITS.md states the limits the code enforces', async () => {
  const { MAX_LOCALITIES, MAX_ORGANISATIONS, MAX_LEADERS_PER_ORGANISATION, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS } = await import('../src/model/scenario.ts');
  const { MAX_RULE_CHARS, MAX_RULE_NESTING } = await import('../src/model/rules.ts');
  const { MAX_DESIGN_POINTS } = await import('../src/experiments/design.ts');
  const { MEMORY_LIMIT_BYTES, TIME_LIMIT_SECONDS } = await import('../src/experiments/cost.ts');
  const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'LIMITS.md'), 'utf8');
  it.each([
    ['file size', `${MAX_DOCUMENT_CHARS.toLocaleString('en-GB')} bytes`], ['nesting', `${MAX_NESTING} levels`],
    ['localities', `| ${MAX_LOCALITIES.toLocaleString('en-GB')} |`], ['organisations', `| ${MAX_ORGANISATIONS.toLocaleString('en-GB')} |`],
    ['leaders', `\`leaders\` per organisation | ${MAX_LEADERS_PER_ORGANISATION.toLocaleString('en-GB')} |`],
    ['description', `${MAX_DESCRIPTION_CHARS.toLocaleString('en-GB')} characters`], ['names', `${MAX_NAME_CHARS} characters`],
    ['formula length', `at most ${MAX_RULE_CHARS.toLocaleString('en-GB')} characters`], ['formula nesting', `nested at most ${MAX_RULE_NESTING} deep`],
    ['design points', `${MAX_DESIGN_POINTS.toLocaleString('en-GB')} points`],
    ['memory', `**${MEMORY_LIMIT_BYTES / 2 ** 30} GiB**`], ['time', TIME_LIMIT_SECONDS === 3600 ? '**one hour**' : `${TIME_LIMIT_SECONDS} s`],
  ])('%s', (_what, phrase) => {
    expect(text).toContain(phrase);
  });
});
