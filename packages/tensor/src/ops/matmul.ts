// matmul with NumPy's rules: 1-D operands get a dim prepended/appended (and removed from the result),
// batch dims broadcast, and each [M,K] x [K,N] product is one gemm call on the operands' own strides.
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { forEachRun } from '../iter.js';
import type { GemmArray } from '../kernels/js/gemm.js';
import { getKernel } from '../kernels/registry.js';
import { broadcastShapes, broadcastStrides } from '../shape.js';
import { Tensor, uninitializedTensor } from '../tensor.js';
import { checkTensor } from './elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';

/**
 * Matrix product with NumPy batching and the 1-D rules (a 1-D operand is a row/column vector). PyTorch: `torch.matmul`.
 */
export function matmul(a: Tensor, b: Tensor): Tensor;
/** With a Variable operand: the Variable matmul (on the tape). */
export function matmul<V extends TensorDispatch>(a: Tensor | V, b: Tensor | V): Dispatched<V>;
export function matmul(a: unknown, b: unknown): unknown {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    const r = deferOp('matmul', [a, b]);
    if (r !== undefined) return r;
  }
  checkTensor('matmul', a, 'input');
  checkTensor('matmul', b, 'other');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError('matmul', `both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.dtype !== b.dtype || (a.dtype !== 'float32' && a.dtype !== 'float64')) {
    throw new DTypeError('matmul', `needs two float32 or two float64 tensors, got ${a.dtype} and ${b.dtype} (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  // Matrix views: [..., M, K] and [..., K, N].
  const am = aVec ? a.unsqueeze(0) : a;
  const bm = bVec ? b.unsqueeze(1) : b;
  const M = am.shape[am.ndim - 2];
  const K = am.shape[am.ndim - 1];
  const N = bm.shape[bm.ndim - 1];
  if (bm.shape[bm.ndim - 2] !== K) {
    throw new ShapeError('matmul', `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${K} != ${bm.shape[bm.ndim - 2]})`);
  }
  const aBatch = am.shape.slice(0, -2);
  const bBatch = bm.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', aBatch, bBatch);
  } catch {
    throw new ShapeError('matmul', `batch dims of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be broadcast (${fmtShape(aBatch)} vs ${fmtShape(bBatch)})`);
  }
  const outShape = [...batch];
  if (!aVec) outShape.push(M);
  if (!bVec) outShape.push(N);
  const out = uninitializedTensor(outShape, a.dtype, 'matmul'); // every product overwrites its block (accumulate false)
  if (out.numel() === 0) return out;

  const gemm = getKernel('gemm');
  const ad = am.data as GemmArray;
  const bd = bm.data as GemmArray;
  const od = out.data as GemmArray;
  const ars = am.strides[am.ndim - 2];
  const acs = am.strides[am.ndim - 1];
  const brs = bm.strides[bm.ndim - 2];
  const bcs = bm.strides[bm.ndim - 1];
  if (batch.length === 0) {
    gemm(M, N, K, ad, am.offset, ars, acs, bd, bm.offset, brs, bcs, od, 0, false);
    return out;
  }
  const mn = M * N;
  const outStrides = batch.map((_, i) => numelFrom(batch, i + 1) * mn);
  const aStrides = broadcastStrides(aBatch, am.strides.slice(0, -2), batch);
  const bStrides = broadcastStrides(bBatch, bm.strides.slice(0, -2), batch);
  forEachRun(batch, [outStrides, aStrides, bStrides], [0, am.offset, bm.offset], (o, n, s) => {
    for (let i = 0; i < n; i++) {
      gemm(M, N, K, ad, o[1] + i * s[1], ars, acs, bd, o[2] + i * s[2], brs, bcs, od, o[0] + i * s[0], false);
    }
  });
  return out;
}

function numelFrom(shape: readonly number[], start: number): number {
  let n = 1;
  for (let i = start; i < shape.length; i++) n *= shape[i];
  return n;
}
