// Sorting along one dim of a contiguous [outer, R, inner] block: each of the outer*inner lines of R elements
// (spaced `inner` apart) is sorted into the same positions of `values` and `indices`.
import type { TypedArray } from '../../dtype.js';

export type SortKernel = (
  outer: number, R: number, inner: number, x: TypedArray, xo: number,
  values: TypedArray, indices: Int32Array, descending: boolean,
) => void;

/** a before b in ascending order, NaN counted as the largest value (PyTorch's order). */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

/**
 * A stable sort: equal elements (also -0 and 0, and NaNs among themselves) keep their order, in either
 * direction, as PyTorch's `stable=True`. Array.prototype.sort is stable (ES2019), so the comparator only
 * compares values.
 */
export const sortLines: SortKernel = (outer, R, inner, x, xo, values, indices, descending) => {
  const order = new Array<number>(R);
  const line = new Float64Array(R);
  const cmp = descending ? (i: number, j: number) => ascending(line[j], line[i]) : (i: number, j: number) => ascending(line[i], line[j]);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * R * inner + j;
      for (let r = 0; r < R; r++) {
        order[r] = r;
        line[r] = x[xo + base + r * inner];
      }
      order.sort(cmp);
      for (let r = 0; r < R; r++) {
        values[base + r * inner] = line[order[r]];
        indices[base + r * inner] = order[r];
      }
    }
  }
};
