// The wasm sgemm's packing paths (assembly/gemm.ts) against a float64 naive loop: row-major A (interleaved 4 k
// steps at a time) and column-major B (4 x 4 transposes), column-major A and row-major B (whole runs), any
// other stride one value at a time; each path meets ragged 2 x 16 tiles, k counts that are not a multiple of
// 4, several KC/MC/NC blocks and accumulation into C. M > 8 and M N K >= 2048 throughout, so every product
// takes the packed kernel.
import { beforeAll, describe, expect, test } from 'vitest';
import { wasmAvailable } from '@minigrad/tensor';
import type { GemmArray } from '../src/kernels/js/gemm.js';
import { wasmKernels } from '../src/kernels/wasm/index.js';
import { type Operand, naiveGemm } from './gemm-reference.js';
import { lcg } from './seeded.js';

type Layout = 'rows' | 'cols' | 'strided';
const LAYOUTS: Layout[] = ['rows', 'cols', 'strided'];
const wasmGemm = wasmKernels.gemm as (
  M: number, N: number, K: number,
  A: GemmArray, aOffset: number, aRowStride: number, aColStride: number,
  B: GemmArray, bOffset: number, bRowStride: number, bColStride: number,
  C: GemmArray, cOffset: number, accumulate: boolean,
) => void;

/** A float32 rows x cols operand: row-major, column-major, or with both strides > 1 (every other column). */
function operand(rows: number, cols: number, layout: Layout, rnd: () => number): Operand {
  const offset = 1 + Math.floor(rnd() * 5);
  const [rowStride, colStride] = layout === 'rows' ? [cols + 1, 1] : layout === 'cols' ? [1, rows + 3] : [2 * cols + 1, 2];
  const data = new Float32Array(offset + (rows - 1) * rowStride + (cols - 1) * colStride + 4);
  for (let i = 0; i < data.length; i++) data[i] = rnd() * 2 - 1;
  return { data, offset, rowStride, colStride };
}

function check(M: number, N: number, K: number, aLayout: Layout, bLayout: Layout, acc: boolean, rnd: () => number): void {
  const a = operand(M, K, aLayout, rnd);
  const b = operand(K, N, bLayout, rnd);
  const cOff = 2;
  const c0 = new Float32Array(cOff + M * N + 2);
  for (let i = 0; i < c0.length; i++) c0[i] = rnd() * 2 - 1;
  const run = (): Float32Array => {
    const c = c0.slice();
    wasmGemm(M, N, K, a.data, a.offset, a.rowStride, a.colStride, b.data, b.offset, b.rowStride, b.colStride, c, cOff, acc);
    return c;
  };
  const got = run();
  const label = `M=${M} N=${N} K=${K} A ${aLayout} B ${bLayout} acc=${acc}`;
  const again = run();
  for (let i = 0; i < got.length; i++) if (!Object.is(again[i], got[i])) throw new Error(`${label}: not reproducible at C[${i}]`);
  const want = Float64Array.from(c0);
  naiveGemm(M, N, K, a, b, want, cOff, acc);
  for (let i = 0; i < c0.length; i++) {
    if (i < cOff || i >= cOff + M * N) {
      if (got[i] !== c0[i]) throw new Error(`${label}: C[${i}] outside the product was written`);
      continue;
    }
    const tol = 2e-6 * (Math.sqrt(K) + 1) * (1 + Math.abs(want[i]));
    if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`${label}: C[${i}] = ${got[i]}, expected ${want[i]}`);
  }
}

describe('wasm sgemm packing', () => {
  beforeAll(() => expect(wasmAvailable()).toBe(true));

  test('every layout of A and B, ragged tiles, k not a multiple of 4, accumulate', () => {
    const rnd = lcg(23);
    for (const aL of LAYOUTS) {
      for (const bL of LAYOUTS) {
        for (const [M, N] of [[45, 48], [52, 47], [41, 51], [49, 43], [46, 45], [47, 44]]) {
          for (const K of [1, 3, 4, 5, 8, 11]) check(M, N, K, aL, bL, (M + K) % 2 === 1, rnd);
        }
      }
    }
  });

  test('several k blocks (K > 256) and row blocks (M > 64) in every layout', () => {
    const rnd = lcg(29);
    for (const aL of LAYOUTS) for (const bL of LAYOUTS) check(69, 21, 262, aL, bL, aL === bL, rnd);
  });

  test('several column blocks (N > 1024) with a ragged last panel', () => {
    const rnd = lcg(31);
    check(10, 1029, 7, 'rows', 'cols', false, rnd);
    check(10, 1029, 7, 'cols', 'rows', true, rnd);
  });

  test('the conv and linear-layer shapes of the training step', () => {
    const rnd = lcg(37);
    check(64, 196, 288, 'rows', 'rows', false, rnd); // conv 32 -> 64 forward, one sample
    check(288, 196, 64, 'cols', 'rows', false, rnd); // its input gradient (w transposed)
    check(64, 288, 196, 'rows', 'cols', true, rnd); // its weight gradient (columns transposed), accumulated
    check(32, 9, 784, 'rows', 'cols', true, rnd); // conv 1 -> 32 weight gradient
    check(128, 300, 2, 'cols', 'rows', false, rnd); // linear weight gradient at batch 2 (N cut down)
  });
});
