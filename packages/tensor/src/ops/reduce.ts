// Reductions: the reduced dims are brought into a contiguous [outer, R, inner] layout (a view when they
// already are one block of a contiguous tensor, else a permuted copy), then one kernel call does the rest.
import { recordCall, scratchFloat64 } from '../capture/recording.js';
import { type DType, type TypedArray, isFloat } from '../dtype.js';
import { ArgumentError, DTypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import type { ReduceName } from '../kernels/js/reduce.js';
import { forEachRun } from '../iter.js';
import { getKernel } from '../kernels/registry.js';
import { normDim, normDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './elementwise.js';
import { checkBool, checkNumber, checkOptions, describeValue } from '../validate.js';
import { permute, clone } from './views.js';

/** Options of `var` and `std`. */
export interface VarOptions {
  /** Subtracted from the element count in the divisor: 1 = unbiased (default), 0 = biased. */
  correction?: number;
  /** Keep the reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

interface Layout {
  /** The input in a contiguous [outer, R, inner] layout (x itself, or a permuted copy); null if not built. */
  src: Tensor | null;
  outer: number;
  R: number;
  inner: number;
  /** Output shape without and with the reduced dims kept as 1. */
  shape: number[];
  keptShape: number[];
  dims: number[];
}

/**
 * The reduction's shapes, and its [outer, R, inner] block layout. With `allowStrided`, a tensor whose reduced
 * dims are not one contiguous block is left as it is (src null) for the strided accumulate path.
 */
type BlockLayout = Layout & { src: Tensor };

function layout(op: string, x: Tensor, dim: number | readonly number[] | undefined): BlockLayout;
function layout(op: string, x: Tensor, dim: number | readonly number[] | undefined, allowStrided: boolean): Layout;
function layout(op: string, x: Tensor, dim: number | readonly number[] | undefined, allowStrided = false): Layout {
  checkTensor(op, x, 'input');
  const dims = normDims(op, dim, x.ndim);
  const nd = x.ndim;
  const shape: number[] = [];
  const keptShape: number[] = [];
  let R = 1;
  for (let i = 0, j = 0; i < nd; i++) {
    if (j < dims.length && dims[j] === i) {
      keptShape.push(1);
      R *= x.shape[i];
      j++;
    } else {
      shape.push(x.shape[i]);
      keptShape.push(x.shape[i]);
    }
  }
  const first = dims.length > 0 ? dims[0] : 0;
  const last = dims.length > 0 ? dims[dims.length - 1] : -1;
  const adjacent = dims.length === 0 || last - first + 1 === dims.length;
  if (x.isContiguous() && adjacent) {
    let outer = 1;
    let inner = 1;
    for (let i = 0; i < first; i++) outer *= x.shape[i];
    for (let i = last + 1; i < nd; i++) inner *= x.shape[i];
    if (dims.length === 0) inner = 1;
    return { src: x, outer, R, inner, shape, keptShape, dims };
  }
  if (allowStrided) return { src: null, outer: 0, R, inner: 1, shape, keptShape, dims };
  const order: number[] = [];
  for (let i = 0; i < nd; i++) if (!dims.includes(i)) order.push(i);
  order.push(...dims);
  const src = clone(permute(x, order));
  return { src, outer: src.numel() / Math.max(R, 1), R, inner: 1, shape, keptShape, dims };
}

/** Whether l reduces a contiguous x of 3+ dims over every dim but 1 ([N, C, *] to [C]). */
function isChannelReduction(x: Tensor, l: Layout): boolean {
  const nd = x.ndim;
  if (nd < 3 || l.dims.length !== nd - 1 || l.dims[0] !== 0 || !x.isContiguous()) return false;
  for (let i = 1; i < l.dims.length; i++) if (l.dims[i] !== i + 1) return false;
  return true;
}

/** Sums x over l.dims through its own strides into out (scaled by `scale`), without copying x. */
function stridedSum(x: Tensor, l: Layout, out: Tensor, scale: number): void {
  if (isChannelReduction(x, l)) {
    // One kernel call instead of a run walk. With a single channel the walk merges all of x into one
    // run, so that case is summed as one [1, 1, numel] block to keep the same order.
    const C = x.shape[1];
    let N = x.shape[0];
    let inner = 1;
    for (let i = 2; i < x.ndim; i++) inner *= x.shape[i];
    if (C === 1) {
      inner *= N;
      N = 1;
    }
    getKernel('sumChannels')(N, C, inner, x.data, x.offset, out.data, scale);
    return;
  }
  const acc = scratchFloat64(out.numel());
  // The output index of every input element: contiguous strides over the kept dims, 0 over the reduced ones.
  const accStrides = new Array<number>(x.ndim);
  let stride = 1;
  for (let i = x.ndim - 1; i >= 0; i--) {
    if (l.dims.includes(i)) accStrides[i] = 0;
    else {
      accStrides[i] = stride;
      stride *= x.shape[i];
    }
  }
  const k = getKernel('accumulate');
  const xd = x.data;
  forEachRun(x.shape, [accStrides, x.strides], [0, x.offset], (o, n, s) => k(n, xd, o[1], s[1], acc, o[0], s[0]));
  recordCall('sum', scaledInto, [acc, out.data, scale]);
}

/** out[i] = acc[i] * scale: a sum's float64 accumulators into its output. */
function scaledInto(acc: Float64Array, out: TypedArray, scale: number): void {
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] * scale;
}

function outerCount(l: Layout): number {
  let n = 1;
  for (const s of l.shape) n *= s;
  return n;
}

function requireFloat(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(op, `needs a floating point tensor, got ${x.dtype} (shape ${fmtShape(x.shape)}); convert with .to('float32')`);
  }
}

/** The output shape with or without the reduced dims kept as 1 (keepdim must be a real boolean). */
function keptOrNot(op: string, l: Layout, keepdim: unknown): number[] {
  return checkBool(op, 'keepdim', keepdim) ? l.keptShape : l.shape;
}

function requireNonEmpty(op: string, x: Tensor, l: Layout): void {
  if (l.R === 0 && outerCount(l) > 0) {
    throw new IndexError(op, `cannot reduce over an empty dim of a tensor of shape ${fmtShape(x.shape)}`);
  }
}

/** The generic reduction: sum prod amax amin logsumexp, and max/min without a dim. */
export function reduce(name: ReduceName | 'max' | 'min', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  const op = name;
  const l = layout(op, x, dim, name === 'sum');
  let outDt: DType = x.dtype;
  if (name === 'sum' || name === 'prod') outDt = isFloat(x.dtype) ? x.dtype : 'int32';
  if (name === 'logsumexp') requireFloat(op, x);
  // An empty sum is 0, an empty product 1, an empty logsumexp -inf; max/min have no value to give.
  if (name !== 'sum' && name !== 'prod' && name !== 'logsumexp') requireNonEmpty(op, x, l);
  const out = Tensor.zeros(keptOrNot(op, l, keepdim), outDt);
  if (outerCount(l) === 0) return out;
  if (l.src === null) {
    stridedSum(x, l, out, 1);
    return out;
  }
  const kernelName: ReduceName = name === 'max' ? 'amax' : name === 'min' ? 'amin' : name;
  const k = getKernel(`reduce.${kernelName}`);
  k(l.outer, l.R, l.inner, l.src.data, l.src.offset, out.data, 0, 0);
  return out;
}

/** all/any over dims: whether every/some element is nonzero (true/false over an empty set, as PyTorch). */
export function allAny(name: 'all' | 'any', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  checkTensor(name, x, 'input');
  const mask = x.dtype === 'bool' ? x : x.ne(0);
  const l = layout(name, mask, dim);
  const out = Tensor.zeros(keptOrNot(name, l, keepdim), 'bool');
  if (outerCount(l) === 0) return out;
  if (l.R === 0) return out.fill(name === 'all' ? 1 : 0);
  getKernel(name === 'all' ? 'reduce.amin' : 'reduce.amax')(l.outer, l.R, l.inner, l.src.data, l.src.offset, out.data, 0, 0);
  return out;
}

export function sum(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  return reduce('sum', x, dim, keepdim);
}

export function mean(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  requireFloat('mean', x);
  const l = layout('mean', x, dim, true);
  const out = Tensor.zeros(keptOrNot('mean', l, keepdim), x.dtype);
  if (outerCount(l) === 0) return out;
  if (l.src === null) {
    stridedSum(x, l, out, 1 / l.R);
    return out;
  }
  getKernel('reduce.mean')(l.outer, l.R, l.inner, l.src.data, l.src.offset, out.data, 0, 0);
  return out;
}

export function variance(op: 'var' | 'std', x: Tensor, dim: number | readonly number[] | undefined, opts: VarOptions): Tensor {
  requireFloat(op, x);
  const { correction = 1, keepdim = false } = checkOptions(op, opts, ['correction', 'keepdim']);
  checkNumber(op, 'correction', correction, { min: 0 });
  const l = layout(op, x, dim);
  const out = Tensor.zeros(keptOrNot(op, l, keepdim), x.dtype);
  if (outerCount(l) === 0) return out;
  getKernel('reduce.var')(l.outer, l.R, l.inner, l.src.data, l.src.offset, out.data, 0, correction);
  if (op === 'std') recordCall('std', sqrtInPlace, [out.data]);
  return out;
}

/** Replaces each element of a by its square root (std from the variance). */
function sqrtInPlace(a: TypedArray): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.sqrt(a[i]);
}

/** max/min along one dim: values and int32 indices of the first extreme element. */
export function maxMin(name: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  checkTensor(name, x, 'input');
  if (typeof dim !== 'number') throw new ArgumentError(name, `dim must be a number, got ${describeValue(dim)}`);
  const l = layout(name, x, normDim(name, dim, x.ndim));
  requireNonEmpty(name, x, l);
  const shape = keptOrNot(name, l, keepdim);
  const values = Tensor.zeros(shape, x.dtype);
  const indices = Tensor.zeros(shape, 'int32');
  if (outerCount(l) > 0) {
    const k = getKernel(`argReduce.${name}`);
    k(l.outer, l.R, l.inner, l.src.data, l.src.offset, values.data, indices.data as Int32Array, 0);
  }
  return { values, indices };
}

/** argmax/argmin: without a dim, the index into the flattened tensor. */
export function argMaxMin(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  checkTensor(op, x, 'input');
  const flat = dim === undefined;
  const src = flat ? x.reshape(-1) : x;
  const l = layout(op, src, flat ? 0 : normDim(op, dim, x.ndim));
  requireNonEmpty(op, x, l);
  let shape = keptOrNot(op, l, keepdim);
  if (flat) shape = keepdim ? x.shape.map(() => 1) : [];
  const indices = Tensor.zeros(shape, 'int32');
  if (outerCount(l) > 0) {
    const k = getKernel(`argReduce.${op === 'argmax' ? 'max' : 'min'}`);
    k(l.outer, l.R, l.inner, l.src.data, l.src.offset, null, indices.data as Int32Array, 0);
  }
  return indices;
}

export function softmax(op: 'softmax' | 'logSoftmax', x: Tensor, dim: number): Tensor {
  checkTensor(op, x, 'input');
  if (typeof dim !== 'number') throw new ArgumentError(op, `dim must be a number, got ${describeValue(dim)}`);
  requireFloat(op, x);
  const d = normDim(op, dim, x.ndim);
  const src = x.isContiguous() ? x : clone(x);
  const out = Tensor.zeros(x.shape, x.dtype);
  if (x.numel() === 0) return out;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i];
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i];
  const R = x.ndim === 0 ? 1 : x.shape[d];
  getKernel(`reduce.${op}`)(outer, R, inner, src.data, src.offset, out.data, 0, 0);
  return out;
}

/** Sums x down to `shape` (which x.shape broadcasts from): the reduction behind broadcasting gradients. */
export function sumToSize(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('sumToSize', x, 'input');
  const lead = x.ndim - shape.length;
  if (lead < 0) throw new ShapeError('sumToSize', `shape ${fmtShape(shape)} has more dims than the input shape ${fmtShape(x.shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && x.shape[i] !== 1) dims.push(i);
    else if (shape[i - lead] !== x.shape[i]) {
      throw new ShapeError('sumToSize', `input shape ${fmtShape(x.shape)} does not broadcast from ${fmtShape(shape)}`);
    }
  }
  if (dims.length === 0) return x;
  return sum(x, dims, true).reshape(shape as number[]);
}
