/**
 * The studio's model side (it runs in the Web Worker; no DOM, no Node): builds the scenario a
 * config describes with the same document layer as the CLI, steps every replicate of A (and B)
 * one round at a time with the engine's own `Simulation` and `Recorder`, and summarises each
 * round for the page: median and 50%/90% bands over replicates, the paired B − A gap, the
 * stage of each locality and the trust on each tie of replicate 0.
 *
 * An intervention is recorded into the side's schedule and the side is replayed from round 0 to
 * the current round: the model is deterministic, so the rounds already shown come out the same,
 * and what the page shows is by construction what `runReplicates` gives for the scenario with
 * that schedule (the downloaded file's numbers).
 */
import { quantileSorted } from '../charts/data.ts';
import { checkScenario, parseScenarioDocument, unknownScenario } from '../documents/document.ts';
import { InputError } from '../documents/errors.ts';
import { adjustScenario } from '../documents/prepare.ts';
import { Simulation } from '../model/engine.ts';
// A scenario written in the studio may have regime-rule formulas: the compiler is in the bundle and ready.
import '../model/rules.ts';
import { Recorder } from '../model/observe.ts';
import type { Scenario } from '../model/types.ts';
import { builtInScenario, isBuiltInScenario } from '../scenarios/index.ts';
import { STAGES } from '../model/submodels/learning.ts';
import { QUANTILES, STUDIO_MEASURES } from './measures.ts';
import { withIntervention, type LeverValue, type Settings, type StudioConfig } from './config.ts';

export { QUANTILES, STUDIO_MEASURES } from './measures.ts';

/** The scenario a config gives for one side (base ← regime ← set-up overrides ← schedule), checked as the CLI checks it. */
export function baseScenario(config: StudioConfig): { scenario: Scenario; builtIn?: string } {
  if (config.document) return { scenario: parseScenarioDocument(config.document.text, config.document.name).scenario };
  if (!isBuiltInScenario(config.scenario)) throw unknownScenario(config.scenario);
  return { scenario: builtInScenario(config.scenario), builtIn: config.scenario };
}

export function sideScenario(base: Scenario, settings: Settings, label: string): Scenario {
  const sets = Object.entries(settings.set).map(([path, value]) => ({ path, text: String(value) }));
  let scenario = adjustScenario(base, { regime: settings.regime || undefined, sets }, `${label}'s settings`);
  if (settings.interventions.length > 0) {
    scenario = { ...scenario, interventions: [...(scenario.interventions ?? []), ...settings.interventions] };
    const problems = checkScenario(scenario);
    if (problems.length > 0) throw new InputError(`${label}'s interventions are not valid:`, problems);
  }
  return scenario;
}

export interface NetworkShape {
  localities: string[];
  /** Per leader: locality index, organisation kind index, positional power. */
  locality: number[];
  kind: number[];
  power: number[];
  /** Directed within-locality ties: source and target leader. */
  source: number[];
  target: number[];
}

export interface SideFrame {
  /** Per new round, per measure (STUDIO_MEASURES order), the five QUANTILES: [round][measure][q]. */
  bands: number[][][];
  /** Per new round, the modal stage (0–3) of each locality over replicates. */
  stages: number[][];
  /** At the last round: mean number of localities in each stage over replicates. */
  stageCounts: number[];
  /** At the last round: trust on each within-locality tie of replicate 0 (NetworkShape order). */
  trust: number[];
}

export interface Frame {
  /** Rounds run so far. */
  round: number;
  /** Round index of the first entry in the bands/stages lists. */
  from: number;
  a: SideFrame;
  b?: SideFrame;
  /** Paired B − A per replicate: [round][measure][q]. */
  gap?: number[][][];
}

class Side {
  readonly sims: Simulation[] = [];
  readonly recorders: Recorder[] = [];
  round = 0;

  constructor(readonly scenario: Scenario, readonly seed: number, replicates: number) {
    for (let k = 0; k < replicates; k++) {
      const sim = new Simulation(scenario, String(seed), k);
      this.sims.push(sim);
      this.recorders.push(new Recorder(sim.state.localities.name, scenario.rounds, true));
    }
  }

  step(): void {
    for (let k = 0; k < this.sims.length; k++) {
      this.sims[k].step();
      this.recorders[k].record(this.sims[k].state, this.round);
    }
    this.round++;
  }

  /** Value of `measure` for replicate k at round index r, system column. */
  value(measure: string, k: number, r: number): number {
    const recorder = this.recorders[k];
    const width = recorder.columns.length;
    return recorder.data[measure][r * width + width - 1];
  }
}

const sorted = (values: Float64Array) => values.sort();

export class Session {
  readonly config: StudioConfig;
  readonly base: Scenario;
  readonly builtIn?: string;
  private a: Side;
  private b?: Side;
  private sent = 0;
  readonly network: NetworkShape;
  private readonly tieIndex: number[];

  constructor(config: StudioConfig) {
    this.config = structuredClone(config);
    const { scenario, builtIn } = baseScenario(config);
    this.base = scenario;
    this.builtIn = builtIn;
    this.a = new Side(sideScenario(scenario, config.a, 'A'), config.seed, config.replicates);
    if (config.b) this.b = new Side(sideScenario(scenario, config.b, 'B'), config.seed, config.replicates);
    const shape = this.a.sims[0].state;
    const { leaders: L, organisations: O, ties: T, localities: C } = shape;
    this.tieIndex = [];
    const source: number[] = [];
    const target: number[] = [];
    for (let i = 0; i < L.id.length; i++) {
      for (let t = T.start[i]; t < T.start[i + 1]; t++) {
        if (!T.within[t]) continue;
        this.tieIndex.push(t);
        source.push(i);
        target.push(T.target[t]);
      }
    }
    this.network = {
      localities: [...C.name],
      locality: Array.from(L.locality),
      kind: Array.from(L.org, (o) => O.kind[o]),
      power: Array.from(L.power),
      source, target,
    };
  }

  get round(): number {
    return this.a.round;
  }

  get rounds(): number {
    return this.a.scenario.rounds;
  }

  get roundsPerYear(): number {
    return this.a.scenario.roundsPerYear;
  }

  get done(): boolean {
    return this.round >= this.rounds;
  }

  /** The scenario side A (or B) runs, schedule included. */
  scenarioOf(side: 'a' | 'b'): Scenario {
    const s = side === 'a' ? this.a : this.b;
    if (!s) throw new RangeError('not comparing: there is no B');
    return s.scenario;
  }

  step(): void {
    if (this.done) return;
    this.a.step();
    this.b?.step();
  }

  /**
   * Changes levers of one side from the current round on and records the change in its
   * schedule. At round 0 the change is a set-up override instead. Throws an InputError (and
   * changes nothing) when the result is not a valid scenario.
   */
  intervene(side: 'a' | 'b', set: Record<string, LeverValue>, label?: string): void {
    const settings = side === 'a' ? this.config.a : this.config.b;
    if (!settings) throw new RangeError('not comparing: there is no B');
    const round = this.round;
    const next: Settings = round === 0
      ? { ...settings, set: { ...settings.set, ...set } }
      : withIntervention(settings, round, set, label);
    const scenario = sideScenario(this.base, next, side.toUpperCase());
    const replay = new Side(scenario, this.config.seed, this.config.replicates);
    while (replay.round < round) replay.step();
    if (side === 'a') this.a = replay;
    else this.b = replay;
    this.config[side] = next;
  }

  /** A frame with every round not yet sent (or all rounds from 0 with `all`). */
  frame(all = false): Frame {
    const from = all ? 0 : Math.min(this.sent, this.round);
    this.sent = this.round;
    const frame: Frame = { round: this.round, from, a: this.sideFrame(this.a, from) };
    if (this.b) {
      frame.b = this.sideFrame(this.b, from);
      frame.gap = this.gapBands(from);
    }
    return frame;
  }

  /** Quantiles over replicates of each studio measure at round index r. */
  bandsAt(side: Side, r: number): number[][] {
    const n = side.sims.length;
    const values = new Float64Array(n);
    return STUDIO_MEASURES.map((measure) => {
      for (let k = 0; k < n; k++) values[k] = side.value(measure, k, r);
      const s = sorted(values);
      return QUANTILES.map((p) => quantileSorted(s, p));
    });
  }

  private sideFrame(side: Side, from: number): SideFrame {
    const bands: number[][][] = [];
    const stages: number[][] = [];
    const nLoc = this.network.localities.length;
    for (let r = from; r < side.round; r++) {
      bands.push(this.bandsAt(side, r));
      const modal: number[] = [];
      for (let c = 0; c < nLoc; c++) {
        const counts = [0, 0, 0, 0];
        for (const recorder of side.recorders) counts[recorder.data.stage[r * recorder.columns.length + c]]++;
        modal.push(counts.indexOf(Math.max(...counts)));
      }
      stages.push(modal);
    }
    const stageCounts = STAGES.map(() => 0);
    for (const sim of side.sims) for (let c = 0; c < nLoc; c++) stageCounts[sim.state.localities.stage[c]] += 1 / side.sims.length;
    const trustArray = side.sims[0].state.ties.trust;
    return { bands, stages, stageCounts, trust: this.tieIndex.map((t) => trustArray[t]) };
  }

  private gapBands(from: number): number[][][] {
    const a = this.a;
    const b = this.b!;
    const n = a.sims.length;
    const values = new Float64Array(n);
    const out: number[][][] = [];
    for (let r = from; r < a.round; r++) {
      out.push(STUDIO_MEASURES.map((measure) => {
        for (let k = 0; k < n; k++) values[k] = b.value(measure, k, r) - a.value(measure, k, r);
        const s = sorted(values);
        return QUANTILES.map((p) => quantileSorted(s, p));
      }));
    }
    return out;
  }
}
