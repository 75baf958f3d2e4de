import { describe, expect, it } from 'vitest';
import { gemm } from '../src/kernels/js/gemm.js';
import { naiveGemm, stridedOperand } from './gemm-reference.js';
import { lcg } from './seeded.js';

function check(M: number, N: number, K: number, f64: boolean, accumulate: boolean, rnd: () => number): void {
  const a = stridedOperand(M, K, f64, rnd, 5);
  const b = stridedOperand(K, N, f64, rnd, 5);
  const cOffset = Math.floor(rnd() * 4);
  const size = cOffset + M * N + 3;
  const c = f64 ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) c[i] = rnd() * 2 - 1;
  const expected = Float64Array.from(c);
  naiveGemm(M, N, K, a, b, expected, cOffset, accumulate);
  gemm(M, N, K, a.data, a.offset, a.rowStride, a.colStride, b.data, b.offset, b.rowStride, b.colStride, c, cOffset, accumulate);
  const tol = f64 ? 1e-12 : 1e-5;
  for (let i = 0; i < size; i++) {
    const inside = i >= cOffset && i < cOffset + M * N;
    const want = inside ? expected[i] : (f64 ? expected[i] : Math.fround(expected[i]));
    if (Math.abs(c[i] - want) > tol * (1 + Math.abs(want)) + (f64 ? 0 : 1e-6 * K)) {
      throw new Error(`gemm M=${M} N=${N} K=${K} f64=${f64} acc=${accumulate}: C[${i}] = ${c[i]}, expected ${want}${inside ? '' : ' (outside C, must be untouched)'}`);
    }
  }
}

describe('gemm', () => {
  it('matches a naive loop on random sizes, strides and offsets (float32 and float64)', () => {
    const rnd = lcg(1);
    for (let t = 0; t < 120; t++) {
      const M = 1 + Math.floor(rnd() * 40);
      const N = 1 + Math.floor(rnd() * 40);
      const K = 1 + Math.floor(rnd() * 40);
      check(M, N, K, t % 2 === 0, rnd() < 0.5, rnd);
    }
  });

  it('handles dimensions of 1 in every position', () => {
    const rnd = lcg(2);
    const sizes = [[1, 1, 1], [1, 17, 5], [13, 1, 7], [9, 11, 1], [1, 1, 300], [300, 1, 1], [1, 300, 1]];
    for (const [M, N, K] of sizes) for (const f64 of [false, true]) for (const acc of [false, true]) check(M, N, K, f64, acc, rnd);
  });

  it('crosses every cache-block boundary (K > 256, M > 64, N > 512) with ragged edges', () => {
    const rnd = lcg(3);
    check(67, 1030, 263, true, false, rnd);
    check(131, 9, 513, false, true, rnd);
  });

  it('takes both the direct path (tiny or vector products) and the packed path', () => {
    const rnd = lcg(4);
    for (const [M, N, K] of [[3, 5, 7], [15, 15, 15], [17, 16, 16], [1, 64, 64], [64, 1, 64], [2, 70, 40]])
      for (const f64 of [false, true]) check(M, N, K, f64, rnd() < 0.5, rnd);
  });

  it('K = 0 gives zeros, or leaves C unchanged when accumulating', () => {
    const c = new Float32Array([1, 2, 3, 4, 5]);
    gemm(2, 2, 0, new Float32Array(0), 0, 0, 1, new Float32Array(0), 0, 2, 1, c, 1, false);
    expect(Array.from(c)).toEqual([1, 0, 0, 0, 0]);
    const d = new Float64Array([1, 2, 3, 4]);
    gemm(2, 2, 0, new Float64Array(0), 0, 0, 1, new Float64Array(0), 0, 2, 1, d, 0, true);
    expect(Array.from(d)).toEqual([1, 2, 3, 4]);
  });

  it('rounds float32 results from a double-precision accumulation', () => {
    // 1 + 2^-30 - 1 is lost in float32 arithmetic but exact in double accumulation.
    const a = new Float32Array([1, 2 ** -30, -1]);
    const b = new Float32Array([1, 1, 1]);
    const c = new Float32Array(1);
    gemm(1, 1, 3, a, 0, 3, 1, b, 0, 1, 1, c, 0, false);
    expect(c[0]).toBe(Math.fround(2 ** -30));
  });
});
