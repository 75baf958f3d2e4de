// Index-driven ops: gather, scatterAdd (out of place), indexSelect, oneHot. Indices are int32 tensors.
import { activeRecording, recordCall } from '../capture/recording.js';
import { DTypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { checkIndexDType, describeValue } from '../validate.js';
import { forEachRun } from '../iter.js';
import { normDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';
import { reduce } from './reduce.js';
import { clone } from './views.js';

function checkIndex(op: string, index: Tensor, size: number, dim: number, selfShape: readonly number[]): void {
  checkTensor(op, index, 'index');
  checkIndexDType(op, 'index', index, 'indices');
  if (index.numel() === 0) return;
  // A captured step checks the indices of every replay (they may be computed inside the step).
  if (activeRecording() !== null) {
    recordCall(op, checkIndexValues, [op, index, size, dim, selfShape]);
    return;
  }
  const lo = reduce('amin', index, undefined, false).item();
  const hi = reduce('amax', index, undefined, false).item();
  if (lo < 0 || hi >= size) throw indexRangeError(op, lo < 0 ? lo : hi, size, dim, selfShape);
}

/** checkIndex's range check in one walk over the indices (no reduction kernels, whose results JavaScript reads). */
function checkIndexValues(op: string, index: Tensor, size: number, dim: number, selfShape: readonly number[]): void {
  const id = index.data;
  forEachRun(index.shape, [index.strides], [index.offset], (o, n, s) => {
    for (let k = 0; k < n; k++) {
      const v = id[o[0] + k * s[0]];
      if (v < 0 || v >= size) throw indexRangeError(op, v, size, dim, selfShape);
    }
  });
}

function indexRangeError(op: string, value: number, size: number, dim: number, selfShape: readonly number[]): IndexError {
  return new IndexError(op, `index ${value} is out of range for dim ${dim} of size ${size} (shape ${fmtShape(selfShape)})`);
}

/** t's strides with dim d zeroed (an index supplies the position along it), and t's stride along d (0 if 0-d). */
function stridesBesideDim(t: Tensor, d: number): [strides: number[], dimStride: number] {
  const strides = t.strides.slice();
  if (t.ndim === 0) return [strides, 0];
  const dimStride = strides[d];
  strides[d] = 0;
  return [strides, dimStride];
}

/** The size of dim d of t (1 for a 0-d t, whose only position is 0). */
function sizeAlong(t: Tensor, d: number): number {
  return t.ndim === 0 ? 1 : t.shape[d];
}

/** out[i][j][k] = x[index[i][j][k]][j][k] (for dim 0): out has index's shape. */
export function gather(x: Tensor, dim: number, index: Tensor | TensorDispatch): Tensor {
  if (!(index instanceof Tensor)) {
    const r = deferOp('gather', [x, dim, index]);
    if (r !== undefined) return r as Tensor;
  }
  checkTensor('gather', x, 'input');
  const d = normDim('gather', dim, x.ndim);
  checkTensor('gather', index, 'index');
  if (index.ndim !== x.ndim) {
    throw new ShapeError('gather', `index ${fmtShape(index.shape)} and input ${fmtShape(x.shape)} must have the same number of dims`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new ShapeError('gather', `index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} at dim ${i}`);
    }
  }
  checkIndex('gather', index, sizeAlong(x, d), d, x.shape);
  const out = Tensor.zeros(index.shape, x.dtype);
  recordCall('gather', gatherInto, [out, x, index, d]);
  return out;
}

function gatherInto(out: Tensor, x: Tensor, index: Tensor, d: number): void {
  const [xs, dimStride] = stridesBesideDim(x, d);
  const xd = x.data;
  const id = index.data;
  const od = out.data;
  forEachRun(index.shape, [out.strides, index.strides, xs], [0, index.offset, x.offset], (o, n, s) => {
    for (let k = 0; k < n; k++) od[o[0] + k * s[0]] = xd[o[2] + k * s[2] + id[o[1] + k * s[1]] * dimStride];
  });
}

/** A copy of x with src added at the positions index names along dim (repeated indices accumulate). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor | TensorDispatch, src: Tensor | TensorDispatch): Tensor {
  if (!(index instanceof Tensor) || !(src instanceof Tensor)) {
    const r = deferOp('scatterAdd', [x, dim, index, src]);
    if (r !== undefined) return r as Tensor;
  }
  checkTensor('scatterAdd', x, 'input');
  checkTensor('scatterAdd', src, 'src');
  checkTensor('scatterAdd', index, 'index');
  const d = normDim('scatterAdd', dim, x.ndim);
  if (index.ndim !== x.ndim || src.ndim !== x.ndim) {
    throw new ShapeError('scatterAdd', `index ${fmtShape(index.shape)}, src ${fmtShape(src.shape)} and input ${fmtShape(x.shape)} must have the same number of dims`);
  }
  for (let i = 0; i < x.ndim; i++) {
    if (index.shape[i] > src.shape[i] || (i !== d && index.shape[i] > x.shape[i])) {
      throw new ShapeError('scatterAdd', `index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} or input ${fmtShape(x.shape)} at dim ${i}`);
    }
  }
  if (src.dtype !== x.dtype) throw new DTypeError('scatterAdd', `src dtype ${src.dtype} differs from input dtype ${x.dtype}`);
  checkIndex('scatterAdd', index, sizeAlong(x, d), d, x.shape);
  const out = clone(x);
  recordCall('scatterAdd', scatterAddInto, [out, src, index, d]);
  return out;
}

function scatterAddInto(out: Tensor, src: Tensor, index: Tensor, d: number): void {
  const [os, dimStride] = stridesBesideDim(out, d);
  const sd = src.data;
  const id = index.data;
  const od = out.data;
  forEachRun(index.shape, [src.strides, index.strides, os], [src.offset, index.offset, 0], (o, n, s) => {
    for (let k = 0; k < n; k++) od[o[2] + k * s[2] + id[o[1] + k * s[1]] * dimStride] += sd[o[0] + k * s[0]];
  });
}

/** The slices of x at positions `index` (1-D) along dim. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | TensorDispatch): Tensor {
  if (!(index instanceof Tensor)) {
    const r = deferOp('indexSelect', [x, dim, index]);
    if (r !== undefined) return r as Tensor;
  }
  checkTensor('indexSelect', x, 'input');
  const d = normDim('indexSelect', dim, x.ndim);
  checkTensor('indexSelect', index, 'index');
  if (index.ndim > 1) throw new ShapeError('indexSelect', `index must be 0-d or 1-D, got shape ${fmtShape(index.shape)}`);
  checkIndex('indexSelect', index, sizeAlong(x, d), d, x.shape);
  const shape = x.shape.slice();
  if (x.ndim > 0) shape[d] = index.numel();
  const out = Tensor.zeros(shape, x.dtype);
  recordCall('indexSelect', x.ndim > 0 && x.isContiguous() ? copySlices : selectStrided, [x, d, index, out]);
  return out;
}

/** indexSelect of any x: walk the output; x contributes its strides except along dim, where the index supplies the position. */
function selectStrided(x: Tensor, d: number, index: Tensor, out: Tensor): void {
  const shape = out.shape;
  // Walk the output; x contributes its strides except along dim, where the index supplies the position.
  const [xs, dimStride] = stridesBesideDim(x, d);
  const is = new Array<number>(x.ndim).fill(0);
  if (x.ndim > 0) is[d] = index.ndim === 0 ? 0 : index.strides[0];
  const xd = x.data;
  const id = index.data;
  const od = out.data;
  forEachRun(shape, [out.strides, is, xs], [0, index.offset, x.offset], (o, n, s) => {
    for (let k = 0; k < n; k++) od[o[0] + k * s[0]] = xd[o[2] + k * s[2] + id[o[1] + k * s[1]] * dimStride];
  });
}

/**
 * indexSelect of a contiguous x: each picked slice is a run of `inner` consecutive elements, copied whole (a
 * DataLoader gathers its batches this way, 784 floats per MNIST image).
 */
function copySlices(x: Tensor, d: number, index: Tensor, out: Tensor): void {
  const size = x.shape[d];
  let outer = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i];
  const inner = size === 0 ? 0 : x.numel() / (outer * size);
  const n = index.numel();
  const istride = index.ndim === 0 ? 0 : index.strides[0];
  const xd = x.data;
  const od = out.data;
  const id = index.data;
  for (let o = 0, dst = 0; o < outer; o++) {
    for (let k = 0; k < n; k++, dst += inner) {
      const src = x.offset + (o * size + id[index.offset + k * istride]) * inner;
      if (inner >= 16) od.set(xd.subarray(src, src + inner), dst);
      else for (let j = 0; j < inner; j++) od[dst + j] = xd[src + j];
    }
  }
}

/** int32 one-hot encoding with a new last dim of numClasses (-1: max index + 1). */
export function oneHot(index: Tensor, numClasses?: number): Tensor;
/** Of a Variable: a constant Variable. */
export function oneHot<V extends TensorDispatch>(index: V, numClasses?: number): Dispatched<V>;
export function oneHot(index: unknown, numClasses = -1): unknown {
  if (!(index instanceof Tensor)) {
    const r = deferOp('oneHot', [index, numClasses]);
    if (r !== undefined) return r;
  }
  checkTensor('oneHot', index, 'index');
  checkIndexDType('oneHot', 'index', index, 'class indices');
  if (!Number.isInteger(numClasses) || numClasses < -1) {
    throw new IndexError('oneHot', `numClasses must be a non-negative integer or -1, got ${describeValue(numClasses)}`);
  }
  const n = index.numel();
  const hi = n === 0 ? -1 : reduce('amax', index, undefined, false).item();
  const lo = n === 0 ? 0 : reduce('amin', index, undefined, false).item();
  const C = numClasses === -1 ? hi + 1 : numClasses;
  if (numClasses === -1 && n === 0) throw new ShapeError('oneHot', 'cannot infer numClasses from an empty index; pass it');
  if (lo < 0) throw new IndexError('oneHot', `class index ${lo} is negative`);
  if (hi >= C) throw new IndexError('oneHot', `class index ${hi} is out of range for numClasses ${C}`);
  const out = Tensor.zeros([...index.shape, C], 'int32');
  const src = index.contiguous();
  const sd = src.data;
  const od = out.data;
  for (let i = 0; i < n; i++) od[i * C + sd[src.offset + i]] = 1;
  return out;
}
