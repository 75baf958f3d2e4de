// Joining and splitting along a dim: cat, stack (copies) and split, chunk (views).
import { type DType, promoteTypes } from '../dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { describeValue } from '../validate.js';
import { normDim, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { checkTensor } from './elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';
import { narrow, unsqueeze } from './views.js';

/**
 * Concatenates tensors along an existing `dim` (their other sizes must match; dtypes promote). PyTorch: `torch.cat`.
 */
export function cat(tensors: readonly Tensor[], dim?: number): Tensor;
/** With a Variable in the list: autograd's cat (a Variable on the tape). */
export function cat<V extends TensorDispatch>(tensors: readonly (Tensor | V)[], dim?: number): Dispatched<V>;
export function cat(tensors: readonly unknown[], dim = 0): unknown {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('cat', 'expects a non-empty array of tensors');
  if (!allTensors(tensors)) return deferList('cat', tensors, dim);
  const ref = tensors[0];
  if (ref.ndim === 0) throw new ShapeError('cat', 'zero-dimensional tensors cannot be concatenated (use stack)');
  const d = normDim('cat', dim, ref.ndim);
  let total = 0;
  let dtype: DType = ref.dtype;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.ndim !== ref.ndim) {
      throw new ShapeError('cat', `tensors[${i}] has shape ${fmtShape(t.shape)}, which has a different number of dims than ${fmtShape(ref.shape)}`);
    }
    for (let j = 0; j < ref.ndim; j++) {
      if (j !== d && t.shape[j] !== ref.shape[j]) {
        throw new ShapeError('cat', `shapes ${fmtShape(ref.shape)} and ${fmtShape(t.shape)} (tensors[${i}]) differ at dim ${j}, not only at the concatenation dim ${d}`);
      }
    }
    total += t.shape[d];
    dtype = promoteTypes(dtype, t.dtype);
  }
  const shape = ref.shape.slice();
  shape[d] = total;
  const out = Tensor.zeros(shape, dtype, 'cat');
  let off = 0;
  for (const t of tensors) {
    if (t.shape[d] > 0) copyInto(narrow(out, d, off, t.shape[d]), t);
    off += t.shape[d];
  }
  return out;
}

/** Joins same-shape tensors along a new dimension `dim`. PyTorch: `torch.stack`. */
export function stack(tensors: readonly Tensor[], dim?: number): Tensor;
/** With a Variable in the list: autograd's stack (a Variable on the tape). */
export function stack<V extends TensorDispatch>(tensors: readonly (Tensor | V)[], dim?: number): Dispatched<V>;
export function stack(tensors: readonly unknown[], dim = 0): unknown {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError('stack', 'expects a non-empty array of tensors');
  if (!allTensors(tensors)) return deferList('stack', tensors, dim);
  const ref = tensors[0];
  const d = normDim('stack', dim, ref.ndim + 1);
  for (let i = 1; i < tensors.length; i++) {
    const s = tensors[i].shape;
    if (!sameShape(s, ref.shape)) {
      throw new ShapeError('stack', `all tensors must have the same shape: ${fmtShape(ref.shape)} and ${fmtShape(s)} (tensors[${i}])`);
    }
  }
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

function allTensors(xs: readonly unknown[]): xs is Tensor[] {
  for (const x of xs) if (!(x instanceof Tensor)) return false;
  return true;
}

/** The slow path of cat and stack: a Variable in the list runs the op; anything else not a Tensor is an error. */
function deferList(op: string, tensors: readonly unknown[], dim: number): unknown {
  const r = deferOp(op, [tensors, dim]);
  if (r !== undefined) return r;
  const i = tensors.findIndex((t) => !(t instanceof Tensor));
  throw new ArgumentError(op, `tensors[${i}] must be a Tensor, got ${describeValue(tensors[i])}`);
}

/** Views of x along dim: pieces of `splitSize` (the last may be smaller), or of the given sizes. */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
/** Of a Variable: its split (views on the tape). */
export function split<V extends TensorDispatch>(x: V, splitSizeOrSections: number | readonly number[], dim?: number): Dispatched<V>[];
export function split(x: unknown, splitSizeOrSections: number | readonly number[], dim = 0): unknown[] {
  if (!(x instanceof Tensor)) {
    const r = deferOp('split', [x, splitSizeOrSections, dim]);
    if (r !== undefined) return r as unknown[];
  }
  checkTensor('split', x, 'input');
  const d = normDim('split', dim, x.ndim);
  const size = x.shape[d];
  const out: Tensor[] = [];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s < 0 || (s === 0 && size > 0)) {
      throw new ArgumentError('split', `split size must be a positive integer, got ${describeValue(s)}`);
    }
    if (size === 0) return [x];
    for (let start = 0; start < size; start += s) out.push(narrow(x, d, start, Math.min(s, size - start)));
    return out;
  }
  if (!Array.isArray(splitSizeOrSections)) throw new ArgumentError('split', 'splitSizeOrSections must be a number or an array of numbers');
  let sum = 0;
  for (const s of splitSizeOrSections) {
    if (!Number.isInteger(s) || s < 0) throw new ArgumentError('split', `section sizes must be non-negative integers, got ${fmtShape(splitSizeOrSections)}`);
    sum += s;
  }
  if (sum !== size) {
    throw new ShapeError('split', `section sizes ${fmtShape(splitSizeOrSections)} sum to ${sum}, but dim ${d} of shape ${fmtShape(x.shape)} has size ${size}`);
  }
  let start = 0;
  for (const s of splitSizeOrSections) {
    out.push(narrow(x, d, start, s));
    start += s;
  }
  return out;
}

/** Up to `chunks` views of equal size ceil(size / chunks) along dim (the last may be smaller). */
export function chunk(x: Tensor, chunks: number, dim?: number): Tensor[];
/** Of a Variable: its chunk (views on the tape). */
export function chunk<V extends TensorDispatch>(x: V, chunks: number, dim?: number): Dispatched<V>[];
export function chunk(x: unknown, chunks: number, dim = 0): unknown[] {
  if (!(x instanceof Tensor)) {
    const r = deferOp('chunk', [x, chunks, dim]);
    if (r !== undefined) return r as unknown[];
  }
  checkTensor('chunk', x, 'input');
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError('chunk', `chunks must be a positive integer, got ${describeValue(chunks)}`);
  const d = normDim('chunk', dim, x.ndim);
  const size = x.shape[d];
  return split(x, Math.max(1, Math.ceil(size / chunks)), d);
}
