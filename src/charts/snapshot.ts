/**
 * Trust snapshot: the leaders and the within-locality trust ties of one replicate after a given
 * number of rounds, for the trust matrix and network charts. The model is deterministic for a
 * (scenario, seed, replicate), so the snapshot matches the run that produced the trajectories
 * and can be recomputed from a run directory's scenario and seed without the original run.
 */
import { ORGANISATION_KINDS } from '../agents/organisation-kinds.ts';
import { Simulation } from '../model/engine.ts';
import type { Scenario } from '../model/types.ts';

const KIND_NAMES = Object.keys(ORGANISATION_KINDS);

export interface SnapshotLeader {
  /** Index in the simulation's leader arrays (leaders are contiguous by locality, then organisation). */
  index: number;
  /** "Locality/organisation/k". */
  id: string;
  /** Short name inside its locality: the organisation, with "/k" when the organisation has several leaders. */
  name: string;
  organisation: string;
  kind: string;
  kindLabel: string;
  /** Positional power, [0,1]. */
  power: number;
  locality: string;
}

export interface SnapshotTie {
  /** Leader indices (into `leaders`): trust of `source` in `target`. */
  source: number;
  target: number;
  trust: number;
  /** Interaction frequency of the tie (1 inside a locality). */
  weight: number;
}

export interface TrustSnapshot {
  scenario: string;
  seed: string;
  replicate: number;
  /** Completed rounds: 0 is the state before the first round; trajectories' round r is snapshot round r + 1. */
  round: number;
  roundsPerYear: number;
  leaders: SnapshotLeader[];
  /** Directed within-locality ties (both directions of each pair). */
  ties: SnapshotTie[];
}

/**
 * Steps a `Simulation` of (scenario, seed, replicate) through `round` rounds (default: the
 * scenario's `rounds`, i.e. the end of the run) and extracts leaders and within-locality ties.
 */
export function trustSnapshot(scenario: Scenario, seed: string | number, replicate = 0, round: number = scenario.rounds): TrustSnapshot {
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be a whole number ≥ 0, not ${round}`);
  const simulation = new Simulation(scenario, seed, replicate);
  for (let r = 0; r < round; r++) simulation.step();
  const { leaders: L, organisations: O, localities: C, ties: T } = simulation.state;
  const n = L.id.length;
  const leaders: SnapshotLeader[] = [];
  for (let i = 0; i < n; i++) {
    const o = L.org[i];
    const kind = KIND_NAMES[O.kind[o]] ?? 'unknown';
    const several = O.leaderEnd[o] - O.leaderStart[o] > 1;
    leaders.push({
      index: i,
      id: L.id[i],
      name: several ? `${O.name[o]}/${i - O.leaderStart[o]}` : O.name[o],
      organisation: O.name[o],
      kind,
      kindLabel: ORGANISATION_KINDS[kind as keyof typeof ORGANISATION_KINDS]?.label ?? kind,
      power: L.power[i],
      locality: C.name[L.locality[i]],
    });
  }
  const ties: SnapshotTie[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = T.start[i]; k < T.start[i + 1]; k++) {
      if (!T.within[k]) continue;
      ties.push({ source: i, target: T.target[k], trust: T.trust[k], weight: T.weight[k] });
    }
  }
  return {
    scenario: scenario.name, seed: String(seed), replicate, round, roundsPerYear: scenario.roundsPerYear, leaders, ties,
  };
}
