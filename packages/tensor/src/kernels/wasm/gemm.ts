// The 'gemm' kernel of the wasm backend: float32 products run in WebAssembly (assembly/gemm.ts), float64
// and tiny products stay on the JS kernel. Same contract as kernels/js/gemm.ts.
//
// Tensors keep their storage in JS typed arrays (see backend.ts for why), so each call copies the spans of A
// and B that the strides touch into wasm memory (one TypedArray.set each: packing then absorbs the strides
// inside wasm), and copies C back out. The copies are O(MK + KN + MN) against O(MNK) arithmetic.
import { gemm as jsGemm, type GemmArray } from '../js/gemm.js';
import { arenaRegions, copyIn, copyOut, scratchAddress } from './instance.js';
import { Kernel, type Step, runOnThreads } from './threads.js';

/** Below this many multiply-adds the JS kernel wins: the copies and the call cost more than SIMD saves. */
const SMALL = 2048;
/** Up to this many rows, B is streamed rather than packed when its layout allows (assembly/gemm-small.ts). */
export const FEW_ROWS = 8;

export function gemm(
  M: number, N: number, K: number,
  A: GemmArray, aOffset: number, aRowStride: number, aColStride: number,
  B: GemmArray, bOffset: number, bRowStride: number, bColStride: number,
  C: GemmArray, cOffset: number, accumulate: boolean,
): void {
  if (!(A instanceof Float32Array) || !(B instanceof Float32Array) || !(C instanceof Float32Array) || M * N * K < SMALL) {
    jsGemm(M, N, K, A, aOffset, aRowStride, aColStride, B, bOffset, bRowStride, bColStride, C, cOffset, accumulate);
    return;
  }
  const aLo = aOffset + Math.min(0, (M - 1) * aRowStride) + Math.min(0, (K - 1) * aColStride);
  const aHi = aOffset + Math.max(0, (M - 1) * aRowStride) + Math.max(0, (K - 1) * aColStride) + 1;
  const bLo = bOffset + Math.min(0, (K - 1) * bRowStride) + Math.min(0, (N - 1) * bColStride);
  const bHi = bOffset + Math.max(0, (K - 1) * bRowStride) + Math.max(0, (N - 1) * bColStride) + 1;
  const cLen = M * N;
  const [a, b, c] = arenaRegions(aHi - aLo, bHi - bLo, cLen);
  copyIn(A.subarray(aLo, aHi), a);
  copyIn(B.subarray(bLo, bHi), b);
  if (accumulate) copyIn(C.subarray(cOffset, cOffset + cLen), c);
  // One step: runOnThreads splits it by columns across the threads when it is large.
  runOnThreads([[gemmStep(M, N, K, a + (aOffset - aLo) * 4, aRowStride, aColStride, b + (bOffset - bLo) * 4, bRowStride, bColStride, c, N, accumulate ? 1 : 0, 0)]]);
  copyOut(c, cLen, C, cOffset);
}

/**
 * The kernel call for C (+)= A B (row stride ldc) on thread t: the streaming kernels of gemm-small.ts for few
 * rows when the layout allows, else the packed one. Which one depends on the operands only, never on t.
 */
export function gemmStep(
  M: number, N: number, K: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number,
  c: number, ldc: number, acc: number, t: number,
): Step {
  if (M <= FEW_ROWS && bcs === 1) return [Kernel.sgemmAxpy, M, N, K, a, ars, acs, b, brs, c, ldc, acc];
  if (M <= FEW_ROWS && brs === 1 && acs === 1) return [Kernel.sgemmDot, M, N, K, a, ars, b, bcs, c, ldc, acc];
  return packedStep(M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc, t);
}

/** The packed kernel's call (assembly/gemm.ts) on thread t, whatever the shape. */
export function packedStep(
  M: number, N: number, K: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number,
  c: number, ldc: number, acc: number, t: number,
): Step {
  return [Kernel.sgemm, M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc, scratchAddress(t)];
}
