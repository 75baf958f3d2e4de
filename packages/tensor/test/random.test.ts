// The generator against a BigInt transcription of splitmix32 + xoshiro128**, and the samplers' distributions.
import { describe, expect, test } from 'vitest';
import { Generator, manualSeed, rand, randint, randn, randperm, randLike, zeros } from '@minigrad/tensor';

const M32 = (1n << 32n) - 1n;
const u32 = (x: bigint) => x & M32;
const rotl = (x: bigint, k: bigint) => u32((x << k) | (x >> (32n - k)));

/** Reference: the same algorithms written with BigInt arithmetic, independent of Math.imul tricks. */
function referenceStream(seed: number, count: number): number[] {
  const lo = BigInt(seed >>> 0);
  const hi = BigInt(Math.floor(seed / 2 ** 32) | 0) & M32;
  let st = u32(lo ^ u32(hi * 0x2545f491n));
  const words: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    st = u32(st + 0x9e3779b9n);
    let z = st;
    z = u32((z ^ (z >> 16n)) * 0x85ebca6bn);
    z = u32((z ^ (z >> 13n)) * 0xc2b2ae35n);
    words.push(z ^ (z >> 16n));
  }
  let [s0, s1, s2, s3] = words;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number(u32(rotl(u32(s1 * 5n), 7n) * 9n)));
    const t = u32(s1 << 9n);
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11n);
  }
  return out;
}

describe('Generator', () => {
  test.each([0, 1, 42, -7, 2 ** 40 + 3, 67280421310721])('seed %d follows the reference stream', (seed) => {
    const g = new Generator(seed);
    const got = Array.from({ length: 50 }, () => g.nextUint32());
    expect(got).toEqual(referenceStream(seed, 50));
  });

  test('state round-trips and seeds reproduce', () => {
    const g = new Generator(5);
    g.nextUint32();
    const state = g.getState();
    const a = [g.nextUint32(), g.nextUint32()];
    g.setState(state);
    expect([g.nextUint32(), g.nextUint32()]).toEqual(a);
    expect(g.initialSeed()).toBe(5);
  });

  test('manualSeed makes the default generator repeat; a generator option leaves it alone', () => {
    manualSeed(3);
    const a = randn(10).toArray();
    manualSeed(3);
    randn(2, 2, { generator: new Generator(9) });
    rand([4], { generator: new Generator(9) });
    expect(randn(10).toArray()).toEqual(a);
  });
});

describe('samplers', () => {
  test('rand float32 is 24-bit uniform in [0, 1)', () => {
    const g = new Generator(11);
    const ref = referenceStream(11, 1000).map((u) => (u >>> 8) / 2 ** 24);
    expect(Array.from(rand([1000], { generator: g }).toTypedArray())).toEqual(ref);
  });

  test('randn has mean 0 and variance 1', () => {
    const x = randn([20000], { generator: new Generator(1), dtype: 'float64' });
    expect(Math.abs(x.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(x.var().item() - 1)).toBeLessThan(0.04);
    const odd = randn([7], { generator: new Generator(1) });
    expect(odd.toTypedArray().every(Number.isFinite)).toBe(true);
  });

  test('randint stays in [low, high) and hits every value', () => {
    const x = randint(-2, 3, [2000], { generator: new Generator(2) });
    expect(x.dtype).toBe('int32');
    const seen = new Set(x.toTypedArray());
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    const y = randint(4, [3, 3]);
    expect(y.shape).toEqual([3, 3]);
    expect(y.toTypedArray().every((v) => v >= 0 && v < 4)).toBe(true);
  });

  test('randperm is a permutation', () => {
    const p = Array.from(randperm(50, { generator: new Generator(4) }).toTypedArray());
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(p).not.toEqual([...Array(50).keys()]);
  });

  test('randLike keeps shape and float64', () => {
    const r = randLike(zeros([2, 3], { dtype: 'float64' }));
    expect(r.shape).toEqual([2, 3]);
    expect(r.dtype).toBe('float64');
  });
});
