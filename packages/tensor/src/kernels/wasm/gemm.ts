// The 'gemm' kernel of the wasm backend: float32 products run in WebAssembly (assembly/gemm.ts), float64
// and tiny products stay on the JS kernel. Same contract as kernels/js/gemm.ts.
//
// Operands resident in wasm memory are read and written in place; any other is copied in: the span of A or B
// that the strides touch (one TypedArray.set each: packing then absorbs the strides inside wasm), and C back
// out (call.ts). The copies are O(MK + KN + MN) against O(MNK) arithmetic.
import { gemm as jsGemm, type GemmArray } from '../js/gemm.js';
import { KernelCall } from './call.js';
import { scratchAddress } from './instance.js';
import { Kernel, type Step, runOnThreads, threadsFor } from './threads.js';

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
  const call = new KernelCall();
  const a = call.input(A, aLo, aHi - aLo);
  const b = call.input(B, bLo, bHi - bLo);
  const c = call.output(C, cOffset, M * N, accumulate ? 'values' : 'unset');
  // On the shared instance when the product is large enough for runOnThreads to split it across threads.
  if (!call.place(threadsFor(M * N * K) > 1)) {
    jsGemm(M, N, K, A, aOffset, aRowStride, aColStride, B, bOffset, bRowStride, bColStride, C, cOffset, accumulate);
    return;
  }
  // One step: runOnThreads splits it by columns across the threads when it is large.
  runOnThreads([[gemmStep(M, N, K, a.at + (aOffset - aLo) * 4, aRowStride, aColStride, b.at + (bOffset - bLo) * 4, bRowStride, bColStride, c.at, N, accumulate ? 1 : 0, 0)]]);
  call.finish();
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
