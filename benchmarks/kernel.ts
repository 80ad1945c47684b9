/**
 * The C references from the bench's side. benchmarks/kernel.c is the trust pass alone:
 * compiling it, writing a live Simulation's trust-pass inputs for it, running it, and running the
 * engine's own trust pass (Simulation.runTrustPass: the WebAssembly kernel, or updateTrust) on the same inputs so the two can be timed and compared
 * byte for byte. benchmarks/round.c is the whole round (every phase of Simulation.step):
 * writeRoundInput writes a live Simulation's full state, parameters and round constants for it,
 * runRound runs it for some rounds, and compareRound compares the state it ends with against the
 * engine's after the same rounds, byte for byte. Used by `npm run bench` and by
 * tests/bench-kernel.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoundContext } from '../src/model/context.ts';
import type { Simulation } from '../src/model/engine.ts';
import { StreamBank } from '../src/model/rng.ts';
import type { SimState } from '../src/model/state.ts';

/** Compiler flags: -ffp-contract=off keeps e + β(u − e) two roundings, as in JavaScript (no FMA). */
export const KERNEL_FLAGS = ['-O2', '-march=native', '-ffp-contract=off'];

/** The C programs: the trust pass alone (kernel.c) and the whole round (round.c, with v8math.h). */
export type KernelName = 'kernel' | 'round';

/** kernel.c or round.c, found from the source tree or from dist/benchmarks (the build does not copy them). */
export function kernelSource(name: KernelName = 'kernel'): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, `${name}.c`), join(here, '..', '..', 'benchmarks', `${name}.c`)].find((p) => existsSync(p));
}

/** Compiles kernel.c (or round.c) into `dir`: the executable's path, or why not (no `cc`, a compile error). */
export function compileKernel(dir: string, name: KernelName = 'kernel'): { path: string } | { skipped: string } {
  const source = kernelSource(name);
  if (!source) return { skipped: `benchmarks/${name}.c not found` };
  const path = join(dir, name);
  const result = spawnSync('cc', [...KERNEL_FLAGS, '-o', path, source, '-lm'], { encoding: 'utf8' });
  if (result.error) return { skipped: `no C compiler (\`cc\`: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message})` };
  if (result.status !== 0) return { skipped: `\`cc\` failed: ${result.stderr.trim().split('\n')[0]}` };
  return { path };
}

/** The arrays the trust pass reads and writes that change from round to round (the rest is structure). */
export function passArrays(state: SimState): Float64Array[] {
  const { ties: T, leaders: L, localities: C } = state;
  return [T.trust, T.expected, L.disposition, L.unforced, L.expectation, L.trustMean, C.trustUp, C.forcedMonths, C.minTrust];
}

/** What the pass writes, in the order kernel.c writes its output: trust, expected, expectation, trustMean, minTrust. */
export function passOutputs(state: SimState): Float64Array[] {
  const { ties: T, leaders: L, localities: C } = state;
  return [T.trust, T.expected, L.expectation, L.trustMean, C.minTrust];
}

const bytes = (a: Int32Array | Float64Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes kernel.c's input (format in kernel.c: a header, the round constants, then the arrays). */
export function writeKernelInput(path: string, state: SimState, context: RoundContext): void {
  const { ties: T, leaders: L, localities: C, scenario } = state;
  const header = new Int32Array(8);
  header.set([0x314b5350 /* "PSK1" little-endian */, L.disposition.length, T.target.length, C.minTrust.length, scenario.regime.mandated ? 1 : 0]);
  const constants = Float64Array.of(
    scenario.trust.reciprocityTolerance, scenario.trust.initial, context.beliefWeight, context.trustLoss,
    context.crossGain, context.crossLoss, context.mandateCostPerRound, scenario.trust.paceCost,
  );
  const parts = [
    header, constants, T.start, T.withinEnd, T.target, T.weight, T.trust, T.expected,
    L.disposition, L.unforced, L.expectation, L.trustMean, L.locality,
    C.trustUp, C.forcedMonths, C.leaderStart, C.leaderEnd,
  ];
  const fd = openSync(path, 'w'); // part by part: no second copy of the ties in memory
  try {
    for (const a of parts) writeSync(fd, bytes(a));
  } finally {
    closeSync(fd);
  }
}

export interface KernelRun {
  nsPerTieMedian: number;
  nsPerTieMin: number;
  rounds: number;
  ties: number;
  trustSum: number;
  /** trust, expected, expectation, trustMean, minTrust after the passes. */
  outputs: Float64Array[];
}

/** Runs the compiled kernel for `rounds` passes over `input`; its output goes to `output`. */
export function runKernel(executable: string, input: string, output: string, rounds: number, state: SimState): KernelRun {
  const result = spawnSync(executable, [input, output, String(rounds)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kernel exited ${result.status}: ${result.stderr.trim()}`);
  const figures = JSON.parse(result.stdout) as Omit<KernelRun, 'outputs'>;
  const raw = readFileSync(output);
  const data = raw.byteOffset % 8 === 0
    ? new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8)
    : new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const outputs: Float64Array[] = [];
  let at = 0;
  for (const a of passOutputs(state)) {
    outputs.push(data.subarray(at, at + a.length)); // views: no second copy of the ties
    at += a.length;
  }
  if (at !== data.length) throw new Error(`kernel output has ${data.length} doubles, expected ${at}`);
  return { ...figures, outputs };
}

/**
 * Runs the simulation's own trust pass (`runTrustPass()`: the WebAssembly kernel where it is
 * available, as `step()` runs it) `rounds` times starting from `snapshot` (passArrays'
 * contents), timing each pass, and leaves the live state as it found it. Returns the per-pass
 * times (ms) and copies of what the pass wrote.
 */
export function enginePasses(
  sim: Simulation, snapshot: Float64Array[], rounds: number,
): { ms: number[]; outputs: Float64Array[] } {
  const { state } = sim;
  const live = passArrays(state);
  const kept = live.map((a) => a.slice());
  live.forEach((a, k) => a.set(snapshot[k]));
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    sim.runTrustPass();
    ms.push(performance.now() - t0);
  }
  const outputs = passOutputs(state).map((a) => a.slice());
  live.forEach((a, k) => a.set(kept[k]));
  return { ms, outputs };
}

/** Whether two lists of arrays hold the same bytes. */
export function sameBytes(a: Float64Array[], b: Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, k) => {
    const y = b[k];
    if (x.length !== y.length) return false;
    const bx = bytes(x);
    const by = bytes(y);
    for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) return false;
    return true;
  });
}

/** Σ trust in index order, as kernel.c sums it. */
export function trustSum(trust: Float64Array): number {
  let s = 0;
  for (let k = 0; k < trust.length; k++) s += trust[k];
  return s;
}

// ---- the whole round (benchmarks/round.c) ----

type StateArray = Float64Array | Int32Array | Uint8Array;
const TYPE_CODES = new Map<unknown, number>([[Float64Array, 0], [Int32Array, 1], [Uint8Array, 2]]);
const NAME_BYTES = 48;

/**
 * Every array of the state under round.c's record names: "L.", "O.", "C.", "T." and the
 * engine's property names (a StreamBank's four arrays as L.rng.c …), and the scalars as "S.".
 * Live views, not copies. String arrays (names, ids) are not state the round changes.
 */
export function stateRecords(state: SimState): [string, StateArray][] {
  const records: [string, StateArray][] = [];
  const groups: [string, object][] = [['L', state.leaders], ['O', state.organisations], ['C', state.localities], ['T', state.ties]];
  for (const [prefix, group] of groups) {
    for (const [key, value] of Object.entries(group)) {
      if (value instanceof StreamBank) {
        for (const part of ['c', 's0', 's1', 's2'] as const) records.push([`${prefix}.${key}.${part}`, value[part]]);
      } else if (ArrayBuffer.isView(value)) {
        if (!TYPE_CODES.has(value.constructor)) throw new TypeError(`${prefix}.${key}: round.c has no type for ${value.constructor.name}`);
        records.push([`${prefix}.${key}`, value as StateArray]);
      }
    }
  }
  return records;
}

/** The state's scalars, as one-entry arrays (a copy: written back with restoreScalars). */
function scalarRecords(state: SimState): [string, StateArray][] {
  return [
    ['S.round', Int32Array.of(state.round)],
    ['S.demandFactor', Float64Array.of(state.demandFactor)],
    ['S.budgetFactor', Float64Array.of(state.budgetFactor)],
  ];
}

const bit = (b: boolean) => (b ? 1 : 0);

/** The scenario's parameters (P.), switches (X.) and round constants (K.) that round.c reads. */
function parameterRecords(sim: Simulation, rounds: number): [string, number | Float64Array][] {
  const { state, context: K } = sim;
  const s = state.scenario;
  const { leaders: P, regime, funding, board, outcomes, trust, flexibilities } = s;
  const fund = funding.transformationFund;
  const due = (s.interventions ?? []).filter((v) => v.at >= state.round && v.at < state.round + rounds).length;
  return [
    ['P.budgetPressureScale', P.budgetPressureScale], ['P.commissionerDependence', funding.commissionerDependence],
    ['P.accountability', regime.accountability], ['P.systemTarget', regime.systemTarget],
    ['P.penaltySeverity', regime.penaltySeverity], ['P.rewardSeverity', regime.rewardSeverity],
    ['P.focusSensitivity', P.focusSensitivity], ['P.conditionalSlope', P.conditionalSlope],
    ['P.decisionNoise', P.decisionNoise], ['P.engagementThreshold', P.engagementThreshold],
    ['P.returnSensitivity', P.returnSensitivity], ['P.budgetEnabling', P.budgetEnabling],
    ['P.budgetRetreat', P.budgetRetreat], ['P.fundBeliefSpread', P.fundBeliefSpread],
    ['P.mandateFloor', regime.mandateFloor], ['P.gainShare', funding.gainShare],
    ['P.collectiveThreshold', fund.collectiveThreshold], ['P.formulaThreshold', board.formulaThreshold],
    ['P.costRate', board.costRate], ['P.difficulty', board.difficulty], ['P.sizeDifficulty', board.sizeDifficulty],
    ['P.inequalityPenalty', board.inequalityPenalty], ['P.performingEase', board.performingEase],
    ['P.trustGain', trust.gain], ['P.meetingGainShare', trust.meetingGainShare], ['P.roundsPerYear', s.roundsPerYear],
    ['P.leadCommissioningCap', flexibilities.leadCommissioning.cap],
    ['P.integratedProvisionCap', flexibilities.integratedProvision.cap],
    ['P.integratedProvisionBonus', outcomes.integratedProvisionBonus],
    ['P.understandingWeight', outcomes.understandingWeight], ['P.scopeEfficiency', outcomes.scopeEfficiency],
    ['P.scaleEfficiency', outcomes.scaleEfficiency], ['P.baseEfficiency', outcomes.baseEfficiency],
    ['P.servicesLifeYears', outcomes.servicesLifeYears], ['P.healthFade', outcomes.healthFade],
    ['P.valueDecay', outcomes.valueDecay], ['P.trend', outcomes.trend], ['P.halfSaturation', outcomes.halfSaturation],
    ['P.lifeExpectancyPerIndex', outcomes.lifeExpectancyPerIndex], ['P.demandRelief', outcomes.demandRelief],
    ['P.focusPerformanceBonus', outcomes.focusPerformanceBonus], ['P.winterShock', funding.winterShock],
    ['P.sanctionStrength', P.sanctions.strength], ['P.trustInitial', trust.initial],
    ['P.structuralPartnering', regime.structuralPartnering], ['P.priorBelief', P.priorBelief],
    ['P.turnoverMemoryLoss', board.turnoverMemoryLoss], ['P.reciprocityTolerance', trust.reciprocityTolerance],
    ['P.paceCost', trust.paceCost], ['P.priorReturn', P.priorReturn], ['P.visionGain', board.visionGain],
    ['P.normingTrust', board.normingTrust], ['P.performingTrust', board.performingTrust],
    ['P.performingUnderstanding', board.performingUnderstanding], ['P.regressTrust', board.regressTrust],
    ['P.regressUnderstanding', board.regressUnderstanding],
    ['X.mandated', bit(!!regime.mandated)], ['X.balancedBudgetDuty', bit(!!funding.balancedBudgetDuty)],
    ['X.requirePlan', bit(!!fund.requirePlan)], ['X.consensusRequired', bit(!!board.consensusRequired)],
    ['X.leadCommissioningAllowed', bit(!!flexibilities.leadCommissioning.allowed)],
    ['X.integratedProvisionAllowed', bit(!!flexibilities.integratedProvision.allowed)],
    ['X.sanctionsEnabled', bit(!!P.sanctions.enabled)],
    ['X.fundCondition', fund.condition === 'collective' ? 1 : fund.condition === 'none' ? 0 : -1],
    ['X.rules', bit(K.orgPenaltyRule !== null || K.collectiveDeliveryRule !== null)],
    ['X.interventionsDue', due],
    ['K.budgetGrowthPerRound', K.budgetGrowthPerRound], ['K.demandGrowthPerRound', K.demandGrowthPerRound],
    ['K.budgetAdaptation', K.budgetAdaptation], ['K.monthsPerRound', K.monthsPerRound], ['K.poolCap', K.poolCap],
    ['K.paceMonthly', K.paceMonthly], ['K.pacePerRound', K.pacePerRound], ['K.idleLoss', K.idleLoss],
    ['K.performanceResponse', K.performanceResponse], ['K.servicesSmoothing', K.servicesSmoothing],
    ['K.lagOutflow', K.lagOutflow], ['K.sanctionMemory', K.sanctionMemory], ['K.focusRecovery', K.focusRecovery],
    ['K.turnoverPerRound', K.turnoverPerRound], ['K.beliefWeight', K.beliefWeight], ['K.trustLoss', K.trustLoss],
    ['K.crossGain', K.crossGain], ['K.crossLoss', K.crossLoss], ['K.mandateCostPerRound', K.mandateCostPerRound],
    ['K.returnWeight', K.returnWeight], ['K.understandingRate', K.understandingRate], ['K.frictionShare', K.frictionShare],
    ['K.assessmentRounds', K.assessmentRounds], ['K.fundAssessmentRounds', K.fundAssessmentRounds],
    ['K.stormingRounds', K.stormingRounds],
    // The fund's payment for each round to be run, from context.fundForRound (the fund's schedule is not ported to C).
    ['K.fund', Float64Array.from({ length: rounds }, (_, r) => K.fundForRound(state.round + r))],
  ];
}

function recordHeader(name: string, type: number, count: number): Uint8Array {
  const head = new Uint8Array(NAME_BYTES + 8);
  const encoded = new TextEncoder().encode(name);
  if (encoded.length > NAME_BYTES) throw new RangeError(`record name ${name} is longer than ${NAME_BYTES} bytes`);
  head.set(encoded);
  new DataView(head.buffer).setUint32(NAME_BYTES, type, true);
  new DataView(head.buffer).setUint32(NAME_BYTES + 4, count, true);
  return head;
}

/** Writes round.c's input for `rounds` rounds from `sim` as it stands (format in round.c). */
export function writeRoundInput(path: string, sim: Simulation, rounds: number): void {
  const parameters = parameterRecords(sim, rounds).map(([name, v]): [string, StateArray] => {
    if (typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v)) throw new RangeError(`${name} is ${v}`);
    return [name, typeof v === 'number' ? Float64Array.of(v) : v];
  });
  const records = [...stateRecords(sim.state), ...scalarRecords(sim.state), ...parameters];
  const fd = openSync(path, 'w'); // record by record: no second copy of the ties in memory
  try {
    writeSync(fd, Uint32Array.of(0x31525350 /* "PSR1" */, records.length));
    const pad = new Uint8Array(8);
    for (const [name, a] of records) {
      writeSync(fd, recordHeader(name, TYPE_CODES.get(a.constructor)!, a.length));
      writeSync(fd, bytes(a));
      if (a.byteLength % 8) writeSync(fd, pad, 0, 8 - (a.byteLength % 8));
    }
  } finally {
    closeSync(fd);
  }
}

export interface RoundRun {
  rounds: number;
  ties: number;
  /** The whole round's ns per tie, round by round. */
  nsPerTie: number[];
  /** Median and minimum over the rounds of the whole round's ns per tie. */
  nsPerTieMedian: number;
  nsPerTieMin: number;
  /** Each phase's median ns per tie per round, by phase name (round.c's). */
  phases: Record<string, number>;
}

/** Runs the compiled round.c for `rounds` rounds from `input`; its output goes to `output`. */
export function runRound(executable: string, input: string, output: string, rounds: number): RoundRun {
  const result = spawnSync(executable, [input, output, String(rounds)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`round.c exited ${result.status}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as RoundRun;
}

export interface RoundComparison {
  /** Every state array and scalar holds the same bytes. */
  same: boolean;
  /** Records that differ (name and first differing index). */
  differing: string[];
  /** Largest |a − b| / max(|a|, |b|) over the differing doubles (0 when the same). */
  maxRelativeDifference: number;
  /** Records compared. */
  compared: number;
}

/**
 * Compares round.c's output file with the engine's state now (after the same rounds from the same
 * start), record by record in chunks: the output is as large as the state, and holding a copy
 * would count in the bench's peak memory.
 */
export function compareRound(outputPath: string, state: SimState): RoundComparison {
  const engine = new Map([...stateRecords(state), ...scalarRecords(state)]);
  const differing: string[] = [];
  let maxRelativeDifference = 0;
  const chunk = new Uint8Array(1 << 20); // a multiple of 8: records stay aligned in it
  const fd = openSync(outputPath, 'r');
  let position = 0;
  const read = (length: number) => {
    if (readSync(fd, chunk, 0, length, position) !== length) throw new Error(`${outputPath} is too short`);
    position += length;
  };
  try {
    read(8);
    const head = new DataView(chunk.buffer, 0, 8);
    if (head.getUint32(0, true) !== 0x31525350) throw new Error(`${outputPath} is not round.c's output`);
    const count = head.getUint32(4, true);
    const seen = new Set<string>();
    for (let r = 0; r < count; r++) {
      read(NAME_BYTES + 8);
      const end = chunk.indexOf(0);
      const name = new TextDecoder().decode(chunk.subarray(0, end >= 0 && end < NAME_BYTES ? end : NAME_BYTES));
      const view = new DataView(chunk.buffer, NAME_BYTES, 8);
      const type = view.getUint32(0, true);
      const length = view.getUint32(4, true);
      const Type = [Float64Array, Int32Array, Uint8Array][type];
      if (!Type) throw new Error(`record ${name}: unknown type ${type}`);
      const total = (length * Type.BYTES_PER_ELEMENT + 7) & ~7;
      const mine = engine.get(name);
      if (!mine) {
        position += total; // a parameter or round constant: not state
        continue;
      }
      seen.add(name);
      if (mine.constructor !== Type || mine.length !== length) {
        differing.push(`${name} (of another shape)`);
        position += total;
        continue;
      }
      const size = Type.BYTES_PER_ELEMENT;
      const mineBytes = bytes(mine);
      let first = -1;
      for (let done = 0; done < total; done += chunk.length) {
        const n = Math.min(chunk.length, total - done);
        read(n);
        const used = Math.min(n, mineBytes.length - done); // without the padding
        let equal = true;
        for (let k = 0; k < used; k++) if (chunk[k] !== mineBytes[done + k]) { equal = false; break; }
        if (equal) continue;
        const from = done / size;
        const theirs = new Type(chunk.buffer, 0, used / size);
        for (let k = 0; k < theirs.length; k++) {
          const x = mine[from + k];
          const y = theirs[k];
          if (sameBits(mineBytes, done + k * size, chunk, k * size, size)) continue;
          if (first < 0) first = from + k;
          const scale = Math.max(Math.abs(x), Math.abs(y));
          maxRelativeDifference = Math.max(maxRelativeDifference, scale > 0 && x === x && y === y ? Math.abs(x - y) / scale : Infinity);
        }
      }
      if (first >= 0) differing.push(`${name}[${first}]`);
    }
    for (const name of engine.keys()) if (!seen.has(name)) differing.push(`${name} (missing)`);
  } finally {
    closeSync(fd);
  }
  return { same: differing.length === 0, differing, maxRelativeDifference, compared: engine.size };
}

function sameBits(a: Uint8Array, at: number, b: Uint8Array, bt: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (a[at + k] !== b[bt + k]) return false;
  return true;
}
