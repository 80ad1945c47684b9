/**
 * The up-front size of a run or an experiment: leaders, ties, memory and time, estimated from
 * the scenario's structure before anything is built, so a scenario that would take gigabytes or
 * hours says so at once (and is refused above the limits unless the user asks for it with
 * `--allow-large`) instead of hanging or dying of a heap out-of-memory. The coefficients are
 * rough and deliberately on the high side; they come from docs/PERFORMANCE.md (about 15 ns per
 * tie and round at 200,000 leaders) and from profiling runs of 10,000 localities, whose time goes
 * to recording and writing one row per locality and round.
 */
import { resolveOrganisations } from '../model/initialise.ts';
import { MEASURES } from '../model/observe.ts';
import type { Scenario } from '../model/types.ts';
import { InputError } from '../documents/errors.ts';

const NS_PER_TIE_ROUND = 15;
const NS_PER_LEADER_ROUND = 200;
const NS_PER_LOCALITY_ROUND = 3_000;
/** Recording, formatting and writing one row of the trajectories (one value per measure). */
const NS_PER_ROW = 40_000;
const BYTES_PER_TIE = 29; // target, weight, within flag, trust, expectation
const BYTES_PER_LEADER = 300;
const BYTES_PER_LOCALITY = 800;
/** A row of results held in memory: one double per measure, plus array overhead. */
const BYTES_PER_ROW = MEASURES.length * 8 + 16;
/** Node's own footprint before any model state. */
const BASE_BYTES = 150 * 2 ** 20;

/** Above these a command refuses to start without `--allow-large`. */
export const MEMORY_LIMIT_BYTES = 2 * 2 ** 30;
export const TIME_LIMIT_SECONDS = 60 * 60;
/** Above these it says what it estimates before it starts. */
const NOTICE_BYTES = 512 * 2 ** 20;
const NOTICE_SECONDS = 60;

export interface ModelSize {
  localities: number;
  organisations: number;
  leaders: number;
  /** Directed ties: everyone to everyone in a locality, plus the cross-locality forums. */
  ties: number;
}

/** Counts leaders and ties as initialisation would build them, without building them. */
export function modelSize(scenario: Scenario): ModelSize {
  let organisations = 0;
  let leaders = 0;
  let ties = 0;
  for (const locality of scenario.localities) {
    const orgs = resolveOrganisations(locality);
    const n = orgs.reduce((sum, org) => sum + org.leaders, 0);
    organisations += orgs.length;
    leaders += n;
    ties += n * (n - 1);
  }
  const cross = scenario.localities.length > 1 ? Math.min(scenario.trust.crossTiesPerLeader, 2 * (scenario.localities.length - 1)) : 0;
  ties += leaders * cross;
  return { localities: scenario.localities.length, organisations, leaders, ties };
}

export interface CostInput {
  scenario: Scenario;
  /** Simulation runs (replicates × labels, or a sweep's runs). */
  runs: number;
  /** Result rows each run keeps in memory and writes: rounds × columns (localities + system, or system only). */
  rowsPerRun: number;
  /** Runs computed at once (worker threads); each holds one model state. */
  parallel?: number;
}

export interface CostEstimate extends ModelSize {
  runs: number;
  rows: number;
  bytes: number;
  seconds: number;
}

export function estimateCost(input: CostInput): CostEstimate {
  const size = modelSize(input.scenario);
  const parallel = Math.max(1, input.parallel ?? 1);
  const rounds = input.scenario.rounds;
  const rows = input.runs * input.rowsPerRun;
  const stateBytes = size.ties * BYTES_PER_TIE + size.leaders * BYTES_PER_LEADER + size.localities * BYTES_PER_LOCALITY;
  const bytes = BASE_BYTES + Math.min(parallel, input.runs) * stateBytes + rows * BYTES_PER_ROW;
  const perRound = size.ties * NS_PER_TIE_ROUND + size.leaders * NS_PER_LEADER_ROUND + size.localities * NS_PER_LOCALITY_ROUND;
  const seconds = (input.runs * rounds * perRound + rows * NS_PER_ROW) / 1e9 / Math.min(parallel, Math.max(1, input.runs));
  return { ...size, runs: input.runs, rows, bytes, seconds };
}

const n = (x: number) => Math.round(x).toLocaleString('en-GB');

export function describeBytes(bytes: number): string {
  if (bytes >= 2 ** 40) return `${(bytes / 2 ** 40).toPrecision(3)} TiB`;
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
  return `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;
}

export function describeSeconds(seconds: number): string {
  if (seconds >= 86_400) return `${(seconds / 86_400).toPrecision(3)} days`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toPrecision(3)} hours`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.max(1, Math.round(seconds))} s`;
}

export function describeCost(cost: CostEstimate): string {
  return `${n(cost.localities)} localit${cost.localities === 1 ? 'y' : 'ies'}, ${n(cost.leaders)} leaders, ${n(cost.ties)} ties; ` +
    `${n(cost.runs)} run${cost.runs === 1 ? '' : 's'} writing ${n(cost.rows)} rows: about ${describeBytes(cost.bytes)} of memory and ` +
    `${describeSeconds(cost.seconds)}`;
}

/**
 * Refuses (InputError, exit 2, nothing written) an estimate above the limits unless
 * `allowLarge`; returns a notice to print when it is large but allowed, else undefined.
 */
export function checkCost(cost: CostEstimate, allowLarge: boolean): string | undefined {
  const overMemory = cost.bytes > MEMORY_LIMIT_BYTES;
  const overTime = cost.seconds > TIME_LIMIT_SECONDS;
  if ((overMemory || overTime) && !allowLarge) {
    const limits = [
      ...(overMemory ? [`${describeBytes(MEMORY_LIMIT_BYTES)} of memory`] : []),
      ...(overTime ? [`${describeSeconds(TIME_LIMIT_SECONDS)}`] : []),
    ].join(' and ');
    throw new InputError(`this is too large to start without --allow-large: ${describeCost(cost)} (estimated), above the limit of ${limits}.`, [],
      'Nothing was run. Use fewer localities, leaders, rounds or replicates (a sweep: --runs-only, fewer points, or --shard), ' +
      'or add --allow-large if the machine has the memory and you have the time (docs/LIMITS.md).');
  }
  if (cost.bytes > NOTICE_BYTES || cost.seconds > NOTICE_SECONDS) return `partnersim: a large job: ${describeCost(cost)} (estimated).\n`;
  return undefined;
}
