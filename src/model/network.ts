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
    for (const j of cross[i]) {
      target[k] = j;
      weight[k] = input.crossTieWeight;
      within[k] = 0;
      k++;
    }
  }
  return { start, target, weight, within, trust: new Float64Array(m) };
}

/** System-level neighbours: a ring over same-kind leaders, skipping own-locality leaders. */
function crossNeighbours(input: NetworkInput): number[][] {
  const n = input.leaderLocality.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const half = Math.floor(input.crossTiesPerLeader / 2);
  if (half === 0) return out;
  const byKind = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byKind.get(input.leaderKind[i]) ?? [];
    list.push(i);
    byKind.set(input.leaderKind[i], list);
  }
  for (const ring of byKind.values()) {
    const len = ring.length;
    for (let p = 0; p < len; p++) {
      const i = ring[p];
      const seen = new Set<number>();
      for (let offset = 1; offset <= half && offset < len; offset++) {
        for (const q of [(p + offset) % len, (p - offset + len) % len]) {
          const j = ring[q];
          if (j === i || seen.has(j) || input.leaderLocality[j] === input.leaderLocality[i]) continue;
          seen.add(j);
        }
      }
      out[i] = [...seen].sort((a, b) => a - b);
    }
  }
  return out;
}
