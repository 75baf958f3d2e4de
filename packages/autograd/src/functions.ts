// Free functions over Variables: joining and splitting, where(), convolution and pooling.
import {
  ArgumentError, IndexError, full,
  type AdaptiveSize, type AvgPool2dOptions, type Conv2dOptions, type ConvTranspose2dOptions, type MaxPool2dOptions, type Tensor, fmtShape,
} from '@minigrad/tensor';
import { applyOp, takeAux } from './dispatch.js';
import { conv2dFamily, convTranspose2dFamily } from './ops/conv.js';
import { adaptiveAvgPool2dOp, avgPool2dOp, maxPool2dOp } from './ops/pool.js';
import { catOp, stackOp } from './ops/indexing.js';
import { whereOp } from './ops/binary.js';
import { Variable, asVariable } from './variable.js';

/** Concatenates along an existing dim. */
export function cat(xs: readonly (Variable | Tensor)[], dim = 0): Variable {
  return applyOp(catOp, xs.map(asVariable), { dim });
}

/** Stacks along a new dim. */
export function stack(xs: readonly (Variable | Tensor)[], dim = 0): Variable {
  return applyOp(stackOp, xs.map(asVariable), { dim });
}

/**
 * Splits along dim into pieces of `size` (the last may be smaller) or of the given sizes (which must sum
 * to the dim's size). Each piece is a narrow view recorded on the tape.
 */
export function split(x: Variable, size: number | readonly number[], dim = 0): Variable[] {
  const d = dim < 0 ? dim + x.ndim : dim;
  if (d < 0 || d >= x.ndim) throw new IndexError('split', `dim ${dim} is out of range for shape ${fmtShape(x.shape)}`);
  const total = x.shape[d];
  const sizes: number[] = [];
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size <= 0) throw new ArgumentError('split', `split size must be a positive integer, got ${size}`);
    for (let at = 0; at < total || (total === 0 && sizes.length === 0); at += size) sizes.push(Math.min(size, total - at));
  } else {
    let sum = 0;
    for (const s of size) sum += s;
    if (sum !== total) {
      throw new ArgumentError('split', `sizes [${size.join(',')}] sum to ${sum}, but dim ${dim} of shape ${fmtShape(x.shape)} has size ${total}`);
    }
    sizes.push(...size);
  }
  const out: Variable[] = [];
  let offset = 0;
  for (const s of sizes) {
    out.push(x.narrow(d, offset, s));
    offset += s;
  }
  return out;
}

/** Splits into `chunks` pieces of ceil(size / chunks) along dim (fewer when the size runs out). */
export function chunk(x: Variable, chunks: number, dim = 0): Variable[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError('chunk', `chunks must be a positive integer, got ${chunks}`);
  const d = dim < 0 ? dim + x.ndim : dim;
  if (d < 0 || d >= x.ndim) throw new IndexError('chunk', `dim ${dim} is out of range for shape ${fmtShape(x.shape)}`);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Elementwise cond ? a : b (cond a bool Variable or Tensor; a, b Variables, Tensors or numbers). */
export function where(cond: Variable | Tensor, a: Variable | Tensor | number, b: Variable | Tensor | number): Variable {
  const c = cond instanceof Variable ? cond.data : cond;
  const like = typeof a !== 'number' ? a : typeof b !== 'number' ? b : null;
  const dtype = like === null ? 'float32' : like.dtype;
  const av = typeof a === 'number' ? constantScalar(a, dtype) : asVariable(a);
  const bv = typeof b === 'number' ? constantScalar(b, dtype) : asVariable(b);
  return applyOp(whereOp, [av, bv], { cond: c });
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
  const values = applyOp(maxPool2dOp, [x], opts);
  return { values, indices: new Variable(takeAux<Tensor>()) };
}

export function avgPool2d(x: Variable, opts: AvgPool2dOptions): Variable {
  return applyOp(avgPool2dOp, [x], opts);
}

export function adaptiveAvgPool2d(x: Variable, outputSize: AdaptiveSize): Variable {
  return applyOp(adaptiveAvgPool2dOp, [x], { outputSize });
}
