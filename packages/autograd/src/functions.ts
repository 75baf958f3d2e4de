// The public free functions over Variables (and plain Tensors, as constants). Those the tensor dispatch protocol
// calls live beside their ops (protocol.ts uses them too); the rest are the methods as functions. This file is
// the top floor: nothing in the package imports it.
import type { CumsumOptions, SortOptions, Tensor, TopkOptions, ValuesIndices } from '@minigrad/tensor';
import { asVariable, type Operand, type Variable } from './variable.js';

export { where, maximum, minimum } from './ops/binary.js';
export { conv2d, convTranspose2d } from './ops/conv.js';
export { cat, stack } from './ops/indexing.js';
export { matmul } from './ops/linalg.js';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from './ops/pool.js';
export { split, chunk } from './ops/split.js';

/** torch.clamp: bounds are numbers, Variables or Tensors (broadcast with x), null for none. */
export function clamp(x: Variable | Tensor, min?: Operand | null, max?: Operand | null): Variable {
  return asVariable(x, 'clamp', 'input').clamp(min, max);
}

/** torch.cumsum: running sums along dim. */
export function cumsum(x: Variable | Tensor, dim: number, opts?: CumsumOptions): Variable {
  return asVariable(x, 'cumsum', 'input').cumsum(dim, opts);
}

/** torch.sort: `{ values, indices }` along dim (stable; NaN is the largest). */
export function sort(x: Variable | Tensor, dim = -1, opts?: SortOptions): ValuesIndices<Variable> {
  return asVariable(x, 'sort', 'input').sort(dim, opts);
}

/** torch.argsort: the int32 indices that sort x along dim. */
export function argsort(x: Variable | Tensor, dim = -1, opts?: SortOptions): Variable {
  return asVariable(x, 'argsort', 'input').argsort(dim, opts);
}

/** torch.topk: the k largest (or smallest) elements along dim and their int32 indices. */
export function topk(x: Variable | Tensor, k: number, dim = -1, opts?: TopkOptions): ValuesIndices<Variable> {
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
