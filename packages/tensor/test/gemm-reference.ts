// Operands and a naive product for the gemm tests of both backends (gemm.test.ts, wasm-kernels.test.ts).
import type { GemmArray } from '../src/kernels/js/gemm.js';

export interface Operand { data: GemmArray; offset: number; rowStride: number; colStride: number }

/**
 * A rows x cols matrix of values in [-1, 1) at a random offset below maxOffset, row-major or transposed (drawn
 * last when not given), rows padded, inside a larger array.
 */
export function stridedOperand(
  rows: number, cols: number, f64: boolean, rnd: () => number, maxOffset: number, transposed?: boolean,
): Operand {
  const offset = Math.floor(rnd() * maxOffset);
  const pad = Math.floor(rnd() * 3);
  const t = transposed ?? rnd() < 0.5;
  const rowStride = t ? 1 : cols + pad;
  const colStride = t ? rows + pad : 1;
  const size = offset + (rows - 1) * rowStride + (cols - 1) * colStride + 1 + pad;
  const data = f64 ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rnd() * 2 - 1;
  return { data, offset, rowStride, colStride };
}

/** c[cOffset + i*N + j] (+)= sum_k a[i, k] * b[k, j] in float64, term by term. */
export function naiveGemm(
  M: number, N: number, K: number, a: Operand, b: Operand, c: Float64Array, cOffset: number, accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a.data[a.offset + i * a.rowStride + k * a.colStride] * b.data[b.offset + k * b.rowStride + j * b.colStride];
      const idx = cOffset + i * N + j;
      c[idx] = accumulate ? c[idx] + s : s;
    }
  }
}
