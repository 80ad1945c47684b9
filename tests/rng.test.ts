import { describe, expect, it } from 'vitest';
import { fillUniform, normal, pickWeighted, stream } from '../src/model/rng.ts';

describe('rng streams', () => {
  it('the same key gives the same sequence; different keys differ', () => {
    const a = fillUniform(stream('s', 1, 'leader', 'x'), new Float64Array(5));
    const b = fillUniform(stream('s', 1, 'leader', 'x'), new Float64Array(5));
    const c = fillUniform(stream('s', 2, 'leader', 'x'), new Float64Array(5));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('a stream does not depend on other streams having been drawn from', () => {
    const first = stream('k', 'one')();
    const other = stream('k', 'two');
    for (let i = 0; i < 100; i++) other();
    expect(stream('k', 'one')()).toBe(first);
  });

  it('key parts are not ambiguous when joined', () => {
    expect(stream('a', 'bc')()).not.toBe(stream('ab', 'c')());
  });

  it('normal draws have mean ≈ 0 and sd ≈ 1 (20,000 draws, tolerance 0.03)', () => {
    const u = stream('normal-test');
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = normal(u);
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(sq / n) - 1)).toBeLessThan(0.03);
  });

  it('pickWeighted follows the weights and never picks a zero weight', () => {
    const u = stream('pick');
    const counts = [0, 0, 0];
    for (let i = 0; i < 10000; i++) counts[pickWeighted(u, [0.2, 0, 0.8])]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0] / 10000 - 0.2)).toBeLessThan(0.02);
  });
});

describe('StreamBank', () => {
  it('gives exactly the numbers of seedrandom alea streams with the same keys', async () => {
    const { StreamBank } = await import('../src/model/rng.ts');
    const bank = new StreamBank(3);
    const keys = [['s', 1, 'leader', 'a'], ['s', 1, 'leader', 'b'], ['other', 2]] as const;
    keys.forEach((key, slot) => bank.seed(slot, ...key));
    const streams = keys.map((key) => stream(...key));
    for (let round = 0; round < 50; round++) {
      for (let slot = 0; slot < 3; slot++) expect(bank.next(slot)).toBe(streams[slot]());
    }
    const fresh = new StreamBank(1);
    fresh.seed(0, 'n');
    expect(fresh.normal(0)).toBe(normal(stream('n')));
  });

  it('fillNormal draws, slot by slot and in any slot order, what normal(slot) draws, and steps the slots it is given only', async () => {
    const { StreamBank, fillNormal } = await import('../src/model/rng.ts');
    const keyed = () => {
      const bank = new StreamBank(6);
      for (let slot = 0; slot < 6; slot++) bank.seed(slot, 'fill', slot);
      return bank;
    };
    const one = keyed();
    const all = keyed();
    const slots = Int32Array.from([4, 0, 5, 2]); // slots 1 and 3 are not drawn
    const out = new Float64Array(6).fill(-7);
    for (let round = 0; round < 200; round++) {
      fillNormal(all.c, all.s0, all.s1, all.s2, slots, out);
      for (const slot of slots) expect(out[slot]).toBe(one.normal(slot));
      expect(out[1]).toBe(-7);
      expect(out[3]).toBe(-7);
    }
    for (const slot of [1, 3]) expect(all.next(slot)).toBe(one.next(slot));
  });
});

describe('alea seeding', () => {
  it('stream and aleaSeed give exactly seedrandom.alea\'s numbers and state, for many keys', async () => {
    const { default: seedrandom } = await import('seedrandom');
    const { aleaSeed } = await import('../src/model/rng.ts');
    const keys: string[] = ['', ' ', 'a', '\u241f', 'gm-2017\u241f0\u241fleader\u241fBolton/acute/chief executive', 'ünïcödé ✓ 😀'];
    const u = seedrandom.alea('keys');
    for (let k = 0; k < 400; k++) {
      const length = Math.floor(u() * 80);
      let key = '';
      for (let j = 0; j < length; j++) key += String.fromCharCode(u() < 0.9 ? 32 + Math.floor(u() * 95) : Math.floor(u() * 0xffff));
      keys.push(key);
    }
    for (const key of keys) {
      const reference = seedrandom.alea(key, { state: true }) as unknown as (() => number) & { state(): object };
      expect(aleaSeed(key)).toEqual(reference.state());
      const ours = stream(key);
      for (let d = 0; d < 20; d++) expect(ours()).toBe(reference());
    }
  });

  it('aleaSeed and aleaSeedPair are seedrandom\'s alea seeding for any strings (fast-check, 2,000 strings and 2,000 pairs of any code units)', async () => {
    const { default: fc } = await import('fast-check');
    const { default: seedrandom } = await import('seedrandom');
    const { aleaSeed, aleaSeedPair } = await import('../src/model/rng.ts');
    const reference = (key: string) => (seedrandom.alea(key, { state: true }) as unknown as { state(): object }).state();
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (key) => {
      expect(aleaSeed(key)).toEqual(reference(key));
    }), { numRuns: 2000, seed: 15 });
    // Seeded side by side: any two strings, of any lengths (the shorter one's end, either way round).
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), (a, b) => {
      expect(aleaSeedPair(a, b)).toEqual([reference(a), reference(b)]);
    }), { numRuns: 2000, seed: 16 });
  });
});
