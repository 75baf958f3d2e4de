// Small Variable-level building blocks used by the gradients of several ops.
import { zeros, type Tensor, type ValuesIndices } from '@minigrad/tensor';
import type { ForwardCtx } from '../registry.js';
import { applyOp } from '../dispatch.js';
import { Variable } from '../variable.js';
import { keptShape } from './dims.js';
import { whereOp } from './binary.js';

/**
 * The forward's output of an op whose tensor form returns values with their int32 indices (max/min along a dim,
 * sort, topk, maxPool2d): the values, with the indices left in ctx.aux for the backward.
 */
export function valuesKeepingIndices(r: ValuesIndices<Tensor>, ctx: ForwardCtx<Tensor>): Tensor {
  ctx.aux = r.indices;
  return r.values;
}

/** A Variable that never requires grad (masks, zeros, index-derived constants). */
export function constant(t: Tensor): Variable {
  return new Variable(t);
}

/** A 0-d constant of the dtype of `like`. */
export function scalarLike(value: number, like: Variable): Variable {
  return new Variable(zeros([], { dtype: like.dtype }).fill(value));
}

/** Zeros of a shape, as a constant of the dtype of `like`. */
export function zerosOf(shape: readonly number[], like: Variable): Variable {
  return new Variable(zeros(shape as number[], { dtype: like.dtype }));
}

/** where(cond, a, b) on Variables (cond is a bool tensor): gradient routing without NaN from 0 * Inf. */
export function select(cond: Tensor, a: Variable, b: Variable): Variable {
  return applyOp(whereOp, [a, b], { cond });
}

/** g where cond holds, 0 elsewhere. */
export function maskGrad(g: Variable, cond: Tensor): Variable {
  return select(cond, g, scalarLike(0, g));
}

/** The gradient of a reduction's output viewed with the reduced dims kept (size 1), ready to broadcast. */
export function keepDims(g: Variable, inShape: readonly number[], dims: readonly number[], keepdim: boolean): Variable {
  return keepdim ? g : g.reshape(keptShape(inShape, dims));
}

/** Whether the float values of t contain a zero (data-dependent choice of a gradient formula). */
export function hasZero(t: Tensor): boolean {
  const d = t.toTypedArray();
  for (let i = 0; i < d.length; i++) if (d[i] === 0) return true;
  return false;
}
