// The public free functions over Variables: where(), convolution and pooling, and joining and splitting
// (which live beside their ops, since gradients and Variable methods use them too). Nothing in the package
// imports this file: it is the top floor.
import {
  full,
  type CumsumOptions, type SortOptions, type TopkOptions,
  type AdaptiveSize, type AvgPool2dOptions, type Conv2dOptions, type ConvTranspose2dOptions, type MaxPool2dOptions, type Tensor,
} from '@minigrad/tensor';
import { applyOp, applyOpWithAux } from './dispatch.js';
import { conv2dFamily, convTranspose2dFamily } from './ops/conv.js';
import { adaptiveAvgPool2dOp, avgPool2dOp, maxPool2dOp } from './ops/pool.js';
import { whereOp } from './ops/binary.js';
import { Variable, asVariable, type Operand } from './variable.js';

export { cat, stack } from './ops/indexing.js';
export { split, chunk } from './ops/split.js';

/** Elementwise cond ? a : b (cond a bool Variable or Tensor; a, b Variables, Tensors or numbers). */
export function where(cond: Variable | Tensor, a: Variable | Tensor | number, b: Variable | Tensor | number): Variable {
  const c = cond instanceof Variable ? cond.data : cond;
  if (typeof a !== 'number') asVariable(a, 'where', 'input');
  if (typeof b !== 'number') asVariable(b, 'where', 'other');
  const like = typeof a !== 'number' ? a : typeof b !== 'number' ? b : null;
  const dtype = like === null ? 'float32' : like.dtype;
  const av = typeof a === 'number' ? constantScalar(a, dtype) : asVariable(a);
  const bv = typeof b === 'number' ? constantScalar(b, dtype) : asVariable(b);
  return applyOp(whereOp, [av, bv], { cond: c });
}

/** torch.clamp: bounds are numbers, Variables or Tensors (broadcast with x), null for none. */
export function clamp(x: Variable | Tensor, min?: Operand | null, max?: Operand | null): Variable {
  return asVariable(x, 'clamp', 'input').clamp(min, max);
}

/** torch.cumsum: running sums along dim. */
export function cumsum(x: Variable | Tensor, dim: number, opts?: CumsumOptions): Variable {
  return asVariable(x, 'cumsum', 'input').cumsum(dim, opts);
}

/** torch.sort: `{ values, indices }` along dim (stable; NaN is the largest). */
export function sort(x: Variable | Tensor, dim = -1, opts?: SortOptions): { values: Variable; indices: Variable } {
  return asVariable(x, 'sort', 'input').sort(dim, opts);
}

/** torch.argsort: the int32 indices that sort x along dim. */
export function argsort(x: Variable | Tensor, dim = -1, opts?: SortOptions): Variable {
  return asVariable(x, 'argsort', 'input').argsort(dim, opts);
}

/** torch.topk: the k largest (or smallest) elements along dim and their int32 indices. */
export function topk(x: Variable | Tensor, k: number, dim = -1, opts?: TopkOptions): { values: Variable; indices: Variable } {
  return asVariable(x, 'topk', 'input').topk(k, dim, opts);
}

/** torch.masked_fill: x with value where the bool mask (broadcast with x) is true. */
export function maskedFill(x: Variable | Tensor, mask: Variable | Tensor, value: Operand): Variable {
  return asVariable(x, 'maskedFill', 'input').maskedFill(mask, value);
}

/** torch.masked_select: the elements of x where the bool mask (broadcast with x) is true, as a 1-D Variable. */
export function maskedSelect(x: Variable | Tensor, mask: Variable | Tensor): Variable {
  return asVariable(x, 'maskedSelect', 'input').maskedSelect(mask);
}

function constantScalar(value: number, dtype: Tensor['dtype']): Variable {
  return new Variable(full([], value, { dtype }));
}

/** 2-D convolution (weight [C_out, C_in / groups, kH, kW]), differentiable to any order. */
export function conv2d(x: Variable, weight: Variable, bias?: Variable | null, opts: Conv2dOptions = {}): Variable {
  const inputs = bias === undefined || bias === null ? [x, weight] : [x, weight, bias];
  return applyOp(conv2dFamily.forward, inputs, { opts });
}

/** Transposed 2-D convolution (weight [C_in, C_out / groups, kH, kW]). */
export function convTranspose2d(x: Variable, weight: Variable, bias?: Variable | null, opts: ConvTranspose2dOptions = {}): Variable {
  const inputs = bias === undefined || bias === null ? [x, weight] : [x, weight, bias];
  return applyOp(convTranspose2dFamily.forward, inputs, { opts });
}

/** Max pooling (padding counts as -Infinity); the gradient goes to the first maximum of each window. */
export function maxPool2d(x: Variable, opts: MaxPool2dOptions): Variable {
  return applyOp(maxPool2dOp, [x], opts);
}

/** Max pooling that also returns the argmax of each window (flat index into its input plane, int32). */
export function maxPool2dWithIndices(x: Variable, opts: MaxPool2dOptions): { values: Variable; indices: Variable } {
  const { out, aux } = applyOpWithAux(maxPool2dOp, [x], opts);
  return { values: out, indices: new Variable(aux) };
}

export function avgPool2d(x: Variable, opts: AvgPool2dOptions): Variable {
  return applyOp(avgPool2dOp, [x], opts);
}

export function adaptiveAvgPool2d(x: Variable, outputSize: AdaptiveSize): Variable {
  return applyOp(adaptiveAvgPool2dOp, [x], { outputSize });
}
