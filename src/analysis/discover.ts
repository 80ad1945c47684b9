/**
 * Scenario discovery on a sweep: which cases are "of interest" (a condition on the outputs, such
 * as `populationOutcome < 0.6`, or a policy's regret, such as `regret > 0`: the policy is beaten
 * in that scenario), and PRIM's boxes over the numeric factors that describe where those cases
 * are. A case is a design point (its outputs are means over the point's replicates); with
 * `policy`, only that policy's points, described by the uncertainties. Pure.
 */
import { MEASURES } from '../model/observe.ts';
import { InputError } from '../documents/errors.ts';
import { analysePolicies, hasPolicies } from './policies.ts';
import { chooseBox, prim, quasiP, type LimitReport, type PrimBox, type PrimOptions, type PrimResult } from './prim.ts';
import { labelOf, measureOf, outputColumn, type SweepTable } from './sweep-table.ts';

export interface Condition {
  /** An output column, or `regret` (the policy's regret on the chosen output). */
  column: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

const TERM = /^\s*([A-Za-z][\w.:]*)\s*(<=|>=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** `populationOutcome < 0.6`, `regret > 0`, `trustMean:mean >= 0.5 and netValue < 0` … */
export function parseWhere(text: string): Condition[] {
  const terms = text.split(/\s+and\s+|\s*&&\s*/i);
  return terms.map((term) => {
    const m = TERM.exec(term);
    if (!m) {
      throw new InputError(`--where "${text}": cannot read "${term.trim()}".`, [],
        'Write MEASURE OP NUMBER (OP one of < <= > >=), joined by "and": e.g. --where "populationOutcome < 0.6", ' +
        '--where "regret > 0" (with --policy), --where "trustMean:mean >= 0.5 and netValue < 0".');
    }
    const column = m[1] === 'regret' ? 'regret' : outputColumn(m[1], '--where');
    return { column, op: m[2] as Condition['op'], value: Number(m[3]) };
  });
}

const holds = (x: number, c: Condition) => (c.op === '<' ? x < c.value : c.op === '<=' ? x <= c.value : c.op === '>' ? x > c.value : x >= c.value);

export interface DiscoverOptions extends PrimOptions {
  where: string;
  /** The output a regret is taken on (default populationOutcome, final round). */
  output?: string;
  /** Only this policy's points (a label as the sweep summary names policies, e.g. `system`). */
  policy?: string;
  /** Default box choice: the densest box covering at least this share (default 0.5). */
  minCoverage?: number;
  /** Choose this box of the trajectory instead. */
  box?: number;
}

export interface Discovery {
  where: string;
  conditions: Condition[];
  output: string;
  policy?: string;
  /** Points used as cases, and which are of interest. */
  points: number[];
  interest: Uint8Array;
  dimensions: string[];
  /** Categorical factors left out of PRIM's dimensions (e.g. the regime without --policy). */
  leftOut: string[];
  result: PrimResult;
  chosen: PrimBox;
  chosenBy: string;
  limits: LimitReport[];
}

export function discover(table: SweepTable, options: DiscoverOptions): Discovery {
  const conditions = parseWhere(options.where);
  const output = outputColumn(options.output ?? 'populationOutcome');
  const policies = table.factors.filter((f) => f.role === 'policy');
  const labels = Array.from({ length: table.points }, (_, p) => labelOf(policies, p));
  let points = Array.from({ length: table.points }, (_, p) => p);
  const needsRegret = conditions.some((c) => c.column === 'regret');
  if (options.policy !== undefined || needsRegret) {
    const names = [...new Set(labels)];
    if (!hasPolicies(table)) {
      throw new InputError('this sweep compares no policies: regret and --policy need regimes (--regimes a,b) or levers (--lever PATH=V1,V2) in the sweep.');
    }
    if (options.policy === undefined) throw new InputError(`regret is a policy's: add --policy NAME (one of ${names.join(', ')}).`);
    if (!names.includes(options.policy)) throw new InputError(`--policy ${options.policy}: the sweep's policies are ${names.join(', ')}.`);
    points = points.filter((p) => labels[p] === options.policy);
  }
  const regret = needsRegret
    ? analysePolicies(table, output, MEASURES.find((m) => m.name === measureOf(output))?.better ?? 'higher').regret : undefined;
  const interest = Uint8Array.from(points, (p) => (conditions.every((c) => holds(c.column === 'regret' ? regret![p] : table.outputs[c.column][p], c)) ? 1 : 0));
  const candidates = table.factors.filter((f) => (options.policy !== undefined ? f.role === 'uncertainty' : true));
  const varying = candidates.filter((f) => new Set(points.map((p) => f.values[p])).size > 1);
  const dims = varying.filter((f) => f.numeric);
  const leftOut = varying.filter((f) => !f.numeric).map((f) => f.name);
  if (dims.length === 0) throw new InputError('no numeric factor varies across these cases: PRIM has nothing to put limits on.');
  const input = { names: dims.map((f) => f.name), columns: dims.map((f) => Float64Array.from(points, (p) => f.values[p] as number)), interest };
  const result = prim(input, options);
  let chosen: PrimBox;
  let chosenBy: string;
  if (options.box !== undefined) {
    if (!(options.box >= 0 && options.box < result.trajectory.length)) {
      throw new InputError(`--box ${options.box}: the trajectory has boxes 0 to ${result.trajectory.length - 1}.`);
    }
    chosen = result.trajectory[options.box];
    chosenBy = `box ${options.box}, as asked (--box)`;
  } else {
    const min = options.minCoverage ?? 0.5;
    chosen = chooseBox(result, min);
    chosenBy = `the densest box with coverage at least ${min} (--min-coverage; --box N picks another)`;
  }
  return {
    where: options.where, conditions, output, ...(options.policy !== undefined ? { policy: options.policy } : {}),
    points, interest, dimensions: input.names, leftOut, result, chosen, chosenBy, limits: quasiP(input, result, chosen),
  };
}
