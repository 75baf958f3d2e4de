// sort, argsort and topk along one dim. One stable sort serves all three (NaN counts as the largest value,
// as in PyTorch); topk keeps the first k of the sorted line.
import { getKernel } from '../kernels/registry.js';
import { Tensor } from '../tensor.js';
import { checkBool, checkInt, checkOptions } from '../validate.js';
import { alongDim } from './along-dim.js';
import { checkTensor } from './elementwise.js';
import { narrow } from './views.js';

/** Options of `sort` and `argsort`. */
export interface SortOptions {
  /** Largest first (default false). */
  descending?: boolean;
  /**
   * Accepted for PyTorch's signature; minigrad's sort is always stable (equal elements keep their order), so
   * true and false give the same result.
   */
  stable?: boolean;
}

/** Options of `topk`. */
export interface TopkOptions {
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /**
   * Accepted for PyTorch's signature; the result is always sorted (largest first, or smallest first), ties in
   * the order of their indices. PyTorch leaves the order of ties, and with sorted=false of everything, open.
   */
  sorted?: boolean;
}

/**
 * Values along a dim and their int32 positions in the input, as `max(dim)`, `min(dim)`, `sort`, `topk` and
 * `maxPool2d` return them (`ValuesIndices<Variable>` in @minigrad/autograd). PyTorch: `torch.return_types`.
 */
export interface ValuesIndices<T = Tensor> {
  /** The values. */
  values: T;
  /** int32 positions in the input (along the dim; in the input plane for maxPool2d). */
  indices: T;
}

/** What `sort` and `topk` return. */
export type SortResult = ValuesIndices<Tensor>;

function sortAlong(op: string, x: Tensor, dim: number, descending: boolean): SortResult {
  const l = alongDim(op, x, dim);
  const values = Tensor.zeros(x.shape, x.dtype);
  const indices = Tensor.zeros(x.shape, 'int32');
  if (x.numel() > 0) {
    getKernel('sort')(l.outer, l.R, l.inner, l.src.data, l.src.offset, values.data, indices.data as Int32Array, descending);
  }
  return { values, indices };
}

function sortOptions(op: string, opts: SortOptions | undefined): boolean {
  const { descending = false, stable = false } = checkOptions(op, opts, ['descending', 'stable']);
  checkBool(op, 'stable', stable);
  return checkBool(op, 'descending', descending);
}

/** The elements along dim in ascending (or descending) order, and where each came from. */
export function sort(x: Tensor, dim = -1, opts?: SortOptions): SortResult {
  checkTensor('sort', x, 'input');
  return sortAlong('sort', x, dim, sortOptions('sort', opts));
}

/** The int32 indices that sort x along dim (sort's indices). */
export function argsort(x: Tensor, dim = -1, opts?: SortOptions): Tensor {
  checkTensor('argsort', x, 'input');
  return sortAlong('argsort', x, dim, sortOptions('argsort', opts)).indices;
}

/** The k largest (or smallest) elements along dim, sorted, and their int32 indices. */
export function topk(x: Tensor, k: number, dim = -1, opts?: TopkOptions): SortResult {
  checkTensor('topk', x, 'input');
  const { largest = true, sorted = true } = checkOptions('topk', opts, ['largest', 'sorted']);
  checkBool('topk', 'largest', largest);
  checkBool('topk', 'sorted', sorted);
  const l = alongDim('topk', x, dim);
  checkInt('topk', 'k', k, { min: 0, max: l.R });
  const all = sortAlong('topk', x, dim, largest);
  if (x.ndim === 0) return all;
  return { values: narrow(all.values, l.dim, 0, k).contiguous(), indices: narrow(all.indices, l.dim, 0, k).contiguous() };
}
