/**
 * The engine: one `step` contract (advance the state by one round, in the order the ODD fixes)
 * and runners for a replicate and for a set of replicates. No I/O: results stay in memory.
 *
 * Round order (ODD §3): 1 environment · 2 regulation · 3 decisions (all leaders compute, then
 * the locality sums are formed in index order) · 4 board decisions and the fund · 5 outcomes
 * (organisational performance, then partnership value and population health, which reads the
 * services' performance) · 6 learning (sanctions, turnover, trust and expectations, locality
 * learning) · 7 observation.
 * Per-leader phases read only last round's shared state and write only the leader's own
 * variables and ties (and, in the trust pass, lower a locality minimum, which is exact in any
 * order), so the leader processing order cannot change a result (tested).
 */
import { prepareContext, type RoundContext } from './context.ts';
import { initialise } from './initialise.ts';
import { scenarioAfter, schedule } from './interventions.ts';
import { Recorder, type Trajectories } from './observe.ts';
import type { SimState } from './state.ts';
import { aggregateDecisions, boardDecision } from './submodels/board.ts';
import { decide } from './submodels/decisions.ts';
import { environment } from './submodels/environment.ts';
import {
  drawTurnover, localityLearning, replaceLeader, sanctions, updateTrust,
} from './submodels/learning.ts';
import { organisationPerformance, partnershipOutcomes } from './submodels/outcomes.ts';
import { regulation } from './submodels/regulation.ts';
import type { Intervention, Scenario } from './types.ts';
import { TrustPass } from './wasm/trust-pass.ts';

export interface StepOptions {
  /**
   * Order in which per-leader phases visit leaders (a permutation of 0..n−1). Defaults to index
   * order. Exposed so tests can show that the order changes nothing.
   */
  order?: Int32Array;
  /**
   * Which trust pass runs: 'auto' (default) the WebAssembly kernel where available, else the
   * JavaScript one; 'javascript' always the JavaScript one. Both give the same bits (tested).
   */
  trustPass?: 'auto' | 'javascript';
}

/** Scratch buffers reused every round so the hot loop allocates nothing. */
class Scratch {
  /** Leaders replaced this round. */
  declare replaced: Uint8Array;

  constructor(leaders: number) {
    this.replaced = new Uint8Array(leaders);
  }
}

/** 0, 1, …, n − 1. */
function indexOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

// Fields are `declare`d and assigned once each in the constructor, in one order, so that every
// simulation has the same hidden class with typed fields from the first run on (issue #15).
export class Simulation {
  declare readonly state: SimState;
  private declare contextNow: RoundContext;
  private declare readonly order: Int32Array;
  private declare readonly scratch: Scratch;
  /** Interventions still to come, sorted by round. */
  private declare readonly pending: Intervention[];
  /** The WebAssembly trust pass, or null for the JavaScript `updateTrust`. */
  private declare readonly trustPass: TrustPass | null;
  /** Set by `finish`: the simulation may no longer be stepped. */
  private declare finished: boolean;

  constructor(scenario: Scenario, seed: string | number, replicate = 0, options: StepOptions = {}) {
    this.contextNow = null as unknown as RoundContext; // typed "any object" from the first, as SimState's scenario (state.ts)
    this.contextNow = prepareContext(scenario);
    this.state = initialise(scenario, seed, replicate);
    this.pending = schedule(scenario);
    const n = this.state.leaders.id.length;
    this.order = options.order ?? indexOrder(n);
    if (this.order.length !== n) throw new RangeError(`order has ${this.order.length} entries for ${n} leaders`);
    this.scratch = new Scratch(n);
    // Before anything else holds the state's arrays: the kernel moves some into its memory.
    this.trustPass = options.trustPass === 'javascript' ? null : TrustPass.attach(this.state, this.order);
    this.finished = false;
  }

  /** The round constants in force (derived again after each intervention). */
  get context(): RoundContext {
    return this.contextNow;
  }

  /**
   * Changes parameters between rounds: from the next round on, `intervention.set`'s values hold
   * and the round constants are derived again; the state carries on. The scheduled
   * interventions of the scenario come through here; a caller (the studio) may add its own.
   * Values are the caller's to validate (validateScenario checks a scenario's schedule).
   */
  intervene(intervention: Pick<Intervention, 'set'>): void {
    const next = scenarioAfter(this.state.scenario, { at: this.state.round, set: intervention.set });
    this.state.scenario = next;
    this.contextNow = prepareContext(next);
  }

  /** Advances one round. */
  step(): void {
    if (this.finished) throw new Error('this simulation is finished: its arrays were handed back (Simulation.finish)');
    while (this.pending.length > 0 && this.pending[0].at <= this.state.round) this.intervene(this.pending.shift()!);
    const { state, context, order, scratch } = this;
    const nLoc = state.localities.name.length;

    environment(state, context);
    regulation(state, context);
    decide(state, context, order);
    aggregateDecisions(state);
    for (let c = 0; c < nLoc; c++) boardDecision(state, context, c);
    organisationPerformance(state, context);
    for (let c = 0; c < nLoc; c++) partnershipOutcomes(state, context, c);

    sanctions(state, context, order);
    // Turnover comes before the trust update: newcomers start from baseline relationships, and
    // the one pass over the ties that follows both updates and summarises every leader's trust.
    if (drawTurnover(state, context, order, scratch.replaced)) this.applyTurnover();
    this.runTrustPass();
    for (let c = 0; c < nLoc; c++) localityLearning(state, context, c);
    state.round++;
  }

  /** Which trust pass this simulation runs (7.8.2 of the ODD): both give the same bits. */
  get trustPassKind(): 'webassembly' | 'javascript' {
    return this.trustPass === null ? 'javascript' : 'webassembly';
  }

  /** The round's trust pass alone (step 11), as `step()` runs it: exposed for the benchmarks. */
  runTrustPass(): void {
    if (this.trustPass !== null) this.trustPass.update(this.state, this.contextNow);
    else updateTrust(this.state, this.contextNow, this.order);
  }

  /**
   * Gives the WebAssembly kernel's memory back for the next simulation of the same size (a new
   * memory and instance are about 4% of a gm-2017 replicate). For a simulation that will never
   * be stepped or read again: its trust arrays live in that memory and will be overwritten.
   */
  finish(): void {
    this.finished = true;
    this.trustPass?.release();
  }

  /** Resets the relationships of replaced leaders, in index order (each reset sets constants, so
   * the order cannot matter; index order just makes that obvious). */
  private applyTurnover(): void {
    const { state, scratch } = this;
    for (let i = 0; i < scratch.replaced.length; i++) if (scratch.replaced[i]) replaceLeader(state, i);
  }
}

export interface RunOptions extends StepOptions {
  seed?: string | number;
  replicate?: number;
  /** Overrides `scenario.rounds`. */
  rounds?: number;
  /** Record every locality (default) or only the system column (large synthetic systems). */
  recordLocalities?: boolean;
}

export interface ReplicateResult {
  scenario: string;
  seed: string;
  replicate: number;
  trajectories: Trajectories;
}

/** Runs one replicate from round 0 and returns its trajectories. */
export function runReplicate(scenario: Scenario, options: RunOptions = {}): ReplicateResult {
  const seed = String(options.seed ?? 1);
  const replicate = options.replicate ?? 0;
  const rounds = options.rounds ?? scenario.rounds;
  const simulation = new Simulation(scenario, seed, replicate, options);
  const recorder = new Recorder(simulation.state.localities.name, rounds, options.recordLocalities ?? true);
  for (let r = 0; r < rounds; r++) {
    simulation.step();
    recorder.record(simulation.state, r);
  }
  simulation.finish(); // never seen outside this function
  return { scenario: scenario.name, seed, replicate, trajectories: recorder.result() };
}

export interface ReplicatesOptions extends Omit<RunOptions, 'replicate' | 'order'> {
  replicates?: number;
  /** First replicate index (for shards); replicate k uses stream (seed, firstReplicate + k). */
  firstReplicate?: number;
  /** Called after each replicate with (done, total): progress for long runs. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs replicates 0..n−1 (or a slice); replicate k is the same wherever and whenever it runs. */
export function runReplicates(scenario: Scenario, options: ReplicatesOptions = {}): ReplicateResult[] {
  const total = options.replicates ?? 1;
  const first = options.firstReplicate ?? 0;
  const results: ReplicateResult[] = [];
  for (let k = 0; k < total; k++) {
    results.push(runReplicate(scenario, { ...options, replicate: first + k }));
    options.onProgress?.(k + 1, total);
  }
  return results;
}
