// The operands of the fused update kernels (sgdUpdate, adamUpdate, ... of @minigrad/tensor): contiguous tensors
// of the parameter's float dtype. The common case (contiguous parameter and gradient) copies nothing.
import { ShapeError, Tensor, fmtShape, keep, sameShape } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';

/** The gradient of `p` as a contiguous tensor of p's dtype (a copy only when it is strided or of another dtype). */
export function denseGrad(op: string, p: Variable, grad: Variable): Tensor {
  let g = grad.data;
  const shape = p.data.shape;
  if (!sameShape(g.shape, shape)) {
    throw new ShapeError(op, `gradient of shape ${fmtShape(g.shape)} for a parameter of shape ${fmtShape(shape)}`);
  }
  if (g.dtype !== p.data.dtype) g = g.to(p.data.dtype);
  return g.isContiguous() ? g : g.contiguous();
}

/** The tensor to update: p.data itself, or a contiguous copy when p.data is strided (written back by commitParam). */
export function updateTarget(p: Variable): Tensor {
  return p.data.isContiguous() ? p.data : p.data.contiguous();
}

/** Copies the update of a strided parameter back (an in-place update of p.data bumped its version already). */
export function commitParam(p: Variable, target: Tensor): void {
  if (target !== p.data) p.data.copyFrom(target);
}

/** A zero tensor shaped like the parameter (optimizer state). */
export function zerosLikeParam(p: Variable): Tensor {
  // Optimizer state lives as long as the optimizer, whatever tidy() scope its first step ran in.
  return keep(Tensor.zeros(p.data.shape, p.data.dtype));
}

const identity = (x: number): number => x;

/**
 * Rounding to the dtype of the update. PyTorch computes a float32 update op by op, each result rounded to
 * float32; rounding the same intermediates here (scalars included) reproduces its results.
 */
export function rounder(dtype: string): (x: number) => number {
  return dtype === 'float32' ? Math.fround : identity;
}
