import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../src/model/network.ts';

function input(sizes: number[], kinds: number[], crossTiesPerLeader = 2) {
  const starts: number[] = [];
  const ends: number[] = [];
  const locality: number[] = [];
  let at = 0;
  sizes.forEach((size, c) => {
    starts.push(at);
    for (let k = 0; k < size; k++) locality.push(c);
    at += size;
    ends.push(at);
  });
  return {
    localityStart: Int32Array.from(starts), localityEnd: Int32Array.from(ends),
    leaderLocality: Int32Array.from(locality), leaderKind: Uint8Array.from(kinds),
    crossTiesPerLeader, crossTieWeight: 0.25,
  };
}

describe('CSR network', () => {
  const net = buildNetwork(input([3, 3, 2], [0, 1, 2, 0, 1, 2, 0, 1]));

  it('ties every leader to every other leader of its locality', () => {
    for (let i = 0; i < 3; i++) {
      const within = [];
      for (let k = net.start[i]; k < net.start[i + 1]; k++) if (net.within[k]) within.push(net.target[k]);
      expect(within.sort()).toEqual([0, 1, 2].filter((j) => j !== i));
    }
  });

  it('adds system ties only to same-kind leaders in other localities, in reciprocal pairs', () => {
    const pairs = new Set<string>();
    for (let i = 0; i < 8; i++) {
      for (let k = net.start[i]; k < net.start[i + 1]; k++) {
        if (net.within[k]) continue;
        const j = net.target[k];
        expect(Math.floor(i / 3)).not.toBe(Math.floor(j / 3));
        expect(i % 3).toBe(j % 3);
        expect(net.weight[k]).toBe(0.25);
        pairs.add(`${i}-${j}`);
      }
    }
    for (const pair of pairs) {
      const [i, j] = pair.split('-');
      expect(pairs.has(`${j}-${i}`)).toBe(true);
    }
    expect(pairs.size).toBeGreaterThan(0);
  });

  it('has no system ties when crossTiesPerLeader is 0', () => {
    const none = buildNetwork(input([3, 3], [0, 1, 2, 0, 1, 2], 0));
    expect(Array.from(none.within).every((w) => w === 1)).toBe(true);
    expect(none.start[6]).toBe(12);
  });

  it('lists each leader\'s system ties in ascending order, short lists and long alike', () => {
    // 40 two-leader localities, one kind: a leader is tied to the same-rank leader of the
    // localities within perLeader / 2 of its own on the ring (of 40), so with 78 to all 39 others,
    // beyond the 32 that are sorted by insertion.
    for (const perLeader of [4, 78]) {
      const many = buildNetwork(input(Array(40).fill(2), Array(80).fill(0), perLeader));
      let longest = 0;
      for (let i = 0; i < 80; i++) {
        const cross = Array.from(many.target.subarray(many.withinEnd[i], many.start[i + 1]));
        expect(cross).toEqual([...cross].sort((a, b) => a - b));
        expect(new Set(cross).size).toBe(cross.length);
        longest = Math.max(longest, cross.length);
      }
      expect(longest).toBe(perLeader === 4 ? 4 : 39);
    }
  });
});
