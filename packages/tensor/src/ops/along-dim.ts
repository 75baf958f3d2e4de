// The layout of ops that work along one dim and keep the input's shape (sort, cumsum): the input as a
// contiguous [outer, R, inner] block (itself, or a contiguous copy), and the block's sizes.
import { normDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { clone } from './views.js';

export interface LineLayout {
  src: Tensor;
  /** The dim, normalized (0 for a 0-d tensor). */
  dim: number;
  outer: number;
  R: number;
  inner: number;
}

export function alongDim(op: string, x: Tensor, dim: number): LineLayout {
  const d = normDim(op, dim, x.ndim);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i];
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i];
  const R = x.ndim === 0 ? 1 : x.shape[d];
  return { src: x.isContiguous() ? x : clone(x), dim: d, outer, R, inner };
}
