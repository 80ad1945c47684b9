/**
 * Builds the tie network in CSR form: every leader is tied to every other leader of its
 * locality (the locality board, dense), and to a few leaders of the same organisation kind in
 * other localities (system-level forums, sparse: a ring per kind, `perLeader / 2` neighbours
 * on each side). Ties are directed (trust i → j need not equal trust j → i) but always come in
 * reciprocal pairs.
 */
import type { TieArrays } from './state.ts';

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
    for (const j of cross[i]) {
      target[k] = j;
      weight[k] = input.crossTieWeight;
      within[k] = 0;
      k++;
    }
  }
  return { start, withinEnd, target, weight, within, trust: new Float64Array(m), expected: new Float64Array(m) };
}

/**
 * System-level neighbours. For each organisation kind, the localities that have that kind form
 * a ring; a leader is tied to the same-rank leader of its kind (rank modulo that locality's
 * count) in the `perLeader / 2` localities on either side. Pairs are added both ways, so every
 * tie has its reciprocal.
 */
function crossNeighbours(input: NetworkInput): number[][] {
  const n = input.leaderLocality.length;
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
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
      const ring = [...perLocality.keys()].sort((a, b) => a - b);
      const size = ring.length;
      for (let p = 0; p < size; p++) {
        const own = perLocality.get(ring[p])!;
        for (let offset = 1; offset <= half && offset < size; offset++) {
          for (const q of [(p + offset) % size, (p - offset + size) % size]) {
            if (q === p) continue;
            const other = perLocality.get(ring[q])!;
            own.forEach((i, rank) => {
              const j = other[rank % other.length];
              sets[i].add(j);
              sets[j].add(i);
            });
          }
        }
      }
    }
  }
  return sets.map((set) => [...set].sort((a, b) => a - b));
}
