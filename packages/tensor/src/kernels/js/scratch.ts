// Scratch arrays the js conv kernels keep between calls (im2col's column matrix, Winograd's transforms).
import type { GemmArray } from './gemm.js';

/** A float32 and a float64 scratch array, grown on demand, never shrunk: scratch(like, size) returns the one of like's type. */
export function scratchPair(): (like: GemmArray, size: number) => GemmArray {
  let f32 = new Float32Array(0);
  let f64 = new Float64Array(0);
  return (like, size) => {
    if (like instanceof Float32Array) {
      if (f32.length < size) f32 = new Float32Array(size);
      return f32;
    }
    if (f64.length < size) f64 = new Float64Array(size);
    return f64;
  };
}
