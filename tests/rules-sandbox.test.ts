/**
 * The rules sandbox under attack (issue #16): payloads against every field that takes a formula
 * (regime.rules.orgPenalty, regime.rules.collectiveDelivery), given in a scenario file, through
 * `--set` and through an intervention. None may execute (a global flag and a file the payloads
 * try to set or write stay untouched), hang (each case is bounded) or crash: each is exit 2 with
 * a message naming the field. Formulas that would fail during a run (issue #17: `min()`,
 * `pow(shortfall)`, a division by zero) fail `validate`, before anything runs.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from './in-process.ts';

let cwd: string;
const marker = () => join(cwd, 'pwned');
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'partnersim-sandbox-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const PAYLOADS: string[] = [
  // mathjs's own escape hatches
  'import({x: 1})', 'import({exp: 1}, {override: true})', 'evaluate("1+1")', 'parse("1+1")', 'compile("1")',
  'createUnit("foo")', 'simplify("x+x")', 'derivative("x^2", "x")', 'help("sqrt")', 'config({number: "BigNumber"})',
  'chain(1).done()', 'typed("f", {})', 'reviver', 'Infinity * 0',
  // function and variable definitions, assignment
  'f(x) = x', 'f(x) = f(x)', 'x = 3', 'shortfall = 1; shortfall', 'a = 1', 'severity := 1',
  // accessor chains
  'severity.constructor', 'shortfall["constructor"]', 'shortfall["constructor"]["constructor"]("return process")()',
  'pow.constructor("return this")()', 'shortfall["constructor"]["constructor"]("globalThis.pwned = 1")()', 'min["constructor"]("require(\"fs\").writeFileSync(\"pwned\", \"x\")")()', 'min.apply', 'sqrt.call(1, 4)', '(1).constructor', '"".constructor',
  'severity.__proto__', 'exposure.valueOf()', '{}.constructor', 'this', 'process', 'globalThis', 'require("fs")',
  // matrices, strings, units, sets
  '[1, 2]', '[1, 2][1]', 'matrix([1])', 'ones(1000000)', 'zeros(1e9)', 'range(0, 1e9)', '1:1e9', 'concat("a", "b")',
  '"text"', 'string(1)', 'format(1)', '5 cm', '5 cm to inch', 'unit("m")', 'bignumber(1)', 'fraction(1, 3)', 'complex(1, 1)',
  'i', 'e ^ i', 'size([1])', 'transpose([1])',
  // operators outside the whitelist
  '5!', '170!', '[1].\'', '1 .* 2', '1 mod 2', '1 & 2', '1 << 2', '~1', '1 to 2',
  // arity (fail at run time before the fix)
  'min()', 'max()', 'pow(shortfall)', 'pow(1, 2, 3)', 'abs()', 'sqrt(1, 2)', 'log()', 'exp(1, 2)', 'sign(1, 1)',
  // values that are not finite numbers on valid states
  'severity / shortfall', '1 / 0', '0 / 0', 'log(0)', 'sqrt(-1)', '10 ^ 400', '2 ^ 2 ^ 2 ^ 2 ^ 2 ^ 2', 'exp(1000)',
  'pow(10, 1e308)', '1e308 * 10', '-1e308 * 10', 'log(-1)',
  // recursion, length and nesting
  `${'('.repeat(5000)}1${')'.repeat(5000)}`, `${'('.repeat(40)}1${')'.repeat(40)}`, `${'-'.repeat(5000)}1`, `${'1+'.repeat(5000)}1`,
  `${'sqrt('.repeat(300)}1${')'.repeat(300)}`, `${'abs('.repeat(33)}1${')'.repeat(33)}`, 'shortfall ? '.repeat(600) + '1',
  // syntax and unknown symbols
  '1 +', ')', '', '   ', 'unknownThing * 2', 'Shortfall', 'shortfall(1)', 'NaN', '\u0000', 'meanShare(1)', '1\n2',
  'severity; 1', '"\u001b[31m" + 1',
];

/** Payloads that are not finite because of a variable are refused for orgPenalty; for the other rule they name unknown symbols instead. */
const FIELDS = ['regime.rules.orgPenalty', 'regime.rules.collectiveDelivery'] as const;

function expectRefused(result: { code: number; out: string; err: string }, field: string) {
  expect(result.code, result.err).toBe(2);
  expect(result.err).toContain(field);
  expect(result.err).not.toMatch(/Maximum call stack|failed:|^\s+at /m);
  expect(existsSync(marker())).toBe(false);
  expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
}

describe('rules sandbox payloads', () => {
  it(`holds at least 100 payloads`, () => {
    expect(new Set(PAYLOADS).size).toBe(PAYLOADS.length);
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
  });

  for (const field of FIELDS) {
    const key = field.split('.').pop()!;
    it(`every payload in a scenario file is refused, naming ${field}`, async () => {
      for (const [k, payload] of PAYLOADS.entries()) {
        const name = `payload-${key}-${k}.json`;
        writeFileSync(join(cwd, name), JSON.stringify({ extends: 'gm-2017', regime: { rules: { [key]: payload } } }));
        const started = performance.now();
        const result = await cliIn(cwd, ['validate', name]);
        // A bound on each case, so a payload that hangs fails here rather than stalling CI (not a speed target).
        expect(performance.now() - started, payload.slice(0, 60)).toBeLessThan(5_000);
        // An empty formula is a formula nobody wrote: `null`/left out means the built-in rule; "" and "   " are refused as unparseable.
        expectRefused(result, field);
      }
    });

    it(`payloads through --set and an intervention are refused too, naming ${field}`, async () => {
      // An empty --set value means the built-in rule (null), so blank payloads are for files only.
      const sample = PAYLOADS.filter((p, k) => k % 7 === 0 && p.trim() !== '');
      for (const payload of sample) {
        expectRefused(await cliIn(cwd, ['run', 'gm-2017', '--set', `${field}=${payload}`, '--out', 'never', '--no-charts']), field);
        writeFileSync(join(cwd, 'later.json'), JSON.stringify({ extends: 'gm-2017', interventions: [{ at: 12, set: { [field]: payload } }] }));
        const later = await cliIn(cwd, ['validate', 'later.json']);
        expectRefused(later, `interventions[0].set.${field}`);
      }
      expect(existsSync(join(cwd, 'never'))).toBe(false);
    });
  }

  it('what validate accepts, run accepts: a formula valid at every sample state runs', async () => {
    writeFileSync(join(cwd, 'fine.yaml'), 'extends: public-goods-lab\nregime:\n  rules:\n    orgPenalty: "min(1, severity * shortfall * 2)"\n    collectiveDelivery: "meanShare >= threshold or stage >= 3"\n');
    expect((await cliIn(cwd, ['validate', 'fine.yaml'])).code).toBe(0);
    const run = await cliIn(cwd, ['run', 'fine.yaml', '--replicates', '2', '--out', 'fine', '--no-charts']);
    expect(run.code, run.err).toBe(0);
  });

  it('a sweep whose rule would fail journals nothing: it is refused before the first run', async () => {
    const result = await cliIn(cwd, ['sweep', 'gm-2017', '--set', 'regime.rules.orgPenalty=severity / shortfall', '--param', 'trust.initial=0.3,0.5', '--out', 'never-sweep', '--quiet']);
    expectRefused(result, 'regime.rules.orgPenalty');
    expect(result.err).toMatch(/not a finite number at shortfall=0/);
    expect(existsSync(join(cwd, 'never-sweep'))).toBe(false);
  });
});
