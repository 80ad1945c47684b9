/**
 * Experimental designs over override paths: what `--param` means, full-factorial grids and
 * Latin hypercubes. Pure functions over plain data (no I/O); every random choice comes from the
 * model's seeded streams, so a design is a function of its inputs and the seed alone.
 *
 * `--param PATH=SPEC`:
 *   - `lo:hi:n`  a grid of n evenly spaced values from lo to hi inclusive (crossed with the others);
 *   - `v1,v2,…`  a list of values (numbers, true/false, enum words; crossed with the others);
 *   - `lo:hi`    a range, sampled by the Latin hypercube (`--design lhs`) or a sensitivity method;
 *   - `PATH`     alone: the parameter's exploration range from the registry (its plausible band, not
 *                the wider range validation accepts; `partnersim scenarios show` lists both).
 */
import { parameterSpec, type ParameterSpec } from '../model/parameters.ts';
import { parseValueForPath } from '../model/scenario.ts';
import { stream, type Uniform } from '../model/rng.ts';
import { findRegime } from '../scenarios/regimes.ts';
import { InputError } from '../documents/errors.ts';
import type { Assignment } from '../documents/overrides.ts';

/** A value a parameter takes at a design point. */
export type ParamValue = number | boolean | string;

/** Column type of a parameter in the results tables. */
export type ColumnType = 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING';

export type Factor =
  | { kind: 'list'; path: string; texts: string[]; spec: string }
  | { kind: 'grid'; path: string; lo: number; hi: number; n: number; texts: string[]; spec: string }
  | { kind: 'range'; path: string; lo: number; hi: number; integer: boolean; spec: string };

/** A crossed factor: the regime, or a parameter with explicit values. */
export interface CrossedFactor {
  path: string;
  texts: string[];
}

/** One design point: the regime (when regimes are a factor) and the values of every parameter. */
export interface DesignPoint {
  regime?: string;
  /** `--set`-style assignments in factor order; texts reproduce the values exactly. */
  assignments: Assignment[];
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const GRID = new RegExp(`^(${NUMBER}):(${NUMBER}):(\\d+)$`);
const RANGE = new RegExp(`^(${NUMBER}):(${NUMBER})$`);

const isNumeric = (spec: ParameterSpec | undefined) => spec?.type === 'number' || spec?.type === 'integer';

/** The shortest text that parses back to exactly `x`. */
export function numberText(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

function checkBounds(path: string, raw: string, lo: number, hi: number): ParameterSpec | undefined {
  const spec = parameterSpec(path);
  const where = `--param ${raw}`;
  if (!(lo < hi)) throw new InputError(`${where}: the range must go from low to high (${lo} is not below ${hi}).`);
  if (spec && !isNumeric(spec)) {
    throw new InputError(`${where}: ${path} is ${spec.type === 'boolean' ? 'true/false' : `a${spec.type === 'enum' ? 'n enum' : 'n expression'}`}, not a number; list its values instead, e.g. ${path}=${spec.values?.join(',') ?? 'true,false'}.`);
  }
  if (spec?.min !== undefined && lo < spec.min) throw new InputError(`${where}: ${lo} is below the minimum ${spec.min} of ${path}.`);
  if (spec?.max !== undefined && hi > spec.max) throw new InputError(`${where}: ${hi} is above the maximum ${spec.max} of ${path}.`);
  if (spec?.type === 'integer' && (!Number.isInteger(lo) || !Number.isInteger(hi))) {
    throw new InputError(`${where}: ${path} takes whole numbers; give whole-number bounds.`);
  }
  return spec;
}

/** Evenly spaced grid values lo..hi (n of them); whole numbers for integer parameters. */
export function gridValues(lo: number, hi: number, n: number, integer = false): number[] {
  if (n === 1) return [lo];
  const values = Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
  return integer ? values.map((v) => Math.round(v)) : values;
}

/** Parses one `--param` option. */
export function parseFactor(raw: string): Factor {
  const at = raw.indexOf('=');
  const path = (at < 0 ? raw : raw.slice(0, at)).trim();
  const text = at < 0 ? '' : raw.slice(at + 1).trim();
  if (path === '') throw new InputError(`--param expects PATH=SPEC, got "${raw}".`, [], PARAM_HINT);
  if (at < 0) {
    const spec = parameterSpec(path);
    if (!isNumeric(spec) || !spec!.explore) {
      const values = spec?.type === 'boolean' ? 'true,false' : spec?.values?.join(',');
      throw new InputError(`--param ${path}: give its values or range (${path}=${values ?? 'LO:HI'}), since it has no exploration range` +
        `${spec ? '' : ' (it is not a registry parameter)'}.`, [], PARAM_HINT);
    }
    const { low, high } = spec!.explore;
    return { kind: 'range', path, lo: low, hi: high, integer: spec!.type === 'integer', spec: raw };
  }
  const grid = GRID.exec(text);
  if (grid) {
    const lo = Number(grid[1]);
    const hi = Number(grid[2]);
    const n = Number(grid[3]);
    if (n < 1 || n > 100000) throw new InputError(`--param ${raw}: the grid needs 1 to 100000 values, not ${n}.`);
    const spec = n === 1 ? parameterSpec(path) : checkBounds(path, raw, lo, hi);
    const values = gridValues(lo, hi, n, spec?.type === 'integer');
    const texts = values.map(numberText);
    const duplicate = texts.find((t, k) => texts.indexOf(t) !== k);
    if (duplicate !== undefined) {
      throw new InputError(`--param ${raw}: ${path} takes whole numbers, and ${n} values between ${lo} and ${hi} repeat ${duplicate}.`);
    }
    return { kind: 'grid', path, lo, hi, n, texts, spec: raw };
  }
  const range = RANGE.exec(text);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    const spec = checkBounds(path, raw, lo, hi);
    return { kind: 'range', path, lo, hi, integer: spec?.type === 'integer', spec: raw };
  }
  const texts = text.split(',').map((v) => v.trim());
  if (texts.some((v) => v === '')) throw new InputError(`--param ${raw}: an empty value in the list.`, [], PARAM_HINT);
  const duplicate = texts.find((t, k) => texts.indexOf(t) !== k);
  if (duplicate !== undefined) throw new InputError(`--param ${raw}: ${duplicate} is listed twice.`);
  return { kind: 'list', path, texts, spec: raw };
}

export const PARAM_HINT = 'For example: --param regime.accountability=0:1:5 (grid of 5), --param trust.initial=0.3,0.5,0.7 ' +
  '(list), --param trust.gain=0.01:0.05 (range, for --design lhs), or --param trust.gain alone (its exploration range, listed by `partnersim scenarios show gm-2017`).';

/** Parses a list of `--param` options, refusing a path given twice. */
export function parseFactors(raws: readonly string[]): Factor[] {
  const factors = raws.map(parseFactor);
  const paths = factors.map((f) => f.path);
  const twice = paths.find((p, k) => paths.indexOf(p) !== k);
  if (twice) throw new InputError(`--param ${twice} is given twice; give each path once.`);
  return factors;
}

/** Every combination of one entry from each list, first list slowest. */
export function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((combo) => list.map((x) => [...combo, x])), [[]]);
}

/**
 * A Latin hypercube of `n` points in [0, 1)^k: for each dimension, a random permutation of the
 * n strata and a uniform position inside each, so every stratum [i/n, (i+1)/n) of every
 * dimension holds exactly one point. Deterministic given the stream.
 */
export function latinHypercube(n: number, k: number, uniform: Uniform): Float64Array[] {
  const points = Array.from({ length: n }, () => new Float64Array(k));
  const perm = new Int32Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const s = Math.floor(uniform() * (i + 1));
      const t = perm[i];
      perm[i] = perm[s];
      perm[s] = t;
    }
    for (let i = 0; i < n; i++) points[i][j] = (perm[i] + uniform()) / n;
  }
  return points;
}

/** The stream a design draws from: a function of the seed and the design's name only. */
export function designStream(seed: string, design: string): Uniform {
  return stream(seed, 'design', design);
}

/** Maps u in [0, 1) to a range factor's value (whole numbers: equal-width bins over lo..hi). */
export function scaleToRange(factor: Extract<Factor, { kind: 'range' }>, u: number): number {
  if (factor.integer) return Math.min(factor.hi, factor.lo + Math.floor(u * (factor.hi - factor.lo + 1)));
  return factor.lo + u * (factor.hi - factor.lo);
}

/**
 * Most design points in one sweep or sensitivity analysis: each point holds its own scenario in
 * memory (a few kilobytes), so 100,000 points take a few hundred megabytes; more is a job for
 * shards of separate sweeps (docs/LIMITS.md).
 */
export const MAX_DESIGN_POINTS = 100_000;

/** Refuses a design of more than MAX_DESIGN_POINTS points, before any point is built. */
export function checkDesignSize(points: number): void {
  if (points > MAX_DESIGN_POINTS) {
    throw new InputError(`the design would have ${points.toLocaleString('en-GB')} points; the limit is ${MAX_DESIGN_POINTS.toLocaleString('en-GB')}.`, [],
      'Nothing was run. Use fewer values or samples (replicates multiply runs, not points), or split the design into several sweeps (docs/LIMITS.md).');
  }
}

export interface SweepDesignInput {
  design: 'grid' | 'lhs';
  factors: readonly Factor[];
  regimes?: readonly string[];
  samples?: number;
  seed: string;
}

/** Leaf paths a regime's settings set (`regime.accountability`, `funding.transformationFund.total`, …). */
export function regimePaths(name: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, prefix ? `${prefix}.${key}` : key);
    } else out.push(prefix);
  };
  walk(findRegime(name)?.settings ?? {}, '');
  return out;
}

/**
 * Refuses a `--param` path that a `--regimes` regime sets: the parameter would override the
 * regime at every point (or the regime the parameter), so the regime column would be meaningless.
 */
function checkRegimeClash(factors: readonly Factor[], regimes: readonly string[]): void {
  for (const regime of regimes) {
    const paths = regimePaths(regime);
    for (const factor of factors) {
      const clash = paths.find((p) => p === factor.path || p.startsWith(`${factor.path}.`) || factor.path.startsWith(`${p}.`));
      if (clash) {
        throw new InputError(`--param ${factor.path}: the regime "${regime}" of --regimes sets ${clash}, so every regime would ` +
          `run with the same ${factor.path} and the regime column would mean nothing.`, [],
          `Sweep ${factor.path} within one regime (--regime ${regime}), or compare regimes without varying what they set ` +
          '(`partnersim regimes` lists what each sets).');
      }
    }
  }
}

/**
 * The points of a sweep: regimes (outermost), then the crossed grids and lists in the order
 * given, then (for `lhs`) the Latin-hypercube samples of the ranges (innermost).
 */
export function sweepPoints(input: SweepDesignInput): DesignPoint[] {
  const crossed = input.factors.filter((f) => f.kind !== 'range') as Exclude<Factor, { kind: 'range' }>[];
  const ranges = input.factors.filter((f) => f.kind === 'range') as Extract<Factor, { kind: 'range' }>[];
  if (input.design === 'grid' && ranges.length > 0) {
    throw new InputError(`--param ${ranges[0].spec}: a range needs a number of grid values (${ranges[0].path}=${ranges[0].lo}:${ranges[0].hi}:5) ` +
      'or --design lhs --samples N to sample it.', [], PARAM_HINT);
  }
  if (input.design === 'lhs' && ranges.length === 0) {
    throw new InputError('--design lhs samples ranges: give at least one --param PATH=LO:HI (or PATH alone for its exploration range).', [], PARAM_HINT);
  }
  checkRegimeClash(input.factors, input.regimes ?? []);
  const samples = input.design === 'lhs' ? input.samples ?? 0 : 1;
  if (input.design === 'lhs' && !(samples >= 1)) throw new InputError('--design lhs needs --samples N (the number of hypercube points).');
  const regimeCount = input.regimes?.length ? input.regimes.length : 1;
  checkDesignSize(regimeCount * crossed.reduce((n, f) => n * f.texts.length, 1) * samples);
  const unit = input.design === 'lhs' ? latinHypercube(samples, ranges.length, designStream(input.seed, 'lhs')) : [new Float64Array(0)];
  const regimes: (string | undefined)[] = input.regimes?.length ? [...input.regimes] : [undefined];
  const combos = product(crossed.map((f) => f.texts.map((text) => ({ path: f.path, text }))));
  const points: DesignPoint[] = [];
  for (const regime of regimes) {
    for (const combo of combos) {
      for (const u of unit) {
        const sampled = ranges.map((f, j) => ({ path: f.path, text: numberText(scaleToRange(f, u[j])) }));
        points.push({ ...(regime !== undefined ? { regime } : {}), assignments: [...combo, ...sampled] });
      }
    }
  }
  return points;
}

/** The typed value of an assignment (as the scenario will hold it). */
export function typedValue(path: string, text: string): ParamValue {
  const value = parseValueForPath(path, text);
  return typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
}

/** The results-table column type for a parameter, from the registry and the values it takes. */
export function columnType(path: string, values: readonly ParamValue[]): ColumnType {
  const spec = parameterSpec(path);
  if (values.every((v) => typeof v === 'number')) {
    return spec?.type === 'integer' ? 'INT32' : 'DOUBLE';
  }
  if (values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'STRING';
}
