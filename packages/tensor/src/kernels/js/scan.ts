// Scans along one dim of a contiguous [outer, R, inner] block, written to the same positions of `out`.
import type { TypedArray } from '../../dtype.js';

export type ScanKernel = (outer: number, R: number, inner: number, x: TypedArray, xo: number, out: TypedArray) => void;

/** Running sums, accumulated in a double (as PyTorch's CPU cumsum accumulates float32 in double). */
export const cumsum: ScanKernel = (outer, R, inner, x, xo, out) => {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * R * inner + j;
      let acc = 0;
      for (let r = 0, p = base; r < R; r++, p += inner) {
        acc += x[xo + p];
        out[p] = acc;
      }
    }
  }
};
