/**
 * Builds the tie network in CSR form: every leader is tied to every other leader of its
 * locality (the locality board, dense), and to a few leaders of the same organisation kind in
 * other localities (system-level forums, sparse: a ring per kind, `perLeader / 2` neighbours
 * on each side). Ties are directed (trust i → j need not equal trust j → i) but always come in
 * reciprocal pairs.
 */
import { TieArrays } from './state.ts';

export interface NetworkInput {
  /** Locality ranges over leader indices (leaders are contiguous by locality). */
  localityStart: Int32Array;
  localityEnd: Int32Array;
  leaderLocality: Int32Array;
  leaderKind: Uint8Array;
  crossTiesPerLeader: number;
  crossTieWeight: number;
}

export function buildNetwork(input: NetworkInput): TieArrays {
  const n = input.leaderLocality.length;
  const cross = crossNeighbours(input);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const loc = input.leaderLocality[i];
    const within = input.localityEnd[loc] - input.localityStart[loc] - 1;
    start[i + 1] = start[i] + within + cross[i].length;
  }
  const m = start[n];
  const target = new Int32Array(m);
  const weight = new Float64Array(m);
  const within = new Uint8Array(m);
  const withinEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let k = start[i];
    const loc = input.leaderLocality[i];
    for (let j = input.localityStart[loc]; j < input.localityEnd[loc]; j++) {
      if (j === i) continue;
      target[k] = j;
      weight[k] = 1;
      within[k] = 1;
      k++;
    }
    withinEnd[i] = k;
    const others = cross[i];
    for (let q = 0; q < others.length; q++) {
      target[k] = others[q];
      weight[k] = input.crossTieWeight;
      within[k] = 0;
      k++;
    }
  }
  return new TieArrays(start, withinEnd, target, weight, within);
}

/**
 * System-level neighbours. For each organisation kind, the localities that have that kind form
 * a ring; a leader is tied to the same-rank leader of its kind (rank modulo that locality's
 * count) in the `perLeader / 2` localities on either side. Pairs are added both ways, so every
 * tie has its reciprocal.
 */
function crossNeighbours(input: NetworkInput): number[][] {
  const n = input.leaderLocality.length;
  // Loops and push rather than Array.from, forEach and spreads: set-up runs once per replicate,
  // hundreds of times in a fresh sweep worker before V8 has settled (issue #15, cold start).
  const sets: Set<number>[] = [];
  for (let i = 0; i < n; i++) sets.push(new Set<number>());
  const half = Math.floor(input.crossTiesPerLeader / 2);
  if (half > 0) {
    // kind → locality → leaders of that kind in index order
    const byKind = new Map<number, Map<number, number[]>>();
    for (let i = 0; i < n; i++) {
      const kind = input.leaderKind[i];
      const loc = input.leaderLocality[i];
      const perLocality = byKind.get(kind) ?? new Map<number, number[]>();
      const list = perLocality.get(loc) ?? [];
      list.push(i);
      perLocality.set(loc, list);
      byKind.set(kind, perLocality);
    }
    for (const perLocality of byKind.values()) {
      const ring = sortedNumbers(perLocality.keys());
      const size = ring.length;
      for (let p = 0; p < size; p++) {
        const own = perLocality.get(ring[p])!;
        for (let offset = 1; offset <= half && offset < size; offset++) {
          const forward = (p + offset) % size;
          const backward = (p - offset + size) % size;
          if (forward !== p) tieRanks(own, perLocality.get(ring[forward])!, sets);
          if (backward !== p) tieRanks(own, perLocality.get(ring[backward])!, sets);
        }
      }
    }
  }
  const neighbours: number[][] = [];
  for (let i = 0; i < n; i++) neighbours.push(sortedNumbers(sets[i].values()));
  return neighbours;
}

/** Ties each leader of `own` to the same-rank leader of `other` (rank modulo its count), both ways. */
function tieRanks(own: readonly number[], other: readonly number[], sets: Set<number>[]): void {
  for (let rank = 0; rank < own.length; rank++) {
    const i = own[rank];
    const j = other[rank % other.length];
    sets[i].add(j);
    sets[j].add(i);
  }
}

/**
 * The numbers in ascending order, as a new array. Short lists (a leader's few system-level
 * neighbours) are sorted by insertion: Array.prototype.sort's work arrays were a fifth of a
 * gm-2017 replicate's garbage (issue #15); a long one (a ring of many localities) by sort.
 */
function sortedNumbers(values: Iterable<number>): number[] {
  const list: number[] = [];
  for (const x of values) list.push(x);
  if (list.length > 32) return list.sort((a, b) => a - b);
  for (let k = 1; k < list.length; k++) {
    const x = list[k];
    let j = k;
    for (; j > 0 && list[j - 1] > x; j--) list[j] = list[j - 1];
    list[j] = x;
  }
  return list;
}
