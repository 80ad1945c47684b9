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
});
