/**
 * The browser-safe scenario-document layer gives what the CLI gives: the same scenario from the
 * same text, the same path-named messages (checked against `partnersim validate` and `--set`
 * run in-process), and `extends` through a resolver instead of the file system.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { extension, fileName, stem } from '../src/documents/paths.ts';
import { loadScenarioFile } from '../src/io/scenario-files.ts';
import {
  applyAssignments, applyOverrides, builtInScenario, checkScenario, checkScenarioDocument, documentsResolver,
  formatUserError, InputError, parseScenarioDocument,
} from '../src/index.ts';

/** Runs the CLI in-process in `cwd`; resolves to exit code, stdout and stderr. */
async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (t) => void (out += t), stderr: (t) => void (err += t),
    stdoutIsTTY: false, stderrIsTTY: false, columns: 100, cwd, now: () => 0,
  });
  return { code, out, err };
}

/** The error `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const DOCUMENTS: Record<string, string> = {
  'bad.yaml': 'extends: gm-2017\nregime:\n  accountability: 1.7\n  acountability: 1\ntrust:\n  initial: "high"\n',
  'sugg.yaml': 'extends: gm-2017\nbudgetGrowth: 0.1\nfunding:\n  transformationFund:\n    condition: colective\n',
  'broken.json': '{ "extends": "gm-2017", }',
  'dup.yaml': 'a: 1\na: 2\n',
  'empty.yaml': '',
  'nolocal.yaml': 'regime:\n  accountability: 1\n',
  'typo.yaml': 'extends: gm2017\n',
  'regime.yaml': 'extends: mandated\n',
  'loc.json': '{"extends": "speed-of-trust", "leaders": {"turnoverRate": -1}, "localities": [{"name": "x"}]}',
};

describe('file names without node:path', () => {
  it('fileName, extension and stem agree with node:path (posix) on generated paths', () => {
    const path = fc.array(fc.constantFrom('a', 'b', '.', '/', 'yaml', '-'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(path, (p) => {
      expect(fileName(p)).toBe(posix.basename(p));
      expect(extension(p)).toBe(posix.extname(p));
      expect(stem(p)).toBe(posix.basename(p, posix.extname(p)));
    }), { numRuns: 2000, seed: 11 });
  });
});

describe('scenario documents from text', () => {
  it('give the scenario that loading the same file gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-documents-'));
    const texts = {
      'low-trust.yaml': 'extends: gm-2017\ntrust:\n  initial: 0.3\nflexibilities:\n  pooledBudgets: false\n',
      'strict.json': '{"extends": "speed-of-trust", "name": "strict", "regime": {"accountability": 1}}',
    };
    for (const [name, text] of Object.entries(texts)) {
      writeFileSync(join(dir, name), text);
      const fromText = parseScenarioDocument(text, name);
      const fromFile = loadScenarioFile(join(dir, name));
      expect(fromText.scenario).toEqual(fromFile.scenario);
      expect(fromText.bases).toEqual(fromFile.bases);
      expect(fromText.base).toEqual(fromFile.base);
    }
    expect(parseScenarioDocument(texts['low-trust.yaml'], 'low-trust.yaml').scenario.name).toBe('low-trust');
  });

  it('fail with exactly the text `partnersim validate` prints for the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-documents-'));
    for (const [name, text] of Object.entries(DOCUMENTS)) {
      writeFileSync(join(dir, name), text);
      const { code, out, err } = await cli(['validate', name], dir);
      expect(code, name).toBe(2);
      expect(out).toBe('');
      const error = thrown(() => parseScenarioDocument(text, name));
      expect(`invalid: ${formatUserError(error)}\n`, name).toBe(err);
    }
  });

  it('name each bad field in checkScenarioDocument, as the file check does', () => {
    const problems = checkScenarioDocument({ extends: 'gm-2017', regime: { accountability: 1.7 }, trust: { intial: 0.5 } });
    expect(problems.map((p) => p.path)).toEqual(['regime.accountability', 'trust.intial']);
    expect(problems[0].message).toBe('1.7 is outside [0, 1]');
    expect(problems[1].message).toMatch(/^is not a known field \(did you mean "trust\.initial"\?\)/);
    expect(checkScenarioDocument({ extends: 'gm-2017' })).toEqual([]);
  });
});

describe('extends through a resolver', () => {
  it('without one, a document extends built-in scenarios only, and says so', () => {
    const error = thrown(() => parseScenarioDocument('extends: ./base.yaml\n', 'child.yaml'));
    expect(error.message).toBe('child.yaml: extends: "./base.yaml" is a file, and this document was not read from a folder, so it can extend a built-in scenario only.');
    expect(error.hint).toContain('Built-in scenarios: gm-2017');
  });

  it('follows files held in memory as the CLI follows files on disk, refusing cycles with the same message', () => {
    const texts = {
      'base.yaml': 'extends: speed-of-trust\ntrust:\n  initial: 0.7\n',
      'child.json': JSON.stringify({ extends: './base.yaml', regime: { accountability: 1 } }),
      'a.yaml': 'extends: b.yaml\n',
      'b.yaml': 'extends: a.yaml\n',
    };
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-documents-'));
    for (const [name, text] of Object.entries(texts)) writeFileSync(join(dir, name), text);
    const resolveFile = documentsResolver(texts);

    const inMemory = parseScenarioDocument(texts['child.json'], 'child.json', { resolveFile });
    const onDisk = loadScenarioFile(join(dir, 'child.json'));
    expect(inMemory.bases).toEqual(['./base.yaml', 'speed-of-trust']);
    expect(inMemory.scenario).toEqual(onDisk.scenario);

    const cycle = thrown(() => parseScenarioDocument(texts['a.yaml'], 'a.yaml', { resolveFile }));
    expect(cycle.message).toBe(thrown(() => loadScenarioFile(join(dir, 'a.yaml'))).message);
    expect(cycle.message).toBe('scenario files extend each other in a cycle: a.yaml → b.yaml → a.yaml');
    expect(thrown(() => parseScenarioDocument('extends: other.yaml\n', 'c.yaml', { resolveFile })).message)
      .toMatch(/^cannot read scenario file "other\.yaml" \(extended by c\.yaml\): no such file/);
  });
});

describe('overrides', () => {
  const gm = builtInScenario('gm-2017');

  it('apply as --set does, from text or from a mapping of values', () => {
    const viaSet = applyAssignments(gm, [{ path: 'trust.initial', text: '0.3' }, { path: 'localities[0].history', text: '-1' }]);
    expect(checkScenario(viaSet)).toEqual([]);
    expect(applyOverrides(gm, ['trust.initial=0.3', 'localities[0].history=-1'])).toEqual(viaSet);
    expect(applyOverrides(gm, { 'trust.initial': 0.3, 'localities[0].history': -1 })).toEqual(viaSet);
    expect(applyOverrides(gm, { 'flexibilities.pooledBudgets': false }).flexibilities.pooledBudgets.allowed).toBe(false);
    expect(gm.trust.initial).not.toBe(0.3);
  });

  it('fail with the message the CLI prints for the same --set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-documents-'));
    for (const set of ['regime.acountability=1', 'budgetGrowth=0.1', 'trust.initial=high', 'localities[19].history=0', 'nonsense']) {
      const { code, err } = await cli(['run', 'gm-2017', '--set', set, '--no-charts', '--replicates', '1'], dir);
      expect(code, set).toBe(2);
      const message = formatUserError(thrown(() => applyOverrides(gm, [set])));
      expect(`partnersim: ${message.replace('gm-2017 with these overrides', 'gm-2017 with your --regime/--set options')}\n`, set).toBe(err);
    }
  });
});
